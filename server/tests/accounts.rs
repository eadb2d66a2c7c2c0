//! Accounts, sessions and the login throttle, over HTTP on SQLite and PostgreSQL.

mod common;

use common::{demo, on_each_backend, start_on, PASSWORD};
use reqwest::StatusCode;

#[tokio::test]
async fn each_role_logs_in_and_lands_on_its_own_user_center() {
    on_each_backend(|app| async move {
        let cases = [
            ("student", demo::student(0), "/api/student/dashboard", "/student"),
            (
                "employer",
                demo::EMPLOYER_APPROVED.to_owned(),
                "/api/employer/dashboard",
                "/employer",
            ),
            (
                "admin",
                demo::college_admin(0, 0).to_owned(),
                "/api/admin/dashboard",
                "/admin",
            ),
            (
                "admin",
                demo::school_admin(0).to_owned(),
                "/api/admin/dashboard",
                "/admin",
            ),
            ("admin", demo::PROVINCE.to_owned(), "/api/admin/dashboard", "/admin"),
        ];
        for (kind, login, dashboard, home) in cases {
            let c = app.client();
            let (status, body) = c
                .post(
                    "/api/login",
                    &[("kind", kind), ("login", &login), ("password", PASSWORD)],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "[{}] {login}: {body}", app.backend);
            assert_eq!(body["redirect"], home);
            let (status, body) = c.post(dashboard, &[]).await;
            assert_eq!(status, StatusCode::OK, "[{}] {login} dashboard: {body}", app.backend);
            // The user center page itself renders for the session.
            let (status, html) = c.get(home).await;
            assert_eq!(status, StatusCode::OK);
            assert!(html.contains("核心功能菜单"), "{home} lacks the menu");
        }
    })
    .await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    on_each_backend(|app| async move {
        let r = app
            .client()
            .http
            .post(format!("{}/api/login", app.base))
            .form(&[
                ("kind", "employer"),
                ("login", demo::EMPLOYER_APPROVED),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.starts_with("wq_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_chinese_refusal() {
    on_each_backend(|app| async move {
        let c = app.client();
        let (s1, wrong) = c
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", "province"), ("password", "nope")],
            )
            .await;
        let (s2, unknown) = c
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", "nobody"), ("password", "nope")],
            )
            .await;
        assert_eq!((s1, s2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
        assert_eq!(wrong, unknown);
        let err: domain::AppError = serde_json::from_value(wrong).unwrap();
        assert_eq!(err.message(), "账号或密码错误");
    })
    .await;
}

#[tokio::test]
async fn the_login_door_must_match_the_role() {
    on_each_backend(|app| async move {
        // A student's correct password at the admin door is refused like a wrong one.
        let (status, body) = app
            .client()
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", &demo::student(0)), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    })
    .await;
}

#[tokio::test]
async fn five_failures_in_a_row_lock_the_login_even_for_the_right_password() {
    on_each_backend(|app| async move {
        let c = app.client();
        let login = demo::EMPLOYER_OTHER;
        for i in 1..=5 {
            let (status, body) = c
                .post(
                    "/api/login",
                    &[("kind", "employer"), ("login", login), ("password", "bad")],
                )
                .await;
            let expected = if i < 5 {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::TOO_MANY_REQUESTS
            };
            assert_eq!(status, expected, "attempt {i}: {body}");
        }
        let (status, body) = c
            .post(
                "/api/login",
                &[("kind", "employer"), ("login", login), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let err: domain::AppError = serde_json::from_value(body).unwrap();
        assert!(err.message().contains("分钟后再试"), "{}", err.message());
        // Other logins are unaffected.
        app.login("employer", demo::EMPLOYER_APPROVED).await;
    })
    .await;
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    on_each_backend(|app| async move {
        let c = app.client();
        for _ in 0..4 {
            c.post(
                "/api/login",
                &[("kind", "admin"), ("login", "province"), ("password", "bad")],
            )
            .await;
        }
        app.login("admin", "province").await;
        for _ in 0..4 {
            let (status, _) = c
                .post(
                    "/api/login",
                    &[("kind", "admin"), ("login", "province"), ("password", "bad")],
                )
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    on_each_backend(|app| async move {
        let c = app.login("admin", "province").await;
        assert_eq!(c.post("/api/me", &[]).await.0, StatusCode::OK);
        assert_eq!(c.post("/api/logout", &[]).await.0, StatusCode::OK);
        let (status, body) = c.post("/api/me", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            serde_json::from_value::<domain::AppError>(body).unwrap().message(),
            "请先登录"
        );
    })
    .await;
}

#[tokio::test]
async fn login_issues_a_new_session_id_and_ends_the_previous_one() {
    on_each_backend(|app| async move {
        let http = reqwest::Client::new();
        let login = |cookie: Option<String>| {
            let mut r = http.post(format!("{}/api/login", app.base)).form(&[
                ("kind", "admin"),
                ("login", "province"),
                ("password", PASSWORD),
            ]);
            if let Some(c) = cookie {
                r = r.header("cookie", c);
            }
            r.send()
        };
        let token = |r: &reqwest::Response| {
            r.headers()
                .get("set-cookie")
                .unwrap()
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned()
        };
        let first = token(&login(None).await.unwrap());
        let second = token(&login(Some(first.clone())).await.unwrap());
        assert_ne!(first, second);
        let me = |c: String| http.post(format!("{}/api/me", app.base)).header("cookie", c).send();
        assert_eq!(me(first).await.unwrap().status(), StatusCode::UNAUTHORIZED);
        assert_eq!(me(second).await.unwrap().status(), StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn sessions_survive_a_server_restart() {
    on_each_backend(|app| async move {
        let c = app.login("employer", demo::EMPLOYER_APPROVED).await;
        app.stop();
        // A new server process on the same database; the browser keeps its cookie.
        let again = start_on(&app.url, app.backend).await;
        let moved = common::Client {
            base: again.base.clone(),
            http: c.http.clone(),
        };
        // reqwest keys cookies by host, and both servers are on 127.0.0.1.
        let (status, body) = moved.post("/api/employer/dashboard", &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        again.stop();
    })
    .await;
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    on_each_backend(|app| async move {
        let (status, body) = app.client().get("/healthz").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    })
    .await;
}

/// The server remembers confirmed sessions for a few seconds; a session ended elsewhere (another
/// server process, here straight in the database) is refused once its entry is rechecked.
#[tokio::test]
async fn a_session_ended_elsewhere_is_refused_after_the_recheck() {
    use data::service::auth::{self, Sessions};
    use std::time::Duration;
    on_each_backend(|app| async move {
        let done = auth::login(
            &app.data,
            &auth::Hasher::default(),
            domain::role::LoginKind::Admin,
            "province",
            PASSWORD,
            None,
            None,
        )
        .await
        .unwrap();
        let sessions = Sessions::with_recheck(Duration::from_millis(300));
        assert_eq!(
            sessions
                .caller(&app.data, &done.token)
                .await
                .unwrap()
                .map(|c| c.account_id),
            Some(done.caller.account_id)
        );
        auth::logout(&app.data, &done.token).await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(
            sessions.caller(&app.data, &done.token).await.unwrap().is_none(),
            "[{}] still logged in",
            app.backend
        );
    })
    .await;
}

/// A session past its expiry, or one whose account was disabled, no longer identifies anyone.
#[tokio::test]
async fn an_expired_session_or_a_disabled_account_is_refused() {
    use chrono::{Duration, Utc};
    use data::{
        entity::{account, session},
        service::auth::{self, Sessions},
    };
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    on_each_backend(|app| async move {
        let hasher = auth::Hasher::default();
        let login = |name: &'static str| {
            auth::login(
                &app.data,
                &hasher,
                domain::role::LoginKind::Admin,
                name,
                PASSWORD,
                None,
                None,
            )
        };
        let sessions = Sessions::default();
        let done = login(demo::school_admin(1)).await.unwrap();
        let caller = sessions
            .caller(&app.data, &done.token)
            .await
            .unwrap()
            .expect("a fresh session identifies its account");
        assert_eq!(caller, done.caller);

        let expired = login("province").await.unwrap();
        let only = session::Entity::find().filter(session::Column::AccountId.eq(expired.caller.account_id));
        let mut s: session::ActiveModel = only.one(&app.db).await.unwrap().unwrap().into();
        s.expires_at = Set(Utc::now() - Duration::milliseconds(1));
        s.update(&app.db).await.unwrap();
        assert!(
            Sessions::default()
                .caller(&app.data, &expired.token)
                .await
                .unwrap()
                .is_none(),
            "[{}] expired session accepted",
            app.backend
        );

        let admin = login(demo::school_admin(0)).await.unwrap();
        let mut a: account::ActiveModel = account::Entity::find_by_id(admin.caller.account_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
        a.disabled = Set(true);
        a.update(&app.db).await.unwrap();
        assert!(
            Sessions::default()
                .caller(&app.data, &admin.token)
                .await
                .unwrap()
                .is_none(),
            "[{}] disabled account accepted",
            app.backend
        );
    })
    .await;
}
