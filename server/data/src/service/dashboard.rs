//! The 用户中心 of each role: basic info and the to-do counters, from real queries.

use chrono::Utc;
use domain::{
    role::AdminScope,
    status::{AgreementStatus, InvitationStatus, TerminationStatus},
    view::{AdminDashboard, EmployerDashboard, StudentDashboard},
    AppError, Caller, Role,
};
use sea_orm::{prelude::*, sea_query::Query, QueryOrder};

use super::roster::{self, students_in_scope};
use crate::{
    entity::{account, agreement, employer, employer_approval, invitation, school, termination},
    DbResultExt, Result,
};

pub fn format_time(t: DateTimeUtc) -> String {
    // Users are in China; show Beijing time.
    (t + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()
}

/// Agreement ids of an employer, or of a student, as a sub-query.
fn agreements_where(col: agreement::Column, id: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select().column(agreement::Column::Id).from(agreement::Entity).and_where(col.eq(id)).to_owned()
}

pub async fn employer(db: &DatabaseConnection, caller: &Caller) -> Result<EmployerDashboard> {
    caller.require(Role::Employer)?;
    let eid = caller.employer_id.ok_or(AppError::Forbidden)?;
    let e = employer::Entity::find_by_id(eid).one(db).await.db()?.ok_or_else(|| AppError::not_found("单位"))?;
    let acc = account::Entity::find_by_id(caller.account_id).one(db).await.db()?;
    let approved_schools = approved_school_names(db, eid).await?;
    let pending_invitations = invitation::Entity::find()
        .filter(invitation::Column::EmployerId.eq(eid))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending.code()))
        .filter(invitation::Column::Deadline.gt(Utc::now()))
        .count(db)
        .await
        .db()?;
    // 解约待办: students' requests waiting for this employer's answer.
    let pending_terminations = termination::Entity::find()
        .filter(termination::Column::Status.eq(TerminationStatus::Applying.code()))
        .filter(termination::Column::Initiator.eq("student"))
        .filter(termination::Column::AgreementId.in_subquery(agreements_where(agreement::Column::EmployerId, eid)))
        .count(db)
        .await
        .db()?;
    Ok(EmployerDashboard {
        info_confirmed: e.info_confirmed_at.is_some(),
        name: e.name,
        credit_code: e.credit_code,
        contact_person: e.contact_person,
        contact_phone: e.contact_phone,
        address: e.address,
        approved: !approved_schools.is_empty(),
        approved_schools,
        last_login_at: acc.as_ref().and_then(|a| a.last_login_at).map(format_time),
        last_login_ip: acc.and_then(|a| a.last_login_ip),
        pending_invitations,
        pending_terminations,
    })
}

pub async fn approved_school_names(db: &DatabaseConnection, employer_id: i64) -> Result<Vec<String>> {
    let ids: Vec<i64> = employer_approval::Entity::find()
        .filter(employer_approval::Column::EmployerId.eq(employer_id))
        .filter(employer_approval::Column::Status.eq("approved"))
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|a| a.school_id)
        .collect();
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .order_by_asc(school::Column::Code)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|s| s.name)
        .collect())
}

pub async fn student(db: &DatabaseConnection, caller: &Caller) -> Result<StudentDashboard> {
    caller.require(Role::Student)?;
    let sid = caller.student_id.ok_or(AppError::Forbidden)?;
    let profile = roster::profile(db, caller, sid).await?;
    let active = agreement::Entity::find()
        .filter(agreement::Column::StudentId.eq(sid))
        .filter(agreement::Column::Status.is_in(active_codes()))
        .one(db)
        .await
        .db()?;
    let agreement_id = active.as_ref().map(|a| a.id);
    let verified = account::Entity::find_by_id(caller.account_id).one(db).await.db()?.is_some_and(|a| a.phone_verified_at.is_some());
    let employment_status = match active {
        None => "未签约".to_owned(),
        Some(a) => {
            let status = AgreementStatus::parse(&a.status).map_or("", |s| s.label());
            if a.employer_name.is_empty() { status.to_owned() } else { format!("{status}（{}）", a.employer_name) }
        }
    };
    let received_invitations = invitation::Entity::find()
        .filter(invitation::Column::StudentId.eq(sid))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending.code()))
        .filter(invitation::Column::Deadline.gt(Utc::now()))
        .count(db)
        .await
        .db()?;
    let pending_terminations = termination::Entity::find()
        .filter(termination::Column::Status.eq(TerminationStatus::Applying.code()))
        .filter(termination::Column::Initiator.eq("employer"))
        .filter(termination::Column::AgreementId.in_subquery(agreements_where(agreement::Column::StudentId, sid)))
        .count(db)
        .await
        .db()?;
    Ok(StudentDashboard { profile, employment_status, received_invitations, pending_terminations, verified, agreement_id })
}

pub fn active_codes() -> Vec<&'static str> {
    AgreementStatus::ALL.iter().filter(|s| s.is_active()).map(|s| s.code()).collect()
}

pub async fn admin(db: &DatabaseConnection, caller: &Caller) -> Result<AdminDashboard> {
    let scope = caller.admin_scope().ok_or(AppError::Forbidden)?;
    let acc = account::Entity::find_by_id(caller.account_id).one(db).await.db()?;
    let in_scope = students_in_scope(scope);
    let students = roster::count_in_scope(db, scope).await?;
    let awaiting_signing_review = agreement::Entity::find()
        .filter(agreement::Column::Status.eq(AgreementStatus::AwaitingReview.code()))
        .filter(agreement::Column::StudentId.in_subquery(in_scope.clone()))
        .count(db)
        .await
        .db()?;
    let agreements_in_scope = Query::select()
        .column(agreement::Column::Id)
        .from(agreement::Entity)
        .and_where(agreement::Column::StudentId.in_subquery(in_scope))
        .to_owned();
    let awaiting_termination_review = termination::Entity::find()
        .filter(termination::Column::Status.eq(TerminationStatus::AwaitingReview.code()))
        .filter(termination::Column::AgreementId.in_subquery(agreements_in_scope))
        .count(db)
        .await
        .db()?;
    let employers_awaiting_approval = match scope {
        AdminScope::School(school_id) => employer_approval::Entity::find()
            .filter(employer_approval::Column::SchoolId.eq(school_id))
            .filter(employer_approval::Column::Status.eq("pending"))
            .count(db)
            .await
            .db()?,
        _ => 0,
    };
    let schools = school::Entity::find().count(db).await.db()?;
    Ok(AdminDashboard {
        role: caller.role,
        display_name: caller.display_name.clone(),
        scope_label: roster::scope_label(db, scope).await?,
        last_login_at: acc.and_then(|a| a.last_login_at).map(format_time),
        students,
        awaiting_signing_review,
        awaiting_termination_review,
        employers_awaiting_approval,
        schools,
    })
}
