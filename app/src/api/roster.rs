//! The roster (生源信息) and employer records, within the caller's scope.

use domain::{view, AppError};
use leptos::prelude::*;

/// One student's record: the student themself or an admin whose scope includes them.
/// Anyone else gets 404 (学生不存在), whether or not the student exists.
#[server(prefix = "/api", endpoint = "student/profile")]
pub async fn student_profile(student_id: i64) -> Result<view::StudentProfile, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move {
        data::service::roster::profile(&s.db, &caller, student_id).await
    })
    .await
}

/// 生源信息 list for admins: exact name, college and 毕业届 filters, 20 per page.
#[server(prefix = "/api", endpoint = "admin/roster")]
pub async fn roster_list(
    name: Option<String>,
    college_id: Option<i64>,
    graduation_year: Option<i32>,
    page: Option<u64>,
) -> Result<view::Page<view::RosterRow>, AppError> {
    use data::service::roster::{self, RosterFilter};
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        roster::list(
            &s.db,
            &caller,
            RosterFilter {
                name,
                college_id,
                graduation_year,
            },
            page.unwrap_or(1),
        )
        .await
    })
    .await
}

/// Colleges the calling admin may filter by.
#[server(prefix = "/api", endpoint = "admin/colleges")]
pub async fn admin_colleges() -> Result<Vec<(i64, String)>, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster::colleges_in_scope(&s.db, &caller).await
    })
    .await
}

/// An employer's record: the employer itself, the province, and schools it applied to.
#[server(prefix = "/api", endpoint = "employer/profile")]
pub async fn employer_profile(employer_id: i64) -> Result<view::EmployerProfile, AppError> {
    super::ctx::run(|s, caller: domain::Caller| async move {
        data::service::roster::employer_profile(&s.db, &caller, employer_id).await
    })
    .await
}
