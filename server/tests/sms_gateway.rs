//! SMS through an HTTP SMS gateway (`SMS_SENDER=http`), against a gateway the test starts on a
//! local port: the request carries the configured method, credentials and body with the phone and
//! text; a gateway that fails is tried again by the outbox's retry policy; and a student's
//! 首次登录 code goes through it and sets the password.

mod common;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{extract::State, http::HeaderMap, http::StatusCode as AxStatus, routing::post, Router};
use chrono::TimeDelta;
use common::{demo, flow, on_each_backend};
use data::entity::outbox;
use domain::{delivery::RetryPolicy, status::OutboxStatus};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use server::{
    jobs::Dispatcher,
    sms::{GatewayConfig, SmsGateway},
};

/// What the gateway received: (authorization header, content type, body).
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// A gateway on a local port that answers 503 to its first `failures` requests, then 200.
async fn gateway(failures: usize) -> (String, Received) {
    let received: Received = Default::default();
    let state = (received.clone(), Arc::new(Mutex::new(failures)));
    async fn take(
        State((received, failures)): State<(Received, Arc<Mutex<usize>>)>,
        headers: HeaderMap,
        body: String,
    ) -> AxStatus {
        let header = |n: &str| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        received
            .lock()
            .unwrap()
            .push((header("authorization"), header("content-type"), body));
        let mut left = failures.lock().unwrap();
        if *left > 0 {
            *left -= 1;
            AxStatus::SERVICE_UNAVAILABLE
        } else {
            AxStatus::OK
        }
    }
    let app = Router::new().route("/sms/send", post(take)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/sms/send"), received)
}

fn config(url: &str) -> GatewayConfig {
    let vars: HashMap<&str, String> = [
        ("SMS_SENDER", "http".to_owned()),
        ("SMS_GATEWAY_URL", url.to_owned()),
        ("SMS_GATEWAY_TOKEN", "test-token".to_owned()),
    ]
    .into();
    GatewayConfig::from_lookup(|n| vars.get(n).cloned())
        .unwrap()
        .expect("the http sender")
}

/// Retries at once (the policy's shape, without its waits), three attempts.
fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        first_delay: TimeDelta::zero(),
        max_delay: TimeDelta::zero(),
    }
}

#[tokio::test]
async fn a_first_login_code_goes_through_the_gateway_which_is_tried_again_after_a_failure() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let (url, received) = gateway(1).await;
        let dispatcher = Dispatcher::new(app.data.clone(), None, "test".into())
            .with_sms(SmsGateway::new(config(&url)).unwrap())
            .with_retry(quick_retry());

        let c = app.client();
        let (status, body) = c
            .post(
                "/api/login/first/send",
                &[("id_number", &demo::student(2)), ("name", flow::name(2))],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");

        // The gateway fails once: the message stays pending with the error, then goes.
        dispatcher.deliver_due().await;
        let phone = data::service::seed::demo_student_ids(2).1;
        let sms = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(phone.as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((sms.status, sms.attempts), (OutboxStatus::Pending, 1), "[{b}] {sms:?}");
        assert!(sms.error.contains("503"), "[{b}] {}", sms.error);
        dispatcher.deliver_due().await;
        let sms = outbox::Entity::find_by_id(sms.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!((sms.status, sms.attempts), (OutboxStatus::Sent, 2), "[{b}] {sms:?}");

        let got = received.lock().unwrap().clone();
        assert_eq!(got.len(), 2, "[{b}] {got:?}");
        let (auth, content_type, body) = &got[1];
        assert_eq!(
            (auth.as_str(), content_type.as_str()),
            ("Bearer test-token", "application/json")
        );
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["phone"], phone.as_str());
        let code = flow::code_in(body["text"].as_str().unwrap());
        assert_eq!(code.len(), 6, "[{b}] {body}");

        // The code the gateway carried sets the password.
        let (status, body) = c
            .post(
                "/api/login/first",
                &[
                    ("id_number", &demo::student(2)),
                    ("code", &code),
                    ("new_password", "Wanglei2027"),
                    ("new_password_again", "Wanglei2027"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
    })
    .await;
}

#[tokio::test]
async fn a_gateway_that_keeps_failing_leaves_the_message_failed_after_the_last_attempt() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let (url, received) = gateway(usize::MAX).await;
        let dispatcher = Dispatcher::new(app.data.clone(), None, "test".into())
            .with_sms(SmsGateway::new(config(&url)).unwrap())
            .with_retry(quick_retry());
        let c = app.client();
        let (status, _) = c
            .post(
                "/api/login/first/send",
                &[("id_number", &demo::student(3)), ("name", flow::name(3))],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        for _ in 0..5 {
            dispatcher.deliver_due().await;
        }
        let phone = data::service::seed::demo_student_ids(3).1;
        let sms = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(phone.as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((sms.status, sms.attempts), (OutboxStatus::Failed, 3), "[{b}] {sms:?}");
        assert_eq!(received.lock().unwrap().len(), 3, "[{b}] three attempts, no more");
    })
    .await;
}
