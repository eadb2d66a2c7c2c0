//! 解约 of an online agreement (manual 2.2): either party applies (解约须知 + reason), the other
//! party agrees (→ 等待解约审核) or declines, the school reviews. Also the school's 撤回审核 of a
//! certification (FAQ 6). The one-open-request rule is a unique index; the rules themselves are
//! in `domain::flow`.

use std::collections::HashMap;

use chrono::Utc;
use domain::{
    flow::{self, Party, Review},
    review::{Level, Stage},
    role::AgreementAccess,
    status::{AgreementStatus, EngagementKind, TerminationStatus},
    view::{
        AgreementRow, ApplyReport, BatchResult, Page, SignedAgreement, TerminationDetail, TerminationFilter,
        TerminationRow,
    },
    AdminCaller, AppError, Caller, Capability, EmployerCaller, StudentCaller,
};
use sea_orm::{prelude::*, ActiveValue::Set, Condition, NotSet, QueryOrder};

use super::{
    agreement::{self as agreements, readable},
    invite::verified_student,
    lookup::format_time,
    notify::{self, LogRef},
    review,
    roster::{paged, students_narrowed},
};
use crate::{
    entity::{account, agreement, employer, student, termination},
    Db, DbResultExt, Result,
};

fn open_statuses() -> Vec<TerminationStatus> {
    TerminationStatus::ALL.iter().copied().filter(|s| s.is_open()).collect()
}

/// The agreement, its student and which party the caller is to it ("not found" for anyone
/// else, admins included: they review, they do not apply or answer). A student acts only once
/// 信息验证 is done.
async fn as_party(
    c: &impl ConnectionTrait,
    caller: &Caller,
    agreement_id: i64,
) -> Result<(agreement::Model, student::Model, Party)> {
    let (a, s, access) = readable(c, caller, agreement_id).await?;
    match access {
        AgreementAccess::Party(Party::Student) => {
            verified_student(c, &StudentCaller::from_caller(caller)?).await?;
            Ok((a, s, Party::Student))
        }
        AgreementAccess::Party(p) => Ok((a, s, p)),
        AgreementAccess::Office => Err(AppError::not_found("协议")),
    }
}

/// The request, if it exists.
async fn request(c: &impl ConnectionTrait, termination_id: i64) -> Result<termination::Model> {
    termination::Entity::find_by_id(termination_id)
        .one(c)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("解约申请"))
}

/// Rows for termination requests (agreement data looked up in bulk).
pub async fn rows(db: &impl ConnectionTrait, list: Vec<termination::Model>) -> Result<Vec<TerminationRow>> {
    let ids: Vec<i64> = list.iter().map(|t| t.agreement_id).collect();
    let agreements_list = agreement::Entity::find()
        .filter(agreement::Column::Id.is_in(ids))
        .all(db)
        .await
        .db()?;
    let by_id: HashMap<i64, AgreementRow> = agreements::rows(db, agreements_list)
        .await?
        .into_iter()
        .map(|r| (r.agreement_id, r))
        .collect();
    Ok(list
        .into_iter()
        .filter_map(|t| {
            let a = by_id.get(&t.agreement_id)?.clone();
            let initiator = t.initiator;
            Some(TerminationRow {
                id: t.id,
                agreement_id: a.agreement_id,
                agreement_no: a.agreement_no,
                student_name: a.student_name,
                school: a.school,
                college: a.college,
                graduation_year: a.graduation_year,
                id_number_masked: a.id_number_masked,
                employer_name: a.employer_name,
                position: a.position,
                initiator_label: initiator.label().to_owned(),
                initiator: initiator.code().to_owned(),
                status_label: t.status.label().to_owned(),
                status: t.status.code().to_owned(),
                reason: t.reason,
                response_reason: t.response_reason,
                review_reason: t.review_reason,
                applied_at: format_time(t.created_at),
            })
        })
        .collect())
}

