//! 学校管理 (the province admin) and the admin accounts admins keep for each other.

use domain::{
    school::{AdminAccountRow, OneTimePassword, SchoolRow},
    AppError,
};
use leptos::prelude::*;

/// Every school with its figures and its admin accounts (province admin).
#[server(prefix = "/api", endpoint = "province/schools")]
pub async fn schools() -> Result<Vec<SchoolRow>, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move { data::service::schools::list(&s.db, &me).await }).await
}

/// 新增学校 (without `school_id`) or 修改 one (province admin). Answers the school's id.
#[server(prefix = "/api", endpoint = "province/schools/save")]
pub async fn save_school(school_id: Option<i64>, code: String, name: String) -> Result<i64, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::schools::save(&s.db, &me, school_id, &code, &name).await
    })
    .await
}

/// A new admin account: a school's (province admin) or, with `college_id`, a college's (that
/// school's admin). Answers its one-time password, shown once.
#[server(prefix = "/api", endpoint = "admin/accounts/create")]
pub async fn create_admin(
    school_id: i64,
    college_id: Option<i64>,
    login: String,
    display_name: String,
) -> Result<OneTimePassword, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::accounts::create(&s.db, &s.hasher, &me, school_id, college_id, &login, &display_name).await
    })
    .await
}

/// 禁用 (`disabled=true`) or 启用 an admin account the caller manages.
#[server(prefix = "/api", endpoint = "admin/accounts/disable")]
pub async fn disable_admin(account_id: i64, disabled: bool) -> Result<AdminAccountRow, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::accounts::set_disabled(&s.db, &me, account_id, disabled).await
    })
    .await
}

/// 重置密码 of an admin account the caller manages: a one-time password, shown once.
#[server(prefix = "/api", endpoint = "admin/accounts/reset-password")]
pub async fn reset_admin_password(account_id: i64) -> Result<OneTimePassword, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::accounts::reset_password(&s.db, &s.hasher, &me, account_id).await
    })
    .await
}
