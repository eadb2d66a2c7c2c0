//! 生源管理 (school and college admins): 新增 and 修改 a record through `roster_admin` (the one
//! way a record is written), 生源审核, 限制签约 / 解除限制, a record's detail with its history,
//! and the records of a filtered list for 导出. Each write finds the record again inside its
//! transaction, within the caller's scope, and writes its 签约过程记录 entry there (SPEC rules 7
//! and 9). The province admin reads the lists and details but keeps no roster (`Editor::of`).

use chrono::{Datelike, Duration, Utc};
use domain::{
    ids::{mask_id_number, mask_phone},
    roster::{self, RosterInput, RosterRecord},
    roster_manage::{self as rules, MAX_BATCH},
    status::RosterStatus,
    view::{ApproveReport, ProcessStep, RosterDetail, RosterFilter},
    AdminCaller, AppError,
};
use sea_orm::{prelude::*, QueryOrder};

use super::{
    lookup::{college_names, format_time, place, school_name},
    notify::{Effects, LogRef},
    roster::filtered,
    roster_admin::{self, Editor, Source},
};
use crate::{
    entity::{account, process_log, student},
    Db, DbResultExt, Result,
};

/// The 毕业届 of the season today (China time).
pub fn current_season() -> i32 {
    let now = Utc::now() + Duration::hours(8);
    roster::season(now.year(), now.month())
}

/// The record checked against the rules and the colleges this editor may write to.
async fn checked(c: &impl ConnectionTrait, editor: &Editor, input: &RosterInput) -> Result<RosterRecord> {
    let colleges = roster_admin::colleges_for(c, editor).await?;
    let cx = roster::Context {
        colleges: &colleges,
        season: current_season(),
    };
    Ok(roster::check(input, &cx)?)
}

/// The caller's own record `student_id` (a college admin's college, a school admin's school),
/// read inside the transaction; anything else reads as not there.
async fn own(c: &impl ConnectionTrait, editor: &Editor, student_id: i64) -> Result<student::Model> {
    student::Entity::find_by_id(student_id)
        .filter(roster_admin::writable(editor))
        .one(c)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("学生"))
}

/// 新增: a new record (待审核, with its student account). A person already entered for that
/// 毕业届 is refused: the admin edits that record instead.
pub async fn add(db: &Db, admin: &AdminCaller, input: RosterInput) -> Result<i64> {
    let editor = Editor::of(admin)?;
    db.write(move |txn| {
        Box::pin(async move {
            let rec = checked(txn, &editor, &input).await?;
            let key = (rec.id_number.clone(), rec.graduation_year);
            let found = roster_admin::find_existing(txn, std::slice::from_ref(&key))
                .await?
                .remove(&key);
            if let Some(s) = found {
                let why = roster_admin::refusal(&editor, Some(&s))
                    .unwrap_or_else(|| format!("该学生{}届的生源已登记，请在列表中查找后修改", s.graduation_year));
                return Err(AppError::conflict(why));
            }
            let (id, _) = roster_admin::save(txn, &editor, &rec, None, Source::Form, "").await?;
            Ok(id)
        })
    })
    .await
}

/// 修改 the record `student_id` with an optional 原因. Answers whether anything changed.
pub async fn edit(db: &Db, admin: &AdminCaller, student_id: i64, input: RosterInput, reason: String) -> Result<bool> {
    let editor = Editor::of(admin)?;
    let reason = rules::edit_reason(&reason)?;
    db.write(move |txn| {
        Box::pin(async move {
            // Out of scope reads as not there, before the fields are judged.
            own(txn, &editor, student_id).await?;
            let rec = checked(txn, &editor, &input).await?;
            let outcome = roster_admin::edit(txn, &editor, student_id, &rec, &reason).await?;
            Ok(outcome != roster_admin::Outcome::Unchanged)
        })
    })
    .await
}

