//! Several instances on one database: each outbox message is sent by exactly one of them, a
//! send that fails is tried again until the SMTP server is back (a bounded number of times),
//! and the hourly jobs run on one instance. Every test runs on SQLite and, when
//! `TEST_POSTGRES_URL` is set, on PostgreSQL, with two instances = two connection pools
//! (`data::connect`) on the same database, each with its own dispatcher running concurrently.

use std::{collections::BTreeSet, time::Duration};

use chrono::{TimeDelta, Utc};
use data::{entity::outbox, service::notify, Db};
use domain::{delivery::RetryPolicy, status::OutboxStatus};
use mail::testing::SmtpSink;
use sea_orm::EntityTrait;
use server::jobs::{run_hourly, Dispatcher};
use tokio::task::JoinHandle;

mod common;
use common::on_each_database;

/// Queues `n` e-mails the way the services do, subjects `通知 0` … `通知 n-1`.
async fn queue_mails(db: &Db, n: usize) {
    for i in 0..n {
        db.write(move |txn| {
            Box::pin(async move {
                notify::enqueue(
                    txn,
                    notify::EMAIL,
                    &format!("student{i}@example.edu.cn"),
                    &format!("通知 {i}"),
                    "正文",
                )
                .await
            })
        })
        .await
        .unwrap();
    }
}

/// An instance's dispatcher, polling every 20 ms until aborted.
fn run(dispatcher: Dispatcher) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            dispatcher.deliver_due().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

async fn rows(db: &Db) -> Vec<outbox::Model> {
    outbox::Entity::find().all(db).await.unwrap()
}

