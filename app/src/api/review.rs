//! 审核设置: a school's 审核方式 (set by its school admin, read by its college admins and the
//! province office) and each admin's daily e-mail digest of their review queue.

use domain::{view, AppError};
use leptos::prelude::*;

/// The caller's 审核设置.
#[server(prefix = "/api", endpoint = "admin/review-settings")]
pub async fn review_settings() -> Result<view::ReviewSettings, AppError> {
    super::ctx::run(
        |s, caller: domain::AdminCaller| async move { data::service::review::settings(&s.db, &caller).await },
    )
    .await
}

/// A school admin sets the school's 审核方式 (`one_level` / `two_level`).
#[server(prefix = "/api", endpoint = "admin/review-settings/mode")]
pub async fn set_review_mode(mode: String) -> Result<view::ReviewSettings, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::review::set_mode(&s.db, &caller, &mode).await
    })
    .await
}

/// The caller's daily e-mail digest on (with its address) or off.
#[server(prefix = "/api", endpoint = "admin/review-settings/digest")]
pub async fn set_review_digest(on: bool, email: String) -> Result<view::ReviewSettings, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::review::set_digest(&s.db, &caller, on, &email).await
    })
    .await
}
