//! What a school does to its roster (生源管理): the one way a roster record is written, whether
//! an admin adds or edits it (新增, 修改) or a 生源导入 file brings it. Each change is a
//! 签约过程记录 entry of the student (who, when, what, why; SPEC rule 7), which the record's
//! history shows.
//!
//! A record is found by 身份证号 + 毕业届 (a re-import updates, never duplicates). The same person
//! and 毕业届 belongs to one school only; two unique indexes hold this under concurrency.
//! Each new record gets its student account (login 身份证号, no password yet: the student sets
//! one at 首次登录 with a code sent to the roster phone). A changed 手机号 undoes the account's
//! 信息验证 (FAQ 2: the school corrects the phone, the student verifies again).

use std::collections::HashMap;

use chrono::Utc;
use domain::{
    role::AdminScope,
    roster::{self, RosterRecord},
    status::RosterStatus,
    AdminCaller, AppError, Role,
};
use sea_orm::{prelude::*, ActiveValue::Set, Condition, IntoActiveModel};

use super::{
    auth::{self, AccountScope},
    lookup::college_names,
    notify::{self, LogRef},
};
use crate::{
    entity::{account, college, student},
    DbResultExt, Result,
};

/// The admin who edits, as the write needs them: their school and, for a college admin, the one
/// college they may write to.
#[derive(Debug, Clone)]
pub struct Editor {
    pub account_id: i64,
    pub actor: String,
    pub school_id: i64,
    pub college_id: Option<i64>,
}

impl Editor {
    /// School and college admins edit their own students; the province admin keeps no roster.
    pub fn of(admin: &AdminCaller) -> Result<Self> {
        let (school_id, college_id) = match admin.scope() {
            AdminScope::School(s) => (s, None),
            AdminScope::College(s, c) => (s, Some(c)),
            AdminScope::Province => return Err(AppError::Forbidden),
        };
        Ok(Self {
            account_id: admin.account_id(),
            actor: admin.actor(),
            school_id,
            college_id,
        })
    }

    fn may_write(&self, s: &student::Model) -> bool {
        s.school_id == self.school_id && self.college_id.is_none_or(|c| c == s.college_id)
    }
}

/// The colleges a record may be put in by this editor, (id, name): the rules check a record's
/// 学院 against these.
pub async fn colleges_for(c: &impl ConnectionTrait, editor: &Editor) -> Result<Vec<(i64, String)>> {
    let mut q = college::Entity::find().filter(college::Column::SchoolId.eq(editor.school_id));
    if let Some(id) = editor.college_id {
        q = q.filter(college::Column::Id.eq(id));
    }
    Ok(q.all(c).await.db()?.into_iter().map(|c| (c.id, c.name)).collect())
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// How a change came, as the history names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// 生源管理's form.
    Form,
    /// 生源导入.
    Import,
}

impl Source {
    fn added(self) -> &'static str {
        match self {
            Source::Form => "新增生源信息",
            Source::Import => "导入生源信息（新增）",
        }
    }
    fn updated(self) -> &'static str {
        match self {
            Source::Form => "修改生源信息",
            Source::Import => "导入生源信息（更新）",
        }
    }
}

/// The saved records among `keys` (身份证号, 毕业届), in any school, read in one query (an import
/// looks up all its rows at once).
pub async fn find_existing(
    c: &impl ConnectionTrait,
    keys: &[(String, i32)],
) -> Result<HashMap<(String, i32), student::Model>> {
    let mut found = HashMap::new();
    // Bounded IN lists: SQLite allows 32,766 parameters, PostgreSQL 65,535.
    for chunk in keys.chunks(2_000) {
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| id.as_str()).collect();
        for s in student::Entity::find()
            .filter(student::Column::IdNumber.is_in(ids))
            .all(c)
            .await
            .db()?
        {
            found.insert((s.id_number.clone(), s.graduation_year), s);
        }
    }
    let keys: std::collections::HashSet<&(String, i32)> = keys.iter().collect();
    found.retain(|k, _| keys.contains(k));
    Ok(found)
}

