//! 首次登录 and 忘记密码 at the student door: a student whose school made the account (no
//! password yet) or who forgot the password gives the 身份证号 and 姓名, receives a code on the
//! roster phone, and sets a password with it — and is logged in. The code proves the phone, so
//! this also completes 信息验证. The codes are 信息验证's (`super::verify`: hashed, 5 minutes,
//! 5 tries, resend limits).
//!
//! What a stranger learns: a 身份证号 and 姓名 that do not match an enabled student account get one
//! answer, whatever the reason; the pairs one may try for a 身份证号 are throttled like logins
//! (5 wrong, then 5 minutes locked). A matching pair answers the masked roster phone — what an
//! employer's 签约搜索 with the same two facts also tells (that the student exists).

use chrono::Utc;
use domain::{role::LoginKind, AppError};
use sea_orm::{prelude::*, ActiveValue::Set, IntoActiveModel};

use super::{
    auth::{self, Hasher, LoggedIn},
    verify,
};
use crate::{
    entity::{account, login_throttle, session, student},
    Db, DbResultExt, Result,
};

/// The one answer for a 身份证号 and 姓名 that lead to no student account.
pub const NO_MATCH: &str = "身份证号与姓名不匹配，或学校尚未录入你的生源信息，请联系学院";

/// The throttle's key for code requests of a 身份证号 (apart from its password logins).
fn throttle_key(id_number: &str) -> String {
    format!("code:{id_number}")
}

/// The enabled student account with this 身份证号 and its roster record.
async fn student_account(
    c: &impl ConnectionTrait,
    id_number: &str,
) -> Result<Option<(account::Model, student::Model)>> {
    let Some(a) = account::Entity::find()
        .filter(account::Column::Login.eq(id_number))
        .filter(account::Column::Role.eq(domain::Role::Student))
        .filter(account::Column::Disabled.eq(false))
        .one(c)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let Some(sid) = a.student_id else {
        return Ok(None);
    };
    Ok(student::Entity::find_by_id(sid).one(c).await.db()?.map(|s| (a, s)))
}

fn id_number(raw: &str) -> Result<String> {
    let id = auth::normalize_login(LoginKind::Student, raw);
    if id.is_empty() {
        return Err(AppError::invalid("请输入身份证号"));
    }
    domain::ids::validate_id_number(&id).map_err(AppError::invalid)
}

/// 获取验证码: sends a code to the roster phone of the student with this 身份证号 and 姓名;
/// answers the masked number. Refused as FAQ 1 says for students who may not log in.
pub async fn send_code(db: &Db, id_number_raw: &str, name: &str) -> Result<String> {
    let id = id_number(id_number_raw)?;
    let name = domain::ids::normalize(name);
    if name.is_empty() {
        return Err(AppError::invalid("请输入姓名"));
    }
    domain::text::single_line(&name, "姓名")?;
    let key = throttle_key(&id);
    auth::reserve_attempt(db, &key, Utc::now()).await?;
    let found = student_account(db, &id).await?.filter(|(_, s)| s.name == name);
    let Some((account, s)) = found else {
        return Err(match auth::record_failure(db, &key).await? {
            AppError::LockedOut { minutes } => AppError::LockedOut { minutes },
            _ => AppError::invalid(NO_MATCH),
        });
    };
    super::eligibility::standing(&s).check_login()?;
    db.write(move |txn| {
        Box::pin(async move {
            login_throttle::Entity::delete_by_id(key).exec(txn).await.db()?;
            verify::issue(txn, account.id, &s.phone, "首次登录", |code| {
                format!(
                    "【网签系统】你的验证码是{code}，用于设置登录密码，{}分钟内有效。请勿告诉他人。",
                    verify::VALID_MINUTES
                )
            })
            .await
        })
    })
    .await
}

/// What the student types to set a password with a code.
pub struct SetPassword<'a> {
    pub id_number: &'a str,
    pub code: &'a str,
    pub new_password: &'a str,
    pub new_password_again: &'a str,
}

/// 设置密码 with the code: the new password twice (`domain::password::check_new`). On success
/// the password is set, 信息验证 is done, every other session of the account ends, and the
/// student is logged in (`previous_token`: the cookie the browser sent, ended too).
pub async fn set_password(
    db: &Db,
    hasher: &Hasher,
    form: &SetPassword<'_>,
    ip: Option<String>,
    previous_token: Option<&str>,
) -> Result<LoggedIn> {
    let id = id_number(form.id_number)?;
    let code = verify::well_formed(form.code)?;
    let new = form.new_password;
    domain::password::check_new(&id, "", new, form.new_password_again)?;
    // A cheap look before the costly hash: nobody without a live code gets that far.
    let account_id = match student_account(db, &id).await? {
        Some((a, _)) if verify::has_live_code(db, a.id).await? => a.id,
        _ => return Err(AppError::invalid("请先获取验证码")),
    };
    let new_hash = auth::hash_with(hasher, new).await?;
    let token = auth::new_token();
    let (session_id, previous) = (auth::token_id(&token), previous_token.map(auth::token_id));
    let outcome = db
        .write(move |txn| {
            Box::pin(async move {
                let (account, s) = student_account(txn, &id)
                    .await?
                    .filter(|(a, _)| a.id == account_id)
                    .ok_or_else(|| AppError::invalid("请先获取验证码"))?;
                super::eligibility::standing(&s).check_login()?;
                if let Err(refusal) = verify::check(txn, account.id, &code).await? {
                    return Ok(Err(refusal)); // its count is committed
                }
                // Whoever was logged in with the old password is logged out.
                session::Entity::delete_many()
                    .filter(session::Column::AccountId.eq(account.id))
                    .exec(txn)
                    .await
                    .db()?;
                login_throttle::Entity::delete_by_id(id).exec(txn).await.db()?;
                let now = Utc::now();
                let verified = account.phone_verified_at.unwrap_or(now);
                let mut am = account.into_active_model();
                am.password_hash = Set(new_hash);
                am.must_change_password = Set(false);
                am.password_changed_at = Set(Some(now));
                am.phone_verified_at = Set(Some(verified));
                let account = am.update(txn).await.db()?;
                Ok(Ok(auth::open_session(txn, account, session_id, previous, ip).await?))
            })
        })
        .await?;
    let account = outcome?;
    Ok(LoggedIn {
        token,
        caller: auth::caller_of(&account)?,
    })
}
