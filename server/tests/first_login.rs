//! 首次登录 and 忘记密码 at the student door: a student whose school made the account (no password
//! yet) or who forgot it sets a password with a code sent to the roster phone, which also completes
//! 信息验证; who is refused at login (manual FAQ 1) is refused here too; and the answers do not tell
//! a stranger which 身份证号 are on a roster.

mod common;

use common::{demo, flow, on_each_backend, Client, TestApp};
use data::{
    entity::{account, student},
    service::{
        auth::{self, AccountScope},
        first_login::NO_MATCH,
        seed,
    },
};
use domain::Role;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::Value;

fn message(body: &Value) -> String {
    serde_json::from_value::<domain::AppError>(body.clone())
        .map(|e| e.message())
        .unwrap_or_else(|_| body.to_string())
}

/// A roster record like demo student 0's (江城大学 计算机学院, 非定向, approved) with its own
/// 身份证号 and phone, and the student account a school makes for it: no password yet.
async fn roster_student(app: &TestApp, n: u32, name: &str) -> (String, String) {
    let first17 = format!("42010620050101{n:03}");
    let id_number = format!("{first17}{}", domain::ids::id_check_char(&first17).unwrap());
    let phone = format!("1390000{n:04}");
    let template = student::Entity::find()
        .filter(student::Column::IdNumber.eq(demo::student(0)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let s = student::ActiveModel {
        id: sea_orm::NotSet,
        name: Set(name.to_owned()),
        id_number: Set(id_number.clone()),
        phone: Set(phone.clone()),
        ..template.clone().into_active_model()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let scope = AccountScope {
        school_id: Some(s.school_id),
        college_id: Some(s.college_id),
        student_id: Some(s.id),
        employer_id: None,
    };
    auth::create_account(&app.db, &id_number, "", Role::Student, name, scope)
        .await
        .unwrap();
    (id_number, phone)
}

async fn password_login(app: &TestApp, login: &str, password: &str) -> (StatusCode, Value, Client) {
    let c = app.client();
    let (status, body) = c
        .post(
            "/api/login",
            &[("kind", "student"), ("login", login), ("password", password)],
        )
        .await;
    (status, body, c)
}

async fn send(c: &Client, id_number: &str, name: &str) -> (StatusCode, Value) {
    c.post("/api/login/first/send", &[("id_number", id_number), ("name", name)])
        .await
}

async fn set_password(c: &Client, id_number: &str, code: &str, password: &str) -> (StatusCode, Value) {
    c.post(
        "/api/login/first",
        &[
            ("id_number", id_number),
            ("code", code),
            ("new_password", password),
            ("new_password_again", password),
        ],
    )
    .await
}

async fn code_sent_to(app: &TestApp, phone: &str) -> String {
    flow::code_in(&flow::last_sms(&app.db, phone).await.expect("an SMS in the outbox"))
}

#[tokio::test]
async fn a_school_made_student_sets_a_password_by_sms_code_is_logged_in_and_verified() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let (id_number, phone) = roster_student(&app, 1, "田甜").await;

        // No password yet: the student door points to 首次登录, with the answer a wrong password
        // or an unknown 身份证号 gets (it does not tell that the 身份证号 is on a roster).
        let (status, body, _) = password_login(&app, &id_number, "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] an empty password: {body}");
        let (status, no_password, _) = password_login(&app, &id_number, "Guess2027x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] {no_password}");
        assert!(message(&no_password).contains("首次登录"), "[{b}] {no_password}");
        let (_, unknown, _) = password_login(&app, "11010519491231002X", "Guess2027x").await;
        let (_, wrong, _) = password_login(&app, &demo::student(1), "Guess2027x").await;
        assert_eq!((&no_password, &no_password), (&unknown, &wrong), "[{b}]");
        // Not even the dummy hash's password opens it.
        let (status, _, _) = password_login(&app, &id_number, "not-a-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}]");

        let c = app.client();
        let (status, masked) = send(&c, &id_number.to_lowercase(), " 田甜 ").await;
        assert_eq!(
            (status, masked.clone()),
            (StatusCode::OK, Value::from("139****0001")),
            "[{b}]"
        );
        let code = code_sent_to(&app, &phone).await;
        // The resend limits of 信息验证 hold.
        let (status, body) = send(&c, &id_number, "田甜").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {body}");
        assert!(message(&body).contains("秒后再试"), "[{b}] {body}");

        // A weak password or a wrong code sets nothing; the wrong code counts.
        let (status, body) = set_password(&c, &id_number, &code, "12345678").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "新密码须同时包含字母和数字".into()),
            "[{b}]"
        );
        let wrong_code = if code == "000000" { "111111" } else { "000000" };
        let (status, body) = set_password(&c, &id_number, wrong_code, "Tiantian2027").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "验证码不正确，还可尝试4次".into()),
            "[{b}]"
        );

        let (status, body) = set_password(&c, &id_number, &code, "Tiantian2027").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        assert_eq!(body["redirect"], "/student");
        let (status, dash) = c.post("/api/student/dashboard", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{b}] logged in: {dash}");
        assert_eq!(dash["verified"], true, "[{b}] the code was the 信息验证 too");
        assert_eq!(dash["profile"]["name"], "田甜");
        let (status, _) = c.post("/api/student/invitations", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{b}] no second 信息验证 step");

        // The code is used up; the password works at the door.
        let (status, _) = set_password(&app.client(), &id_number, &code, "Another2027").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}]");
        let (status, body, _) = password_login(&app, &id_number, "Tiantian2027").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
    })
    .await;
}

