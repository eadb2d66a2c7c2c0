//! The 用户中心 of each role: basic info and the to-do counters, from real queries.

use chrono::Utc;
use domain::{
    flow::{Party, Standing},
    ids::{mask_id_number, mask_phone},
    role::AdminScope,
    status::{AgreementStatus, ApprovalStatus, InvitationStatus, RosterStatus, TerminationStatus},
    view::{AdminDashboard, EmployerDashboard, StudentDashboard, StudentProfile},
    AdminCaller, AppError, EmployerCaller, StudentCaller,
};
use sea_orm::{
    prelude::*,
    sea_query::{ExprTrait, Query},
    DbBackend, FromQueryResult, QueryOrder, Statement,
};

use super::{
    lookup::{active_codes_sql, active_statuses, format_time},
    roster,
};
use crate::{
    entity::{account, agreement, college, employer, employer_approval, invitation, school, student, termination},
    fast_read::Param,
    Db, DbResultExt, Result,
};
use std::sync::LazyLock;

/// Agreement ids of an employer, or of a student, as a sub-query.
fn agreements_where(col: agreement::Column, id: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(agreement::Column::Id)
        .from(agreement::Entity)
        .and_where(col.eq(id))
        .to_owned()
}

pub async fn employer(db: &Db, me: &EmployerCaller) -> Result<EmployerDashboard> {
    let eid = me.employer_id();
    let e = employer::Entity::find_by_id(eid)
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))?;
    let acc = account::Entity::find_by_id(me.account_id()).one(db).await.db()?;
    let approved_schools = approved_school_names(db, eid).await?;
    let pending_invitations = invitation::Entity::find()
        .filter(invitation::Column::EmployerId.eq(eid))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .filter(invitation::Column::Deadline.gt(Utc::now()))
        .count(db)
        .await
        .db()?;
    // 解约待办: students' requests waiting for this employer's answer.
    let pending_terminations = termination::Entity::find()
        .filter(termination::Column::Status.eq(TerminationStatus::Applying))
        .filter(termination::Column::Initiator.eq(Party::Student))
        .filter(termination::Column::AgreementId.in_subquery(agreements_where(agreement::Column::EmployerId, eid)))
        .count(db)
        .await
        .db()?;
    let info = e
        .info_confirmed_at
        .is_none()
        .then(|| super::employer::to_info(e.clone()));
    Ok(EmployerDashboard {
        info_confirmed: info.is_none(),
        info,
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

pub async fn approved_school_names(db: &Db, employer_id: i64) -> Result<Vec<String>> {
    let ids: Vec<i64> = employer_approval::Entity::find()
        .filter(employer_approval::Column::EmployerId.eq(employer_id))
        .filter(employer_approval::Column::Status.eq(ApprovalStatus::Approved))
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
/// one statement: on SQLite one of the two fast reads (`data::fast_read` says why), elsewhere the
/// same statement built with sea-query (`student_row`).
pub async fn student(db: &Db, me: &StudentCaller) -> Result<StudentDashboard> {
    let sid = me.student_id();
    let found = match db.fast_reads() {
        Some(fast) => {
            let params = vec![
                (":account", Param::Int(me.account_id())),
                (":student", Param::Int(sid)),
                (":now", Param::Time(Utc::now())),
            ];
            fast.one(&STUDENT_DASHBOARD, params, DashboardRow::from_sqlite).await
        }
        None => {
            let stmt = student_row(db.get_database_backend(), me.account_id(), sid);
            DashboardRow::find_by_statement(stmt).one(db).await
        }
    };
    let r = found.db()?.ok_or_else(|| AppError::not_found("学生"))?;
    let employment_status = match r.agreement_status.as_deref().and_then(AgreementStatus::parse) {
        None => "未签约".to_owned(),
        Some(status) => match r.employer_name.as_deref().filter(|n| !n.is_empty()) {
            None => status.label().to_owned(),
            Some(name) => format!("{}（{name}）", status.label()),
        },
    };
    let sign_notice = Standing {
        training_mode: &r.training_mode,
        roster: RosterStatus::parse(&r.roster_status).unwrap_or(RosterStatus::Pending),
        restricted: r.restricted,
        plan_submitted: r.plan_submitted,
    }
    .check()
    .err()
    .map(|e| e.message());
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
        // A restricted (限制签约) or not yet approved student logs in and is told why they cannot sign.
        sign_notice,
    })
}

/// [`student_row`] as SQLite's fast path runs it.
static STUDENT_DASHBOARD: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.id, s.name, s.gender, s.major, s.degree, s.graduation_year, s.id_number, s.phone, \
                s.training_mode, s.origin, s.roster_status, s.restricted, s.plan_submitted, sc.name AS school, co.name AS college, \
                a.id AS agreement_id, a.status AS agreement_status, a.employer_name AS employer_name, \
                EXISTS (SELECT 1 FROM accounts WHERE id = :account AND phone_verified_at IS NOT NULL) AS verified, \
                (SELECT COUNT(id) FROM invitations \
                   WHERE student_id = :student AND status = '{pending}' AND deadline > :now) AS received_invitations, \
                (SELECT COUNT(id) FROM terminations WHERE status = '{applying}' AND initiator = 'employer' \
                   AND agreement_id IN (SELECT id FROM agreements WHERE student_id = :student)) AS pending_terminations \
         FROM students AS s \
         JOIN schools AS sc ON sc.id = s.school_id \
         JOIN colleges AS co ON co.id = s.college_id \
         LEFT JOIN agreements AS a ON a.student_id = s.id AND a.status IN ({active}) \
         WHERE s.id = :student",
        pending = InvitationStatus::Pending.code(),
        applying = TerminationStatus::Applying.code(),
        active = active_codes_sql(),
    )
});

