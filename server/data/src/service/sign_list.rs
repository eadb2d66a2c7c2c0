//! 签约中心 → 签约发送: 签约搜索, the 签约发送列表 (加入 / 移出) and 导入拟签约名单.
//!
//! Privacy (SPEC rule 6): a student is found only when school, 毕业届, 姓名 and 身份证号 or
//! 手机号 all match an eligible roster record (rule 4). "No such student" and "not eligible"
//! give the same answer, and 加入 repeats the search on the server, so no endpoint ever takes
//! a bare student id it has not matched.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use domain::{
    ids::{self, mask_id_number, mask_phone},
    status::InvitationStatus,
    view::{ImportLine, ImportReport, ListedStudent, SchoolOption, SearchQuery},
    AppError, EmployerCaller,
};
use sea_orm::{prelude::*, ActiveValue::Set, Condition, DbBackend, NotSet, QueryOrder, QuerySelect};

use super::{
    eligibility::{self, eligible},
    employer::ready_employer,
    lookup::{college_names, school_names, students_by_id},
};
use crate::{
    entity::{invitation, school, sign_list, student},
    Db, DbResultExt, Result, Sql,
};

/// The one answer for "not found" and "not eligible".
pub const NOT_FOUND: &str = "未找到符合条件的毕业生，请核对学校、毕业届、姓名和身份证号/手机号";

/// Longest 签约发送列表 an employer may keep.
pub const MAX_LIST: u64 = 20_000;

/// A blank 邀请函 with the employer's confirmed receivers and the default 应约期限.
pub async fn letter_template(db: &Db, me: &EmployerCaller) -> Result<domain::letter::Letter> {
    ready_employer(db, me).await?;
    Ok(domain::letter::Letter::prefilled(&super::employer::info(db, me).await?))
}

/// The schools to choose from in 签约搜索, and the 毕业届 on offer.
pub async fn schools(db: &Db, me: &EmployerCaller) -> Result<Vec<SchoolOption>> {
    ready_employer(db, me).await?;
    Ok(school::Entity::find()
        .order_by_asc(school::Column::Code)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|s| SchoolOption { id: s.id, name: s.name })
        .collect())
}

/// 毕业届 an employer can pick: last year, this year and the next two.
pub fn graduation_years() -> Vec<i32> {
    let y = chrono::Datelike::year(&(Utc::now() + chrono::Duration::hours(8)));
    (y - 1..=y + 2).collect()
}

/// The exact match of rule 6, or None. `id_or_phone` is a 身份证号 when it has 18 characters.
async fn find_exact(
    db: &impl ConnectionTrait,
    school_id: i64,
    year: i32,
    name: &str,
    id_or_phone: &str,
) -> Result<Option<student::Model>> {
    let name = ids::normalize(name);
    let key = ids::normalize(id_or_phone).to_uppercase();
    if name.is_empty() || key.is_empty() {
        return Err(AppError::invalid("请填写学校、毕业届、姓名和身份证号/手机号"));
    }
    let by_key = if key.chars().count() == 18 {
        Condition::all().add(student::Column::IdNumber.eq(key))
    } else {
        Condition::all().add(student::Column::Phone.eq(key))
    };
    eligible()
        .filter(student::Column::SchoolId.eq(school_id))
        .filter(student::Column::GraduationYear.eq(year))
        .filter(student::Column::Name.eq(name))
        .filter(by_key)
        .one(db)
        .await
        .db()
}

/// 签约搜索: the one matching student, or [`NOT_FOUND`].
pub async fn search(db: &Db, me: &EmployerCaller, q: SearchQuery) -> Result<ListedStudent> {
    q.check()?;
    let e = ready_employer(db, me).await?;
    let s = find_exact(db, q.school_id, q.graduation_year, &q.name, &q.id_or_phone)
        .await?
        .ok_or_else(|| AppError::invalid(NOT_FOUND))?;
    Ok(listed(db, e.id, vec![s]).await?.remove(0))
}

