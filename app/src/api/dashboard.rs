//! The 用户中心 of each role.

use domain::{view, AppError};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "student/dashboard")]
pub async fn student_dashboard() -> Result<view::StudentDashboard, AppError> {
    super::ctx::run(|s, caller: domain::StudentCaller| async move {
        data::service::dashboard::student(&s.db, &caller).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "employer/dashboard")]
pub async fn employer_dashboard() -> Result<view::EmployerDashboard, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::dashboard::employer(&s.db, &caller).await
    })
    .await
}

/// For college, school and province admins.
#[server(prefix = "/api", endpoint = "admin/dashboard")]
pub async fn admin_dashboard() -> Result<view::AdminDashboard, AppError> {
    super::ctx::run(
        |s, caller: domain::AdminCaller| async move { data::service::dashboard::admin(&s.db, &caller).await },
    )
    .await
}

/// The employer's 单位信息, 档案接收信息 and 户口接收信息.
#[server(prefix = "/api", endpoint = "employer/info")]
pub async fn employer_info() -> Result<domain::employer::EmployerInfo, AppError> {
    super::ctx::run(
        |s, caller: domain::EmployerCaller| async move { data::service::employer::info(&s.db, &caller).await },
    )
    .await
}

/// First-login confirmation (and later edits) of the employer's information. Every field is
/// checked (统一社会信用代码 by its check character); nothing is saved when one is wrong.
#[server(prefix = "/api", endpoint = "employer/confirm-info")]
pub async fn confirm_employer_info(
    info: domain::employer::EmployerInfo,
) -> Result<domain::employer::EmployerInfo, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::employer::confirm_info(&s.db, &caller, info).await
    })
    .await
}