/// The student dashboard's one statement: the roster record with school and college names,
/// the active engagement (at most one, by a unique index), 信息验证 done, and the two counters
/// as sub-queries.
fn student_row(backend: DbBackend, account_id: i64, sid: i64) -> Statement {
    let verified = Query::select()
        .expr(Expr::val(1))
        .from(account::Entity)
        .and_where(account::Column::Id.eq(account_id))
        .and_where(account::Column::PhoneVerifiedAt.is_not_null())
        .to_owned();
    let received_invitations = Query::select()
        .expr(invitation::Column::Id.count())
        .from(invitation::Entity)
        .and_where(invitation::Column::StudentId.eq(sid))
        .and_where(invitation::Column::Status.eq(InvitationStatus::Pending.code()))
        .and_where(invitation::Column::Deadline.gt(Utc::now()))
        .to_owned();
    // 解约待办: the employer's requests waiting for this student's answer.
    let pending_terminations = Query::select()
        .expr(termination::Column::Id.count())
        .from(termination::Entity)
        .and_where(termination::Column::Status.eq(TerminationStatus::Applying.code()))
        .and_where(termination::Column::Initiator.eq("employer"))
        .and_where(termination::Column::AgreementId.in_subquery(agreements_where(agreement::Column::StudentId, sid)))
        .to_owned();
    let query = Query::select()
        .columns(
            [
                student::Column::Id,
                student::Column::Name,
                student::Column::Gender,
                student::Column::Major,
                student::Column::Degree,
                student::Column::GraduationYear,
                student::Column::IdNumber,
                student::Column::Phone,
                student::Column::TrainingMode,
                student::Column::Origin,
                student::Column::RosterStatus,
                student::Column::Restricted,
                student::Column::PlanSubmitted,
            ]
            .map(|c| (student::Entity, c)),
        )
        .expr_as(Expr::col((school::Entity, school::Column::Name)), "school")
        .expr_as(Expr::col((college::Entity, college::Column::Name)), "college")
        .expr_as(Expr::col((agreement::Entity, agreement::Column::Id)), "agreement_id")
        .expr_as(
            Expr::col((agreement::Entity, agreement::Column::Status)),
            "agreement_status",
        )
        .expr_as(
            Expr::col((agreement::Entity, agreement::Column::EmployerName)),
            "employer_name",
        )
        .expr_as(Expr::exists(verified), "verified")
        .expr_as(Expr::from(received_invitations), "received_invitations")
        .expr_as(Expr::from(pending_terminations), "pending_terminations")
        .from(student::Entity)
        .inner_join(
            school::Entity,
            Expr::col((school::Entity, school::Column::Id)).equals((student::Entity, student::Column::SchoolId)),
        )
        .inner_join(
            college::Entity,
            Expr::col((college::Entity, college::Column::Id)).equals((student::Entity, student::Column::CollegeId)),
        )
        .left_join(
            agreement::Entity,
            Expr::col((agreement::Entity, agreement::Column::StudentId))
                .equals((student::Entity, student::Column::Id))
                .and(Expr::col((agreement::Entity, agreement::Column::Status)).is_in(active_statuses())),
        )
        .and_where(Expr::col((student::Entity, student::Column::Id)).eq(sid))
        .to_owned();
    backend.build(&query)
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
    roster_status: String,
    restricted: bool,
    plan_submitted: bool,
    school: String,
    college: String,
    agreement_id: Option<i64>,
    agreement_status: Option<String>,
    employer_name: Option<String>,
    verified: bool,
    received_invitations: i64,
    pending_terminations: i64,
}

