//! Admin accounts that admins make and keep for each other: the province admin for school
//! admins, a school admin for the college admins of its school (`domain::school::may_manage`).
//! A new account and a 重置密码 get a one-time password, shown once to the admin, which its
//! owner must change at the next login; 禁用 and 重置密码 end the account's sessions at once.

use std::collections::HashMap;

use domain::{
    school::{check_display_name, check_login, may_manage, AdminAccountPlace, AdminAccountRow, OneTimePassword},
    AdminCaller, AppError, Role,
};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use super::{
    auth::{self, AccountScope},
    lookup::format_time,
};
use crate::{
    entity::{account, college, school, session},
    Db, DbResultExt, Result, WriteTxn,
};

fn row(a: account::Model) -> AdminAccountRow {
    AdminAccountRow {
        id: a.id,
        login: a.login,
        role_label: a.role.label().to_owned(),
        display_name: a.display_name,
        disabled: a.disabled,
        must_change_password: a.must_change_password,
        last_login_at: a.last_login_at.map(format_time),
    }
}

/// Every school admin account, by school (学校管理).
pub async fn admins_by_school(db: &impl ConnectionTrait) -> Result<HashMap<i64, Vec<AdminAccountRow>>> {
    let mut out: HashMap<i64, Vec<AdminAccountRow>> = HashMap::new();
    for a in account::Entity::find()
        .filter(account::Column::Role.eq(Role::SchoolAdmin))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await
        .db()?
    {
        if let Some(s) = a.school_id {
            out.entry(s).or_default().push(row(a));
        }
    }
    Ok(out)
}

/// The college admin accounts of one school, by college (学院管理).
pub async fn admins_by_college(
    db: &impl ConnectionTrait,
    school_id: i64,
) -> Result<HashMap<i64, Vec<AdminAccountRow>>> {
    let mut out: HashMap<i64, Vec<AdminAccountRow>> = HashMap::new();
    for a in account::Entity::find()
        .filter(account::Column::Role.eq(Role::CollegeAdmin))
        .filter(account::Column::SchoolId.eq(school_id))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await
        .db()?
    {
        if let Some(c) = a.college_id {
            out.entry(c).or_default().push(row(a));
        }
    }
    Ok(out)
}

/// A new admin account for a school (the province admin) or one of its colleges (the school's
/// admin), with a one-time password.
pub async fn create(
    db: &Db,
    hasher: &auth::Hasher,
    admin: &AdminCaller,
    school_id: i64,
    college_id: Option<i64>,
    login: &str,
    display_name: &str,
) -> Result<OneTimePassword> {
    let role = if college_id.is_some() {
        Role::CollegeAdmin
    } else {
        Role::SchoolAdmin
    };
    if !may_manage(
        admin.scope(),
        AdminAccountPlace {
            role,
            school_id: Some(school_id),
        },
    ) {
        return Err(AppError::Forbidden);
    }
    let login = check_login(login)?;
    let display_name = check_display_name(display_name)?;
    let password = auth::one_time_password();
    let hash = auth::hash_with(hasher, &password).await?;
    let login2 = login.clone();
    db.write(move |txn| {
        Box::pin(async move {
            school::Entity::find_by_id(school_id)
                .one(txn)
                .await
                .db()?
                .ok_or_else(|| AppError::not_found("学校"))?;
            if let Some(c) = college_id {
                college::Entity::find_by_id(c)
                    .one(txn)
                    .await
                    .db()?
                    .filter(|c| c.school_id == school_id)
                    .ok_or_else(|| AppError::not_found("学院"))?;
            }
            let scope = AccountScope {
                school_id: Some(school_id),
                college_id,
                ..Default::default()
            };
            let a = auth::create_account(txn, &login2, &hash, role, &display_name, scope).await?;
            auth::require_new_password(txn, a.id).await
        })
    })
    .await?;
    Ok(OneTimePassword { login, password })
}

/// The account, if this admin manages it ("not found" otherwise: the answer does not say
/// whether an account exists out of reach).
async fn managed(c: &impl ConnectionTrait, admin: &AdminCaller, account_id: i64) -> Result<account::Model> {
    account::Entity::find_by_id(account_id)
        .one(c)
        .await
        .db()?
        .filter(|a| {
            may_manage(
                admin.scope(),
                AdminAccountPlace {
                    role: a.role,
                    school_id: a.school_id,
                },
            )
        })
        .ok_or_else(|| AppError::not_found("账号"))
}

async fn end_sessions(txn: &WriteTxn, account_id: i64) -> Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(txn)
        .await
        .db()?;
    Ok(())
}

/// 禁用 / 启用. A disabled account cannot log in, and its sessions end now.
pub async fn set_disabled(db: &Db, admin: &AdminCaller, account_id: i64, disabled: bool) -> Result<AdminAccountRow> {
    let admin = admin.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let a = managed(txn, &admin, account_id).await?;
            let mut am: account::ActiveModel = a.into();
            am.disabled = Set(disabled);
            let a = am.update(txn).await.db()?;
            if disabled {
                end_sessions(txn, a.id).await?;
            }
            Ok(row(a))
        })
    })
    .await
}

/// 重置密码: a new one-time password (shown once); the owner must change it at the next login,
/// and the account's sessions end now.
pub async fn reset_password(
    db: &Db,
    hasher: &auth::Hasher,
    admin: &AdminCaller,
    account_id: i64,
) -> Result<OneTimePassword> {
    let password = auth::one_time_password();
    let hash = auth::hash_with(hasher, &password).await?;
    let admin = admin.clone();
    let login = db
        .write(move |txn| {
            Box::pin(async move {
                let a = managed(txn, &admin, account_id).await?;
                let mut am: account::ActiveModel = a.into();
                am.password_hash = Set(hash);
                am.must_change_password = Set(true);
                let a = am.update(txn).await.db()?;
                end_sessions(txn, a.id).await?;
                Ok(a.login)
            })
        })
        .await?;
    Ok(OneTimePassword { login, password })
}