/// Why a record may not be saved by this editor, given the record already saved under the same
/// 身份证号 + 毕业届 (if any). `None`: it may.
pub fn refusal(editor: &Editor, found: Option<&student::Model>) -> Option<String> {
    let s = found?;
    if s.school_id != editor.school_id {
        return Some(format!("该学生{}届的生源已在其他学校登记", s.graduation_year));
    }
    if !editor.may_write(s) {
        return Some("该学生属于本校其他学院，请联系学校管理员修改".into());
    }
    None
}

/// Saves a checked record: adds it (with its student account) when `found` is `None`, otherwise
/// updates `found`, the record saved under the same 身份证号 + 毕业届 (see [`find_existing`]).
/// Call it inside the write transaction; `reason` is the history's 原因 (may be empty).
pub async fn save(
    txn: &impl ConnectionTrait,
    editor: &Editor,
    rec: &RosterRecord,
    found: Option<student::Model>,
    source: Source,
    reason: &str,
) -> Result<(i64, Outcome)> {
    if let Some(why) = refusal(editor, found.as_ref()) {
        return Err(AppError::conflict(why));
    }
    if editor.college_id.is_some_and(|c| c != rec.college_id) {
        return Err(AppError::Forbidden);
    }
    match found {
        None => add(txn, editor, rec, source, reason)
            .await
            .map(|id| (id, Outcome::Added)),
        Some(old) => update(txn, editor, old, rec, source, reason).await,
    }
}

/// Changes the record `student_id` (生源管理's 修改): the caller's own student, found again
/// inside the transaction. A changed 身份证号 or 毕业届 must not collide with another record.
pub async fn edit(
    txn: &impl ConnectionTrait,
    editor: &Editor,
    student_id: i64,
    rec: &RosterRecord,
    reason: &str,
) -> Result<Outcome> {
    let old = student::Entity::find_by_id(student_id)
        .one(txn)
        .await
        .db()?
        .filter(|s| editor.may_write(s))
        .ok_or_else(|| AppError::not_found("学生"))?;
    if editor.college_id.is_some_and(|c| c != rec.college_id) {
        return Err(AppError::Forbidden);
    }
    update(txn, editor, old, rec, Source::Form, reason)
        .await
        .map(|(_, o)| o)
}

/// A saved record as the rules' type, for comparing with a new version.
pub async fn record_of(c: &impl ConnectionTrait, s: &student::Model) -> Result<RosterRecord> {
    let college = college_names(c, [s.college_id].into_iter())
        .await?
        .remove(&s.college_id)
        .unwrap_or_default();
    Ok(as_record(s, college))
}

