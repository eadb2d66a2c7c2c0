//! Shared lookups: names by id in bulk, a student's account, where a student sits, and the one
//! way times are shown. Every service reads these through here, so none imports another for them.

use std::collections::{HashMap, HashSet};

use domain::{
    role::{AgreementParties, StudentPlace},
    status::AgreementStatus,
    view::DocEmployer,
};
use sea_orm::{prelude::*, QueryOrder};

use crate::{
    entity::{account, agreement, college, employer, school, student},
    DbResultExt, Result,
};

/// Users are in China: times are shown in Beijing time.
pub fn format_time(t: DateTimeUtc) -> String {
    (t + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()
}

/// Where a roster record sits: what scope checks need.
pub fn place(s: &student::Model) -> StudentPlace {
    StudentPlace {
        student_id: s.id,
        school_id: s.school_id,
        college_id: s.college_id,
    }
}

/// The parties of an agreement, for [`AgreementParties::access`] and [`AgreementParties::party_of`].
pub fn parties(a: &agreement::Model, s: &student::Model) -> AgreementParties {
    AgreementParties {
        student: place(s),
        employer_id: a.employer_id,
        status: a.status,
    }
}

/// Roster records by id (in chunks, so any number of ids fits a statement).
pub async fn students_by_id(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, student::Model>> {
    let ids: Vec<i64> = ids.collect::<HashSet<_>>().into_iter().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for s in student::Entity::find()
            .filter(student::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await
            .db()?
        {
            out.insert(s.id, s);
        }
    }
    Ok(out)
}

/// Every school's name by id (a province has about a hundred).
pub async fn school_names(db: &impl ConnectionTrait) -> Result<HashMap<i64, String>> {
    Ok(school::Entity::find()
        .order_by_asc(school::Column::Id)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

pub async fn college_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
    let ids: HashSet<i64> = ids.collect();
    Ok(college::Entity::find()
        .filter(college::Column::Id.is_in(ids))
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

pub async fn employer_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
    let ids: HashSet<i64> = ids.collect();
    Ok(employer::Entity::find()
        .filter(employer::Column::Id.is_in(ids))
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}

pub async fn school_name(db: &impl ConnectionTrait, id: i64) -> Result<String> {
    Ok(school::Entity::find_by_id(id)
        .one(db)
        .await
        .db()?
        .map(|s| s.name)
        .unwrap_or_default())
}

pub async fn college_name(db: &impl ConnectionTrait, id: i64) -> Result<String> {
    Ok(college::Entity::find_by_id(id)
        .one(db)
        .await
        .db()?
        .map(|c| c.name)
        .unwrap_or_default())
}

/// The student's login account (to send them a notice), if they have one.
pub async fn student_account(c: &impl ConnectionTrait, student_id: i64) -> Result<Option<i64>> {
    Ok(account::Entity::find()
        .filter(account::Column::StudentId.eq(student_id))
        .one(c)
        .await
        .db()?
        .map(|a| a.id))
}

/// The employer as the 电子协议书 and the 邀请函 show it.
pub fn doc_employer(e: &employer::Model) -> DocEmployer {
    DocEmployer {
        name: e.name.clone(),
        credit_code: e.credit_code.clone(),
        contact_person: e.contact_person.clone(),
        contact_phone: e.contact_phone.clone(),
        address: e.address.clone(),
        nature: e.nature.clone(),
        industry: e.industry.clone(),
    }
}

/// The agreement states that hold the student (SPEC rule 1: `AgreementStatus::is_active`).
pub fn active_statuses() -> Vec<AgreementStatus> {
    AgreementStatus::ALL.iter().copied().filter(|s| s.is_active()).collect()
}

/// [`active_statuses`] as an SQL list of their codes, for hand-written statements (`data::Sql`).
pub fn active_codes_sql() -> String {
    active_statuses()
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}