/// 加入: repeats the search and puts the student on the 签约发送列表.
pub async fn add(db: &Db, me: &EmployerCaller, q: SearchQuery) -> Result<ListedStudent> {
    q.check()?;
    let who = me.clone();
    let s = db
        .write(move |txn| {
            Box::pin(async move {
                let e = ready_employer(txn, &who).await?;
                let s = find_exact(txn, q.school_id, q.graduation_year, &q.name, &q.id_or_phone)
                    .await?
                    .ok_or_else(|| AppError::invalid(NOT_FOUND))?;
                if on_list(txn, e.id, &[s.id]).await?.contains(&s.id) {
                    return Err(AppError::conflict(format!("{}已在签约发送列表中", s.name)));
                }
                check_room(txn, e.id, 1).await?;
                insert(txn, e.id, s.id)
                    .await
                    .unique_or(AppError::conflict(format!("{}已在签约发送列表中", s.name)))?;
                Ok(s)
            })
        })
        .await?;
    Ok(listed(db, me.employer_id(), vec![s]).await?.remove(0))
}

async fn insert(
    c: &impl ConnectionTrait,
    employer_id: i64,
    student_id: i64,
) -> std::result::Result<sign_list::Model, DbErr> {
    sign_list::ActiveModel {
        id: NotSet,
        employer_id: Set(employer_id),
        student_id: Set(student_id),
        added_at: Set(Utc::now()),
    }
    .insert(c)
    .await
}

async fn check_room(c: &impl ConnectionTrait, employer_id: i64, adding: u64) -> Result<()> {
    let n = sign_list::Entity::find()
        .filter(sign_list::Column::EmployerId.eq(employer_id))
        .count(c)
        .await
        .db()?;
    if n + adding > MAX_LIST {
        return Err(AppError::invalid(format!(
            "签约发送列表最多{MAX_LIST}人，请先移出已处理的学生"
        )));
    }
    Ok(())
}

async fn on_list(c: &impl ConnectionTrait, employer_id: i64, student_ids: &[i64]) -> Result<HashSet<i64>> {
    let mut found = HashSet::new();
    for chunk in student_ids.chunks(500) {
        let rows = sign_list::Entity::find()
            .filter(sign_list::Column::EmployerId.eq(employer_id))
            .filter(sign_list::Column::StudentId.is_in(chunk.iter().copied()))
            .all(c)
            .await
            .db()?;
        found.extend(rows.into_iter().map(|r| r.student_id));
    }
    Ok(found)
}

/// 移出签约发送列表 for the checked students. Students not on the list are ignored.
pub async fn remove(db: &Db, me: &EmployerCaller, student_ids: Vec<i64>) -> Result<u64> {
    if student_ids.is_empty() {
        return Err(AppError::invalid("请先勾选学生"));
    }
    let me = me.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let e = ready_employer(txn, &me).await?;
            let r = sign_list::Entity::delete_many()
                .filter(sign_list::Column::EmployerId.eq(e.id))
                .filter(sign_list::Column::StudentId.is_in(student_ids))
                .exec(txn)
                .await
                .db()?;
            Ok(r.rows_affected)
        })
    })
    .await
}

/// The 签约发送列表, newest first.
pub async fn list(db: &Db, me: &EmployerCaller) -> Result<Vec<ListedStudent>> {
    let e = ready_employer(db, me).await?;
    let ids: Vec<i64> = sign_list::Entity::find()
        .filter(sign_list::Column::EmployerId.eq(e.id))
        .order_by_desc(sign_list::Column::AddedAt)
        .order_by_desc(sign_list::Column::Id)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|r| r.student_id)
        .collect();
    let mut by_id = students_by_id(db, ids.iter().copied()).await?;
    let students = ids.iter().filter_map(|id| by_id.remove(id)).collect();
    listed(db, e.id, students).await
}