/// Certified (and ended) online agreements of one party, each with its latest request.
async fn signed_of(db: &Db, me: Party, list: Vec<agreement::Model>) -> Result<Vec<SignedAgreement>> {
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let terms = termination::Entity::find()
        .filter(termination::Column::AgreementId.is_in(ids))
        .order_by_asc(termination::Column::Id)
        .all(db)
        .await
        .db()?;
    let mut latest: HashMap<i64, termination::Model> = HashMap::new();
    for t in terms {
        latest.insert(t.agreement_id, t);
    }
    let statuses: HashMap<i64, AgreementStatus> = list.iter().map(|a| (a.id, a.status)).collect();
    let mut out = Vec::new();
    for row in agreements::rows(db, list).await? {
        let t = latest.remove(&row.agreement_id);
        let open = t.as_ref().is_some_and(|t| t.status.is_open());
        let can_respond = t
            .as_ref()
            .is_some_and(|t| t.status == TerminationStatus::Applying && t.initiator != me);
        let can_apply = statuses.get(&row.agreement_id) == Some(&AgreementStatus::Certified) && !open;
        let termination = match t {
            Some(t) => rows(db, vec![t]).await?.pop(),
            None => None,
        };
        out.push(SignedAgreement {
            agreement: row,
            termination,
            can_apply,
            can_respond,
        });
    }
    Ok(out)
}

fn online() -> Condition {
    Condition::all().add(agreement::Column::Kind.eq(EngagementKind::Online))
}

/// The student's 解约办理: their certified (or ended) online agreements.
pub async fn student_agreements(db: &Db, me: &StudentCaller) -> Result<Vec<SignedAgreement>> {
    let s = verified_student(db, me).await?;
    let list = agreement::Entity::find()
        .filter(online())
        .filter(agreement::Column::StudentId.eq(s.id))
        .filter(agreement::Column::Status.is_in([AgreementStatus::Certified, AgreementStatus::Terminated]))
        .order_by_desc(agreement::Column::Id)
        .all(db)
        .await
        .db()?;
    signed_of(db, Party::Student, list).await
}

/// 已签约成功学生列表: certified agreements with no open request.
pub async fn employer_signed(db: &Db, me: &EmployerCaller) -> Result<Vec<SignedAgreement>> {
    let eid = me.employer_id();
    let list = agreement::Entity::find()
        .filter(online())
        .filter(agreement::Column::EmployerId.eq(eid))
        .filter(agreement::Column::Status.eq(AgreementStatus::Certified))
        .order_by_desc(agreement::Column::Id)
        .all(db)
        .await
        .db()?;
    Ok(signed_of(db, Party::Employer, list)
        .await?
        .into_iter()
        .filter(|s| s.can_apply)
        .collect())
}

/// 学生提出解约待办理列表: students' requests waiting for this employer's answer.
pub async fn employer_requests(db: &Db, me: &EmployerCaller) -> Result<Vec<TerminationRow>> {
    let eid = me.employer_id();
    let list = termination::Entity::find()
        .filter(termination::Column::Status.eq(TerminationStatus::Applying))
        .filter(termination::Column::Initiator.eq(Party::Student))
        .filter(
            termination::Column::AgreementId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(agreement::Column::Id)
                    .from(agreement::Entity)
                    .and_where(agreement::Column::EmployerId.eq(eid))
                    .to_owned(),
            ),
        )
        .order_by_asc(termination::Column::Id)
        .all(db)
        .await
        .db()?;
    rows(db, list).await
}

/// Every request on this employer's agreements, newest first (to follow the outcome).
pub async fn employer_history(db: &Db, me: &EmployerCaller) -> Result<Vec<TerminationRow>> {
    let eid = me.employer_id();
    let list = termination::Entity::find()
        .filter(
            termination::Column::AgreementId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(agreement::Column::Id)
                    .from(agreement::Entity)
                    .and_where(agreement::Column::EmployerId.eq(eid))
                    .to_owned(),
            ),
        )
        .order_by_desc(termination::Column::Id)
        .all(db)
        .await
        .db()?;
    rows(db, list).await
}

async fn has_open(c: &impl ConnectionTrait, agreement_id: i64) -> Result<bool> {
    Ok(termination::Entity::find()
        .filter(termination::Column::AgreementId.eq(agreement_id))
        .filter(termination::Column::Status.is_in(open_statuses()))
        .count(c)
        .await
        .db()?
        > 0)
}

