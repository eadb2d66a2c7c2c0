//! The roster figures.
//!
//! 9. 生源导入 of a 10,000-row file — parse, validate, preview, then 确认导入 (parse again, judge
//!    again and save every row, each a new record with its account and history) — beside
//!    calamine's bare read of the same file. Each round imports a different file (new people),
//!    so every round saves 10,000 records.
//! 10. The admin roster list (`data::service::roster::list`, first and 500th page, as a school
//!     admin and as a college admin) on PostgreSQL with a province-scale roster: 500,000 students
//!     in 40 schools of 12,500 (6 colleges each: five of 500, one of 10,000).
//!
//! The province fixture lives in its own database, `wangqian_bench_province` on the server of
//! `BENCH_POSTGRES_URL` (default `postgres://app:app@127.0.0.1:5432/app`): built once with
//! `INSERT … SELECT generate_series` (about a minute), marked by the table `bench_fixture`, and
//! reused by later runs and later figures (migrations run on it each time, so new indexes apply).
//! Drop the database to build it again.

use std::{io::Cursor, time::Instant};

use domain::view::RosterFilter;

use data::{
    service::{
        roster,
        roster_admin::{self, Editor},
        roster_import,
    },
    Db,
};
use domain::{roster::COLUMNS, roster_import::FileRow, AdminCaller, Caller, Capability, Role};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{
    fixture::Res,
    load::median_ms,
    progress,
    report::{Line, Verdict},
};

/// A new person's 身份证号 for import `n` (distinct for n < 3,360,000).
fn person(n: usize) -> (String, &'static str) {
    let seq = n % 1000;
    let d = n / 1000;
    let first17 = format!(
        "110101{}{:02}{:02}{:03}",
        1995 + d / 336,
        1 + (d / 28) % 12,
        1 + d % 28,
        seq
    );
    let check = domain::ids::id_check_char(&first17).unwrap_or('0');
    // The 17th digit: odd for men.
    (format!("{first17}{check}"), if seq % 2 == 1 { "男" } else { "女" })
}

/// A roster file of `rows` new people (numbered from `first`), spread over `colleges`.
fn roster_file(first: usize, rows: usize, colleges: &[String], year: i32) -> Res<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| format!("roster file: {e}");
    ws.set_name("生源信息").map_err(e)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(e)?;
    }
    let year = year.to_string();
    for i in 0..rows {
        let n = first + i;
        let (id, gender) = person(n);
        let phone = format!("139{:08}", n);
        let name = format!("学生{n}");
        let cells = [
            colleges[i % colleges.len()].as_str(),
            "软件工程",
            "本科",
            &year,
            &name,
            gender,
            &id,
            &phone,
            "",
            "非定向",
            "湖北省武汉市",
        ];
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(i as u32 + 1, c as u16, *v).map_err(e)?;
            }
        }
    }
    wb.save_to_buffer().map_err(e)
}

fn calamine_read(bytes: &[u8]) -> Res<usize> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("calamine: {e}"))?;
    let range = wb.worksheet_range("生源信息").map_err(|e| format!("calamine: {e}"))?;
    Ok(range.used_cells().count())
}

fn file_rows(bytes: &[u8]) -> Res<Vec<FileRow>> {
    Ok(excel::parse_roster(bytes)
        .map_err(|e| format!("roster import: the file was refused: {e}"))?
        .into_iter()
        .map(|r| FileRow {
            line: r.line,
            cells: r.cells,
            problems: r.problems,
        })
        .collect())
}

/// Figure 9: the whole 生源导入 of `rows` rows, `runs` rounds, on `db` as `admin`.
pub async fn import_figure(db: &Db, admin: &AdminCaller, rows: usize, runs: usize) -> Res<Vec<Line>> {
    let editor = Editor::of(admin).map_err(|e| format!("roster import: {e:?}"))?;
    let colleges: Vec<String> = roster_admin::colleges_for(db.reads(), &editor)
        .await
        .map_err(|e| format!("roster import: {e:?}"))?
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let year = roster_import::current_season();
    progress(format!(
        "roster import: {rows} new students per round, calamine bare read vs parse + preview + confirm, median of {runs}"
    ));
    let (mut bare, mut whole, mut preview_only) = (Vec::new(), Vec::new(), Vec::new());
    let mut size = 0;
    for k in 0..=runs {
        let xlsx = roster_file(k * rows, rows, &colleges, year)?;
        size = xlsx.len();
        let t = Instant::now();
        let cells = calamine_read(&xlsx)?;
        bare.push(t.elapsed());
        if cells < rows * 10 {
            return Err(format!("roster import: calamine read only {cells} cells"));
        }
        let t = Instant::now();
        let (counts, _) = roster_import::preview(db, admin, file_rows(&xlsx)?)
            .await
            .map_err(|e| format!("roster import: preview: {e:?}"))?;
        let previewed = t.elapsed();
        let done = roster_import::confirm(db, admin, file_rows(&xlsx)?)
            .await
            .map_err(|e| format!("roster import: confirm: {e:?}"))?;
        let took = t.elapsed();
        if counts.added as usize != rows || done.counts.added as usize != rows {
            return Err(format!(
                "roster import: {} of {rows} rows previewed as new, {} saved (first refused: {:?})",
                counts.added,
                done.counts.added,
                done.skipped.first()
            ));
        }
        if k == 0 {
            // Warm-up.
            bare.clear();
            continue;
        }
        whole.push(took);
        preview_only.push(previewed);
    }
    let (import_ms, bare_ms, preview_ms) = (median_ms(whole), median_ms(bare), median_ms(preview_only));
    let ratio = import_ms / bare_ms;
    Ok(vec![
        Line::new(
            format!("9 roster import {rows} rows (ms)"),
            format!("{import_ms:.0}"),
            format!("{bare_ms:.0} (calamine read)"),
            format!("{ratio:.1}x"),
            "<= 3x",
            Verdict::from(ratio <= 3.0),
        ),
        Line::new(
            format!("  of which parse + preview ({size} bytes) (ms)"),
            format!("{preview_ms:.0}"),
            "-",
            format!("{:.1}x", preview_ms / bare_ms),
            "-",
            Verdict::Info,
        ),
    ])
}

