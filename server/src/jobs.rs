//! Background jobs: periodic housekeeping that no request waits for, and the outbox
//! dispatcher that delivers mail and SMS written by the services.
//!
//! Several instances may share one PostgreSQL database. Each outbox message is sent by the one
//! instance that claimed it (`data::service::outbox::claim`), and the hourly jobs run on the
//! one instance that took their lease (`data::service::lease`).

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use data::{service::lease, Db};
use domain::{
    delivery::{AfterFailure, RetryPolicy},
    status::{Channel, OutboxStatus},
};

/// Starts the jobs: session purge, invitation expiry and reminders hourly, the outbox every second.
/// SMS go to `sms` when a gateway is configured, else to the log.
pub fn spawn(db: Db, mailer: Option<mail::Mailer>, sms: Option<crate::sms::SmsGateway>) {
    let instance = lease::instance_id();
    tracing::info!(%instance, "background jobs started");
    let (hourly_db, hourly_instance) = (db.clone(), instance.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            run_hourly(&hourly_db, &hourly_instance).await;
        }
    });
    let mut dispatcher = Dispatcher::new(db, mailer, instance);
    if let Some(gateway) = sms {
        dispatcher = dispatcher.with_sms(gateway);
    }
    tokio::spawn(dispatcher.run());
}

/// Deletes uploaded files nobody confirmed, hourly (each instance its own store's: with a shared
/// bucket, several instances purging the same expired file is harmless).
pub fn spawn_upload_purge(uploads: data::uploads::Uploads) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match uploads.purge_expired().await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired uploads purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "upload purge failed"),
            }
        }
    });
}

/// The hourly jobs' lease: a little under the hour, so that whichever instance ticks first in
/// an hour runs them and the others, ticking later in that hour, find the lease held.
const HOURLY_LEASE: TimeDelta = TimeDelta::minutes(55);

/// Runs the hourly jobs if this instance takes their lease; `false` if another instance has run
/// them within the lease (or the lease could not be read).
pub async fn run_hourly(db: &Db, instance: &str) -> bool {
    match lease::take(db, "hourly", instance, Utc::now(), HOURLY_LEASE).await {
        Ok(true) => {}
        Ok(false) => return false,
        Err(e) => {
            tracing::warn!(error = %e, "hourly jobs skipped: their lease could not be taken");
            return false;
        }
    }
    match data::service::auth::purge_expired_sessions(db).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "session purge failed"),
    }
    // Reads already treat overdue invitations as 已过期; this writes it down.
    match data::service::invite::expire_overdue(db).await {
        Ok(n) if n > 0 => tracing::info!(expired = n, "overdue invitations expired"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "invitation expiry failed"),
    }
    // A day before the 应约期限, remind students who have not answered.
    match data::service::invite::remind_due(db).await {
        Ok(n) if n > 0 => tracing::info!(reminded = n, "invitation reminders queued"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "invitation reminders failed"),
    }
    run_daily_digest(db, instance, Utc::now()).await;
    true
}

/// The daily digest's lease: a little under a day, so that the hourly tick 24 hours later takes
/// it again and no other tick (of any instance) in between does.
const DIGEST_LEASE: TimeDelta = TimeDelta::minutes(24 * 60 - 5);

/// 每日审核提醒: once a day across instances (its own lease), an e-mail to each admin who switched
/// it on and has items waiting. `false` if another run holds the lease.
pub async fn run_daily_digest(db: &Db, instance: &str, now: chrono::DateTime<Utc>) -> bool {
    match lease::take(db, "review_digest", instance, now, DIGEST_LEASE).await {
        Ok(true) => {}
        Ok(false) => return false,
        Err(e) => {
            tracing::warn!(error = %e, "review digest skipped: its lease could not be taken");
            return false;
        }
    }
    match data::service::review::send_digests(db).await {
        Ok(n) if n > 0 => tracing::info!(queued = n, "review digests queued"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "review digests failed"),
    }
    true
}

/// Messages claimed at a time: small, so that instances share the work and a claim does not
/// outlast its lease.
const BATCH: u64 = 20;
/// How long a claim holds its messages. An instance that dies holding some leaves them to the
/// others after this.
const LEASE: TimeDelta = TimeDelta::minutes(10);
/// Lease time a send must have left to start (an SMTP exchange takes up to a few 10 s
/// timeouts); otherwise the rest of the batch is given back, so that no message is sent by two
/// instances.
const SEND_MARGIN: TimeDelta = TimeDelta::minutes(2);