/// Masks and decorates roster records for an employer.
async fn listed(
    db: &impl ConnectionTrait,
    employer_id: i64,
    students: Vec<student::Model>,
) -> Result<Vec<ListedStudent>> {
    let ids: Vec<i64> = students.iter().map(|s| s.id).collect();
    let listed = on_list(db, employer_id, &ids).await?;
    let mut pending = HashSet::new();
    for chunk in ids.chunks(500) {
        let rows = invitation::Entity::find()
            .filter(invitation::Column::EmployerId.eq(employer_id))
            .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
            .filter(invitation::Column::Deadline.gt(Utc::now()))
            .filter(invitation::Column::StudentId.is_in(chunk.iter().copied()))
            .all(db)
            .await
            .db()?;
        pending.extend(rows.into_iter().map(|i| i.student_id));
    }
    let schools = school_names(db).await?;
    let colleges = college_names(db, students.iter().map(|s| s.college_id)).await?;
    Ok(students
        .into_iter()
        .map(|s| ListedStudent {
            student_id: s.id,
            school: schools.get(&s.school_id).cloned().unwrap_or_default(),
            college: colleges.get(&s.college_id).cloned().unwrap_or_default(),
            id_number_masked: mask_id_number(&s.id_number),
            phone_masked: mask_phone(&s.phone),
            on_list: listed.contains(&s.id),
            pending_invitation: pending.contains(&s.id),
            name: s.name,
            gender: s.gender,
            major: s.major,
            degree: s.degree,
            graduation_year: s.graduation_year,
        })
        .collect())
}

