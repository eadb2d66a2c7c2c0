//! The 用户中心 of each role.

use domain::{view, AppError};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "student/dashboard")]
pub async fn student_dashboard() -> Result<view::StudentDashboard, AppError> {
    super::ctx::run(|s, caller| async move { data::service::dashboard::student(&s.db, &caller).await }).await
}

#[server(prefix = "/api", endpoint = "employer/dashboard")]
pub async fn employer_dashboard() -> Result<view::EmployerDashboard, AppError> {
    super::ctx::run(|s, caller| async move { data::service::dashboard::employer(&s.db, &caller).await }).await
}

/// For college, school and province admins.
#[server(prefix = "/api", endpoint = "admin/dashboard")]
pub async fn admin_dashboard() -> Result<view::AdminDashboard, AppError> {
    super::ctx::run(|s, caller| async move { data::service::dashboard::admin(&s.db, &caller).await }).await
}
