//! The employer's own 单位信息 (first-login confirmation; the defaults of every 邀请函), and
//! whether it may sign at all.

use chrono::Utc;
use domain::{
    employer::EmployerInfo, registration::needs_new_review, status::ApprovalStatus, AppError, EmployerCaller,
};
use sea_orm::{prelude::*, ActiveValue::Set, IntoActiveModel};

use super::notify::{Effects, LogRef};
use crate::{
    entity::{employer, employer_approval},
    Db, DbResultExt, Result,
};

/// The calling employer, if it may sign at all: 单位信息 confirmed and approved by at least one
/// school (SPEC rule 5). Every 签约中心 endpoint starts here; those that write call it inside
/// their transaction.
pub async fn ready_employer(db: &impl ConnectionTrait, me: &EmployerCaller) -> Result<employer::Model> {
    let id = me.employer_id();
    let e = employer::Entity::find_by_id(id)
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))?;
    if let Some(reason) = &e.frozen_reason {
        return Err(AppError::conflict(format!(
            "你单位的账号已被省中心冻结（原因：{reason}），不能签约"
        )));
    }
    if e.info_confirmed_at.is_none() {
        return Err(AppError::invalid("请先确认单位信息、档案接收信息和户口接收信息"));
    }
    let approved = employer_approval::Entity::find()
        .filter(employer_approval::Column::EmployerId.eq(id))
        .filter(employer_approval::Column::Status.eq(ApprovalStatus::Approved))
        .count(db)
        .await
        .db()?;
    if approved == 0 {
        return Err(AppError::invalid("单位注册信息尚未通过任何学校审核，暂不能签约"));
    }
    Ok(e)
}

pub fn to_info(e: employer::Model) -> EmployerInfo {
    EmployerInfo {
        confirmed: e.info_confirmed_at.is_some(),
        name: e.name,
        credit_code: e.credit_code,
        contact_person: e.contact_person,
        contact_phone: e.contact_phone,
        email: e.email,
        address: e.address,
        nature: e.nature,
        industry: e.industry,
        archive_unit: e.archive_unit,
        archive_address: e.archive_address,
        archive_postcode: e.archive_postcode,
        archive_contact: e.archive_contact,
        archive_phone: e.archive_phone,
        hukou_address: e.hukou_address,
        hukou_unit: e.hukou_unit,
    }
}

pub async fn info(db: &impl ConnectionTrait, me: &EmployerCaller) -> Result<EmployerInfo> {
    let id = me.employer_id();
    let e = employer::Entity::find_by_id(id)
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))?;
    Ok(to_info(e))
}

/// Validates and saves the information and marks it confirmed: the first-login confirmation,
/// and later 单位信息维护. Nothing is written when any field is wrong. Every save is logged
/// with the fields it changed; once confirmed, a new 单位名称 or 统一社会信用代码 sends every
/// application back to 待审核 (`domain::registration::needs_new_review`): until a school
/// approves again the employer cannot sign.
pub async fn confirm_info(db: &Db, me: &EmployerCaller, info: EmployerInfo) -> Result<EmployerInfo> {
    let id = me.employer_id();
    let account_id = me.account_id();
    let actor = me.actor();
    let info = info.validated()?;
    db.write(move |txn| {
        Box::pin(async move {
            let e = employer::Entity::find_by_id(id)
                .one(txn)
                .await
                .db()?
                .ok_or_else(|| AppError::not_found("单位"))?;
            if e.frozen_reason.is_some() {
                return Err(AppError::conflict("你单位的账号已被冻结"));
            }
            let was_confirmed = e.info_confirmed_at.is_some();
            let before = to_info(e.clone());
            let changed = changed_fields(&before, &info);
            let review_again =
                was_confirmed && needs_new_review(&e.name, &e.credit_code, &info.name, &info.credit_code);
            let mut am = e.into_active_model();
            am.name = Set(info.name);
            am.credit_code = Set(info.credit_code);
            am.contact_person = Set(info.contact_person);
            am.contact_phone = Set(info.contact_phone);
            am.email = Set(info.email);
            am.address = Set(info.address);
            am.nature = Set(info.nature);
            am.industry = Set(info.industry);
            am.archive_unit = Set(info.archive_unit);
            am.archive_address = Set(info.archive_address);
            am.archive_postcode = Set(info.archive_postcode);
            am.archive_contact = Set(info.archive_contact);
            am.archive_phone = Set(info.archive_phone);
            am.hukou_address = Set(info.hukou_address);
            am.hukou_unit = Set(info.hukou_unit);
            am.info_confirmed_at = Set(Some(Utc::now()));
            let saved = am
                .update(txn)
                .await
                .unique_or(AppError::conflict("该统一社会信用代码已被其他单位注册"))?;
            let at = LogRef {
                employer_id: Some(id),
                ..Default::default()
            };
            let action = if was_confirmed {
                "单位信息维护"
            } else {
                "确认单位信息"
            };
            let mut effects = Effects::default().log(at, Some(account_id), &actor, action, &changed.join("、"));
            if review_again {
                employer_approval::Entity::update_many()
                    .col_expr(employer_approval::Column::Status, Expr::value(ApprovalStatus::Pending))
                    .col_expr(employer_approval::Column::Reason, Expr::value(String::new()))
                    .col_expr(employer_approval::Column::ReviewedBy, Expr::value(Option::<i64>::None))
                    .col_expr(
                        employer_approval::Column::ReviewedAt,
                        Expr::value(Option::<chrono::DateTime<Utc>>::None),
                    )
                    .filter(employer_approval::Column::EmployerId.eq(id))
                    .exec(txn)
                    .await
                    .db()?;
                effects = effects.log(
                    at,
                    Some(account_id),
                    &actor,
                    "单位名称或统一社会信用代码变更，各校重新审核",
                    "",
                );
            }
            effects.at_commit(txn);
            Ok(to_info(saved))
        })
    })
    .await
}

/// The labels of the fields `after` changes (what the 变更记录 names).
fn changed_fields(before: &EmployerInfo, after: &EmployerInfo) -> Vec<&'static str> {
    [
        (before.name == after.name, "单位名称"),
        (before.credit_code == after.credit_code, "统一社会信用代码"),
        (before.contact_person == after.contact_person, "联系人"),
        (before.contact_phone == after.contact_phone, "联系电话"),
        (before.email == after.email, "电子邮箱"),
        (before.address == after.address, "单位地址"),
        (before.nature == after.nature, "单位性质"),
        (before.industry == after.industry, "所属行业"),
        (before.archive_unit == after.archive_unit, "档案接收单位"),
        (before.archive_address == after.archive_address, "档案接收地址"),
        (before.archive_postcode == after.archive_postcode, "档案接收邮编"),
        (before.archive_contact == after.archive_contact, "档案接收联系人"),
        (before.archive_phone == after.archive_phone, "档案接收联系电话"),
        (before.hukou_address == after.hukou_address, "户口迁移地址"),
        (before.hukou_unit == after.hukou_unit, "户口接收单位"),
    ]
    .into_iter()
    .filter(|(same, _)| !same)
    .map(|(_, label)| label)
    .collect()
}