async fn wait_until_none_pending(db: &Db, timeout: Duration) -> Vec<outbox::Model> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let rows = rows(db).await;
        if rows.iter().all(|r| r.status != OutboxStatus::Pending) {
            return rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still pending after {timeout:?}: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn subjects(mails: &[mail::testing::ReceivedMail]) -> Vec<String> {
    let mut s: Vec<String> = mails.iter().map(|m| m.subject.clone()).collect();
    s.sort();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_deliver_each_of_100_mails_exactly_once() {
    on_each_database(|url, backend| async move {
        let (a, b) = (data::connect(&url).await.unwrap(), data::connect(&url).await.unwrap());
        queue_mails(&a, 100).await;
        let sink = SmtpSink::start();
        let one = run(Dispatcher::new(a.clone(), Some(sink.mailer()), "instance-a".into()));
        let two = run(Dispatcher::new(b.clone(), Some(sink.mailer()), "instance-b".into()));

        let done = wait_until_none_pending(&a, Duration::from_secs(60)).await;
        // Both keep polling a while longer: nothing may go out twice.
        tokio::time::sleep(Duration::from_millis(300)).await;
        one.abort();
        two.abort();

        let mails = sink.messages();
        let expected: Vec<String> = (0..100)
            .map(|i| format!("通知 {i}"))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(mails.len(), 100, "[{backend}] 100 mails arrive");
        assert_eq!(subjects(&mails), expected, "[{backend}] each mail arrives once");
        let odd: Vec<_> = done
            .iter()
            .filter(|r| r.status != OutboxStatus::Sent || r.attempts != 1 || r.claimed_by.is_some())
            .collect();
        assert!(
            odd.is_empty(),
            "[{backend}] each row sent once, in one attempt: {odd:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_instances_take_part_in_sending_without_overlap() {
    on_each_database(|url, backend| async move {
        let (a, b) = (data::connect(&url).await.unwrap(), data::connect(&url).await.unwrap());
        queue_mails(&a, 60).await;
        let sink = SmtpSink::start();
        let (one, two) = (
            Dispatcher::new(a.clone(), Some(sink.mailer()), "instance-a".into()),
            Dispatcher::new(b.clone(), Some(sink.mailer()), "instance-b".into()),
        );
        // Both claim at the same moment: each gets a batch of its own.
        let (first, second) = tokio::join!(one.deliver_due(), two.deliver_due());
        assert_eq!((first, second), (20, 20), "[{backend}]");
        let mails = sink.messages();
        assert_eq!(mails.len(), 40, "[{backend}]");
        assert_eq!(
            subjects(&mails).into_iter().collect::<BTreeSet<_>>().len(),
            40,
            "[{backend}] no mail twice"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_queued_while_the_smtp_server_is_down_is_delivered_after_it_returns() {
    on_each_database(|url, backend| async move {
        let (a, b) = (data::connect(&url).await.unwrap(), data::connect(&url).await.unwrap());
        let mut sink = SmtpSink::start();
        sink.pause();
        queue_mails(&a, 5).await;
        let quick = RetryPolicy {
            max_attempts: 100,
            first_delay: TimeDelta::milliseconds(100),
            max_delay: TimeDelta::milliseconds(300),
        };
        let one = run(Dispatcher::new(a.clone(), Some(sink.mailer()), "instance-a".into()).with_retry(quick));
        let two = run(Dispatcher::new(b.clone(), Some(sink.mailer()), "instance-b".into()).with_retry(quick));

        // Down for a while: the mails wait, pending, with the error and the attempts so far.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let waiting = rows(&a).await;
        assert!(
            waiting.iter().all(|r| r.status == OutboxStatus::Pending
                && r.attempts >= 2
                && !r.error.is_empty()
                && r.next_attempt_at.is_some()),
            "[{backend}] {waiting:?}"
        );

        sink.resume();
        let mails = sink.wait_for(5, Duration::from_secs(30)).await;
        let done = wait_until_none_pending(&a, Duration::from_secs(30)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        one.abort();
        two.abort();
        assert!(
            done.iter()
                .all(|r| r.status == OutboxStatus::Sent && r.error.is_empty()),
            "[{backend}] {done:?}"
        );
        assert_eq!(
            subjects(&mails),
            (0..5).map(|i| format!("通知 {i}")).collect::<Vec<_>>(),
            "[{backend}]"
        );
        assert_eq!(sink.messages().len(), 5, "[{backend}] each mail arrives once");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_still_failing_after_the_last_attempt_is_failed_for_good_and_not_sent_later() {
    on_each_database(|url, backend| async move {
        let db = data::connect(&url).await.unwrap();
        let mut sink = SmtpSink::start();
        sink.pause();
        queue_mails(&db, 1).await;
        let policy = RetryPolicy {
            max_attempts: 3,
            first_delay: TimeDelta::milliseconds(50),
            max_delay: TimeDelta::milliseconds(50),
        };
        let dispatcher = run(Dispatcher::new(db.clone(), Some(sink.mailer()), "instance-a".into()).with_retry(policy));
        let done = wait_until_none_pending(&db, Duration::from_secs(20)).await;
        assert_eq!(done.len(), 1);
        assert_eq!(
            (done[0].status, done[0].attempts),
            (OutboxStatus::Failed, 3),
            "[{backend}] {done:?}"
        );
        assert!(!done[0].error.is_empty(), "[{backend}] the error is kept");

        sink.resume();
        tokio::time::sleep(Duration::from_millis(500)).await;
        dispatcher.abort();
        assert!(
            sink.messages().is_empty(),
            "[{backend}] a failed mail is not sent again"
        );
    })
    .await;
}

#[tokio::test]
async fn a_message_claimed_by_an_instance_that_died_is_sent_by_another_after_the_lease() {
    on_each_database(|url, backend| async move {
        let db = data::connect(&url).await.unwrap();
        queue_mails(&db, 2).await;
        let sink = SmtpSink::start();
        // A dead instance claimed both and never reported back: `通知 0` an hour ago, until an
        // hour from now; `通知 1` two hours ago, until an hour ago.
        let now = Utc::now();
        let live = data::service::outbox::claim(&db, "dead", now, TimeDelta::hours(1), 1)
            .await
            .unwrap();
        let expired = data::service::outbox::claim(&db, "dead", now - TimeDelta::hours(2), TimeDelta::hours(1), 1)
            .await
            .unwrap();
        assert_eq!((live.len(), expired.len()), (1, 1), "[{backend}]");

        let survivor = Dispatcher::new(db.clone(), Some(sink.mailer()), "survivor".into());
        assert_eq!(
            survivor.deliver_due().await,
            1,
            "[{backend}] only the message whose lease ran out"
        );
        assert_eq!(subjects(&sink.messages()), vec!["通知 1".to_string()], "[{backend}]");
        // The dead instance, were it to come back, can no longer record anything for it.
        assert!(
            !data::service::outbox::delivered(&db, expired[0].id, "dead", OutboxStatus::Sent)
                .await
                .unwrap(),
            "[{backend}]"
        );
        let held = outbox::Entity::find_by_id(live[0].id).one(&db).await.unwrap().unwrap();
        assert_eq!(
            (held.status, held.claimed_by.as_deref()),
            (OutboxStatus::Pending, Some("dead")),
            "[{backend}]"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hourly_jobs_run_once_when_two_instances_tick_at_the_same_time() {
    on_each_database(|url, backend| async move {
        let (a, b) = (data::connect(&url).await.unwrap(), data::connect(&url).await.unwrap());
        let (ran_a, ran_b) = tokio::join!(run_hourly(&a, "instance-a"), run_hourly(&b, "instance-b"));
        assert!(ran_a ^ ran_b, "[{backend}] exactly one ran: a {ran_a}, b {ran_b}");
        // Later in the same hour, neither runs them again.
        assert!(
            !run_hourly(&a, "instance-a").await && !run_hourly(&b, "instance-b").await,
            "[{backend}]"
        );
    })
    .await;
}

#[tokio::test]
async fn a_job_lease_is_taken_by_another_instance_once_it_has_expired() {
    on_each_database(|url, backend| async move {
        use data::service::lease::take;
        let db = data::connect(&url).await.unwrap();
        let now = Utc::now();
        let hour = TimeDelta::minutes(55);
        assert!(take(&db, "hourly", "a", now, hour).await.unwrap(), "[{backend}]");
        assert!(
            !take(&db, "hourly", "b", now + TimeDelta::minutes(54), hour)
                .await
                .unwrap(),
            "[{backend}] held"
        );
        assert!(
            take(&db, "hourly", "b", now + TimeDelta::minutes(56), hour)
                .await
                .unwrap(),
            "[{backend}] expired"
        );
        assert!(
            take(&db, "other", "a", now, hour).await.unwrap(),
            "[{backend}] each job has its own lease"
        );
    })
    .await;
}
