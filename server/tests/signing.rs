//! Online signing through /api on SQLite and PostgreSQL: 签约搜索 and its privacy rule, the
//! 签约发送列表, 邀请函 with the one-pending rule, the student's answers, expiry, 撤回, and the
//! school's 签约审核 within scope.

mod common;

use chrono::{Duration, Utc};
use common::{demo, flow, on_each_backend, student_id};
use data::{
    entity::{agreement, invitation, outbox},
    service::{seed::GRADUATION_YEAR, sign_list::NOT_FOUND},
};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::Value;

fn message(body: &Value) -> String {
    // AppError as JSON: {"Invalid":"…"} / {"Conflict":"…"} / {"NotFound":"…"} / "Forbidden"
    body.as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string())
}

#[tokio::test]
async fn search_finds_a_student_only_when_school_year_name_and_id_or_phone_all_match() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let school = flow::school_of(&app.db, 0).await;
        let other_school = flow::school_of(&app.db, 12).await;
        let id = demo::student(0);
        let phone = data::service::seed::demo_student_ids(0).1;

        let (status, body) = e
            .post_owned(
                "/api/employer/search",
                &flow::query_with(school, GRADUATION_YEAR, flow::name(0), &id),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        assert_eq!(body["name"], flow::name(0));
        assert_eq!(
            body["id_number_masked"].as_str().unwrap().matches('*').count(),
            8,
            "ID masked in the answer"
        );
        assert!(!body.to_string().contains(&id), "the full ID never leaves the server");
        let (status, _) = e
            .post_owned(
                "/api/employer/search",
                &flow::query_with(school, GRADUATION_YEAR, flow::name(0), &phone),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] by phone", app.backend);

        let misses = [
            flow::query_with(other_school, GRADUATION_YEAR, flow::name(0), &id),
            flow::query_with(school, GRADUATION_YEAR - 1, flow::name(0), &id),
            flow::query_with(school, GRADUATION_YEAR, "张", &id),
            flow::query_with(school, GRADUATION_YEAR, flow::name(0), &id[..17]),
            flow::query_with(school, GRADUATION_YEAR, flow::name(0), &phone[..10]),
            flow::query_with(school, GRADUATION_YEAR, flow::name(1), &id),
            // Demo student 5 is 定向: not eligible, and the answer must not say so.
            flow::query_with(school, GRADUATION_YEAR, flow::name(5), &demo::student(5)),
        ];
        for q in misses {
            let (status, body) = e.post_owned("/api/employer/search", &q).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {q:?}", app.backend);
            assert_eq!(
                message(&body),
                NOT_FOUND,
                "[{}] same answer for not found and not eligible",
                app.backend
            );
        }
    })
    .await;
}

