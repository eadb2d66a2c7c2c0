//! E-mail over real SMTP: the outbox dispatcher delivers an invitation to a local SMTP server
//! (aiosmtpd), with the employer's name and the 应约期限 — the message a student receives.

mod common;

use std::time::Duration;

use common::{demo, flow, on_each_backend};
use data::entity::{invitation, outbox};
use mail::testing::SmtpSink;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::jobs::Dispatcher;

#[tokio::test]
async fn an_invitation_email_reaches_the_smtp_server_with_the_employer_and_the_deadline() {
    on_each_backend(|app| async move {
        let sink = SmtpSink::start();
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        flow::invite(&app, &e, 3).await;
        let handled = Dispatcher::new(app.data.clone(), Some(sink.mailer()), "test".into())
            .deliver_due()
            .await;
        assert!(handled >= 1, "[{}]", app.backend);
        let mails = sink.wait_for(1, Duration::from_secs(10)).await;
        let m = mails
            .iter()
            .find(|m| m.to.iter().any(|t| t.contains("student04@example.edu.cn")))
            .expect("mail to the student");
        assert!(m.subject.contains("华中数智科技有限公司"), "{}", m.subject);
        let inv = invitation::Entity::find().one(&app.db).await.unwrap().unwrap();
        let deadline = data::service::lookup::format_time(inv.deadline);
        assert!(m.body.contains(&deadline), "{} lacks {deadline}", m.body);
        let row = outbox::Entity::find()
            .filter(outbox::Column::Channel.eq("email"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, domain::status::OutboxStatus::Sent, "[{}]", app.backend);
    })
    .await;
}

#[tokio::test]
async fn without_smtp_mail_and_sms_are_written_to_the_log_and_marked_so() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        flow::invite(&app, &e, 3).await;
        flow::student(&app, 3).await;
        Dispatcher::new(app.data.clone(), None, "test".into())
            .deliver_due()
            .await;
        let rows = outbox::Entity::find().all(&app.db).await.unwrap();
        assert!(
            rows.iter().any(|r| r.channel == domain::status::Channel::Sms),
            "the verification code went out as SMS"
        );
        assert!(
            rows.iter().all(|r| r.status == domain::status::OutboxStatus::Logged),
            "[{}] {rows:?}",
            app.backend
        );
    })
    .await;
}
