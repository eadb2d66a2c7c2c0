//! First start in production: the operator's command creates the first 省中心管理员 on an
//! empty database, whose one-time password must be changed before anything else works; and
//! 修改密码 for every role.

mod common;

use std::{
    io::Write,
    process::{Command, Stdio},
};

use common::{demo, on_each_backend, on_each_database, start_on};
use reqwest::StatusCode;
use serde_json::Value;

/// Runs `server admin create …` against `url`; (exit code, stdout, stderr).
fn admin_create(url: &str, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["admin", "create"])
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn message(body: &Value) -> String {
    body.get("Invalid")
        .or_else(|| body.get("Conflict"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string())
}

async fn change(c: &common::Client, old: &str, new: &str, again: &str) -> (StatusCode, Value) {
    c.post(
        "/api/password",
        &[
            ("old_password", old),
            ("new_password", new),
            ("new_password_again", again),
        ],
    )
    .await
}

#[tokio::test]
async fn the_first_province_admin_is_created_by_the_operator_and_must_choose_a_password_first() {
    on_each_database(|url, backend| async move {
        let (code, out, err) = admin_create(
            &url,
            &["--role", "province", "--login", "ops", "--name", "省就业中心"],
            None,
        );
        assert_eq!(code, 0, "[{backend}] {out} {err}");
        let one_time = out
            .split_once("一次性密码（只显示这一次）：")
            .and_then(|(_, rest)| rest.lines().next())
            .expect("the one-time password is printed")
            .trim()
            .to_owned();
        assert!(one_time.len() >= 12, "[{backend}] {out}");

        // The same login again is refused, and nothing else is made.
        let (code, _, err) = admin_create(&url, &["--role", "province", "--login", "ops"], None);
        assert_eq!(code, 1, "[{backend}] {err}");
        assert!(err.contains("账号 ops 已存在"), "[{backend}] {err}");
        // Only a province admin can be made this way.
        let (code, _, err) = admin_create(&url, &["--role", "school", "--login", "x"], None);
        assert_eq!(code, 2, "[{backend}] {err}");

        let app = start_on(&url, backend).await;
        let c = app.client();
        let (status, body) = c
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", "ops"), ("password", &one_time)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {body}");
        assert_eq!(body["redirect"], "/password", "[{backend}] sent to 修改密码 first");
        let (_, me) = c.post("/api/me", &[]).await;
        assert_eq!(me["must_change_password"], true, "[{backend}] {me}");
        let (status, body) = c.post("/api/admin/dashboard", &[]).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{backend}] nothing before 修改密码: {body}"
        );
        assert_eq!(body, Value::String("MustChangePassword".into()), "[{backend}]");

        // A second session opened with the one-time password ends when the password changes.
        let other = app.client();
        let (status, _) = other
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", "ops"), ("password", &one_time)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        let (status, body) = change(&c, "wrong-one", "Season2027", "Season2027").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "原密码不正确".into())
        );
        let (status, body) = change(&c, &one_time, "Season2027", "Season2028").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "两次输入的新密码不一致".into())
        );
        let (status, body) = change(&c, &one_time, "season", "season").await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "新密码至少8位".into())
        );
        let (status, body) = change(&c, &one_time, "Season2027", "Season2027").await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {body}");
        assert_eq!(body["must_change_password"], false);

        let (status, body) = c.post("/api/admin/dashboard", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{backend}] after 修改密码: {body}");
        assert_eq!(body["role"], "ProvinceAdmin", "[{backend}] {body}");
        let (status, _) = other.post("/api/me", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{backend}] the other session ended");
        let (status, _) = app
            .client()
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", "ops"), ("password", &one_time)],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{backend}] the one-time password is spent"
        );
        app.stop();
    })
    .await;
}

#[tokio::test]
async fn an_operator_may_give_the_first_password_on_standard_input_if_it_is_strong_enough() {
    on_each_database(|url, backend| async move {
        let (code, _, err) = admin_create(
            &url,
            &["--role", "province", "--login", "ops", "--password-stdin"],
            Some("short\n"),
        );
        assert_eq!(code, 1, "[{backend}] {err}");
        assert!(err.contains("新密码至少8位"), "[{backend}] {err}");
        let (code, out, err) = admin_create(
            &url,
            &["--role", "province", "--login", "ops", "--password-stdin"],
            Some("Province2027\n"),
        );
        assert_eq!(code, 0, "[{backend}] {out} {err}");
        assert!(!out.contains("一次性密码"), "[{backend}] {out}");
        let app = start_on(&url, backend).await;
        let (status, body) = app
            .client()
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", "ops"), ("password", "Province2027")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{backend}] {body}");
        assert_eq!(
            body["redirect"], "/admin",
            "[{backend}] a password the operator chose need not be changed"
        );
        app.stop();
    })
    .await;
}

#[tokio::test]
async fn every_role_changes_its_own_password_and_then_logs_in_with_the_new_one() {
    on_each_backend(|app| async move {
        for (kind, login) in [
            ("student", demo::student(0)),
            ("employer", demo::EMPLOYER_APPROVED.to_owned()),
            ("admin", demo::college_admin(0, 0).to_owned()),
        ] {
            let c = app.login(kind, &login).await;
            let (status, body) = change(&c, data::service::seed::DEMO_PASSWORD, "Changed2027x", "Changed2027x").await;
            assert_eq!(status, StatusCode::OK, "[{}] {kind}: {body}", app.backend);
            let (status, _) = app
                .client()
                .post(
                    "/api/login",
                    &[("kind", kind), ("login", &login), ("password", "Changed2027x")],
                )
                .await;
            assert_eq!(
                status,
                StatusCode::OK,
                "[{}] {kind} logs in with the new password",
                app.backend
            );
            let (status, _) = app
                .client()
                .post(
                    "/api/login",
                    &[
                        ("kind", kind),
                        ("login", &login),
                        ("password", data::service::seed::DEMO_PASSWORD),
                    ],
                )
                .await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "[{}] {kind}: the old one no longer works",
                app.backend
            );
        }
        let (status, _) = change(&app.client(), "x", "Changed2027x", "Changed2027x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{}] nobody logged in", app.backend);
    })
    .await;
}