#[tokio::test]
async fn only_a_confirmed_employer_approved_by_a_school_may_search_and_only_employers() {
    on_each_backend(|app| async move {
        let q = flow::query(&app.db, 0).await;
        let pending = app.login("employer", demo::EMPLOYER_PENDING).await;
        let (status, body) = pending.post_owned("/api/employer/search", &q).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {body}", app.backend);
        let student = app.login("student", &demo::student(1)).await;
        let (status, _) = student.post_owned("/api/employer/search", &q).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.client().post_owned("/api/employer/sign-list/add", &q).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn join_puts_the_student_on_the_list_once_and_remove_takes_them_off() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let sid = flow::add(&app, &e, 0).await;
        flow::add(&app, &e, 13).await;
        let (status, body) = e
            .post_owned("/api/employer/sign-list/add", &flow::query(&app.db, 0).await)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{}] {body}", app.backend);
        assert_eq!(message(&body), format!("{}已在签约发送列表中", flow::name(0)));
        let (_, list) = e.post("/api/employer/sign-list", &[]).await;
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, [flow::name(13), flow::name(0)], "[{}] newest first", app.backend);

        // Another employer's list is its own.
        let other = app.login("employer", demo::EMPLOYER_OTHER).await;
        let (_, list) = other.post("/api/employer/sign-list", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 0);

        let (status, removed) = e
            .post_owned("/api/employer/sign-list/remove", &flow::ids("student_ids", &[sid]))
            .await;
        assert_eq!((status, removed), (StatusCode::OK, Value::from(1)));
        let (_, list) = e.post("/api/employer/sign-list", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn invitations_go_only_to_listed_students_with_a_complete_letter() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let not_listed = student_id(&app.db, 2).await;
        let (status, body) = flow::send(&e, &[not_listed], "软件工程师").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {body}", app.backend);
        let sid = flow::add(&app, &e, 2).await;
        let mut form = flow::ids("student_ids", &[sid]);
        form.extend(
            flow::letter("软件工程师")
                .into_iter()
                .filter(|(k, _)| k != "letter[work_place]"),
        );
        let (status, body) = e.post_owned("/api/employer/invitations/send", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(message(&body), "请填写工作地点");
        let n = invitation::Entity::find().all(&app.db).await.unwrap().len();
        assert_eq!(n, 0, "[{}] nothing sent", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_second_invitation_while_one_is_pending_is_refused_naming_the_student_and_others_are_sent() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let a = flow::add(&app, &e, 0).await;
        let b = flow::add(&app, &e, 1).await;
        let (status, body) = flow::send(&e, &[a], "软件工程师").await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        let (status, body) = flow::send(&e, &[a, b], "软件工程师").await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        assert_eq!(body["sent"], serde_json::json!([flow::name(1)]));
        assert_eq!(
            body["refused"],
            serde_json::json!([format!("{}：已有待应约的签约邀请，不能重复发送", flow::name(0))])
        );
        let (_, dash) = e.post("/api/employer/dashboard", &[]).await;
        assert_eq!(dash["pending_invitations"], 2, "签约待办 counts pending invitations");
        let (_, list) = e.post("/api/employer/invitations", &[]).await;
        assert!(list
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status_label"] == "待应约" && r["can_withdraw"] == true));
    })
    .await;
}

#[tokio::test]
async fn an_invited_student_is_emailed_with_the_employers_name_and_the_deadline() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        flow::invite(&app, &e, 3).await;
        let mail = outbox::Entity::find()
            .filter(outbox::Column::Channel.eq("email"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(mail.len(), 1, "[{}]", app.backend);
        assert_eq!(mail[0].recipient, "student04@example.edu.cn");
        assert!(mail[0].subject.contains("华中数智科技有限公司"));
        let inv = invitation::Entity::find().one(&app.db).await.unwrap().unwrap();
        let deadline = data::service::lookup::format_time(inv.deadline);
        assert!(mail[0].body.contains(&deadline), "{} lacks {deadline}", mail[0].body);
        assert!(
            inv.deadline > Utc::now() + Duration::days(4),
            "default 应约期限 is 5 days"
        );
    })
    .await;
}

#[tokio::test]
async fn nothing_but_verification_is_open_to_a_student_before_the_phone_code() {
    on_each_backend(|app| async move {
        let s = app.login("student", &demo::student(0)).await;
        let (status, body) = s.post("/api/student/invitations", &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(message(&body), "请先完成信息验证");
        let (status, body) = s.post("/api/student/verify/send", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        assert_eq!(body, "138****1000", "masked roster phone");
        let (status, body) = s.post("/api/student/verify/send", &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "resend waits a minute: {body}");
        let phone = data::service::seed::demo_student_ids(0).1;
        let code = flow::code_in(&flow::last_sms(&app.db, &phone).await.unwrap());
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let (status, body) = s.post("/api/student/verify", &[("code", wrong)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(message(&body), "验证码不正确，还可尝试4次");
        let (status, _) = s.post("/api/student/verify", &[("code", &code)]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = s.post("/api/student/invitations", &[]).await;
        assert_eq!(status, StatusCode::OK);
        let (_, dash) = s.post("/api/student/dashboard", &[]).await;
        assert_eq!(dash["verified"], true);
    })
    .await;
}

#[tokio::test]
async fn five_wrong_codes_use_up_the_code() {
    on_each_backend(|app| async move {
        let s = app.login("student", &demo::student(0)).await;
        s.post("/api/student/verify/send", &[]).await;
        let phone = data::service::seed::demo_student_ids(0).1;
        let code = flow::code_in(&flow::last_sms(&app.db, &phone).await.unwrap());
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            s.post("/api/student/verify", &[("code", wrong)]).await;
        }
        let (status, body) = s.post("/api/student/verify", &[("code", &code)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{}]", app.backend);
        assert_eq!(message(&body), "验证码错误次数过多，请重新获取");
    })
    .await;
}

#[tokio::test]
async fn accepting_creates_an_agreement_awaiting_review_and_makes_other_invitations_view_only() {
    on_each_backend(|app| async move {
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let cj = app.login("employer", demo::EMPLOYER_OTHER).await;
        let first = flow::invite(&app, &hz, 0).await;
        let second = flow::invite(&app, &cj, 0).await;
        let s = flow::student(&app, 0).await;
        let (_, dash) = s.post("/api/student/dashboard", &[]).await;
        assert_eq!(dash["received_invitations"], 2, "已收邀约");

        let (status, letter) = s
            .post("/api/student/invitation", &[("invitation_id", &first.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {letter}", app.backend);
        assert_eq!(letter["letter"]["position"], "软件工程师");
        assert_eq!(
            (letter["can_accept"].as_bool(), letter["can_reject"].as_bool()),
            (Some(true), Some(true))
        );

        let (status, agreement_id) = s
            .post(
                "/api/student/invitation/accept",
                &[("invitation_id", &first.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {agreement_id}", app.backend);
        let a = agreement::Entity::find_by_id(agreement_id.as_i64().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.status, domain::status::AgreementStatus::AwaitingReview);
        assert_eq!(a.employer_name, "华中数智科技有限公司");

        let (_, other) = s
            .post("/api/student/invitation", &[("invitation_id", &second.to_string())])
            .await;
        assert_eq!(other["can_accept"], false, "[{}] view-only once engaged", app.backend);
        assert!(other["view_only_reason"].is_string());
        let (status, body) = s
            .post(
                "/api/student/invitation/accept",
                &[("invitation_id", &second.to_string())],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "[{}] the server refuses too: {body}",
            app.backend
        );

        let (_, dash) = s.post("/api/student/dashboard", &[]).await;
        assert_eq!(dash["employment_status"], "等待签约审核（华中数智科技有限公司）");
        let (_, accepted) = hz.post("/api/employer/accepted", &[]).await;
        assert_eq!(accepted[0]["student_name"], flow::name(0));
        assert_eq!(accepted[0]["status_label"], "等待签约审核");
        let (_, sent) = hz.post("/api/employer/invitations", &[]).await;
        assert_eq!(sent[0]["status_label"], "已应约");
        // The employer is told.
        let mails = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq("hr@hzsz.example.com"))
            .all(&app.db)
            .await
            .unwrap();
        assert!(
            mails.iter().any(|m| m.subject.contains("已同意签约")),
            "[{}]",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn another_students_invitation_is_not_found() {
    on_each_backend(|app| async move {
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let inv = flow::invite(&app, &hz, 0).await;
        let other = flow::student(&app, 1).await;
        for path in [
            "/api/student/invitation",
            "/api/student/invitation/accept",
            "/api/student/invitation/reject",
        ] {
            let (status, _) = other.post(path, &[("invitation_id", &inv.to_string())]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{}] {path}", app.backend);
        }
        let cj = app.login("employer", demo::EMPLOYER_OTHER).await;
        let (status, _) = cj
            .post(
                "/api/employer/invitations/withdraw",
                &[("invitation_id", &inv.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_rejected_or_expired_invitation_ends_and_the_employer_may_invite_again() {
    on_each_backend(|app| async move {
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let inv = flow::invite(&app, &hz, 0).await;
        let s = flow::student(&app, 0).await;
        let (status, _) = s
            .post("/api/student/invitation/reject", &[("invitation_id", &inv.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{}] {body}", app.backend);
        let sid = student_id(&app.db, 0).await;
        let (_, body) = flow::send(&hz, &[sid], "产品经理").await;
        assert_eq!(
            body["sent"].as_array().unwrap().len(),
            1,
            "[{}] after 拒绝: {body}",
            app.backend
        );

        // Let the new one pass its deadline without any job running.
        let pending = invitation::Entity::find()
            .filter(invitation::Column::Status.eq("pending"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let id = pending.id;
        let mut am = pending.into_active_model();
        am.deadline = Set(Utc::now() - Duration::minutes(1));
        am.update(&app.db).await.unwrap();
        let (_, letter) = s
            .post("/api/student/invitation", &[("invitation_id", &id.to_string())])
            .await;
        assert_eq!(letter["status_label"], "已过期");
        assert_eq!(letter["can_accept"], false);
        let (status, body) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &id.to_string())])
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "该邀约已过期".to_owned()),
            "[{}]",
            app.backend
        );
        let (_, body) = flow::send(&hz, &[sid], "产品经理").await;
        assert_eq!(
            body["sent"].as_array().unwrap().len(),
            1,
            "[{}] after expiry: {body}",
            app.backend
        );
    })
    .await;
}

#[tokio::test]
async fn a_withdrawn_invitation_can_no_longer_be_accepted() {
    on_each_backend(|app| async move {
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let inv = flow::invite(&app, &hz, 0).await;
        let (status, _) = hz
            .post(
                "/api/employer/invitations/withdraw",
                &[("invitation_id", &inv.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = hz.post("/api/employer/invitations", &[]).await;
        assert_eq!(list[0]["status_label"], "已撤回");
        let s = flow::student(&app, 0).await;
        let (status, _) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = hz
            .post(
                "/api/employer/invitations/withdraw",
                &[("invitation_id", &inv.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "twice");
    })
    .await;
}

/// Invites and accepts; returns the agreement id.
async fn signed(app: &common::TestApp, i: usize) -> i64 {
    let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
    let inv = flow::invite(app, &hz, i).await;
    let s = flow::student(app, i).await;
    let (status, id) = s
        .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().unwrap()
}

#[tokio::test]
async fn the_review_queue_shows_agreements_in_scope_with_filters() {
    on_each_backend(|app| async move {
        signed(&app, 0).await; // 江城大学 计算机学院
        signed(&app, 13).await; // 楚天理工学院
        let school = app.login("admin", demo::school_admin(0)).await;
        let (status, page) = school.post("/api/admin/agreements", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{}] {page}", app.backend);
        assert_eq!(page["total"], 1);
        assert_eq!(page["rows"][0]["student_name"], flow::name(0));
        assert_eq!(page["rows"][0]["status_label"], "等待签约审核");
        let (_, page) = school
            .post("/api/admin/agreements", &[("filter[status]", "certified")])
            .await;
        assert_eq!(page["total"], 0);
        let (_, page) = school
            .post("/api/admin/agreements", &[("filter[name]", flow::name(0))])
            .await;
        assert_eq!(page["total"], 1);
        let other_college = app.login("admin", demo::college_admin(0, 1)).await;
        let (_, page) = other_college.post("/api/admin/agreements", &[]).await;
        assert_eq!(
            page["total"], 0,
            "[{}] college admin sees own college only",
            app.backend
        );
        let province = app.login("admin", demo::PROVINCE).await;
        let (_, page) = province.post("/api/admin/agreements", &[]).await;
        assert_eq!(page["total"], 2);
    })
    .await;
}

#[tokio::test]
async fn only_admins_whose_scope_holds_the_student_may_certify_and_the_log_records_every_step() {
    on_each_backend(|app| async move {
        let id = signed(&app, 0).await.to_string();
        for (login, expected) in [
            (demo::college_admin(0, 1), StatusCode::NOT_FOUND),
            (demo::school_admin(1), StatusCode::NOT_FOUND),
            (demo::PROVINCE, StatusCode::FORBIDDEN),
        ] {
            let c = app.login("admin", login).await;
            let (status, body) = c
                .post(
                    "/api/admin/agreements/review",
                    &[("agreement_id", &id), ("approve", "true")],
                )
                .await;
            assert_eq!(status, expected, "[{}] {login}: {body}", app.backend);
        }
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (status, _) = hz
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &id), ("approve", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let college = app.login("admin", demo::college_admin(0, 0)).await;
        let (status, detail) = college.post("/api/agreement", &[("agreement_id", &id)]).await;
        assert_eq!(status, StatusCode::OK, "[{}] {detail}", app.backend);
        assert_eq!(detail["can_review"], true);
        let (status, detail) = college
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &id), ("approve", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {detail}", app.backend);
        assert_eq!(detail["status"], "certified");
        assert_eq!(detail["doc"]["certification"]["by"], "江城大学计算机学院");
        let actions: Vec<&str> = detail["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["发送签约邀请", "同意签约（现在签约）", "签约审核通过"]);
        assert!(detail["log"][0]["actor"]
            .as_str()
            .unwrap()
            .contains("华中数智科技有限公司"));
        let (status, _) = college
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &id), ("approve", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "decided once");

        let s = app.login("student", &demo::student(0)).await;
        let (_, dash) = s.post("/api/student/dashboard", &[]).await;
        assert_eq!(dash["employment_status"], "签约审核通过（华中数智科技有限公司）");
    })
    .await;
}

#[tokio::test]
async fn rejecting_in_review_needs_a_reason_and_frees_the_student() {
    on_each_backend(|app| async move {
        let id = signed(&app, 0).await.to_string();
        let school = app.login("admin", demo::school_admin(0)).await;
        let (status, body) = school
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &id), ("approve", "false")],
            )
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请填写审核不通过的原因".to_owned())
        );
        let (status, detail) = school
            .post(
                "/api/admin/agreements/review",
                &[
                    ("agreement_id", &id),
                    ("approve", "false"),
                    ("reason", "岗位信息不完整"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {detail}", app.backend);
        assert_eq!(detail["status"], "review_rejected");
        assert_eq!(detail["review_reason"], "岗位信息不完整");

        // Free again: another employer's invitation can be accepted.
        let cj = app.login("employer", demo::EMPLOYER_OTHER).await;
        let inv = flow::invite(&app, &cj, 0).await;
        let s = app.login("student", &demo::student(0)).await;
        let (status, body) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
    })
    .await;
}