/// Delivers what the outbox holds: e-mail over SMTP and SMS through an SMS gateway when
/// configured, otherwise written to the log.
pub struct Dispatcher {
    db: Db,
    mailer: Option<mail::Mailer>,
    sms: Option<crate::sms::SmsGateway>,
    instance: String,
    retry: RetryPolicy,
}

impl Dispatcher {
    /// `instance` names this process in its claims (`lease::instance_id`).
    pub fn new(db: Db, mailer: Option<mail::Mailer>, instance: String) -> Self {
        Dispatcher {
            db,
            mailer,
            sms: None,
            instance,
            retry: RetryPolicy::default(),
        }
    }

    pub fn with_retry(self, retry: RetryPolicy) -> Self {
        Dispatcher { retry, ..self }
    }

    /// SMS go to this gateway instead of the log.
    pub fn with_sms(self, gateway: crate::sms::SmsGateway) -> Self {
        Dispatcher {
            sms: Some(gateway),
            ..self
        }
    }

    /// Delivers every second, and at once again while batches come full.
    pub async fn run(self) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            if self.deliver_due().await < BATCH as usize {
                tick.tick().await;
            }
        }
    }

    /// Claims one batch of due messages and hands each over. Returns how many were claimed.
    pub async fn deliver_due(&self) -> usize {
        let claimed_at = Utc::now();
        let batch = match data::service::outbox::claim(&self.db, &self.instance, claimed_at, LEASE, BATCH).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "outbox unreadable");
                return 0;
            }
        };
        let n = batch.len();
        for m in batch {
            if Utc::now() > claimed_at + LEASE - SEND_MARGIN {
                // Too late to be sure of finishing inside the lease: leave it to the next claim.
                if let Err(e) = data::service::outbox::release(&self.db, m.id, &self.instance).await {
                    tracing::warn!(error = %e, id = m.id, "outbox message not given back; due when its lease ends");
                }
                continue;
            }
            let outcome = match (m.channel, &self.mailer, &self.sms) {
                (Channel::Email, Some(mailer), _) => match mailer.send(&m.recipient, &m.subject, &m.body).await {
                    Ok(()) => Ok(OutboxStatus::Sent),
                    Err(e) => Err(e.to_string()),
                },
                (Channel::Sms, _, Some(gateway)) => match gateway.send(&m.recipient, &m.body).await {
                    Ok(()) => Ok(OutboxStatus::Sent),
                    Err(e) => Err(e.to_string()),
                },
                (channel, ..) => {
                    // The default sender: the log (target `outbox`), which tests and operators read.
                    // User text only as quoted fields (`?`: escaped), so no value can start a line.
                    tracing::info!(target: "outbox", channel = channel.code(), to = ?m.recipient, subject = ?m.subject, body = ?m.body, "message");
                    Ok(OutboxStatus::Logged)
                }
            };
            let recorded = match outcome {
                Ok(how) => data::service::outbox::delivered(&self.db, m.id, &self.instance, how).await,
                Err(error) => self.record_failure(&m, &error).await,
            };
            match recorded {
                Ok(true) => {}
                Ok(false) => tracing::warn!(id = m.id, "outbox message's lease ran out while it was sent"),
                Err(e) => tracing::warn!(error = %e, id = m.id, "outbox not updated"),
            }
        }
        n
    }

    async fn record_failure(&self, m: &data::entity::outbox::Model, error: &str) -> data::Result<bool> {
        let attempts = u32::try_from(m.attempts).unwrap_or(0);
        let after = data::service::outbox::failed(&self.db, m.id, &self.instance, attempts, error, &self.retry).await?;
        match after {
            Some(AfterFailure::RetryIn(delay)) => {
                tracing::warn!(id = m.id, channel = m.channel.code(), to = ?m.recipient, attempts, retry_in_s = delay.num_seconds(), %error, "message not sent; will retry")
            }
            Some(AfterFailure::GiveUp) => {
                tracing::error!(id = m.id, channel = m.channel.code(), to = ?m.recipient, attempts, %error, "message not sent; given up after the last attempt")
            }
            None => {}
        }
        Ok(after.is_some())
    }
}
