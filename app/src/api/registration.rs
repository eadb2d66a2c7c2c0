//! 用人单位注册 and 用人单位审核 (issue 16). The 营业执照 goes up and comes back through the file
//! routes (`LICENCE_PATH`, `licence_url`); everything else is here.

use domain::{
    registration::{
        EmployerReview, Registration, RegistrationState, ReviewFilter, ReviewOutcome, ReviewRow, SchoolOption,
    },
    view::Page,
    AppError,
};
use leptos::prelude::*;

/// The employer's 营业执照 upload (a raw file body).
pub const LICENCE_PATH: &str = "/api/employer/licence";

/// Where an employer's 营业执照 is read (its own, or by an admin who may read its registration).
pub fn licence_url(employer_id: i64) -> String {
    format!("/api/employers/{employer_id}/licence")
}

/// The schools to apply to (anyone: the registration form is public).
#[server(prefix = "/api", endpoint = "register/schools")]
pub async fn register_schools() -> Result<Vec<SchoolOption>, AppError> {
    super::ctx::run_public(|s| async move { data::service::registration::schools(&s.db).await }).await
}

/// 用人单位注册: makes the employer, its account and its applications, and logs the new account
/// in (the page then uploads the 营业执照). A refusal names each field (`registration::FIELDS`).
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(register: Registration) -> Result<(), AppError> {
    use super::ctx;
    ctx::run_public(|state| async move {
        let previous = ctx::session_token();
        let done = data::service::registration::register(&state.db, &state.hasher, register, ctx::client_ip()).await?;
        if let Some(prev) = &previous {
            // A browser still logged in as someone else: that session is left alone, but this
            // browser now speaks for the new account.
            state.sessions.forget(prev);
        }
        ctx::set_session_cookie(&done.token, state.secure_cookies);
        Ok(())
    })
    .await
}

/// The confirmation e-mail's link: confirms the address. Answers the employer's name.
#[server(prefix = "/api", endpoint = "register/confirm")]
pub async fn confirm_email(token: String) -> Result<String, AppError> {
    super::ctx::run_public(|s| async move { data::service::registration::confirm_email(&s.db, &token).await }).await
}

/// The employer's own registration: 营业执照, e-mail, each school's decision.
#[server(prefix = "/api", endpoint = "employer/registration")]
pub async fn my_registration() -> Result<RegistrationState, AppError> {
    super::ctx::run(|s, me: domain::EmployerCaller| async move { data::service::registration::state(&s.db, &me).await })
        .await
}

/// 申请更多学校审核 (a rejected school may be asked again).
#[server(prefix = "/api", endpoint = "employer/registration/apply")]
pub async fn apply_schools(school_ids: Vec<i64>) -> Result<RegistrationState, AppError> {
    super::ctx::run(|s, me: domain::EmployerCaller| async move {
        data::service::registration::apply(&s.db, &me, school_ids).await
    })
    .await
}

/// 用人单位审核's list in the caller's scope (`filter[status]`, `filter[q]`, `filter[page]`).
#[server(prefix = "/api", endpoint = "admin/employers")]
pub async fn review_list(filter: Option<ReviewFilter>) -> Result<Page<ReviewRow>, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::registration::list(&s.db, &me, &filter.unwrap_or_default()).await
    })
    .await
}

/// One employer's registration for an admin who may read it.
#[server(prefix = "/api", endpoint = "admin/employer")]
pub async fn review_detail(employer_id: i64) -> Result<EmployerReview, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::registration::detail(&s.db, &me, employer_id).await
    })
    .await
}

/// 审核通过 / 审核不通过 of one or many employers (school admins; a rejection needs `reason`).
#[server(prefix = "/api", endpoint = "admin/employers/review")]
pub async fn review_employers(
    employer_ids: Vec<i64>,
    approve: bool,
    reason: Option<String>,
) -> Result<Vec<ReviewOutcome>, AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::registration::review(&s.db, &me, employer_ids, approve, reason.as_deref().unwrap_or("")).await
    })
    .await
}

/// 冻结 (`freeze=true`, reason required) / 解冻 of an employer (province admin).
#[server(prefix = "/api", endpoint = "province/employers/freeze")]
pub async fn freeze_employer(employer_id: i64, freeze: bool, reason: Option<String>) -> Result<(), AppError> {
    super::ctx::run(|s, me: domain::AdminCaller| async move {
        data::service::registration::freeze(&s.db, &me, employer_id, freeze, reason.as_deref().unwrap_or("")).await
    })
    .await
}

/// 上传营业执照: sends the chosen file; answers the registration's state.
#[cfg(feature = "hydrate")]
pub async fn upload_licence(file: web_sys::File) -> Result<RegistrationState, AppError> {
    use gloo_net::http::Request;
    if file.size() > domain::registration::MAX_LICENCE_BYTES as f64 {
        return Err(AppError::invalid("营业执照：文件不能超过10 MB"));
    }
    let res = Request::post(LICENCE_PATH)
        .header("Content-Type", "application/octet-stream")
        .body(file)
        .map_err(|_| AppError::invalid("营业执照：无法读取所选文件"))?
        .send()
        .await
        .map_err(|e| AppError::Transport(e.to_string()))?;
    if res.ok() {
        res.json::<RegistrationState>()
            .await
            .map_err(|e| AppError::Transport(e.to_string()))
    } else {
        Err(res
            .json::<AppError>()
            .await
            .unwrap_or_else(|e| AppError::Transport(e.to_string())))
    }
}

/// Never called during server rendering (only from a click handler).
#[cfg(not(feature = "hydrate"))]
pub async fn upload_licence(_file: web_sys::File) -> Result<RegistrationState, AppError> {
    Err(AppError::Internal)
}
