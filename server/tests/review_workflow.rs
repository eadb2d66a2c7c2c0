//! The review workflow through /api on SQLite and PostgreSQL: a school's 审核方式 (学院初审 +
//! 学校复审 end to end, for agreements and terminations, with both levels in the 签约过程记录),
//! 批量审核通过 with a mix of valid, foreign and already-decided rows, one decision when two
//! admins approve the same item at once, the admins' counters and notices, and the daily digest.

mod common;

use common::{demo, flow, on_each_backend, Client, TestApp};
use data::entity::{agreement, outbox, process_log};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

fn message(body: &Value) -> String {
    body.as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string())
}

/// Demo student `i` accepts an invitation of `employer`; returns the agreement (等待签约审核).
async fn awaiting(app: &TestApp, employer: &Client, i: usize) -> i64 {
    awaiting_with(app, employer, i).await.0
}

/// The same, with the student's session.
async fn awaiting_with(app: &TestApp, employer: &Client, i: usize) -> (i64, Client) {
    let inv = flow::invite(app, employer, i).await;
    let s = flow::student(app, i).await;
    let (status, id) = s
        .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] accept {i}: {id}", app.backend);
    (id.as_i64().unwrap(), s)
}

async fn review_termination(c: &Client, tid: i64, approve: bool) -> (StatusCode, Value) {
    c.post(
        "/api/admin/terminations/review",
        &[
            ("termination_id", &tid.to_string()),
            ("approve", &approve.to_string()),
            ("reason", ""),
        ],
    )
    .await
}

