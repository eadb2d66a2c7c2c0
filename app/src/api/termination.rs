//! 解约: the parties' 解约办理, their answers, and the school's 解约审核 and 撤回审核.

use domain::{view, AppError};
use leptos::prelude::*;

/// The student's 解约办理: certified agreements with their latest request.
#[server(prefix = "/api", endpoint = "student/terminations")]
pub async fn student_terminations() -> Result<Vec<view::SignedAgreement>, AppError> {
    super::ctx::run(|s, caller: domain::StudentCaller| async move {
        data::service::termination::student_agreements(&s.db, &caller).await
    })
    .await
}

/// 已签约成功学生列表 (certified, no open request).
#[server(prefix = "/api", endpoint = "employer/signed")]
pub async fn employer_signed() -> Result<Vec<view::SignedAgreement>, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::termination::employer_signed(&s.db, &caller).await
    })
    .await
}

/// 学生提出解约待办理列表.
#[server(prefix = "/api", endpoint = "employer/termination-requests")]
pub async fn employer_termination_requests() -> Result<Vec<view::TerminationRow>, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::termination::employer_requests(&s.db, &caller).await
    })
    .await
}

/// Every request on the employer's agreements (解约记录).
#[server(prefix = "/api", endpoint = "employer/terminations")]
pub async fn employer_terminations() -> Result<Vec<view::TerminationRow>, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::termination::employer_history(&s.db, &caller).await
    })
    .await
}

/// 解约申请 (student) / 申请解约 for one agreement (employer). `accept_terms` = the 解约须知.
#[server(prefix = "/api", endpoint = "termination/apply")]
pub async fn apply_termination(
    agreement_id: i64,
    reason: String,
    accept_terms: bool,
) -> Result<view::TerminationRow, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move {
        data::service::termination::apply(&s.db, &caller, agreement_id, reason, accept_terms).await
    })
    .await
}

/// 申请解约 for the checked students (employer).
#[server(prefix = "/api", endpoint = "employer/terminations/apply")]
pub async fn apply_terminations(
    agreement_ids: Vec<i64>,
    reason: String,
    accept_terms: bool,
) -> Result<view::ApplyReport, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::termination::apply_many(&s.db, &caller, agreement_ids, reason, accept_terms).await
    })
    .await
}

/// The other party's answer: `agree` with `accept_terms` (同意解约), or a `reason` to decline.
#[server(prefix = "/api", endpoint = "termination/respond")]
pub async fn respond_termination(
    termination_id: i64,
    agree: bool,
    accept_terms: Option<bool>,
    reason: Option<String>,
) -> Result<view::TerminationRow, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move {
        data::service::termination::respond(
            &s.db,
            &caller,
            termination_id,
            agree,
            accept_terms.unwrap_or(false),
            reason.unwrap_or_default(),
        )
        .await
    })
    .await
}

/// 查看解约 / 查看解约申请 / the admin's detail.
#[server(prefix = "/api", endpoint = "termination")]
pub async fn termination_detail(termination_id: i64) -> Result<view::TerminationDetail, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move {
        data::service::termination::detail(&s.db, &caller, termination_id).await
    })
    .await
}

/// The 解约审核 queue in scope.
#[server(prefix = "/api", endpoint = "admin/terminations")]
pub async fn termination_queue(
    filter: Option<view::TerminationFilter>,
) -> Result<view::Page<view::TerminationRow>, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::termination::queue(&s.db, &caller, filter.unwrap_or_default()).await
    })
    .await
}

/// 解约审核通过 (`approve=true`) / 解约审核不通过 with a `reason`.
#[server(prefix = "/api", endpoint = "admin/terminations/review")]
pub async fn review_termination(
    termination_id: i64,
    approve: bool,
    reason: Option<String>,
) -> Result<view::TerminationDetail, AppError> {
    use domain::flow::Review;
    let decision = if approve {
        Review::Approve
    } else {
        Review::Reject(reason.unwrap_or_default())
    };
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::termination::decide(&s.db, &caller, termination_id, decision).await
    })
    .await
}

/// 撤回审核 of a certified agreement (school admins, reason required).
#[server(prefix = "/api", endpoint = "admin/agreements/revoke")]
pub async fn revoke_certification(agreement_id: i64, reason: String) -> Result<(), AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::termination::revoke(&s.db, &caller, agreement_id, reason).await
    })
    .await
}

/// 批量审核通过 of the checked termination requests: each decided on its own; one result per row.
#[server(prefix = "/api", endpoint = "admin/terminations/approve")]
pub async fn approve_terminations(termination_ids: Vec<i64>) -> Result<Vec<view::BatchResult>, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::termination::approve_many(&s.db, &caller, termination_ids).await
    })
    .await
}
