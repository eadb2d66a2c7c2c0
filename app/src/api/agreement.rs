//! 就业管理 → 签约管理 (admins) and the agreement detail (admins and the two parties). The PDF
//! itself is a plain route: `/api/agreements/{id}/pdf`.

use domain::{view, AppError};
use leptos::prelude::*;

/// The review queue in the caller's scope, filtered, 20 per page.
#[server(prefix = "/api", endpoint = "admin/agreements")]
pub async fn review_queue(filter: Option<view::ReviewFilter>) -> Result<view::Page<view::AgreementRow>, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::agreement::queue(&s.db, &caller, filter.unwrap_or_default()).await
    })
    .await
}

/// The detail with the 签约过程记录; 404 for anyone who may not read it.
#[server(prefix = "/api", endpoint = "agreement")]
pub async fn agreement_detail(agreement_id: i64) -> Result<view::AgreementDetail, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move {
        data::service::agreement::detail(&s.db, &caller, agreement_id).await
    })
    .await
}

/// 签约审核通过 (`approve=true`) or 签约审核不通过 with a `reason`.
#[server(prefix = "/api", endpoint = "admin/agreements/review")]
pub async fn review_agreement(
    agreement_id: i64,
    approve: bool,
    reason: Option<String>,
) -> Result<view::AgreementDetail, AppError> {
    use domain::flow::Review;
    let decision = if approve {
        Review::Approve
    } else {
        Review::Reject(reason.unwrap_or_default())
    };
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::agreement::decide(&s.db, &caller, agreement_id, decision).await
    })
    .await
}

/// 批量审核通过 of the checked agreements: each decided on its own; one result per row.
#[server(prefix = "/api", endpoint = "admin/agreements/approve")]
pub async fn approve_agreements(agreement_ids: Vec<i64>) -> Result<Vec<view::BatchResult>, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::agreement::approve_many(&s.db, &caller, agreement_ids).await
    })
    .await
}
