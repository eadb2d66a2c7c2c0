//! 签约中心 (employer): 签约搜索, the 签约发送列表, 邀请函 and 已应约. The Excel template and
//! import are plain HTTP routes of the server (file bodies), see `server::files`.

use domain::{letter::Letter, view, AppError};
use leptos::prelude::*;

/// Schools and 毕业届 to choose from in 签约搜索.
#[server(prefix = "/api", endpoint = "employer/search-options")]
pub async fn search_options() -> Result<(Vec<view::SchoolOption>, Vec<i32>), AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        let schools = data::service::sign_list::schools(&s.db, &caller).await?;
        Ok((schools, data::service::sign_list::graduation_years()))
    })
    .await
}

/// 签约搜索: school, 毕业届, 姓名 and 身份证号/手机号 must all match (else one answer for all).
#[server(prefix = "/api", endpoint = "employer/search")]
pub async fn search_student(query: view::SearchQuery) -> Result<view::ListedStudent, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::sign_list::search(&s.db, &caller, query).await
    })
    .await
}

/// 加入: the same search, then onto the 签约发送列表.
#[server(prefix = "/api", endpoint = "employer/sign-list/add")]
pub async fn add_to_sign_list(query: view::SearchQuery) -> Result<view::ListedStudent, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::sign_list::add(&s.db, &caller, query).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "employer/sign-list")]
pub async fn sign_list() -> Result<Vec<view::ListedStudent>, AppError> {
    super::ctx::run(
        |s, caller: domain::EmployerCaller| async move { data::service::sign_list::list(&s.db, &caller).await },
    )
    .await
}

/// 移出签约发送列表 for the checked students.
#[server(prefix = "/api", endpoint = "employer/sign-list/remove")]
pub async fn remove_from_sign_list(student_ids: Vec<i64>) -> Result<u64, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::sign_list::remove(&s.db, &caller, student_ids).await
    })
    .await
}

/// A blank 邀请函 with the employer's confirmed receivers and the default 应约期限.
#[server(prefix = "/api", endpoint = "employer/letter-template")]
pub async fn letter_template() -> Result<Letter, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::sign_list::letter_template(&s.db, &caller).await
    })
    .await
}

/// 确认发送: the letter to each checked student; those refused are named in the answer.
#[server(prefix = "/api", endpoint = "employer/invitations/send")]
pub async fn send_invitations(student_ids: Vec<i64>, letter: Letter) -> Result<view::SendReport, AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::invite::send(&s.db, &caller, student_ids, letter).await
    })
    .await
}

/// Every invitation sent, with its status (签约待办 are the 待应约 ones).
#[server(prefix = "/api", endpoint = "employer/invitations")]
pub async fn sent_invitations() -> Result<Vec<view::SentInvitation>, AppError> {
    super::ctx::run(
        |s, caller: domain::EmployerCaller| async move { data::service::invite::sent(&s.db, &caller).await },
    )
    .await
}

/// 撤回 a pending invitation.
#[server(prefix = "/api", endpoint = "employer/invitations/withdraw")]
pub async fn withdraw_invitation(invitation_id: i64) -> Result<(), AppError> {
    super::ctx::run(|s, caller: domain::EmployerCaller| async move {
        data::service::invite::withdraw(&s.db, &caller, invitation_id).await
    })
    .await
}

/// 数据管理 → 已应约.
#[server(prefix = "/api", endpoint = "employer/accepted")]
pub async fn accepted_agreements() -> Result<Vec<view::AgreementRow>, AppError> {
    super::ctx::run(
        |s, caller: domain::EmployerCaller| async move { data::service::invite::accepted(&s.db, &caller).await },
    )
    .await
}
