//! The roster (生源信息) and employer records, within the caller's scope.

use domain::{roster::RosterInput, view, AppError};
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

/// 生源管理 list: the records in the caller's scope narrowed by `filter`, 20 per page.
#[server(prefix = "/api", endpoint = "admin/roster")]
pub async fn roster_list(filter: Option<view::RosterFilter>) -> Result<view::RosterList, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster::list(&s.db, &caller, filter.unwrap_or_default()).await
    })
    .await
}

/// One record of 生源管理 with its state and 变更记录; 404 outside the caller's scope.
#[server(prefix = "/api", endpoint = "admin/roster/record")]
pub async fn roster_record(student_id: i64) -> Result<view::RosterDetail, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster_manage::detail(&s.db, &caller, student_id).await
    })
    .await
}

/// 新增 a record (待审核, with its student account). Answers its id.
#[server(prefix = "/api", endpoint = "admin/roster/add")]
pub async fn add_roster_record(record: RosterInput) -> Result<i64, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster_manage::add(&s.db, &caller, record).await
    })
    .await
}

/// 修改 a record, with an optional 原因. Answers whether anything changed.
#[server(prefix = "/api", endpoint = "admin/roster/edit")]
pub async fn edit_roster_record(
    student_id: i64,
    record: RosterInput,
    reason: Option<String>,
) -> Result<bool, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster_manage::edit(&s.db, &caller, student_id, record, reason.unwrap_or_default()).await
    })
    .await
}

/// 生源审核 of the selected records.
#[server(prefix = "/api", endpoint = "admin/roster/approve")]
pub async fn approve_roster(student_ids: Vec<i64>) -> Result<view::ApproveReport, AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster_manage::approve(&s.db, &caller, student_ids).await
    })
    .await
}

/// 限制签约 (`restricted=true`) or 解除限制, with the reason.
#[server(prefix = "/api", endpoint = "admin/roster/restrict")]
pub async fn restrict_roster(student_id: i64, restricted: bool, reason: String) -> Result<(), AppError> {
    super::ctx::run(|s, caller: domain::AdminCaller| async move {
        data::service::roster_manage::restrict(&s.db, &caller, student_id, restricted, reason).await
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
