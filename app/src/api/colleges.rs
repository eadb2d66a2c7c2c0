//! 学院管理 (a school admin): the own school's colleges and their admin accounts. The account
//! actions themselves are `schools::{create_admin, disable_admin, reset_admin_password}`, which
//! decide by who manages the account.

use domain::{school::SchoolColleges, AppError};
use leptos::prelude::*;

/// The own school's colleges, each with its figure and admin accounts (school admin only).
#[server(prefix = "/api", endpoint = "school/colleges")]
pub async fn colleges() -> Result<SchoolColleges, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move { data::service::colleges::list(&s.db, &me).await }).await
}

/// 新增学院 (without `college_id`) or rename one of the own school's. Answers the college's id.
#[server(prefix = "/api", endpoint = "school/colleges/save")]
pub async fn save_college(college_id: Option<i64>, name: String) -> Result<i64, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::colleges::save(&s.db, &me, college_id, &name).await
    })
    .await
}