#[tokio::test]
async fn an_unknown_id_or_a_wrong_name_gets_one_answer_and_is_throttled_per_id() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let (id_number, phone) = roster_student(&app, 2, "田野").await;
        let c = app.client();
        let (status, body) = send(&c, "123", "田野").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "身份证号应为18位".into()),
            "[{b}] {body}"
        );
        let (status, unknown) = send(&c, "11010519491231002X", "田野").await;
        let (_, wrong_name) = send(&c, &id_number, "田地").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {unknown}");
        assert_eq!(message(&unknown), NO_MATCH);
        assert_eq!(unknown, wrong_name, "[{b}] the same answer");
        // A disabled account is not told apart either.
        let disabled = account::Entity::find()
            .filter(account::Column::Login.eq(demo::student(3)))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut am = disabled.into_active_model();
        am.disabled = Set(true);
        am.update(&app.db).await.unwrap();
        let (status, body) = send(&c, &demo::student(3), flow::name(3)).await;
        assert_eq!((status, message(&body)), (StatusCode::BAD_REQUEST, NO_MATCH.into()));
        assert!(flow::last_sms(&app.db, &phone).await.is_none(), "[{b}] nothing sent");

        // Five wrong names for one 身份证号 lock its code requests, even with the right name.
        for _ in 0..4 {
            send(&c, &id_number, "田地").await;
        }
        let (status, body) = send(&c, &id_number, "田野").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "[{b}] {body}");
        assert!(flow::last_sms(&app.db, &phone).await.is_none(), "[{b}] nothing sent");
        // Without a code nobody gets to set a password.
        let (status, body) = set_password(&c, &id_number, "123456", "Tianye2027").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请先获取验证码".into()),
            "[{b}]"
        );
    })
    .await;
}

#[tokio::test]
async fn forgetting_the_password_resets_it_by_code_and_ends_the_other_sessions() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let elsewhere = app.login("student", &demo::student(1)).await;
        let c = app.client();
        let (status, body) = send(&c, &demo::student(1), flow::name(1)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        let phone = seed::demo_student_ids(1).1;
        let code = code_sent_to(&app, &phone).await;
        let (status, body) = set_password(&c, &demo::student(1), &code, "Lijing2027").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        let (status, _) = elsewhere.post("/api/student/dashboard", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] the old session ended");
        let (status, _, _) = password_login(&app, &demo::student(1), seed::DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] the old password is gone");
        let (status, _, _) = password_login(&app, &demo::student(1), "Lijing2027").await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
    })
    .await;
}

/// Sets a roster fact of demo student `i` as an operator's SQL would.
async fn set_student(app: &TestApp, i: usize, f: impl FnOnce(&mut student::ActiveModel)) {
    let s = student::Entity::find()
        .filter(student::Column::IdNumber.eq(demo::student(i)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am = s.into_active_model();
    f(&mut am);
    am.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn faq_1_directed_students_and_submitted_plans_are_refused_at_every_door_restricted_ones_log_in() {
    on_each_backend(|app| async move {
        let b = app.backend;
        // Demo student 5 is 定向.
        let (status, body, _) = password_login(&app, &demo::student(5), seed::DEMO_PASSWORD).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "你的培养方式为定向，不能使用网签系统".into()),
            "[{b}]"
        );
        // Told only to whoever knows the password.
        let (status, body, _) = password_login(&app, &demo::student(5), "Wrong2027x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] {body}");
        let (status, body) = send(&app.client(), &demo::student(5), flow::name(5)).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "你的培养方式为定向，不能使用网签系统".into()),
            "[{b}] no code for a student who may not log in"
        );

        set_student(&app, 6, |s| s.training_mode = Set("委培".into())).await;
        let (status, body, _) = password_login(&app, &demo::student(6), seed::DEMO_PASSWORD).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "你的培养方式为委培，不能使用网签系统".into()),
            "[{b}]"
        );

        // A code asked for before the plan was submitted no longer lets the student in.
        let c = app.client();
        let (status, _) = send(&c, &demo::student(7), flow::name(7)).await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let code = code_sent_to(&app, &seed::demo_student_ids(7).1).await;
        set_student(&app, 7, |s| s.plan_submitted = Set(true)).await;
        let (status, body) = set_password(&c, &demo::student(7), &code, "Huanglei2027").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "你的就业方案已提交，不能使用网签系统".into()),
            "[{b}]"
        );
        let (status, body, _) = password_login(&app, &demo::student(7), seed::DEMO_PASSWORD).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "你的就业方案已提交，不能使用网签系统".into()),
            "[{b}]"
        );

        // 限制签约: logs in and sees why signing is closed.
        set_student(&app, 8, |s| s.restricted = Set(true)).await;
        let c = flow::student(&app, 8).await;
        let (status, dash) = c.post("/api/student/dashboard", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {dash}");
        assert_eq!(dash["sign_notice"], "学校已限制你签约，请联系学校就业部门", "[{b}]");
        let free = flow::student(&app, 9).await;
        let (_, dash) = free.post("/api/student/dashboard", &[]).await;
        assert_eq!(dash["sign_notice"], Value::Null, "[{b}]");
        // No session was opened for the refused students.
        let refused: Vec<i64> = account::Entity::find()
            .filter(account::Column::Login.is_in([demo::student(5), demo::student(6), demo::student(7)]))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.last_login_at.is_some())
            .map(|a| a.id)
            .collect();
        assert!(refused.is_empty(), "[{b}] {refused:?}");
    })
    .await;
}
