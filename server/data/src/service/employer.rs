//! The employer's own 单位信息 (first-login confirmation; the defaults of every 邀请函), and
//! whether it may sign at all.

use chrono::Utc;
use domain::{employer::EmployerInfo, status::ApprovalStatus, AppError, EmployerCaller};
use sea_orm::{prelude::*, ActiveValue::Set, IntoActiveModel};

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

/// Validates and saves the information and marks it confirmed. Nothing is written when any
/// field is wrong.
pub async fn confirm_info(db: &Db, me: &EmployerCaller, info: EmployerInfo) -> Result<EmployerInfo> {
    let id = me.employer_id();
    let info = info.validated()?;
    db.write(move |txn| {
        Box::pin(async move {
            let e = employer::Entity::find_by_id(id)
                .one(txn)
                .await
                .db()?
                .ok_or_else(|| AppError::not_found("单位"))?;
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
            Ok(to_info(saved))
        })
    })
    .await
}