/// A saved record as the rules' type, its college's name given (an import compares many).
pub fn as_record(s: &student::Model, college: String) -> RosterRecord {
    RosterRecord {
        college_id: s.college_id,
        college,
        major: s.major.clone(),
        degree: s.degree.clone(),
        graduation_year: s.graduation_year,
        name: s.name.clone(),
        gender: s.gender.clone(),
        id_number: s.id_number.clone(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        training_mode: s.training_mode.clone(),
        origin: s.origin.clone(),
    }
}

fn duplicate(rec: &RosterRecord) -> AppError {
    AppError::conflict(format!(
        "身份证号为{}的学生{}届的生源已登记",
        domain::ids::mask_id_number(&rec.id_number),
        rec.graduation_year
    ))
}

/// Rows per statement of [`add_all`]: within SQLite's 32,766 and PostgreSQL's 65,535 bound
/// values for the widest table (students, 16 columns).
const ADD_CHUNK: usize = 1000;

/// Adds many new records (生源导入), each exactly as [`save`] adds one — a record waiting for
/// 生源审核, its account without a password, its history entry — in three statements per
/// thousand records instead of four per record (`make bench` figure 9). A person who already has
/// an account (an earlier 毕业届) or comes twice in `recs` is added through [`save`], which
/// decides which record the account follows; its refusal is named by `in_row` with the row's
/// number (`rows` are (row number, record)).
pub async fn add_all(
    txn: &impl ConnectionTrait,
    editor: &Editor,
    rows: &[(u32, &RosterRecord)],
    source: Source,
    in_row: impl Fn(u32, AppError) -> AppError,
) -> Result<()> {
    if let Some((_, r)) = rows
        .iter()
        .find(|(_, r)| editor.college_id.is_some_and(|c| c != r.college_id))
    {
        tracing::warn!(college = r.college_id, "a record for another college than the editor's");
        return Err(AppError::Forbidden);
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (_, r) in rows {
        *seen.entry(r.id_number.as_str()).or_default() += 1;
    }
    let mut with_account = std::collections::HashSet::new();
    let logins: Vec<&str> = seen.keys().copied().collect();
    for chunk in logins.chunks(ADD_CHUNK) {
        let found = account::Entity::find()
            .filter(account::Column::Login.is_in(chunk.iter().copied()))
            .all(txn)
            .await
            .db()?;
        with_account.extend(found.into_iter().map(|a| a.login));
    }
    let (one_by_one, fresh): (Vec<_>, Vec<_>) = rows
        .iter()
        .copied()
        .partition(|(_, r)| seen[r.id_number.as_str()] > 1 || with_account.contains(&r.id_number));
    let now = Utc::now();
    for chunk in fresh.chunks(ADD_CHUNK) {
        let added = student::Entity::insert_many(chunk.iter().map(|(_, rec)| new_student(editor, rec, now)))
            .exec_with_returning(txn)
            .await
            // Only another school's import of the same person at this moment (PostgreSQL) gets here.
            .unique_or(AppError::conflict(
                "有学生刚被其他学校登记，本次导入未保存任何数据，请重新上传",
            ))?;
        account::Entity::insert_many(
            added
                .iter()
                .map(|s| auth::new_account(&s.id_number, "", Role::Student, &s.name, student_scope(s), now)),
        )
        .exec_without_returning(txn)
        .await
        .unique_or(AppError::conflict(
            "有学生的账号刚被创建，本次导入未保存任何数据，请重新上传",
        ))?;
        let ats = added.iter().map(|s| LogRef {
            student_id: Some(s.id),
            ..Default::default()
        });
        notify::log_all(txn, ats, Some(editor.account_id), &editor.actor, source.added(), "").await?;
    }
    for (line, rec) in one_by_one {
        add(txn, editor, rec, source, "").await.map_err(|e| in_row(line, e))?;
    }
    Ok(())
}

fn new_student(editor: &Editor, rec: &RosterRecord, now: chrono::DateTime<Utc>) -> student::ActiveModel {
    student::ActiveModel {
        school_id: Set(editor.school_id),
        college_id: Set(rec.college_id),
        major: Set(rec.major.clone()),
        degree: Set(rec.degree.clone()),
        graduation_year: Set(rec.graduation_year),
        name: Set(rec.name.clone()),
        gender: Set(rec.gender.clone()),
        id_number: Set(rec.id_number.clone()),
        phone: Set(rec.phone.clone()),
        email: Set(rec.email.clone()),
        training_mode: Set(rec.training_mode.clone()),
        origin: Set(rec.origin.clone()),
        // 生源审核 comes next: only an approved record may sign (SPEC rule 4).
        roster_status: Set(RosterStatus::Pending),
        restricted: Set(false),
        plan_submitted: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
}

fn student_scope(s: &student::Model) -> AccountScope {
    AccountScope {
        school_id: Some(s.school_id),
        college_id: Some(s.college_id),
        student_id: Some(s.id),
        ..Default::default()
    }
}

async fn add(
    txn: &impl ConnectionTrait,
    editor: &Editor,
    rec: &RosterRecord,
    source: Source,
    reason: &str,
) -> Result<i64> {
    let s = new_student(editor, rec, Utc::now())
        .insert(txn)
        .await
        .unique_or(duplicate(rec))?;
    attach_account(txn, &s).await?;
    let at = LogRef {
        student_id: Some(s.id),
        ..Default::default()
    };
    notify::log(txn, at, Some(editor.account_id), &editor.actor, source.added(), reason).await?;
    Ok(s.id)
}

/// The person's student account follows their latest 毕业届: one login (身份证号) per person,
/// for the record of the class they graduate with (a 本科 graduate who stays for a master's
/// degree is entered again for the later year).
async fn attach_account(txn: &impl ConnectionTrait, s: &student::Model) -> Result<()> {
    let existing = account::Entity::find()
        .filter(account::Column::Login.eq(s.id_number.as_str()))
        .one(txn)
        .await
        .db()?;
    let Some(acc) = existing else {
        // No password yet (empty hash): 首次登录 sets one after a code to the roster phone.
        auth::create_account(txn, &s.id_number, "", Role::Student, &s.name, student_scope(s)).await?;
        return Ok(());
    };
    if acc.role != Role::Student {
        return Err(AppError::conflict("该身份证号已被其他账号使用"));
    }
    let current_year = match acc.student_id {
        Some(id) => student::Entity::find_by_id(id)
            .one(txn)
            .await
            .db()?
            .map(|c| c.graduation_year),
        None => None,
    };
    if current_year.is_none_or(|y| y < s.graduation_year) {
        let mut am = acc.into_active_model();
        am.student_id = Set(Some(s.id));
        am.school_id = Set(Some(s.school_id));
        am.college_id = Set(Some(s.college_id));
        am.display_name = Set(s.name.clone());
        am.update(txn).await.db()?;
    }
    Ok(())
}

async fn update(
    txn: &impl ConnectionTrait,
    editor: &Editor,
    old: student::Model,
    rec: &RosterRecord,
    source: Source,
    reason: &str,
) -> Result<(i64, Outcome)> {
    let id = old.id;
    let before = record_of(txn, &old).await?;
    let changed = roster::changes(&before, rec);
    if changed.is_empty() {
        return Ok((id, Outcome::Unchanged));
    }
    let phone_changed = before.phone != rec.phone;
    let key_changed = before.id_number != rec.id_number || before.graduation_year != rec.graduation_year;
    let mut am = old.into_active_model();
    am.college_id = Set(rec.college_id);
    am.major = Set(rec.major.clone());
    am.degree = Set(rec.degree.clone());
    am.graduation_year = Set(rec.graduation_year);
    am.name = Set(rec.name.clone());
    am.gender = Set(rec.gender.clone());
    am.id_number = Set(rec.id_number.clone());
    am.phone = Set(rec.phone.clone());
    am.email = Set(rec.email.clone());
    am.training_mode = Set(rec.training_mode.clone());
    am.origin = Set(rec.origin.clone());
    am.update(txn).await.unique_or(duplicate(rec))?;

    // The account of this record follows its 学院, name, 身份证号 (the login) and phone.
    if let Some(acc) = account::Entity::find()
        .filter(account::Column::StudentId.eq(id))
        .one(txn)
        .await
        .db()?
    {
        let mut am = acc.into_active_model();
        am.college_id = Set(Some(rec.college_id));
        am.display_name = Set(rec.name.clone());
        if key_changed {
            am.login = Set(rec.id_number.clone());
        }
        if phone_changed {
            am.phone_verified_at = Set(None);
        }
        am.update(txn)
            .await
            .unique_or(AppError::conflict("该身份证号已被其他账号使用"))?;
    }
    let at = LogRef {
        student_id: Some(id),
        ..Default::default()
    };
    let action = format!("{}：{}", source.updated(), changed.join("；"));
    notify::log(txn, at, Some(editor.account_id), &editor.actor, &action, reason).await?;
    Ok((id, Outcome::Updated))
}

/// Filter for the records an editor may write (a college admin's own college).
pub fn writable(editor: &Editor) -> Condition {
    let mut c = Condition::all().add(student::Column::SchoolId.eq(editor.school_id));
    if let Some(id) = editor.college_id {
        c = c.add(student::Column::CollegeId.eq(id));
    }
    c
}