/// Account ids of the other party (to notify) and their e-mail.
async fn counterpart(c: &impl ConnectionTrait, a: &agreement::Model, of: Party) -> Result<(Vec<i64>, String)> {
    match of {
        Party::Student => {
            let accs = account::Entity::find()
                .filter(account::Column::StudentId.eq(a.student_id))
                .all(c)
                .await
                .db()?;
            let email = student::Entity::find_by_id(a.student_id)
                .one(c)
                .await
                .db()?
                .map(|s| s.email)
                .unwrap_or_default();
            Ok((accs.into_iter().map(|x| x.id).collect(), email))
        }
        Party::Employer => {
            let accs = account::Entity::find()
                .filter(account::Column::EmployerId.eq(a.employer_id))
                .all(c)
                .await
                .db()?;
            let email = match a.employer_id {
                Some(e) => employer::Entity::find_by_id(e)
                    .one(c)
                    .await
                    .db()?
                    .map(|e| e.email)
                    .unwrap_or_default(),
                None => String::new(),
            };
            Ok((accs.into_iter().map(|x| x.id).collect(), email))
        }
    }
}

async fn tell(
    c: &impl ConnectionTrait,
    a: &agreement::Model,
    who: Party,
    subject: &str,
    body: &str,
    link: &str,
) -> Result<()> {
    let (accounts, email) = counterpart(c, a, who).await?;
    for acc in accounts {
        notify::notify(c, acc, subject, body, link).await?;
    }
    notify::enqueue(c, notify::EMAIL, &email, subject, &format!("{body}\n\n网签系统")).await
}

fn link_for(p: Party) -> &'static str {
    match p {
        Party::Student => "/student/terminations",
        Party::Employer => "/employer/terminations",
    }
}

/// One application inside an open transaction. The unique index decides between two
/// parties applying at the same moment.
async fn apply_in(
    c: &impl ConnectionTrait,
    caller: &Caller,
    a: &agreement::Model,
    me: Party,
    reason: &str,
    terms: bool,
) -> Result<termination::Model> {
    let next = flow::apply_termination(a.status, has_open(c, a.id).await?, terms, reason)?;
    let now = Utc::now();
    let t = termination::ActiveModel {
        id: NotSet,
        agreement_id: Set(a.id),
        initiator: Set(me),
        reason: Set(reason.trim().to_owned()),
        response_reason: Set(String::new()),
        status: Set(next),
        review_reason: Set(String::new()),
        attachment_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(c)
    .await
    .unique_or(AppError::conflict("该协议已有正在办理的解约申请"))?;
    let at = LogRef {
        student_id: Some(a.student_id),
        agreement_id: Some(a.id),
        termination_id: Some(t.id),
        ..Default::default()
    };
    notify::log(
        c,
        at,
        Some(caller.account_id),
        &caller.actor(),
        "申请解约",
        reason.trim(),
    )
    .await?;
    let subject = format!(
        "【网签系统】{}提出解约申请",
        if me == Party::Student {
            "毕业生"
        } else {
            a.employer_name.as_str()
        }
    );
    tell(
        c,
        a,
        me.other(),
        &subject,
        &format!("协议编号：{}\n解约原因：{}", a.agreement_no, reason.trim()),
        link_for(me.other()),
    )
    .await?;
    Ok(t)
}

/// 解约申请 (student) or 申请解约 for one agreement (employer).
pub async fn apply(db: &Db, caller: &Caller, agreement_id: i64, reason: String, terms: bool) -> Result<TerminationRow> {
    let who = caller.clone();
    let t = db
        .write(move |txn| {
            Box::pin(async move {
                let caller = &who;
                let (a, _, me) = as_party(txn, caller, agreement_id).await?;
                apply_in(txn, caller, &a, me, &reason, terms).await
            })
        })
        .await?;
    Ok(rows(db, vec![t]).await?.remove(0))
}

/// 申请解约 for the checked students (employer): each gets a request; those that cannot are
/// named with the reason.
pub async fn apply_many(
    db: &Db,
    me: &EmployerCaller,
    agreement_ids: Vec<i64>,
    reason: String,
    terms: bool,
) -> Result<ApplyReport> {
    if agreement_ids.is_empty() {
        return Err(AppError::invalid("请先勾选学生"));
    }
    // The form's own errors first, so nothing is half-applied for a missing reason.
    flow::apply_termination(AgreementStatus::Certified, false, terms, &reason)?;
    let who = me.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let caller = who.caller();
            let mut report = ApplyReport {
                applied: vec![],
                refused: vec![],
            };
            for id in agreement_ids.into_iter().take(500) {
                // Agreements that are not this employer's are skipped without a word.
                let Ok((a, s, Party::Employer)) = as_party(txn, caller, id).await else {
                    continue;
                };
                let name = s.name;
                // A savepoint per agreement: on PostgreSQL a unique violation spoils the transaction.
                let sp = txn.begin().await.db()?;
                match apply_in(&sp, caller, &a, Party::Employer, &reason, terms).await {
                    Ok(_) => {
                        sp.commit().await.db()?;
                        report.applied.push(name);
                    }
                    Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) => {
                        sp.rollback().await.db()?;
                        report.refused.push(format!("{name}：{}", e.message()));
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(report)
        })
    })
    .await
}

