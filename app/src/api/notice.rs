//! 消息通知 and the public 协议验证.

use domain::{view, AppError};
use leptos::prelude::*;

/// The caller's latest notices (marks them read).
#[server(prefix = "/api", endpoint = "notices")]
pub async fn notices() -> Result<Vec<view::Notice>, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move { data::service::notice::latest(&s.db, &caller).await })
        .await
}

/// 协议验证: no login needed; a wrong number/code pair answers 400 and reveals nothing.
#[server(prefix = "/api", endpoint = "verify-agreement")]
pub async fn verify_agreement(agreement_no: String, verify_code: String) -> Result<view::VerifiedAgreement, AppError> {
    super::ctx::run_public(|s| async move {
        data::service::notice::verify_agreement(&s.db, &agreement_no, &verify_code).await
    })
    .await
}