/// 生源审核 of the selected records: 待审核 ones become 已审核 (each logged); ones approved
/// already are reported; ids outside the caller's scope are skipped, like every batch.
pub async fn approve(db: &Db, admin: &AdminCaller, student_ids: Vec<i64>) -> Result<ApproveReport> {
    let editor = Editor::of(admin)?;
    if student_ids.len() > MAX_BATCH {
        return Err(AppError::invalid(format!("一次最多审核{MAX_BATCH}条")));
    }
    db.write(move |txn| {
        Box::pin(async move {
            let list = student::Entity::find()
                .filter(student::Column::Id.is_in(student_ids))
                .filter(roster_admin::writable(&editor))
                .order_by_asc(student::Column::Id)
                .all(txn)
                .await
                .db()?;
            let mut report = ApproveReport::default();
            let mut effects = Effects::default();
            for s in list {
                let Some(next) = rules::approve(s.roster_status) else {
                    report.already.push(s.name);
                    continue;
                };
                // Only from the state just read: a concurrent approval is reported, not logged twice.
                let done = student::Entity::update_many()
                    .col_expr(student::Column::RosterStatus, Expr::value(next))
                    .filter(student::Column::Id.eq(s.id))
                    .filter(student::Column::RosterStatus.eq(s.roster_status))
                    .exec(txn)
                    .await
                    .db()?;
                if done.rows_affected == 1 {
                    let at = LogRef {
                        student_id: Some(s.id),
                        ..Default::default()
                    };
                    effects = effects.log(at, Some(editor.account_id), &editor.actor, rules::APPROVED, "");
                    report.approved.push(s.name);
                } else {
                    report.already.push(s.name);
                }
            }
            effects.write(txn).await?;
            Ok(report)
        })
    })
    .await
}

/// 限制签约 (`restrict`) or 解除限制 of the record `student_id`, with its required reason. The
/// student is told in the app (the reason is theirs to know: they cannot sign until it is lifted).
pub async fn restrict(db: &Db, admin: &AdminCaller, student_id: i64, restrict: bool, reason: String) -> Result<()> {
    let editor = Editor::of(admin)?;
    db.write(move |txn| {
        Box::pin(async move {
            let s = own(txn, &editor, student_id).await?;
            let action = rules::restriction(s.restricted, restrict, &reason)?;
            let done = student::Entity::update_many()
                .col_expr(student::Column::Restricted, Expr::value(restrict))
                .filter(student::Column::Id.eq(s.id))
                .filter(student::Column::Restricted.eq(s.restricted))
                .exec(txn)
                .await
                .db()?;
            if done.rows_affected != 1 {
                return Err(AppError::conflict("该记录已被其他管理员修改，请刷新页面"));
            }
            let reason = reason.trim();
            let at = LogRef {
                student_id: Some(s.id),
                ..Default::default()
            };
            let mut effects = Effects::default().log(at, Some(editor.account_id), &editor.actor, action, reason);
            let acc = account::Entity::find()
                .filter(account::Column::StudentId.eq(s.id))
                .one(txn)
                .await
                .db()?;
            if let Some(acc) = acc {
                let (title, body) = if restrict {
                    (
                        "学校已限制你签约",
                        format!("原因：{reason}。如有疑问请联系学校就业部门。"),
                    )
                } else {
                    ("学校已解除对你的签约限制", format!("原因：{reason}。"))
                };
                effects = effects.notice(acc.id, title, &body, "/student");
            }
            effects.write(txn).await
        })
    })
    .await
}

/// The record's own history entries (not those of its agreements), oldest first.
async fn history(db: &Db, student_id: i64) -> Result<Vec<process_log::Model>> {
    process_log::Entity::find()
        .filter(process_log::Column::StudentId.eq(student_id))
        .filter(process_log::Column::AgreementId.is_null())
        .filter(process_log::Column::InvitationId.is_null())
        .filter(process_log::Column::TerminationId.is_null())
        .order_by_asc(process_log::Column::Id)
        .all(db)
        .await
        .db()
}