/// The other party's answer: 同意解约 (with the 解约须知) or 拒绝 with a reason.
pub async fn respond(
    db: &Db,
    caller: &Caller,
    termination_id: i64,
    agree: bool,
    terms: bool,
    reason: String,
) -> Result<TerminationRow> {
    let who = caller.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let caller = &who;
            let t = request(txn, termination_id).await?;
            let (a, student, me) = as_party(txn, caller, t.agreement_id).await.map_err(|e| match e {
                AppError::NotFound(_) => AppError::not_found("解约申请"),
                other => other,
            })?;
            let initiator = t.initiator;
            let next = flow::respond_termination(t.status, initiator, me, agree, terms, &reason)?;
            let r = termination::Entity::update_many()
                .col_expr(termination::Column::Status, Expr::value(next))
                .col_expr(
                    termination::Column::ResponseReason,
                    Expr::value(if agree { String::new() } else { reason.trim().to_owned() }),
                )
                .col_expr(termination::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(termination::Column::Id.eq(t.id))
                .filter(termination::Column::Status.eq(t.status))
                .exec(txn)
                .await
                .db()?;
            if r.rows_affected != 1 {
                return Err(AppError::conflict("该解约申请已被处理，请刷新页面"));
            }
            let action = if agree { "同意解约" } else { "拒绝解约" };
            let at = LogRef {
                student_id: Some(a.student_id),
                agreement_id: Some(a.id),
                termination_id: Some(t.id),
                ..Default::default()
            };
            notify::log(
                txn,
                at,
                Some(caller.account_id),
                &caller.actor(),
                action,
                if agree { "" } else { reason.trim() },
            )
            .await?;
            let subject = format!("【网签系统】对方{action}（协议编号 {}）", a.agreement_no);
            let body = if agree {
                "解约申请已提交学校审核。".to_owned()
            } else {
                format!("拒绝原因：{}。协议继续有效。", reason.trim())
            };
            tell(txn, &a, initiator, &subject, &body, link_for(initiator)).await?;
            if next == TerminationStatus::AwaitingReview {
                // A new item in the reviewers' queue.
                review::tell_reviewers(
                    txn,
                    &student,
                    Stage::First,
                    "新的解约申请等待审核",
                    &format!("/admin/terminations/{}", t.id),
                )
                .await?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(rows(db, vec![request(db, termination_id).await?]).await?.remove(0))
}

/// A request with its agreement: the two parties and admins in scope.
pub async fn detail(db: &Db, caller: &Caller, termination_id: i64) -> Result<TerminationDetail> {
    let not_found = |_| AppError::not_found("解约申请");
    let t = request(db, termination_id).await?;
    let agreement = agreements::detail(db, caller, t.agreement_id)
        .await
        .map_err(not_found)?;
    let me = as_party(db, caller, t.agreement_id).await.ok().map(|(_, _, p)| p);
    let can_respond = t.status == TerminationStatus::Applying && me.is_some_and(|me| me != t.initiator);
    let can_review = match (AdminCaller::from_caller(caller), Stage::of_termination(t.status)) {
        (Ok(admin), Some(stage)) => {
            let (_, s, _) = readable(db, caller, t.agreement_id).await.map_err(not_found)?;
            let mode = review::mode_of(db, s.school_id).await?;
            domain::review::step(mode, Level::of(admin.scope()), stage).is_ok()
        }
        _ => false,
    };
    Ok(TerminationDetail {
        termination: rows(db, vec![t]).await?.remove(0),
        agreement,
        can_respond,
        can_review,
    })
}

/// The 解约审核 queue in the admin's scope.
pub async fn queue(db: &Db, admin: &AdminCaller, f: TerminationFilter) -> Result<Page<TerminationRow>> {
    domain::text::single_line(&f.name, "姓名")?;
    let mut q = termination::Entity::find();
    if let Some(students) = students_narrowed(admin.scope(), f.college_id, f.graduation_year, &f.name) {
        q = q.filter(review::terminations_of(students));
    }
    // No status chosen: every request in scope, 申请中 included (docs/API.md).
    if !f.status.is_empty() {
        let st = TerminationStatus::parse(&f.status).ok_or_else(|| AppError::invalid("解约审核状态不正确"))?;
        q = q.filter(termination::Column::Status.eq(st));
    }
    let q = q
        .order_by_asc(termination::Column::UpdatedAt)
        .order_by_asc(termination::Column::Id);
    paged(db, q, f.page, |list| rows(db, list)).await
}

/// 解约审核通过 (the agreement ends; the student may sign again) / 解约审核不通过 (reason), by the
/// table of `domain::review` under the school's 审核方式 (two levels: the college's approval
/// moves the request to 等待学校审核).
pub async fn decide(db: &Db, admin: &AdminCaller, termination_id: i64, decision: Review) -> Result<TerminationDetail> {
    if !admin.may_review() {
        return Err(AppError::Forbidden);
    }
    let who = admin.clone();
    db.write(move |txn| Box::pin(async move { decide_in(txn, &who, termination_id, &decision).await.map(|_| ()) }))
        .await?;
    detail(db, admin.caller(), termination_id).await
}

/// 批量审核通过 of checked termination requests: each on its own (scope, state) inside one
/// transaction with a savepoint each; the answer names each row's result.
pub async fn approve_many(db: &Db, admin: &AdminCaller, ids: Vec<i64>) -> Result<Vec<BatchResult>> {
    if !admin.may_review() {
        return Err(AppError::Forbidden);
    }
    let ids = agreements::batch_ids(ids)?;
    let who = admin.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let sp = txn.begin().await.db()?;
                match decide_in(&sp, &who, id, &Review::Approve).await {
                    Ok((next, name)) => {
                        sp.commit().await.db()?;
                        out.push(BatchResult {
                            id,
                            student_name: name,
                            ok: true,
                            message: next.label().to_owned(),
                        });
                    }
                    Err(
                        e
                        @ (AppError::Conflict(_) | AppError::Invalid(_) | AppError::NotFound(_) | AppError::Forbidden),
                    ) => {
                        sp.rollback().await.db()?;
                        // The name only where the caller may read the request.
                        let name = match request(txn, id).await {
                            Ok(t) => readable(txn, who.caller(), t.agreement_id)
                                .await
                                .map(|(_, s, _)| s.name)
                                .unwrap_or_default(),
                            Err(_) => String::new(),
                        };
                        out.push(BatchResult {
                            id,
                            student_name: name,
                            ok: false,
                            message: e.message(),
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    })
    .await
}

/// One decision inside an open transaction; returns the request's new status and the student's name.
async fn decide_in(
    c: &impl ConnectionTrait,
    admin: &AdminCaller,
    termination_id: i64,
    decision: &Review,
) -> Result<(TerminationStatus, String)> {
    let t = request(c, termination_id).await?;
    // An admin reads only the agreements of students in their scope.
    let (a, s, _) = readable(c, admin.caller(), t.agreement_id)
        .await
        .map_err(|_| AppError::not_found("解约申请"))?;
    let mode = review::mode_of(c, s.school_id).await?;
    let (next, agreement_next) = flow::review_termination(mode, Level::of(admin.scope()), t.status, decision)?;
    let reason = match decision {
        Review::Reject(r) => r.trim().to_owned(),
        Review::Approve => String::new(),
    };
    let now = Utc::now();
    // Guarded by the status read: of two admins deciding at once, the second changes nothing.
    let r = termination::Entity::update_many()
        .col_expr(termination::Column::Status, Expr::value(next))
        .col_expr(termination::Column::ReviewReason, Expr::value(reason.clone()))
        .col_expr(termination::Column::UpdatedAt, Expr::value(now))
        .filter(termination::Column::Id.eq(t.id))
        .filter(termination::Column::Status.eq(t.status))
        .exec(c)
        .await
        .db()?;
    if r.rows_affected != 1 {
        return Err(AppError::conflict("该解约申请已被其他管理员处理，请刷新页面"));
    }
    if agreement_next != a.status {
        agreement::Entity::update_many()
            .col_expr(agreement::Column::Status, Expr::value(agreement_next))
            .col_expr(agreement::Column::UpdatedAt, Expr::value(now))
            .filter(agreement::Column::Id.eq(a.id))
            .filter(agreement::Column::Status.eq(a.status))
            .exec(c)
            .await
            .db()?;
    }
    let at = LogRef {
        student_id: Some(a.student_id),
        agreement_id: Some(a.id),
        termination_id: Some(t.id),
        ..Default::default()
    };
    // Both levels appear in the 签约过程记录.
    let action = if next == TerminationStatus::AwaitingSchoolReview {
        "解约学院初审通过，等待学校审核"
    } else {
        next.label()
    };
    notify::log(c, at, Some(admin.account_id()), &admin.actor(), action, &reason).await?;
    if next == TerminationStatus::AwaitingSchoolReview {
        review::tell_reviewers(
            c,
            &s,
            Stage::School,
            "新的解约申请等待学校审核",
            &format!("/admin/terminations/{}", t.id),
        )
        .await?;
    }
    let subject = format!("【网签系统】{}与{}的解约：{}", s.name, a.employer_name, next.label());
    let body = if reason.is_empty() {
        format!("协议编号：{}", a.agreement_no)
    } else {
        format!("协议编号：{}\n原因：{reason}", a.agreement_no)
    };
    for p in [Party::Student, Party::Employer] {
        tell(c, &a, p, &subject, &body, link_for(p)).await?;
    }
    Ok((next, s.name))
}

/// 撤回审核: a school admin takes back a certification (reason required); the agreement goes
/// back to 等待签约审核 and can be reviewed again.
pub async fn revoke(db: &Db, admin: &AdminCaller, agreement_id: i64, reason: String) -> Result<()> {
    if !admin.may_revoke() {
        return Err(AppError::Forbidden);
    }
    let who = admin.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let admin = &who;
            let (a, s, _) = readable(txn, admin.caller(), agreement_id).await?;
            let next = flow::revoke_certification(a.status, has_open(txn, a.id).await?, &reason)?;
            let r = agreement::Entity::update_many()
                .col_expr(agreement::Column::Status, Expr::value(next))
                .col_expr(agreement::Column::CertifiedAt, Expr::value(Option::<DateTimeUtc>::None))
                .col_expr(agreement::Column::CertifiedBy, Expr::value(Option::<i64>::None))
                .col_expr(agreement::Column::ReviewReason, Expr::value(reason.trim().to_owned()))
                .col_expr(agreement::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(agreement::Column::Id.eq(a.id))
                .filter(agreement::Column::Status.eq(a.status))
                .exec(txn)
                .await
                .db()?;
            if r.rows_affected != 1 {
                return Err(AppError::conflict("该协议已被其他管理员处理，请刷新页面"));
            }
            let at = LogRef {
                student_id: Some(a.student_id),
                agreement_id: Some(a.id),
                invitation_id: a.invitation_id,
                ..Default::default()
            };
            notify::log(
                txn,
                at,
                Some(admin.account_id()),
                &admin.actor(),
                "撤回审核",
                reason.trim(),
            )
            .await?;
            // Back in the reviewers' queue.
            review::tell_reviewers(
                txn,
                &s,
                Stage::First,
                "撤回审核的签约等待重新审核",
                &format!("/admin/agreements/{}", a.id),
            )
            .await?;
            let subject = format!("【网签系统】{}与{}的协议已撤回审核", s.name, a.employer_name);
            for p in [Party::Student, Party::Employer] {
                tell(
                    txn,
                    &a,
                    p,
                    &subject,
                    &format!("原因：{}。协议将重新进行签约审核。", reason.trim()),
                    "",
                )
                .await?;
            }
            Ok(())
        })
    })
    .await
}
