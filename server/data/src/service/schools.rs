//! 学校管理 (the province admin): the schools of the platform with their figures (read-only:
//! students, agreements by status), adding and renaming a school, and its admin accounts.

use std::collections::HashMap;

use chrono::Utc;
use domain::{
    role::AdminScope,
    school::{check_school, SchoolRow},
    status::AgreementStatus,
    AdminCaller, AppError,
};
use sea_orm::{prelude::*, ActiveValue::Set, FromQueryResult, QueryOrder, QuerySelect};

use super::accounts;
use crate::{
    entity::{agreement, college, school, student},
    Db, DbResultExt, Result,
};

fn province_only(admin: &AdminCaller) -> Result<()> {
    match admin.scope() {
        AdminScope::Province => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(FromQueryResult)]
struct Count {
    key: i64,
    n: i64,
}

#[derive(FromQueryResult)]
struct StatusCount {
    school_id: i64,
    status: AgreementStatus,
    n: i64,
}

/// How many rows of a table each school has (`school` names the table's school column).
async fn per_school<E: EntityTrait>(db: &Db, school: E::Column, id: E::Column) -> Result<HashMap<i64, i64>> {
    Ok(E::find()
        .select_only()
        .column_as(school, "key")
        .column_as(id.count(), "n")
        .group_by(school)
        .into_model::<Count>()
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|c| (c.key, c.n))
        .collect())
}

/// Every school, by 院校代码, with its figures and its admin accounts.
pub async fn list(db: &Db, admin: &AdminCaller) -> Result<Vec<SchoolRow>> {
    province_only(admin)?;
    let schools = school::Entity::find()
        .order_by_asc(school::Column::Code)
        .all(db)
        .await
        .db()?;
    let colleges = per_school::<college::Entity>(db, college::Column::SchoolId, college::Column::Id).await?;
    let students = per_school::<student::Entity>(db, student::Column::SchoolId, student::Column::Id).await?;
    let mut agreements: HashMap<i64, Vec<(AgreementStatus, i64)>> = HashMap::new();
    for c in agreement::Entity::find()
        .select_only()
        .column_as(student::Column::SchoolId, "school_id")
        .column(agreement::Column::Status)
        .column_as(agreement::Column::Id.count(), "n")
        .inner_join(student::Entity)
        .filter(agreement::Column::Status.ne(AgreementStatus::Draft))
        .group_by(student::Column::SchoolId)
        .group_by(agreement::Column::Status)
        .into_model::<StatusCount>()
        .all(db)
        .await
        .db()?
    {
        agreements.entry(c.school_id).or_default().push((c.status, c.n));
    }
    let mut admins = accounts::admins_by_school(db).await?;
    Ok(schools
        .into_iter()
        .map(|s| {
            let mut by_status = agreements.remove(&s.id).unwrap_or_default();
            // In the order of the states, as the review lists show them.
            by_status.sort_by_key(|(st, _)| AgreementStatus::ALL.iter().position(|x| x == st));
            SchoolRow {
                colleges: colleges.get(&s.id).copied().unwrap_or(0) as u64,
                students: students.get(&s.id).copied().unwrap_or(0) as u64,
                agreements: by_status
                    .into_iter()
                    .map(|(st, n)| (st.label().to_owned(), n as u64))
                    .collect(),
                admins: admins.remove(&s.id).unwrap_or_default(),
                id: s.id,
                code: s.code,
                name: s.name,
            }
        })
        .collect())
}

/// 新增学校 (no `id`) or 修改 (with the school's `id`). 院校代码 and name are unique.
pub async fn save(db: &Db, admin: &AdminCaller, id: Option<i64>, code: &str, name: &str) -> Result<i64> {
    province_only(admin)?;
    let (code, name) = check_school(code, name)?;
    db.write(move |txn| {
        Box::pin(async move {
            let taken = || AppError::conflict(format!("院校代码 {code} 或学校名称 {name} 已存在"));
            match id {
                None => Ok(school::ActiveModel {
                    code: Set(code.clone()),
                    name: Set(name.clone()),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .unique_or(taken())?
                .id),
                Some(id) => {
                    let s = school::Entity::find_by_id(id)
                        .one(txn)
                        .await
                        .db()?
                        .ok_or_else(|| AppError::not_found("学校"))?;
                    let mut am: school::ActiveModel = s.into();
                    am.code = Set(code.clone());
                    am.name = Set(name.clone());
                    am.update(txn).await.unique_or(taken())?;
                    Ok(id)
                }
            }
        })
    })
    .await
}