async fn apply_and_agree(student: &Client, employer: Option<&Client>, agreement_id: i64) -> i64 {
    let (status, t) = student
        .post(
            "/api/termination/apply",
            &[
                ("agreement_id", &agreement_id.to_string()),
                ("reason", "继续深造"),
                ("accept_terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    let tid = t["id"].as_i64().unwrap();
    if let Some(e) = employer {
        let (status, t) = e
            .post(
                "/api/termination/respond",
                &[
                    ("termination_id", &tid.to_string()),
                    ("agree", "true"),
                    ("accept_terms", "true"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{t}");
    }
    tid
}

async fn review(c: &Client, id: i64, approve: bool, reason: &str) -> (StatusCode, Value) {
    c.post(
        "/api/admin/agreements/review",
        &[
            ("agreement_id", &id.to_string()),
            ("approve", &approve.to_string()),
            ("reason", reason),
        ],
    )
    .await
}

async fn approve_many(c: &Client, path: &str, key: &str, ids: &[i64]) -> (StatusCode, Value) {
    c.post_owned(path, &flow::ids(key, ids)).await
}

async fn set_mode(c: &Client, mode: &str) -> (StatusCode, Value) {
    c.post("/api/admin/review-settings/mode", &[("mode", mode)]).await
}

async fn status_of(app: &TestApp, id: i64) -> String {
    agreement::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
        .code()
        .to_owned()
}

async fn dashboard(c: &Client) -> Value {
    let (status, d) = c.post("/api/admin/dashboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    d
}

async fn notice_titles(c: &Client) -> Vec<String> {
    let (_, n) = c.post("/api/notices", &[]).await;
    n.as_array()
        .unwrap()
        .iter()
        .map(|x| x["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn at_a_two_level_school_the_colleges_approval_waits_for_the_school_which_certifies() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let school = app.login("admin", demo::school_admin(0)).await;
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let province = app.login("admin", demo::PROVINCE).await;
        let (status, s) = set_mode(&school, "two_level").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {s}");
        assert_eq!(s["schools"][0]["mode_label"], "学院初审 + 学校复审");

        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (a, s0) = awaiting_with(&app, &hz, 0).await;
        // The new agreement is in the college's queue: its counter and a notice; not yet the school's.
        assert_eq!(dashboard(&college).await["awaiting_signing_review"], 1, "[{b}]");
        assert!(
            notice_titles(&college).await.contains(&"新的签约等待审核".to_owned()),
            "[{b}]"
        );
        assert_eq!(dashboard(&school).await["awaiting_signing_review"], 0, "[{b}]");
        assert_eq!(dashboard(&school).await["review_status"], "awaiting_school", "[{b}]");
        assert!(notice_titles(&school).await.is_empty(), "[{b}]");

        let (status, body) = review(&school, a, true, "").await;
        assert_eq!(
            (status, message(&body)),
            (
                StatusCode::CONFLICT,
                "本校实行学院初审 + 学校复审，请等待学院初审".to_owned()
            ),
            "[{b}] the school waits for the college"
        );
        let (status, d) = review(&college, a, true, "").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {d}");
        assert_eq!(d["doc"]["status_label"], "等待学校审核");
        assert_eq!(d["can_review"], false, "[{b}] the college's part is done");
        assert_eq!(status_of(&app, a).await, "awaiting_school");
        let (status, body) = review(&college, a, true, "").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "学院初审已通过，等待学校审核".to_owned())
        );

        // Now the school's: its counter, its notice, its queue filter; the province watches.
        assert_eq!(dashboard(&college).await["awaiting_signing_review"], 0, "[{b}]");
        assert_eq!(dashboard(&school).await["awaiting_signing_review"], 1, "[{b}]");
        assert!(
            notice_titles(&school)
                .await
                .contains(&"新的签约等待学校审核".to_owned()),
            "[{b}]"
        );
        assert_eq!(dashboard(&province).await["awaiting_signing_review"], 1, "[{b}]");
        let (_, q) = school
            .post("/api/admin/agreements", &[("filter[status]", "awaiting_school")])
            .await;
        assert_eq!(q["total"], 1, "[{b}] {q}");
        assert_eq!(q["rows"][0]["status"], "awaiting_school");
        let (_, d) = school.post("/api/agreement", &[("agreement_id", &a.to_string())]).await;
        assert_eq!(d["can_review"], true, "[{b}]");
        let (status, body) = review(&province, a, true, "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {body}");

        let (status, d) = review(&school, a, true, "").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {d}");
        assert_eq!(d["doc"]["status_label"], "签约审核通过");
        assert!(d["doc"]["certification"].is_object(), "[{b}] certified by the school");
        // Both levels in the 签约过程记录, each with who decided.
        let log: Vec<(String, String)> = d["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["actor"].as_str().unwrap().to_owned(),
                    l["action"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let college_step = log
            .iter()
            .position(|(who, what)| who.starts_with("学院管理员") && what == "学院初审通过，等待学校审核");
        let school_step = log
            .iter()
            .position(|(who, what)| who.starts_with("学校管理员") && what == "签约审核通过");
        assert!(
            matches!((college_step, school_step), (Some(c), Some(s)) if c < s),
            "[{b}] {log:?}"
        );

        // A rejection at the second level ends it with the reason (and frees the student).
        let a1 = awaiting(&app, &hz, 1).await;
        assert_eq!(review(&college, a1, true, "").await.0, StatusCode::OK);
        let (status, d) = review(&school, a1, false, "单位信息有误").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {d}");
        assert_eq!(d["doc"]["status_label"], "签约审核不通过");
        assert_eq!(d["review_reason"], "单位信息有误");
        // At the first level likewise.
        let a3 = awaiting(&app, &hz, 3).await;
        let (status, d) = review(&college, a3, false, "材料不全").await;
        assert_eq!(
            (status, d["doc"]["status_label"].clone()),
            (StatusCode::OK, "签约审核不通过".into())
        );

        // Terminations follow the same two levels.
        let tid = apply_and_agree(&s0, Some(&hz), a).await;
        assert_eq!(dashboard(&college).await["awaiting_termination_review"], 1, "[{b}]");
        assert!(notice_titles(&college)
            .await
            .contains(&"新的解约申请等待审核".to_owned()));
        assert_eq!(
            review_termination(&school, tid, true).await.0,
            StatusCode::CONFLICT,
            "[{b}]"
        );
        let (status, d) = review_termination(&college, tid, true).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {d}");
        assert_eq!(d["termination"]["status_label"], "等待学校审核");
        assert_eq!(
            status_of(&app, a).await,
            "certified",
            "[{b}] the agreement stands meanwhile"
        );
        assert_eq!(dashboard(&school).await["awaiting_termination_review"], 1, "[{b}]");
        let (status, d) = review_termination(&school, tid, true).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {d}");
        assert_eq!(d["termination"]["status_label"], "解约审核通过");
        assert_eq!(status_of(&app, a).await, "terminated");
    })
    .await;
}

#[tokio::test]
async fn bulk_approval_decides_each_row_in_its_own_scope_and_state_and_one_bad_row_blocks_none() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let cj = app.login("employer", demo::EMPLOYER_OTHER).await;
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let school = app.login("admin", demo::school_admin(0)).await;
        let (mine, s0) = awaiting_with(&app, &hz, 0).await;
        let decided = awaiting(&app, &hz, 1).await;
        let (other_college, s6) = awaiting_with(&app, &hz, 6).await;
        let other_school = awaiting(&app, &cj, 12).await;
        assert_eq!(review(&school, decided, true, "").await.0, StatusCode::OK);

        let ids = [mine, other_college, other_school, decided, 99_999_999, mine];
        let (status, r) = approve_many(&college, "/api/admin/agreements/approve", "agreement_ids", &ids).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        let rows: Vec<(i64, bool, String, String)> = r
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["id"].as_i64().unwrap(),
                    x["ok"].as_bool().unwrap(),
                    x["message"].as_str().unwrap().to_owned(),
                    x["student_name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (mine, true, "签约审核通过".into(), flow::name(0).into()),
                (other_college, false, "协议不存在".into(), String::new()),
                (other_school, false, "协议不存在".into(), String::new()),
                (
                    decided,
                    false,
                    "该协议当前为签约审核通过，不能审核".into(),
                    flow::name(1).into()
                ),
                (99_999_999, false, "协议不存在".into(), String::new()),
            ],
            "[{b}] one result per row, checked once; a foreign row reads like a missing one"
        );
        assert_eq!(status_of(&app, mine).await, "certified");
        assert_eq!(
            status_of(&app, other_college).await,
            "awaiting_review",
            "[{b}] untouched"
        );
        assert_eq!(
            status_of(&app, other_school).await,
            "awaiting_review",
            "[{b}] untouched"
        );
        let certified_logs = process_log::Entity::find()
            .filter(process_log::Column::AgreementId.eq(decided))
            .filter(process_log::Column::Action.eq("签约审核通过"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(certified_logs, 1, "[{b}] the decided row was not decided again");

        // The school admin reaches the other college's row.
        let (status, r) = approve_many(
            &school,
            "/api/admin/agreements/approve",
            "agreement_ids",
            &[other_college],
        )
        .await;
        assert_eq!(
            (status, r[0]["ok"].clone()),
            (StatusCode::OK, Value::Bool(true)),
            "[{b}] {r}"
        );

        // Nothing checked, or the province office: refused, nothing changes.
        let (status, _) = approve_many(&school, "/api/admin/agreements/approve", "agreement_ids", &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let province = app.login("admin", demo::PROVINCE).await;
        let (status, _) = approve_many(
            &province,
            "/api/admin/agreements/approve",
            "agreement_ids",
            &[other_school],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(status_of(&app, other_school).await, "awaiting_review");

        // Terminations: one waiting for review in the college, one of another college still 申请中.
        let open = [
            apply_and_agree(&s0, Some(&hz), mine).await,
            apply_and_agree(&s6, None, other_college).await,
        ];
        let (status, r) = approve_many(&college, "/api/admin/terminations/approve", "termination_ids", &open).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {r}");
        assert_eq!(r[0]["ok"], true, "[{b}] {r}");
        assert_eq!(r[0]["message"], "解约审核通过");
        assert_eq!(r[1]["ok"], false, "[{b}] another college's request: {r}");
        assert_eq!(r[1]["message"], "解约申请不存在");
        assert_eq!(status_of(&app, mine).await, "terminated");
        let (status, r) = approve_many(
            &school,
            "/api/admin/terminations/approve",
            "termination_ids",
            &open[1..],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(r[0]["message"], "该解约申请当前为申请中，不能审核", "[{b}] {r}");
    })
    .await;
}

#[tokio::test]
async fn the_same_agreement_approved_by_two_admins_at_once_is_decided_exactly_once() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let school = app.login("admin", demo::school_admin(0)).await;
        for i in [0, 1, 3] {
            let a = awaiting(&app, &hz, i).await;
            let ids = [a];
            // One admin one at a time, the other in a batch, at the same moment.
            let ((s1, one), (s2, batch)) = tokio::join!(
                review(&college, a, true, ""),
                approve_many(&school, "/api/admin/agreements/approve", "agreement_ids", &ids),
            );
            assert_eq!(s2, StatusCode::OK, "[{b}] {batch}");
            let first = s1 == StatusCode::OK;
            let second = batch[0]["ok"] == true;
            assert!(first ^ second, "[{b}] exactly one decision: {s1} {one} / {batch}");
            if !first {
                assert_eq!(s1, StatusCode::CONFLICT, "[{b}] {one}");
            }
            let decisions = process_log::Entity::find()
                .filter(process_log::Column::AgreementId.eq(a))
                .filter(process_log::Column::Action.eq("签约审核通过"))
                .count(&app.db)
                .await
                .unwrap();
            assert_eq!(decisions, 1, "[{b}] one entry in the 签约过程记录");
            assert_eq!(status_of(&app, a).await, "certified");
        }
    })
    .await;
}

#[tokio::test]
async fn only_a_school_admin_sets_the_review_mode_and_the_province_sees_every_school() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let school = app.login("admin", demo::school_admin(0)).await;
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let province = app.login("admin", demo::PROVINCE).await;
        assert_eq!(set_mode(&college, "two_level").await.0, StatusCode::FORBIDDEN, "[{b}]");
        assert_eq!(set_mode(&province, "two_level").await.0, StatusCode::FORBIDDEN, "[{b}]");
        let (status, body) = set_mode(&school, "three_levels").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "审核方式不正确".to_owned())
        );
        let (_, s) = college.post("/api/admin/review-settings", &[]).await;
        assert_eq!(s["schools"].as_array().unwrap().len(), 1, "[{b}] {s}");
        assert_eq!(s["schools"][0]["mode"], "one_level", "[{b}] unchanged by the refusals");
        assert_eq!(s["can_set_mode"], false);
        assert_eq!(set_mode(&school, "two_level").await.0, StatusCode::OK);
        let (_, s) = province.post("/api/admin/review-settings", &[]).await;
        let modes: Vec<&str> = s["schools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["mode_label"].as_str().unwrap())
            .collect();
        assert_eq!(modes, ["学院初审 + 学校复审", "学校审核"], "[{b}] {s}");
        // Switching back leaves an item at 等待学校审核 with the school.
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let a = awaiting(&app, &hz, 0).await;
        assert_eq!(review(&college, a, true, "").await.0, StatusCode::OK);
        assert_eq!(set_mode(&school, "one_level").await.0, StatusCode::OK);
        assert_eq!(review(&college, a, true, "").await.0, StatusCode::CONFLICT, "[{b}]");
        assert_eq!(dashboard(&school).await["awaiting_signing_review"], 1, "[{b}]");
        assert_eq!(review(&school, a, true, "").await.0, StatusCode::OK, "[{b}]");
    })
    .await;
}

#[tokio::test]
async fn the_daily_digest_goes_once_a_day_to_admins_who_switched_it_on_with_something_waiting() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let school = app.login("admin", demo::school_admin(0)).await;
        let (_, s) = college.post("/api/admin/review-settings", &[]).await;
        assert_eq!(s["digest"], false, "[{b}] off by default");
        let (status, body) = college
            .post("/api/admin/review-settings/digest", &[("on", "true"), ("email", "")])
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请填写接收每日审核提醒的邮箱".to_owned())
        );
        let (status, s) = college
            .post(
                "/api/admin/review-settings/digest",
                &[("on", "true"), ("email", "cs@jcdx.edu.cn")],
            )
            .await;
        assert_eq!(
            (status, s["digest"].clone()),
            (StatusCode::OK, Value::Bool(true)),
            "[{b}] {s}"
        );
        // The school admin's is off: they get none though the item is in their queue too.
        let (status, _) = school
            .post(
                "/api/admin/review-settings/digest",
                &[("on", "false"), ("email", "jc@jcdx.edu.cn")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        let digests = |to: &'static str| {
            let db = app.db.clone();
            async move {
                outbox::Entity::find()
                    .filter(outbox::Column::Recipient.eq(to))
                    .filter(outbox::Column::Subject.eq("【网签系统】每日审核提醒"))
                    .all(&db)
                    .await
                    .unwrap()
            }
        };
        let now = chrono::Utc::now();
        // Nothing waiting: no mail, though the day's run is done.
        assert!(server::jobs::run_daily_digest(&app.data, "a", now).await);
        assert!(digests("cs@jcdx.edu.cn").await.is_empty(), "[{b}]");

        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        awaiting(&app, &hz, 0).await;
        // Another instance, later the same day: the lease says it has run.
        assert!(!server::jobs::run_daily_digest(&app.data, "b", now + chrono::TimeDelta::hours(5)).await);
        assert!(digests("cs@jcdx.edu.cn").await.is_empty(), "[{b}]");
        // The next day, one mail with the count.
        assert!(server::jobs::run_daily_digest(&app.data, "b", now + chrono::TimeDelta::hours(24)).await);
        let mails = digests("cs@jcdx.edu.cn").await;
        assert_eq!(mails.len(), 1, "[{b}]");
        assert!(
            mails[0].body.contains("等待您审核的签约 1 条，解约 0 条"),
            "[{b}] {}",
            mails[0].body
        );
        assert!(digests("jc@jcdx.edu.cn").await.is_empty(), "[{b}] switched off");
    })
    .await;
}