/// Why the school restricted the student: the latest 限制签约 entry's reason.
fn restriction_reason(log: &[process_log::Model]) -> String {
    log.iter()
        .rev()
        .find(|l| l.action == rules::RESTRICTED)
        .map(|l| l.reason.clone())
        .unwrap_or_default()
}

/// A record in the caller's scope with its state and 变更记录; 404 outside the scope.
pub async fn detail(db: &Db, admin: &AdminCaller, student_id: i64) -> Result<RosterDetail> {
    let s = student::Entity::find_by_id(student_id)
        .one(db)
        .await
        .db()?
        .filter(|s| admin.can_reach(place(s)))
        .ok_or_else(|| AppError::not_found("学生"))?;
    let may_edit = Editor::of(admin).is_ok();
    let rec = roster_admin::record_of(db, &s).await?;
    let (id_number, phone) = if may_edit {
        (rec.id_number, rec.phone)
    } else {
        (mask_id_number(&rec.id_number), mask_phone(&rec.phone))
    };
    let record = RosterInput {
        college: rec.college,
        major: rec.major,
        degree: rec.degree,
        graduation_year: rec.graduation_year.to_string(),
        name: rec.name,
        gender: rec.gender,
        id_number,
        phone,
        email: rec.email,
        training_mode: rec.training_mode,
        origin: rec.origin,
    };
    let log = history(db, s.id).await?;
    let phone_verified = account::Entity::find()
        .filter(account::Column::StudentId.eq(s.id))
        .one(db)
        .await
        .db()?
        .is_some_and(|a| a.phone_verified_at.is_some());
    Ok(RosterDetail {
        id: s.id,
        school: school_name(db, s.school_id).await?,
        record,
        roster_status: s.roster_status.label().to_owned(),
        approved: s.roster_status == RosterStatus::Approved,
        restricted: s.restricted,
        restriction_reason: if s.restricted {
            restriction_reason(&log)
        } else {
            String::new()
        },
        phone_verified,
        may_edit,
        history: log
            .into_iter()
            .map(|l| ProcessStep {
                at: format_time(l.created_at),
                actor: l.actor,
                action: l.action,
                reason: l.reason,
            })
            .collect(),
    })
}

/// Most records in one 导出 (a school's season is a few thousand to some tens of thousands).
pub const MAX_EXPORT: u64 = 50_000;

/// One record of an export: its fields (whole: it is the school's own roster), 生源审核状态 and
/// 限制签约.
pub struct ExportRow {
    pub record: RosterRecord,
    pub status: &'static str,
    pub restricted: bool,
}

/// The records of the filtered list for 导出 (school and college admins; the province keeps no
/// roster), in the list's order.
pub async fn export(db: &Db, admin: &AdminCaller, filter: &RosterFilter) -> Result<Vec<ExportRow>> {
    Editor::of(admin)?;
    let q = filtered(admin.scope(), filter)?;
    let total = q.clone().count(db).await.db()?;
    if total > MAX_EXPORT {
        return Err(AppError::invalid(format!(
            "导出的记录有{total}条，超过{MAX_EXPORT}条，请先按学院或毕业届筛选"
        )));
    }
    let list = q.all(db).await.db()?;
    let colleges = college_names(db, list.iter().map(|s| s.college_id)).await?;
    Ok(list
        .into_iter()
        .map(|s| ExportRow {
            status: s.roster_status.label(),
            restricted: s.restricted,
            record: RosterRecord {
                college_id: s.college_id,
                college: colleges.get(&s.college_id).cloned().unwrap_or_default(),
                major: s.major,
                degree: s.degree,
                graduation_year: s.graduation_year,
                name: s.name,
                gender: s.gender,
                id_number: s.id_number,
                phone: s.phone,
                email: s.email,
                training_mode: s.training_mode,
                origin: s.origin,
            },
        })
        .collect())
}
