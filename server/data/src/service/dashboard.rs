//! The 用户中心 of each role: basic info and the to-do counters, from real queries.

use chrono::Utc;
use domain::{
    role::AdminScope,
    status::{AgreementStatus, InvitationStatus, TerminationStatus},
    ids::{mask_id_number, mask_phone},
    view::{AdminDashboard, EmployerDashboard, StudentDashboard, StudentProfile},
    AppError, Caller, Role,
};
use sea_orm::{
    prelude::*,
    sea_query::{ExprTrait, Query},
    FromQueryResult, QueryOrder,
};

use super::roster::{self, students_in_scope};
use crate::{
    entity::{account, agreement, college, employer, employer_approval, invitation, school, student, termination},
    scalar, DbResultExt, Result,
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

/// The student's 用户中心. Students open it more than any other page in the season, so it is
/// one statement: the roster record with school and college names, the active engagement
/// (at most one, by a unique index), 信息验证 done, and the two counters as sub-queries.
pub async fn student(db: &DatabaseConnection, caller: &Caller) -> Result<StudentDashboard> {
    caller.require(Role::Student)?;
    let sid = caller.student_id.ok_or(AppError::Forbidden)?;
    let (st, sc, co, ag) = (student::Entity, school::Entity, college::Entity, agreement::Entity);
    let q = Query::select()
        .columns([
            (st, student::Column::Id),
            (st, student::Column::Name),
            (st, student::Column::Gender),
            (st, student::Column::Major),
            (st, student::Column::Degree),
            (st, student::Column::GraduationYear),
            (st, student::Column::IdNumber),
            (st, student::Column::Phone),
            (st, student::Column::TrainingMode),
            (st, student::Column::Origin),
        ])
        .expr_as(Expr::col((sc, school::Column::Name)), "school")
        .expr_as(Expr::col((co, college::Column::Name)), "college")
        .expr_as(Expr::col((ag, agreement::Column::Id)), "agreement_id")
        .expr_as(Expr::col((ag, agreement::Column::Status)), "agreement_status")
        .expr_as(Expr::col((ag, agreement::Column::EmployerName)), "employer_name")
        .expr_as(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(account::Entity)
                    .and_where(account::Column::Id.eq(caller.account_id))
                    .and_where(account::Column::PhoneVerifiedAt.is_not_null())
                    .to_owned(),
            ),
            "verified",
        )
        .expr_as(
            scalar(
                Query::select()
                    .expr(Expr::col(invitation::Column::Id).count())
                    .from(invitation::Entity)
                    .and_where(invitation::Column::StudentId.eq(sid))
                    .and_where(invitation::Column::Status.eq(InvitationStatus::Pending.code()))
                    .and_where(invitation::Column::Deadline.gt(Utc::now()))
                    .to_owned(),
            ),
            "received_invitations",
        )
        .expr_as(
            scalar(
                Query::select()
                    .expr(Expr::col(termination::Column::Id).count())
                    .from(termination::Entity)
                    .and_where(termination::Column::Status.eq(TerminationStatus::Applying.code()))
                    .and_where(termination::Column::Initiator.eq("employer"))
                    .and_where(termination::Column::AgreementId.in_subquery(agreements_where(agreement::Column::StudentId, sid)))
                    .to_owned(),
            ),
            "pending_terminations",
        )
        .from(st)
        .inner_join(sc, Expr::col((sc, school::Column::Id)).equals((st, student::Column::SchoolId)))
        .inner_join(co, Expr::col((co, college::Column::Id)).equals((st, student::Column::CollegeId)))
        .left_join(
            ag,
            Expr::col((ag, agreement::Column::StudentId))
                .equals((st, student::Column::Id))
                .and(Expr::col((ag, agreement::Column::Status)).is_in(active_codes())),
        )
        .and_where(Expr::col((st, student::Column::Id)).eq(sid))
        .to_owned();
    let r = DashboardRow::find_by_statement(db.get_database_backend().build(&q))
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("学生"))?;
    let employment_status = match r.agreement_status.as_deref().and_then(AgreementStatus::parse) {
        None => "未签约".to_owned(),
        Some(status) => match r.employer_name.as_deref().filter(|n| !n.is_empty()) {
            None => status.label().to_owned(),
            Some(name) => format!("{}（{name}）", status.label()),
        },
    };
    Ok(StudentDashboard {
        profile: StudentProfile {
            id: r.id,
            id_number_masked: mask_id_number(&r.id_number),
            phone_masked: mask_phone(&r.phone),
            name: r.name,
            gender: r.gender,
            school: r.school,
            college: r.college,
            major: r.major,
            degree: r.degree,
            graduation_year: r.graduation_year,
            training_mode: r.training_mode,
            origin: r.origin,
        },
        employment_status,
        received_invitations: r.received_invitations as u64,
        pending_terminations: r.pending_terminations as u64,
        verified: r.verified,
        agreement_id: r.agreement_id,
    })
}

#[derive(Debug, FromQueryResult)]
struct DashboardRow {
    id: i64,
    name: String,
    gender: String,
    major: String,
    degree: String,
    graduation_year: i32,
    id_number: String,
    phone: String,
    training_mode: String,
    origin: String,
    school: String,
    college: String,
    agreement_id: Option<i64>,
    agreement_status: Option<String>,
    employer_name: Option<String>,
    verified: bool,
    received_invitations: i64,
    pending_terminations: i64,
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
