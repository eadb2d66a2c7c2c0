//! The student's side: 信息验证 and 电子签约 (received invitations, 同意 / 拒绝).

use domain::{view, AppError};
use leptos::prelude::*;

/// Sends a 6-digit code to the roster phone; answers with the masked number.
#[server(prefix = "/api", endpoint = "student/verify/send")]
pub async fn send_verification_code() -> Result<String, AppError> {
    super::ctx::run(
        |s, caller: domain::StudentCaller| async move { data::service::verify::send_code(&s.db, &caller).await },
    )
    .await
}

#[server(prefix = "/api", endpoint = "student/verify")]
pub async fn verify_phone(code: String) -> Result<(), AppError> {
    super::ctx::run(|s, caller: domain::StudentCaller| async move {
        data::service::verify::verify(&s.db, &caller, &code).await
    })
    .await
}

/// 电子签约: every invitation received.
#[server(prefix = "/api", endpoint = "student/invitations")]
pub async fn received_invitations() -> Result<Vec<view::ReceivedInvitation>, AppError> {
    super::ctx::run(
        |s, caller: domain::StudentCaller| async move { data::service::invite::received(&s.db, &caller).await },
    )
    .await
}

/// 查看邀请函.
#[server(prefix = "/api", endpoint = "student/invitation")]
pub async fn invitation_letter(invitation_id: i64) -> Result<view::InvitationLetterView, AppError> {
    super::ctx::run(|s, caller: domain::StudentCaller| async move {
        data::service::invite::letter(&s.db, &caller, invitation_id).await
    })
    .await
}

/// 同意 → 现在签约: creates the agreement (等待签约审核); answers with its id.
#[server(prefix = "/api", endpoint = "student/invitation/accept")]
pub async fn accept_invitation(invitation_id: i64) -> Result<i64, AppError> {
    super::ctx::run(|s, caller: domain::StudentCaller| async move {
        data::service::invite::accept(&s.db, &caller, invitation_id).await
    })
    .await
}

/// 拒绝.
#[server(prefix = "/api", endpoint = "student/invitation/reject")]
pub async fn reject_invitation(invitation_id: i64) -> Result<(), AppError> {
    super::ctx::run(|s, caller: domain::StudentCaller| async move {
        data::service::invite::reject(&s.db, &caller, invitation_id).await
    })
    .await
}