/// 导入拟签约名单: every row of the parsed file is matched like 签约搜索; the rows that match
/// are added in one transaction, the others are reported with their row number and reason.
/// The file itself was checked and parsed by the `excel` crate (size, rows, types).
pub async fn import(db: &Db, me: &EmployerCaller, rows: Vec<ImportRow>) -> Result<ImportReport> {
    if rows.is_empty() {
        return Err(AppError::invalid("文件中没有可导入的学生"));
    }
    let schools: HashMap<String, i64> = school::Entity::find()
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|s| (s.name, s.id))
        .collect();
    let me = me.clone();
    let done = db
        .write(move |txn| {
            Box::pin(async move {
                let e = ready_employer(txn, &me).await?;
                let started = std::time::Instant::now();

                // Every usable row is matched in the database in one statement per kind (see [`MATCH_BY_ID`]):
                // the rows travel as one JSON parameter and the (row, student id) pairs come back as one JSON
                // text, so the lookup costs one index seek per row whatever the list's length, and the driver
                // hands over one row instead of thousands (sqlx's SQLite worker passes rows one by one, each
                // a thread wake-up). Rows with a 身份证号 seek the roster's unique key; rows giving only a
                // 手机号 seek by name.
                let (mut by_id, mut by_phone) = (Vec::new(), Vec::new());
                for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.problem.is_none()) {
                    if let Some(&s) = schools.get(&r.school) {
                        let probe = Probe {
                            i,
                            s,
                            y: r.graduation_year,
                            n: &r.name,
                            d: r.id_number.as_deref(),
                            p: r.phone.as_deref(),
                        };
                        match (&r.id_number, &r.phone) {
                            (Some(_), _) => by_id.push(probe),
                            (None, Some(_)) => by_phone.push(probe),
                            (None, None) => {}
                        }
                    }
                }
                let backend = txn.get_database_backend();
                // Row index → the matching roster record (the lowest id if a phone-only row matches several);
                // indexed by row, no hashing.
                let mut matched: Vec<Option<i64>> = vec![None; rows.len()];
                for (sql, probes) in [(&MATCH_BY_ID, by_id), (&MATCH_BY_PHONE, by_phone)] {
                    if probes.is_empty() {
                        continue;
                    }
                    let json = serde_json::to_string(&probes).map_err(|_| AppError::Internal)?;
                    let stmt = sql.statement(backend, [json.into()]);
                    let found: String = match txn.query_one_raw(stmt).await.db()? {
                        Some(row) => row.try_get_by_index(0).db()?,
                        None => continue,
                    };
                    let pairs: Vec<(usize, i64)> = serde_json::from_str(&found).map_err(|e| {
                        tracing::error!(error = %e, "import: unreadable match result");
                        AppError::Internal
                    })?;
                    for (i, sid) in pairs {
                        let best = matched.get_mut(i).ok_or(AppError::Internal)?;
                        *best = Some(best.map_or(sid, |b| b.min(sid)));
                    }
                }
                let looked_up = started.elapsed();
                let existing: HashSet<i64> = sign_list::Entity::find()
                    .select_only()
                    .column(sign_list::Column::StudentId)
                    .filter(sign_list::Column::EmployerId.eq(e.id))
                    .into_tuple()
                    .all(txn)
                    .await
                    .db()?
                    .into_iter()
                    .collect();

                let mut lines = Vec::with_capacity(rows.len());
                let mut to_add: Vec<i64> = Vec::new();
                let mut seen: HashMap<i64, u32> = HashMap::new();
                for (i, r) in rows.into_iter().enumerate() {
                    let outcome: std::result::Result<i64, String> = (|| {
                        if let Some(p) = &r.problem {
                            return Err(p.clone());
                        }
                        let s = matched[i].ok_or_else(|| NOT_FOUND.to_owned())?;
                        if let Some(first) = seen.get(&s) {
                            return Err(format!("与第{first}行是同一名学生"));
                        }
                        if existing.contains(&s) {
                            return Err("已在签约发送列表中".to_owned());
                        }
                        Ok(s)
                    })();
                    match outcome {
                        Ok(id) => {
                            seen.insert(id, r.line);
                            to_add.push(id);
                            lines.push(ImportLine {
                                line: r.line,
                                name: r.name,
                                added: true,
                                outcome: "已加入".into(),
                            });
                        }
                        Err(why) => lines.push(ImportLine {
                            line: r.line,
                            name: r.name,
                            added: false,
                            outcome: why,
                        }),
                    }
                }
                check_room(txn, e.id, to_add.len() as u64).await?;
                let matched_at = started.elapsed();
                if !to_add.is_empty() {
                    // One statement whatever the count (PostgreSQL allows 65,535 bound values per statement).
                    let ids = serde_json::to_string(&to_add).map_err(|_| AppError::Internal)?;
                    let values: [sea_orm::Value; 3] = [e.id.into(), Utc::now().into(), ids.into()];
                    txn.execute_raw(ADD_ALL.statement(backend, values))
                        .await
                        .unique_or(AppError::conflict("签约发送列表刚被修改，请重新导入"))?;
                }
                let inserted = started.elapsed();
                Ok((lines, to_add.len(), looked_up, matched_at, inserted, started))
            })
        })
        .await?;
    let (lines, added, looked_up, matched_at, inserted, started) = done;
    tracing::debug!(
        rows = lines.len(),
        added,
        lookup_ms = looked_up.as_secs_f64() * 1e3,
        match_ms = (matched_at - looked_up).as_secs_f64() * 1e3,
        insert_ms = (inserted - matched_at).as_secs_f64() * 1e3,
        commit_ms = (started.elapsed() - inserted).as_secs_f64() * 1e3,
        "import"
    );
    Ok(ImportReport {
        added: added as u32,
        lines,
    })
}

/// One usable row of an import as the matching statements read it (a JSON object): its index in
/// the list, school id, 毕业届, 姓名, 身份证号 and 手机号 (null when not given).
#[derive(serde::Serialize)]
struct Probe<'a> {
    i: usize,
    s: i64,
    y: i32,
    n: &'a str,
    d: Option<&'a str>,
    p: Option<&'a str>,
}

