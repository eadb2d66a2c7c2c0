//! 信息验证: a student proves they hold the roster phone with a 6-digit code — logged in with a
//! password (the demo's students), or as part of 首次登录 / 忘记密码 (`super::first_login`), which
//! use the same codes through [`issue`] and [`check`]. The code goes out through the SMS
//! channel of the outbox (the log or an SMS gateway, as configured); only its hash is stored.
//! 5 minutes valid, 5 wrong tries per code, a new code at most once a minute and 5 an hour.

use chrono::{Duration, Utc};
use domain::{ids::mask_phone, AppError, StudentCaller};
use rand::Rng;
use sea_orm::{prelude::*, ActiveValue::Set, IntoActiveModel, NotSet, QueryOrder};
use sha2::{Digest, Sha256};

use super::notify;
use crate::{
    entity::{account, student, verification_code},
    Db, DbResultExt, Result, WriteTxn,
};

pub const VALID_MINUTES: i64 = 5;
pub const MAX_ATTEMPTS: i32 = 5;
pub const RESEND_SECONDS: i64 = 60;
pub const MAX_PER_HOUR: u64 = 5;

fn hash(account_id: i64, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{account_id}:{code}")))
}

/// Sends a new code to the student's roster phone; answers with the masked number.
pub async fn send_code(db: &Db, me: &StudentCaller) -> Result<String> {
    let (sid, account_id) = (me.student_id(), me.account_id());
    db.write(move |txn| {
        Box::pin(async move {
            let acc = account::Entity::find_by_id(account_id)
                .one(txn)
                .await
                .db()?
                .ok_or(AppError::NotLoggedIn)?;
            if acc.phone_verified_at.is_some() {
                return Err(AppError::conflict("已完成信息验证"));
            }
            let s = student::Entity::find_by_id(sid)
                .one(txn)
                .await
                .db()?
                .ok_or_else(|| AppError::not_found("学生"))?;
            issue(txn, acc.id, &s.phone, "信息验证", |code| {
                format!("【网签系统】你的信息验证码是{code}，{VALID_MINUTES}分钟内有效。请勿告诉他人。")
            })
            .await
        })
    })
    .await
}

/// Makes a new code for the account, within the resend limits, and queues `text(code)` as an
/// SMS to `phone`. Answers the masked number.
pub(crate) async fn issue(
    txn: &WriteTxn,
    account_id: i64,
    phone: &str,
    subject: &str,
    text: impl FnOnce(&str) -> String,
) -> Result<String> {
    let now = Utc::now();
    let recent = verification_code::Entity::find()
        .filter(verification_code::Column::AccountId.eq(account_id))
        .filter(verification_code::Column::CreatedAt.gt(now - Duration::hours(1)))
        .order_by_desc(verification_code::Column::CreatedAt)
        .all(txn)
        .await
        .db()?;
    if let Some(last) = recent.first() {
        let wait = RESEND_SECONDS - (now - last.created_at).num_seconds();
        if wait > 0 {
            return Err(AppError::invalid(format!("验证码已发送，请{wait}秒后再试")));
        }
    }
    if recent.len() as u64 >= MAX_PER_HOUR {
        return Err(AppError::invalid("获取验证码过于频繁，请1小时后再试"));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    verification_code::ActiveModel {
        id: NotSet,
        account_id: Set(account_id),
        code_hash: Set(hash(account_id, &code)),
        attempts: Set(0),
        expires_at: Set(now + Duration::minutes(VALID_MINUTES)),
        created_at: Set(now),
    }
    .insert(txn)
    .await
    .db()?;
    notify::enqueue(txn, notify::SMS, phone, subject, &text(&code)).await?;
    Ok(mask_phone(phone))
}

/// A code as typed: 6 digits (spaces around it ignored).
pub(crate) fn well_formed(code: &str) -> Result<String> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("请输入6位数字验证码"));
    }
    Ok(code.to_owned())
}

/// Whether the account has a code that may still be tried (a cheap look before costly work).
pub(crate) async fn has_live_code(c: &impl ConnectionTrait, account_id: i64) -> Result<bool> {
    Ok(verification_code::Entity::find()
        .filter(verification_code::Column::AccountId.eq(account_id))
        .filter(verification_code::Column::ExpiresAt.gt(Utc::now()))
        .filter(verification_code::Column::Attempts.lt(MAX_ATTEMPTS))
        .one(c)
        .await
        .db()?
        .is_some())
}

/// Checks `code` against the account's latest code. `Ok(Ok(()))`: it matches, and the
/// account's codes are used up. `Ok(Err(refusal))`: a wrong code, whose count is written in
/// `txn` — the caller must commit it and answer the refusal. `Err`: no usable code.
pub(crate) async fn check(txn: &WriteTxn, account_id: i64, code: &str) -> Result<Result<()>> {
    let latest = verification_code::Entity::find()
        .filter(verification_code::Column::AccountId.eq(account_id))
        .order_by_desc(verification_code::Column::CreatedAt)
        .order_by_desc(verification_code::Column::Id)
        .one(txn)
        .await
        .db()?
        .ok_or_else(|| AppError::invalid("请先获取验证码"))?;
    if latest.expires_at <= Utc::now() {
        return Err(AppError::invalid("验证码已过期，请重新获取"));
    }
    if latest.attempts >= MAX_ATTEMPTS {
        return Err(AppError::invalid("验证码错误次数过多，请重新获取"));
    }
    if latest.code_hash != hash(account_id, code) {
        let attempts = latest.attempts + 1;
        let mut am = latest.into_active_model();
        am.attempts = Set(attempts);
        am.update(txn).await.db()?;
        let left = MAX_ATTEMPTS - attempts;
        return Ok(Err(AppError::invalid(if left > 0 {
            format!("验证码不正确，还可尝试{left}次")
        } else {
            "验证码错误次数过多，请重新获取".to_owned()
        })));
    }
    verification_code::Entity::delete_many()
        .filter(verification_code::Column::AccountId.eq(account_id))
        .exec(txn)
        .await
        .db()?;
    Ok(Ok(()))
}

/// Checks the latest code. A wrong code counts against it (and that count is saved).
pub async fn verify(db: &Db, me: &StudentCaller, code: &str) -> Result<()> {
    let (account_id, code) = (me.account_id(), well_formed(code)?);
    // A wrong code is an error for the student, but its count must be saved: the job commits it
    // and answers the refusal as its value.
    let outcome = db
        .write(move |txn| {
            Box::pin(async move {
                let acc = account::Entity::find_by_id(account_id)
                    .one(txn)
                    .await
                    .db()?
                    .ok_or(AppError::NotLoggedIn)?;
                if acc.phone_verified_at.is_some() {
                    return Ok(Ok(()));
                }
                if let Err(refusal) = check(txn, acc.id, &code).await? {
                    return Ok(Err(refusal));
                }
                let mut am = acc.into_active_model();
                am.phone_verified_at = Set(Some(Utc::now()));
                am.update(txn).await.db()?;
                Ok(Ok(()))
            })
        })
        .await?;
    outcome
}
