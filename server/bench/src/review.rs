//! The review figures, on PostgreSQL at a province's scale.
//!
//! 11. The review queue (`data::service::agreement::queue`, first page of 等待签约审核) as a
//!     school admin, a college admin and the province admin.
//! 12. The admin 用户中心 (`data::service::dashboard::admin`: its counters) for the same three.
//!
//! The fixture lives in its own database, `wangqian_bench_review` on the server of
//! `BENCH_POSTGRES_URL` (default `postgres://app:app@127.0.0.1:5432/app`): the province roster of
//! figure 10 (500,000 students in 40 schools), 1,000 employers, 2,000,000 invitations (four per
//! student), 200,000 online agreements (two students in five: 10 % 等待签约审核, 2 % 等待学校审核,
//! 8 % 签约审核不通过, the rest certified) and 20,000 termination requests (a quarter 等待解约审核).
//! Built once with `INSERT … SELECT generate_series` and reused (marked by `bench_fixture`); its
//! own database, so that the migrations run on it are this branch's alone. Drop it to build again.

use std::time::{Duration, Instant};

use data::{
    service::{agreement, dashboard},
    Db,
};
use domain::{status::AgreementStatus, view::ReviewFilter, AdminCaller, Role};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{
    fixture::Res,
    report::{Line, Verdict},
    roster::{admin_of, province_roster_sql},
};

const REVIEW_DB: &str = "wangqian_bench_review";
/// Bump when the fixture's shape changes: the database is then built again.
const FIXTURE_VERSION: i64 = 1;

fn fixture_sql() -> Vec<String> {
    let mut steps = province_roster_sql();
    steps.extend(
        [
            "INSERT INTO employers (name, credit_code, created_at) \
             SELECT '基准单位' || e, 'B' || lpad(e::text, 17, '0'), now() FROM generate_series(1, 1000) AS e",
            // Each student's place in the roster (0…499,999), for the set-based inserts below.
            "CREATE TABLE bench_n AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM students",
            // Four invitations a student, from four different employers: the first accepted by the
            // two students in five who signed, a few still pending, the rest expired.
            "INSERT INTO invitations (employer_id, student_id, status, position, deadline, created_at) \
             SELECT e.e0 + (b.n * 4 + k) % 1000, b.id, \
             CASE WHEN k = 0 AND b.n % 5 < 2 THEN 'accepted' \
                  WHEN k = 1 AND b.n % 5 >= 2 AND b.n % 7 = 0 THEN 'pending' ELSE 'expired' END, \
             '岗位' || k, now() + interval '7 days', now() - make_interval(secs => b.n * 4 + k) \
             FROM bench_n b, generate_series(0, 3) AS k, (SELECT min(id) AS e0 FROM employers) AS e",
            "INSERT INTO agreements (agreement_no, verify_code, kind, student_id, employer_id, invitation_id, \
             status, employer_name, position, created_at, updated_at, certified_at) \
             SELECT 'WQB' || lpad(b.n::text, 9, '0'), 'V' || lpad(b.n::text, 11, '0'), 'online', b.id, \
             i.employer_id, i.id, \
             CASE WHEN (b.n / 5) % 50 < 5 THEN 'awaiting_review' WHEN (b.n / 5) % 50 = 5 THEN 'awaiting_school' \
                  WHEN (b.n / 5) % 50 < 10 THEN 'review_rejected' ELSE 'certified' END, \
             '基准单位', i.position, i.created_at, i.created_at, \
             CASE WHEN (b.n / 5) % 50 >= 10 THEN i.created_at END \
             FROM bench_n b JOIN invitations i ON i.student_id = b.id AND i.status = 'accepted'",
            "INSERT INTO terminations (agreement_id, initiator, reason, status, created_at, updated_at) \
             SELECT a.id, 'student', '继续深造', \
             CASE WHEN (a.id / 8) % 4 = 0 THEN 'awaiting_review' ELSE 'approved' END, now(), now() \
             FROM agreements a WHERE a.status = 'certified' AND a.id % 8 = 1 LIMIT 20000",
            "DROP TABLE bench_n",
            "VACUUM ANALYZE students, employers, invitations, agreements, terminations",
        ]
        .map(str::to_owned),
    );
    steps
}

/// The review fixture's database (built if missing); `None` without a PostgreSQL server.
pub async fn review_db() -> Res<Option<Db>> {
    crate::fixture::postgres_fixture(REVIEW_DB, FIXTURE_VERSION, "figures 11 and 12", fixture_sql).await
}

/// p50 and p95 of `requests` sequential calls after 10 warm-ups.
async fn timed<F, Fut, T>(requests: usize, mut call: F) -> Res<(f64, f64, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Res<T>>,
{
    for _ in 0..10 {
        call().await?;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(requests);
    let mut last = None;
    for _ in 0..requests {
        let t = Instant::now();
        last = Some(call().await?);
        times.push(t.elapsed());
    }
    times.sort();
    let pct = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1000.0;
    Ok((pct(0.5), pct(0.95), last.ok_or("no requests")?))
}

/// Figures 11 and 12.
pub async fn figures(db: &Db, requests: usize) -> Res<Vec<Line>> {
    let row = db
        .reads()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT co.school_id AS s, co.id AS c FROM colleges co JOIN schools sc ON sc.id = co.school_id \
             WHERE sc.code = '90020' AND co.name = '学院5'"
                .to_owned(),
        ))
        .await
        .map_err(|e| format!("review fixture: {e}"))?
        .ok_or("review fixture: school 90020 missing")?;
    let school: i64 = row.try_get("", "s").map_err(|e| format!("{e}"))?;
    let college: i64 = row.try_get("", "c").map_err(|e| format!("{e}"))?;
    let admins: [(&str, AdminCaller); 3] = [
        ("school admin", admin_of(Role::SchoolAdmin, school, None)?),
        ("college admin", admin_of(Role::CollegeAdmin, school, Some(college))?),
        ("province admin", admin_of(Role::ProvinceAdmin, school, None)?),
    ];
    let mut lines = Vec::new();
    for (who, admin) in &admins {
        let (p50, p95, page) = timed(requests, || async {
            agreement::queue(
                db,
                admin,
                ReviewFilter {
                    status: AgreementStatus::AwaitingReview.code().to_owned(),
                    page: 1,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| format!("review queue: {e:?}"))
        })
        .await?;
        if page.rows.len() != 20 {
            return Err(format!(
                "review queue: the {who}'s first page has {} rows",
                page.rows.len()
            ));
        }
        lines.push(Line::new(
            format!("11 review queue, 200k agreements, {who}, 等待签约审核 page 1 p95 (ms)"),
            format!("{p95:.1}"),
            format!("{p50:.1} (p50)"),
            "-",
            "< 100 ms",
            Verdict::from(p95 < 100.0),
        ));
    }
    for (who, admin) in &admins {
        let (p50, p95, d) = timed(requests, || async {
            dashboard::admin(db, admin)
                .await
                .map_err(|e| format!("admin dashboard: {e:?}"))
        })
        .await?;
        if d.awaiting_signing_review == 0 {
            return Err(format!("admin dashboard: the {who} has nothing waiting"));
        }
        lines.push(Line::new(
            format!("12 admin 用户中心 counters, {who} p95 (ms)"),
            format!("{p95:.1}"),
            format!("{p50:.1} (p50)"),
            "-",
            "< 100 ms",
            Verdict::from(p95 < 100.0),
        ));
    }
    Ok(lines)
}
