//! 解约 through /api on SQLite and PostgreSQL: both directions, the other party's answer, the
//! school's review, the one-open-request rule under a race, and 撤回审核.

mod common;

use common::{demo, flow, on_each_backend, Client, TestApp};
use data::entity::{agreement, termination};
use domain::status::AgreementStatus;
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

/// A certified agreement between demo employer hzsz and demo student `i`; returns
/// (agreement id, employer client, student client).
async fn certified(app: &TestApp, i: usize) -> (i64, Client, Client) {
    let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
    let inv = flow::invite(app, &hz, i).await;
    let s = flow::student(app, i).await;
    let (status, id) = s
        .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();
    let school = app.login("admin", demo::school_admin(if i < 12 { 0 } else { 1 })).await;
    let (status, body) = school
        .post(
            "/api/admin/agreements/review",
            &[("agreement_id", &id.to_string()), ("approve", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (id, hz, s)
}

async fn apply(c: &Client, agreement_id: i64, reason: &str, terms: bool) -> (StatusCode, Value) {
    c.post(
        "/api/termination/apply",
        &[
            ("agreement_id", &agreement_id.to_string()),
            ("reason", reason),
            ("accept_terms", &terms.to_string()),
        ],
    )
    .await
}

async fn respond(c: &Client, tid: i64, agree: bool, reason: &str) -> (StatusCode, Value) {
    c.post(
        "/api/termination/respond",
        &[
            ("termination_id", &tid.to_string()),
            ("agree", &agree.to_string()),
            ("accept_terms", "true"),
            ("reason", reason),
        ],
    )
    .await
}

async fn review(c: &Client, tid: i64, approve: bool, reason: &str) -> (StatusCode, Value) {
    c.post(
        "/api/admin/terminations/review",
        &[
            ("termination_id", &tid.to_string()),
            ("approve", &approve.to_string()),
            ("reason", reason),
        ],
    )
    .await
}

#[tokio::test]
async fn a_student_applies_the_employer_agrees_the_school_approves_and_the_student_can_sign_again() {
    on_each_backend(|app| async move {
        let (aid, hz, s) = certified(&app, 0).await;
        let (status, body) = apply(&s, aid, "个人原因", false).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请先阅读并同意解约须知".to_owned())
        );
        let (status, t) = apply(&s, aid, "继续深造", true).await;
        assert_eq!(status, StatusCode::OK, "[{}] {t}", app.backend);
        assert_eq!(t["status_label"], "申请中");
        let tid = t["id"].as_i64().unwrap();

        let (_, dash) = hz.post("/api/employer/dashboard", &[]).await;
        assert_eq!(dash["pending_terminations"], 1, "[{}] 解约待办 +1", app.backend);
        let (_, requests) = hz.post("/api/employer/termination-requests", &[]).await;
        assert_eq!(requests[0]["reason"], "继续深造");
        let (_, signed) = hz.post("/api/employer/signed", &[]).await;
        assert_eq!(
            signed.as_array().unwrap().len(),
            0,
            "已签约成功学生列表 hides agreements with an open request"
        );

        // The applicant cannot answer their own request.
        let (status, _) = respond(&s, tid, true, "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{}]", app.backend);
        let (status, t) = respond(&hz, tid, true, "").await;
        assert_eq!(status, StatusCode::OK, "[{}] {t}", app.backend);
        assert_eq!(t["status_label"], "等待解约审核");

        let other_college = app.login("admin", demo::college_admin(0, 1)).await;
        let (status, _) = review(&other_college, tid, true, "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{}] out of scope", app.backend);
        let school = app.login("admin", demo::school_admin(0)).await;
        let (_, queue) = school.post("/api/admin/terminations", &[]).await;
        assert_eq!(queue["rows"][0]["status_label"], "等待解约审核");
        let (status, d) = review(&school, tid, true, "").await;
        assert_eq!(status, StatusCode::OK, "[{}] {d}", app.backend);
        assert_eq!(d["termination"]["status_label"], "解约审核通过");
        let a = agreement::Entity::find_by_id(aid).one(&app.db).await.unwrap().unwrap();
        assert_eq!(a.status, AgreementStatus::Terminated);
        let actions: Vec<&str> = d["agreement"]["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions[actions.len() - 3..], ["申请解约", "同意解约", "解约审核通过"]);

        // Free again: another employer's invitation can be accepted.
        let cj = app.login("employer", demo::EMPLOYER_OTHER).await;
        let inv = flow::invite(&app, &cj, 0).await;
        let (status, body) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn an_employer_applies_for_several_students_and_a_declined_request_leaves_the_agreement_in_force() {
    on_each_backend(|app| async move {
        let (a0, hz, s0) = certified(&app, 0).await;
        let (a1, _, _) = certified(&app, 1).await;
        let form = [
            ("agreement_ids[0]", a0.to_string()),
            ("agreement_ids[1]", a1.to_string()),
            ("reason", "岗位调整".into()),
            ("accept_terms", "true".into()),
        ];
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, report) = hz.post("/api/employer/terminations/apply", &pairs).await;
        assert_eq!(status, StatusCode::OK, "[{}] {report}", app.backend);
        assert_eq!(report["applied"].as_array().unwrap().len(), 2);
        let (_, again) = hz.post("/api/employer/terminations/apply", &pairs).await;
        assert_eq!(
            again["refused"].as_array().unwrap().len(),
            2,
            "[{}] a second open request is refused: {again}",
            app.backend
        );

        let (_, dash) = s0.post("/api/student/dashboard", &[]).await;
        assert_eq!(dash["pending_terminations"], 1, "解约待办 +1 for the student");
        let (_, mine) = s0.post("/api/student/terminations", &[]).await;
        assert_eq!(mine[0]["can_respond"], true, "查看解约");
        let tid = mine[0]["termination"]["id"].as_i64().unwrap();
        let (status, body) = respond(&s0, tid, false, "").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请填写拒绝原因".to_owned())
        );
        let (status, t) = respond(&s0, tid, false, "不同意解约").await;
        assert_eq!(status, StatusCode::OK, "[{}] {t}", app.backend);
        assert_eq!(t["status_label"], "已拒绝");
        let a = agreement::Entity::find_by_id(a0).one(&app.db).await.unwrap().unwrap();
        assert_eq!(a.status, AgreementStatus::Certified, "the agreement stands");
        // …and either side may apply again.
        let (status, _) = apply(&s0, a0, "再次协商", true).await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_rejected_review_needs_a_reason_and_keeps_the_agreement() {
    on_each_backend(|app| async move {
        let (aid, hz, s) = certified(&app, 0).await;
        let (_, t) = apply(&s, aid, "个人原因", true).await;
        let tid = t["id"].as_i64().unwrap();
        respond(&hz, tid, true, "").await;
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let (status, body) = review(&college, tid, false, "").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请填写审核不通过的原因".to_owned())
        );
        let (status, d) = review(&college, tid, false, "材料不全").await;
        assert_eq!(status, StatusCode::OK, "[{}] {d}", app.backend);
        assert_eq!(d["termination"]["status_label"], "解约审核不通过");
        assert_eq!(d["termination"]["review_reason"], "材料不全");
        let a = agreement::Entity::find_by_id(aid).one(&app.db).await.unwrap().unwrap();
        assert_eq!(a.status, AgreementStatus::Certified);
        let (status, _) = apply(&hz, aid, "重新申请", true).await;
        assert_eq!(status, StatusCode::OK, "[{}] may apply again", app.backend);
    })
    .await;
}

#[tokio::test]
async fn strangers_cannot_apply_answer_or_read_a_termination() {
    on_each_backend(|app| async move {
        let (aid, _, s) = certified(&app, 0).await;
        let cj = app.login("employer", demo::EMPLOYER_OTHER).await;
        let (status, _) = apply(&cj, aid, "x", true).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let other = flow::student(&app, 1).await;
        let (status, _) = apply(&other, aid, "x", true).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, t) = apply(&s, aid, "个人原因", true).await;
        let tid = t["id"].as_i64().unwrap();
        let (status, _) = respond(&cj, tid, true, "").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = cj
            .post("/api/termination", &[("termination_id", &tid.to_string())])
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Still between the parties: not reviewable yet.
        let school = app.login("admin", demo::school_admin(0)).await;
        let (status, _) = review(&school, tid, true, "").await;
        assert_eq!(status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_employer_and_the_student_applying_at_the_same_moment_make_exactly_one_open_request() {
    on_each_backend(|app| async move {
        let (aid, hz, s) = certified(&app, 0).await;
        let (hz, s) = (std::sync::Arc::new(hz), std::sync::Arc::new(s));
        let mut tasks = Vec::new();
        for n in 0..10 {
            let c = if n % 2 == 0 { hz.clone() } else { s.clone() };
            tasks.push(tokio::spawn(async move { apply(&c, aid, "同时申请", true).await.0 }));
        }
        let mut ok = 0;
        for t in tasks {
            let status = t.await.unwrap();
            assert!(status == StatusCode::OK || status == StatusCode::CONFLICT, "{status}");
            ok += usize::from(status == StatusCode::OK);
        }
        assert_eq!(ok, 1, "[{}]", app.backend);
        let open = termination::Entity::find()
            .filter(termination::Column::AgreementId.eq(aid))
            .filter(termination::Column::Status.is_in(["applying", "awaiting_review"]))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(open, 1, "[{}]", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_school_admin_revokes_a_certification_with_a_reason_and_it_can_be_reviewed_again() {
    on_each_backend(|app| async move {
        let (aid, _, _) = certified(&app, 0).await;
        let id = aid.to_string();
        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let (status, _) = college
            .post(
                "/api/admin/agreements/revoke",
                &[("agreement_id", &id), ("reason", "信息有误")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "school admins only");
        let other = app.login("admin", demo::school_admin(1)).await;
        let (status, _) = other
            .post(
                "/api/admin/agreements/revoke",
                &[("agreement_id", &id), ("reason", "信息有误")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let school = app.login("admin", demo::school_admin(0)).await;
        let (status, body) = school
            .post("/api/admin/agreements/revoke", &[("agreement_id", &id), ("reason", "")])
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请填写撤回原因".to_owned())
        );
        let (status, _) = school
            .post(
                "/api/admin/agreements/revoke",
                &[("agreement_id", &id), ("reason", "单位名称有误")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, d) = school.post("/api/agreement", &[("agreement_id", &id)]).await;
        assert_eq!(d["status"], "awaiting_review");
        assert_eq!(d["can_review"], true);
        assert!(d["doc"]["certification"].is_null(), "no certification line any more");
        let (status, _) = school
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &id), ("approve", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] reviewed again", app.backend);
    })
    .await;
}

/// What 协议验证 (public, no login) says of one agreement: (in force, verdict).
async fn verified(app: &TestApp, aid: i64) -> (bool, String) {
    let a = agreement::Entity::find_by_id(aid).one(&app.db).await.unwrap().unwrap();
    let (status, v) = app
        .client()
        .post(
            "/api/verify-agreement",
            &[("agreement_no", &a.agreement_no), ("verify_code", &a.verify_code)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {v}", app.backend);
    (
        v["in_force"].as_bool().unwrap(),
        v["verdict"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn agreement_verification_calls_an_agreement_valid_only_while_it_is_certified() {
    on_each_backend(|app| async move {
        let (aid, hz, s) = certified(&app, 1).await;
        assert_eq!(verified(&app, aid).await, (true, "协议真实有效".to_owned()));
        let (_, t) = apply(&s, aid, "继续深造", true).await;
        let tid = t["id"].as_i64().unwrap();
        respond(&hz, tid, true, "").await;
        // Still in force while the school has not decided.
        assert!(verified(&app, aid).await.0, "[{}]", app.backend);
        let school = app.login("admin", demo::school_admin(0)).await;
        let (status, d) = review(&school, tid, true, "").await;
        assert_eq!(status, StatusCode::OK, "[{}] {d}", app.backend);
        assert_eq!(
            verified(&app, aid).await,
            (false, "协议真实，但已解约，协议已解除".to_owned()),
            "[{}] a terminated agreement is not presented as valid",
            app.backend
        );
        // A wrong code reveals nothing.
        let a = agreement::Entity::find_by_id(aid).one(&app.db).await.unwrap().unwrap();
        let (status, body) = app
            .client()
            .post(
                "/api/verify-agreement",
                &[("agreement_no", &a.agreement_no), ("verify_code", "WRONG23456")],
            )
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "协议编号或验证码不正确".to_owned())
        );
    })
    .await;
}
