//! 生源导入 (school and college admins): the preview of a roster file and 确认导入.
//!
//! Both run the same assessment ([`assess`]): the rules of every row (`domain::roster_import`),
//! then what the database knows, read in one query for all rows (`roster_admin::find_existing`):
//! a person already registered for that class by another school, or by another college of the
//! school when the caller is a college admin, is refused; otherwise the row adds a record or
//! updates (or leaves unchanged) the school's record of the same 身份证号 + 毕业届.
//!
//! The preview reads; 确认导入 assesses the file again inside ONE write transaction (the state may
//! have changed since the preview) and saves every row that is good at that moment through
//! `roster_admin::save`: all of them or, if any save fails, none.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use domain::{
    roster::{self, Context},
    roster_import::{self as ri, Checked, Counts, FileRow, Imported, Line, Outcome},
    AdminCaller, AppError,
};
use sea_orm::ConnectionTrait;

use super::roster_admin::{self, Editor, Source};
use crate::{entity::student, Db, Result};

/// The current 毕业届 (China time: the season turns on 1 September there).
pub fn current_season() -> i32 {
    let now = Utc::now() + chrono::Duration::hours(8);
    roster::season(now.year(), now.month())
}

/// A good row with what saving it would do.
struct Good {
    line: u32,
    rec: roster::RosterRecord,
    found: Option<student::Model>,
    outcome: Outcome,
}

/// Every row of the file judged against the rules and the database as `c` sees it.
async fn assess(c: &impl ConnectionTrait, editor: &Editor, rows: Vec<FileRow>) -> Result<(Vec<Line>, Vec<Good>)> {
    let colleges = roster_admin::colleges_for(c, editor).await?;
    // A college admin's rows of another college of the school: said so, not "no such college".
    let other_colleges: Vec<String> = match editor.college_id {
        None => Vec::new(),
        Some(_) => {
            let school = Editor {
                college_id: None,
                ..editor.clone()
            };
            roster_admin::colleges_for(c, &school)
                .await?
                .into_iter()
                .filter(|(_, n)| !colleges.iter().any(|(_, own)| own == n))
                .map(|(_, n)| n)
                .collect()
        }
    };
    let own = colleges.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、");
    let in_other_college = |reason: &String| {
        other_colleges
            .iter()
            .any(|n| *reason == format!("学院：本校没有学院“{n}”"))
            .then(|| format!("学院：只能导入本学院（{own}）的学生"))
    };
    let checked = ri::check_rows(
        rows,
        &Context {
            colleges: &colleges,
            season: current_season(),
        },
    );
    let keys: Vec<(String, i32)> = checked
        .iter()
        .filter_map(|c| c.result.as_ref().ok())
        .map(|r| (r.id_number.clone(), r.graduation_year))
        .collect();
    let mut found = roster_admin::find_existing(c, &keys).await?;
    // College names of the school, to compare a saved record with the file's (no query per row).
    let names: HashMap<i64, String> = super::lookup::college_names(c, found.values().map(|s| s.college_id)).await?;

    let mut lines = Vec::with_capacity(checked.len());
    let mut good = Vec::new();
    for Checked { line, name, result } in checked {
        let rec = match result {
            Ok(rec) => rec,
            Err(reasons) => {
                let reasons = reasons.into_iter().map(|r| in_other_college(&r).unwrap_or(r)).collect();
                lines.push(Line::bad(line, name, reasons));
                continue;
            }
        };
        let saved = found.remove(&(rec.id_number.clone(), rec.graduation_year));
        if let Some(why) = roster_admin::refusal(editor, saved.as_ref()) {
            let mut l = Line::bad(line, rec.name.clone(), vec![why]);
            l.id_number_masked = domain::ids::mask_id_number(&rec.id_number);
            lines.push(l);
            continue;
        }
        let (outcome, changes) = match &saved {
            None => (Outcome::Added, Vec::new()),
            Some(s) => {
                let before = roster_admin::as_record(s, names.get(&s.college_id).cloned().unwrap_or_default());
                let changes = roster::changes(&before, &rec);
                if changes.is_empty() {
                    (Outcome::Unchanged, changes)
                } else {
                    (Outcome::Updated, changes)
                }
            }
        };
        lines.push(Line::good(&rec, line, outcome, changes));
        good.push(Good {
            line,
            rec,
            found: saved,
            outcome,
        });
    }
    Ok((lines, good))
}

fn editor_of(admin: &AdminCaller) -> Result<Editor> {
    Editor::of(admin)
}

/// The preview: every row with its outcome or all its reasons; nothing is written.
pub async fn preview(db: &Db, admin: &AdminCaller, rows: Vec<FileRow>) -> Result<(Counts, Vec<Line>)> {
    let editor = editor_of(admin)?;
    if rows.is_empty() {
        return Err(AppError::invalid("文件中没有学生，请按模板填写后再上传"));
    }
    let (lines, _) = assess(db, &editor, rows).await?;
    Ok((Counts::of(&lines), lines))
}

/// 确认导入: the file assessed again in the write transaction, and every row good now saved
/// (as 导入生源信息 in each record's history), all or nothing.
pub async fn confirm(db: &Db, admin: &AdminCaller, rows: Vec<FileRow>) -> Result<Imported> {
    let editor = editor_of(admin)?;
    if rows.is_empty() {
        return Err(AppError::invalid("文件中没有学生，请按模板填写后再上传"));
    }
    db.write(move |txn| {
        Box::pin(async move {
            let (lines, good) = assess(txn, &editor, rows).await?;
            if good.is_empty() {
                return Err(AppError::invalid("没有可以导入的行，请修改后重新上传"));
            }
            // New records all at once; changed ones one by one (each compared with its old version).
            let new: Vec<(u32, &roster::RosterRecord)> = good
                .iter()
                .filter(|g| g.found.is_none())
                .map(|g| (g.line, &g.rec))
                .collect();
            roster_admin::add_all(txn, &editor, &new, Source::Import, in_row).await?;
            for g in good {
                if g.outcome == Outcome::Unchanged || g.found.is_none() {
                    continue;
                }
                roster_admin::save(txn, &editor, &g.rec, g.found, Source::Import, "")
                    .await
                    .map_err(|e| in_row(g.line, e))?;
            }
            let counts = Counts::of(&lines);
            Ok(Imported {
                counts,
                skipped: lines.into_iter().filter(|l| l.outcome.is_none()).collect(),
            })
        })
    })
    .await
}

/// A save refused by the database (a person registered a moment ago by another school) names the
/// row; the whole import is undone.
fn in_row(line: u32, e: AppError) -> AppError {
    match e {
        AppError::Conflict(m) => AppError::conflict(format!("第{line}行：{m}（本次导入未保存任何数据）")),
        AppError::Invalid(m) => AppError::invalid(format!("第{line}行：{m}（本次导入未保存任何数据）")),
        other => other,
    }
}