const PROVINCE_DB: &str = "wangqian_bench_province";
/// Bump when the fixture's shape changes: the database is then built again.
const FIXTURE_VERSION: i64 = 1;
pub const PROVINCE_STUDENTS: i64 = 500_000;

/// The province fixture's database (built if missing); `None` without a PostgreSQL server.
pub async fn province_db() -> Res<Option<Db>> {
    crate::fixture::postgres_fixture(PROVINCE_DB, FIXTURE_VERSION, "figure 10", || {
        let mut steps = province_roster_sql();
        steps.push("VACUUM ANALYZE students".to_owned());
        steps
    })
    .await
}

/// The province's roster, set-based: 40 schools (院校代码 90001…90040) of 12,500 students, each
/// with six colleges (five of 500, one of 10,000). Also the start of the review figures' fixture.
pub fn province_roster_sql() -> Vec<String> {
    vec![
        "INSERT INTO schools (code, name, created_at) \
         SELECT '9' || lpad(s::text, 4, '0'), '基准大学' || s, now() FROM generate_series(1, 40) AS s"
            .to_owned(),
        "INSERT INTO colleges (school_id, name) \
         SELECT sc.id, '学院' || c FROM schools sc, generate_series(0, 5) AS c"
            .to_owned(),
        format!(
            "INSERT INTO students (school_id, college_id, major, degree, graduation_year, name, gender, id_number, \
             phone, email, training_mode, origin, roster_status, restricted, plan_submitted, created_at) \
             SELECT sc.id, co.id, '专业' || (g.i % 20), '本科', 2027, '学生' || g.i, \
             CASE WHEN g.i % 2 = 0 THEN '女' ELSE '男' END, '9' || lpad(g.i::text, 17, '0'), \
             '139' || lpad(g.i::text, 8, '0'), '', '非定向', '', \
             CASE WHEN g.i % 10 = 0 THEN 'pending' ELSE 'approved' END, false, false, now() \
             FROM generate_series(0, {}) AS g(i) \
             JOIN schools sc ON sc.code = '9' || lpad((g.i / 12500 + 1)::text, 4, '0') \
             JOIN colleges co ON co.school_id = sc.id AND co.name = '学院' || least((g.i % 12500) / 500, 5)",
            PROVINCE_STUDENTS - 1
        ),
    ]
}

pub fn admin_of(role: Role, school_id: i64, college_id: Option<i64>) -> Res<AdminCaller> {
    let caller = Caller {
        account_id: 0,
        role,
        display_name: "基准".into(),
        school_id: Some(school_id),
        college_id,
        student_id: None,
        employer_id: None,
        must_change_password: false,
    };
    AdminCaller::from_caller(&caller).map_err(|e| format!("province fixture: {e:?}"))
}

/// Figure 10: the admin roster list on the province fixture, p95 of `requests` sequential calls.
pub async fn list_figure(db: &Db, requests: usize) -> Res<Vec<Line>> {
    let row = db
        .reads()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT co.school_id AS s, co.id AS c FROM colleges co JOIN schools sc ON sc.id = co.school_id \
             WHERE sc.code = '90020' AND co.name = '学院5'"
                .to_owned(),
        ))
        .await
        .map_err(|e| format!("province fixture: {e}"))?
        .ok_or("province fixture: school 90020 missing")?;
    let school: i64 = row.try_get("", "s").map_err(|e| format!("{e}"))?;
    let college: i64 = row.try_get("", "c").map_err(|e| format!("{e}"))?;
    let mut lines = Vec::new();
    for (who, admin) in [
        ("school admin", admin_of(Role::SchoolAdmin, school, None)?),
        ("college admin", admin_of(Role::CollegeAdmin, school, Some(college))?),
    ] {
        for page in [1u64, 500] {
            let call = || {
                roster::list(
                    db,
                    &admin,
                    RosterFilter {
                        page,
                        ..Default::default()
                    },
                )
            };
            for _ in 0..10 {
                call().await.map_err(|e| format!("roster list: {e:?}"))?;
            }
            let mut times = Vec::with_capacity(requests);
            for _ in 0..requests {
                let t = Instant::now();
                let p = call().await.map_err(|e| format!("roster list: {e:?}"))?;
                times.push(t.elapsed());
                if p.page.rows.len() != 20 {
                    return Err(format!(
                        "roster list: page {page} of the {who} has {} rows",
                        p.page.rows.len()
                    ));
                }
            }
            times.sort();
            let pct =
                |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1000.0;
            let p95 = pct(0.95);
            lines.push(Line::new(
                format!("10 roster list, 500k students, {who}, page {page} p95 (ms)"),
                format!("{p95:.1}"),
                format!("{:.1} (p50)", pct(0.5)),
                "-",
                "< 100 ms",
                Verdict::from(p95 < 100.0),
            ));
        }
    }
    Ok(lines)
}
