//! In-app notices (消息通知) of the calling account, and the public 协议验证.

use chrono::Utc;
use domain::{
    ids,
    view::{Notice, VerifiedAgreement},
    AppError, Caller,
};
use sea_orm::{prelude::*, QueryOrder, QuerySelect};

use super::lookup::format_time;
use crate::{
    entity::{agreement, notification, student},
    Db, DbResultExt, Result,
};

/// The latest notices; reading them marks them read.
pub async fn latest(db: &Db, caller: &Caller) -> Result<Vec<Notice>> {
    let rows = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(caller.account_id))
        .order_by_desc(notification::Column::Id)
        .limit(10)
        .all(db)
        .await
        .db()?;
    if rows.iter().any(|n| n.read_at.is_none()) {
        let account_id = caller.account_id;
        db.write(move |txn| {
            Box::pin(async move {
                notification::Entity::update_many()
                    .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
                    .filter(notification::Column::AccountId.eq(account_id))
                    .filter(notification::Column::ReadAt.is_null())
                    .exec(txn)
                    .await
                    .db()?;
                Ok(())
            })
        })
        .await?;
    }
    Ok(rows
        .into_iter()
        .map(|n| Notice {
            at: format_time(n.created_at),
            unread: n.read_at.is_none(),
            title: n.title,
            body: n.body,
            link: n.link,
        })
        .collect())
}

/// 协议验证: anyone holding a printed 电子协议书 checks it with its number and 验证码. Only what
/// the paper already shows comes back (names masked), and a wrong pair reveals nothing.
pub async fn verify_agreement(db: &Db, agreement_no: &str, verify_code: &str) -> Result<VerifiedAgreement> {
    let no = ids::normalize(agreement_no).to_uppercase();
    let code = ids::normalize(verify_code).to_uppercase();
    domain::text::single_line(&no, "协议编号")?;
    domain::text::single_line(&code, "验证码")?;
    let not_found = || AppError::invalid("协议编号或验证码不正确");
    if no.is_empty() || code.is_empty() {
        return Err(not_found());
    }
    let a = agreement::Entity::find()
        .filter(agreement::Column::AgreementNo.eq(no))
        .filter(agreement::Column::VerifyCode.eq(code))
        .one(db)
        .await
        .db()?
        .ok_or_else(not_found)?;
    let s = student::Entity::find_by_id(a.student_id)
        .one(db)
        .await
        .db()?
        .ok_or_else(not_found)?;
    let school = super::lookup::school_name(db, s.school_id).await?;
    let masked: String = s
        .name
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c } else { '*' })
        .collect();
    Ok(VerifiedAgreement {
        agreement_no: a.agreement_no,
        student: masked,
        school,
        employer: a.employer_name,
        status_label: a.status.label().to_owned(),
        in_force: a.status == domain::status::AgreementStatus::Certified,
        verdict: a.status.verdict().to_owned(),
        certified_at: a.certified_at.map(format_time),
    })
}