/// A JSON array of [row index, student id] for every probe (a JSON array of [`Probe`]s) whose 身份证号 names an
/// eligible roster record of that school and 毕业届 with the same 姓名 and, if the row gives one,
/// the same 手机号: the exact match of SPEC rule 6, like [`find_exact`]. The eligibility
/// conditions are those of [`eligible`]. SQLite: `CROSS JOIN` keeps the probes the outer loop,
/// so each probe is one seek on `ux_students_roster`; `jsonb_each` hands each probe over as
/// binary JSON, which `json_extract` reads in place (`json_each` would print every probe back to
/// text for `json_extract` to parse again: most of the statement's time).
static MATCH_BY_ID: Sql = Sql::new(|backend| {
    let eligible = eligibility::sql(backend, "s");
    match backend {
        DbBackend::Postgres => format!(
            "SELECT COALESCE(json_agg(json_build_array(j.i, s.id)), '[]')::text \
             FROM json_to_recordset($1::json) AS j(i bigint, s bigint, y integer, n text, d text, p text) \
             JOIN students AS s ON s.school_id = j.s AND s.graduation_year = j.y AND s.id_number = j.d AND s.name = j.n \
             WHERE (j.p IS NULL OR s.phone = j.p) AND {eligible}"
        ),
        _ => format!(
            "SELECT json_group_array(json_array(j.i, s.id)) FROM (SELECT json_extract(value, '$.i') AS i, \
             json_extract(value, '$.s') AS sid, json_extract(value, '$.y') AS y, json_extract(value, '$.n') AS n, \
             json_extract(value, '$.d') AS d, json_extract(value, '$.p') AS p FROM jsonb_each(?)) AS j \
             CROSS JOIN students AS s \
             WHERE s.school_id = j.sid AND s.graduation_year = j.y AND s.id_number = j.d AND s.name = j.n \
             AND (j.p IS NULL OR s.phone = j.p) AND {eligible}"
        ),
    }
});

/// As [`MATCH_BY_ID`] for probes giving only a 手机号: same 姓名 and 手机号 (a seek on
/// `ix_students_search`). Several records may match one probe.
static MATCH_BY_PHONE: Sql = Sql::new(|backend| {
    let eligible = eligibility::sql(backend, "s");
    match backend {
        DbBackend::Postgres => format!(
            "SELECT COALESCE(json_agg(json_build_array(j.i, s.id)), '[]')::text \
             FROM json_to_recordset($1::json) AS j(i bigint, s bigint, y integer, n text, p text) \
             JOIN students AS s ON s.school_id = j.s AND s.graduation_year = j.y AND s.name = j.n AND s.phone = j.p \
             WHERE {eligible}"
        ),
        _ => format!(
            "SELECT json_group_array(json_array(j.i, s.id)) FROM (SELECT json_extract(value, '$.i') AS i, \
             json_extract(value, '$.s') AS sid, json_extract(value, '$.y') AS y, json_extract(value, '$.n') AS n, \
             json_extract(value, '$.p') AS p FROM jsonb_each(?)) AS j CROSS JOIN students AS s \
             WHERE s.school_id = j.sid AND s.graduation_year = j.y AND s.name = j.n AND s.phone = j.p \
             AND {eligible}"
        ),
    }
});

/// Adds the students of a JSON array of ids to employer `$1`'s list at `$2`, in array order.
static ADD_ALL: Sql = Sql::new(|backend| {
    match backend {
    DbBackend::Postgres => "INSERT INTO sign_list (employer_id, student_id, added_at) \
               SELECT $1, e.v::bigint, $2 FROM json_array_elements_text($3::json) WITH ORDINALITY AS e(v, k) ORDER BY e.k".into(),
    _ => "INSERT INTO sign_list (employer_id, student_id, added_at) SELECT ?, value, ? FROM json_each(?) ORDER BY key".into(),
}
});

/// A row of an imported 拟签约名单 after file-level parsing (see the `excel` crate).
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: u32,
    pub school: String,
    pub graduation_year: i32,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    /// Set when the row itself is unusable (the reason shown to the user).
    pub problem: Option<String>,
}
