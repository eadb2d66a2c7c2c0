//! 学院管理 (a school admin): the colleges of the own school, adding and renaming one (a name
//! is unique within its school: the index `ux_colleges_school_name` decides it), and their admin
//! accounts (made and kept through [`super::accounts`], which asks `domain::school::may_manage`).
//! Only a school admin manages colleges: a college admin has no say over them, and the province
//! keeps to schools and their admins (SPEC "People").

use std::collections::HashMap;

use domain::{
    role::AdminScope,
    school::{check_college_name, CollegeRow, SchoolColleges},
    AdminCaller, AppError,
};
use sea_orm::{prelude::*, ActiveValue::Set, FromQueryResult, QueryOrder, QuerySelect};

use super::{accounts, lookup};
use crate::{
    entity::{college, student},
    Db, DbResultExt, Result,
};

/// The school of the school admin calling; everyone else may not.
fn own_school(admin: &AdminCaller) -> Result<i64> {
    match admin.scope() {
        AdminScope::School(s) => Ok(s),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(FromQueryResult)]
struct Count {
    college_id: i64,
    n: i64,
}

/// The own school's colleges by name, each with its number of students and its admin accounts.
pub async fn list(db: &Db, admin: &AdminCaller) -> Result<SchoolColleges> {
    let school_id = own_school(admin)?;
    let colleges = college::Entity::find()
        .filter(college::Column::SchoolId.eq(school_id))
        .order_by_asc(college::Column::Name)
        .all(db)
        .await
        .db()?;
    let students: HashMap<i64, i64> = student::Entity::find()
        .select_only()
        .column(student::Column::CollegeId)
        .column_as(student::Column::Id.count(), "n")
        .filter(student::Column::SchoolId.eq(school_id))
        .group_by(student::Column::CollegeId)
        .into_model::<Count>()
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|c| (c.college_id, c.n))
        .collect();
    let mut admins = accounts::admins_by_college(db, school_id).await?;
    Ok(SchoolColleges {
        school_id,
        school_name: lookup::school_name(db, school_id).await?,
        colleges: colleges
            .into_iter()
            .map(|c| CollegeRow {
                students: students.get(&c.id).copied().unwrap_or(0) as u64,
                admins: admins.remove(&c.id).unwrap_or_default(),
                id: c.id,
                name: c.name,
            })
            .collect(),
    })
}

/// 新增学院 (no `id`) or rename one of the own school's (with its `id`; another school's college
/// is answered as not existing). Answers the college's id.
pub async fn save(db: &Db, admin: &AdminCaller, id: Option<i64>, name: &str) -> Result<i64> {
    let school_id = own_school(admin)?;
    let name = check_college_name(name)?;
    db.write(move |txn| {
        Box::pin(async move {
            let taken = || AppError::conflict(format!("学院 {name} 已存在"));
            match id {
                None => Ok(college::ActiveModel {
                    school_id: Set(school_id),
                    name: Set(name.clone()),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .unique_or(taken())?
                .id),
                Some(id) => {
                    let c = college::Entity::find_by_id(id)
                        .one(txn)
                        .await
                        .db()?
                        .filter(|c| c.school_id == school_id)
                        .ok_or_else(|| AppError::not_found("学院"))?;
                    let mut am: college::ActiveModel = c.into();
                    am.name = Set(name.clone());
                    am.update(txn).await.unique_or(taken())?;
                    Ok(id)
                }
            }
        })
    })
    .await
}
