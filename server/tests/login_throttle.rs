//! The login throttle and the bound on password checks, tried as an attacker would: many
//! attempts for one login at the same moment.

mod common;

use common::*;
use data::{entity::login_throttle, service::auth};
use domain::{role::LoginKind, AppError};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::Value;

/// The answer is an `AppError` whose message is Chinese.
fn has_cjk(v: &Value) -> bool {
    serde_json::from_value::<AppError>(v.clone())
        .is_ok_and(|e| e.message().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
}

/// 49 wrong passwords for one login and the right one, all in flight together: the database
/// hands out at most `MAX_FAILURES` checks, so at most four answer 账号或密码错误 (the fifth
/// failure answers with the lock), nobody logs in, and the login is locked afterwards.
#[tokio::test]
async fn a_burst_of_simultaneous_attempts_gets_at_most_five_password_checks_and_no_login() {
    on_each_backend(|app| async move {
        let login = demo::school_admin(0);
        let mut burst = tokio::task::JoinSet::new();
        for n in 0..49 {
            let c = app.client();
            let wrong = format!("wrong-{n}");
            burst.spawn(async move {
                c.post(
                    "/api/login",
                    &[("kind", "admin"), ("login", login), ("password", &wrong)],
                )
                .await
            });
        }
        // The right password arrives while the burst is being checked: once its attempts are taken.
        let db = app.db.clone();
        let right = app.client();
        burst.spawn(async move {
            for _ in 0..2000 {
                let row = login_throttle::Entity::find_by_id(login.to_owned())
                    .one(&db)
                    .await
                    .unwrap();
                if row.is_some_and(|r| r.failures >= auth::MAX_FAILURES || r.locked_until.is_some()) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            right
                .post(
                    "/api/login",
                    &[("kind", "admin"), ("login", login), ("password", PASSWORD)],
                )
                .await
        });
        let mut wrong_password = 0;
        while let Some(answer) = burst.join_next().await {
            let (status, body) = answer.unwrap();
            assert_ne!(
                status,
                StatusCode::OK,
                "[{}] a login in the burst succeeded: {body}",
                app.backend
            );
            assert!(
                status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
                "[{}] {status} {body}",
                app.backend
            );
            assert!(has_cjk(&body), "[{}] {body}", app.backend);
            wrong_password += usize::from(status == StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            wrong_password,
            auth::MAX_FAILURES as usize - 1,
            "[{}] passwords checked beyond the limit",
            app.backend
        );

        let row = login_throttle::Entity::find_by_id(login.to_owned())
            .one(&app.db)
            .await
            .unwrap()
            .expect("throttle row");
        assert!(
            row.locked_until.is_some_and(|u| u > chrono::Utc::now()),
            "[{}] not locked: {row:?}",
            app.backend
        );
        let (status, body) = app
            .client()
            .post(
                "/api/login",
                &[("kind", "admin"), ("login", login), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "[{}] the right password after the burst: {body}",
            app.backend
        );
    })
    .await;
}

/// Attempts one after another: four failures answer 账号或密码错误, the fifth locks, a success
/// before that clears the count.
#[tokio::test]
async fn the_fifth_failure_in_a_row_locks_and_a_success_clears_the_count() {
    on_each_backend(|app| async move {
        let c = app.client();
        let attempt = |password: &'static str| {
            let c = &c;
            async move {
                c.post(
                    "/api/login",
                    &[("kind", "admin"), ("login", "province"), ("password", password)],
                )
                .await
                .0
            }
        };
        for _ in 0..4 {
            assert_eq!(attempt("nope").await, StatusCode::UNAUTHORIZED, "[{}]", app.backend);
        }
        assert_eq!(
            attempt(PASSWORD).await,
            StatusCode::OK,
            "[{}] the fifth attempt, right",
            app.backend
        );
        for _ in 0..4 {
            assert_eq!(
                attempt("nope").await,
                StatusCode::UNAUTHORIZED,
                "[{}] count cleared by the success",
                app.backend
            );
        }
        assert_eq!(
            attempt("nope").await,
            StatusCode::TOO_MANY_REQUESTS,
            "[{}] the fifth failure locks",
            app.backend
        );
        assert_eq!(
            attempt(PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "[{}] locked",
            app.backend
        );
    })
    .await;
}

/// With every place for a password check taken, a login is answered 请求过多 at once and writes
/// nothing (its attempt is not counted).
#[tokio::test]
async fn a_login_beyond_the_password_check_queue_is_told_to_retry_and_counts_nothing() {
    on_each_backend(|app| async move {
        let hasher = auth::Hasher::new(1, 0);
        let first = auth::login(&app.data, &hasher, LoginKind::Admin, "province", PASSWORD, None, None);
        let second = auth::login(
            &app.data,
            &hasher,
            LoginKind::Admin,
            demo::school_admin(1),
            "wrong",
            None,
            None,
        );
        // `join!` polls `first` first: it holds the only place while `second` asks for one.
        let (first, second) = tokio::join!(first, second);
        assert!(first.is_ok(), "[{}] {:?}", app.backend, first.err());
        let err = second.err().expect("the second login waits for no place");
        assert_eq!(err, AppError::Busy, "[{}]", app.backend);
        assert_eq!(err.status(), 429);
        assert!(err.message().contains("请稍后再试"));
        let row = login_throttle::Entity::find_by_id(demo::school_admin(1).to_owned())
            .one(&app.db)
            .await
            .unwrap();
        assert!(row.is_none(), "[{}] a refused login was counted: {row:?}", app.backend);
        // The place is free again once the first check ended.
        assert!(auth::login(
            &app.data,
            &hasher,
            LoginKind::Admin,
            demo::school_admin(1),
            PASSWORD,
            None,
            None
        )
        .await
        .is_ok());
    })
    .await;
}