impl DashboardRow {
    fn from_sqlite(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(DashboardRow {
            id: r.get("id")?,
            name: r.get("name")?,
            gender: r.get("gender")?,
            major: r.get("major")?,
            degree: r.get("degree")?,
            graduation_year: r.get("graduation_year")?,
            id_number: r.get("id_number")?,
            phone: r.get("phone")?,
            training_mode: r.get("training_mode")?,
            origin: r.get("origin")?,
            roster_status: r.get("roster_status")?,
            restricted: r.get("restricted")?,
            plan_submitted: r.get("plan_submitted")?,
            school: r.get("school")?,
            college: r.get("college")?,
            agreement_id: r.get("agreement_id")?,
            agreement_status: r.get("agreement_status")?,
            employer_name: r.get("employer_name")?,
            verified: r.get("verified")?,
            received_invitations: r.get("received_invitations")?,
            pending_terminations: r.get("pending_terminations")?,
        })
    }
}

pub async fn admin(db: &Db, me: &AdminCaller) -> Result<AdminDashboard> {
    let scope = me.scope();
    let acc = account::Entity::find_by_id(me.account_id()).one(db).await.db()?;
    let students = roster::count_in_scope(db, scope).await?;
    // What waits for this admin: the stages the school's 审核方式 gives them (domain::review).
    let stages = super::review::stages_of(db, me).await?;
    let (awaiting_signing_review, awaiting_termination_review) = super::review::waiting(db, me, &stages).await?;
    let review_status = stages
        .first()
        .map(|s| s.agreement_status().code().to_owned())
        .unwrap_or_default();
    let employers_awaiting_approval = match scope {
        // As 用人单位审核 lists them: registrations whose e-mail address is confirmed.
        AdminScope::School(school_id) => employer_approval::Entity::find()
            .inner_join(employer::Entity)
            .filter(employer_approval::Column::SchoolId.eq(school_id))
            .filter(employer_approval::Column::Status.eq(ApprovalStatus::Pending))
            .filter(employer::Column::EmailConfirmedAt.is_not_null())
            .count(db)
            .await
            .db()?,
        _ => 0,
    };
    let schools = school::Entity::find().count(db).await.db()?;
    Ok(AdminDashboard {
        role: me.role(),
        display_name: me.display_name().to_owned(),
        scope_label: roster::scope_label(db, scope).await?,
        last_login_at: acc.and_then(|a| a.last_login_at).map(format_time),
        students,
        awaiting_signing_review,
        awaiting_termination_review,
        employers_awaiting_approval,
        schools,
        review_status,
    })
}
