//! Background jobs: periodic housekeeping that no request waits for, and the outbox
//! dispatcher that delivers mail and SMS written by the services.

use std::time::Duration;

use data::Db;

/// Starts the jobs: session purge, invitation expiry and reminders hourly, the outbox every second.
pub fn spawn(db: Db, mailer: Option<mail::Mailer>) {
    let hourly = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match data::service::auth::purge_expired_sessions(&hourly).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
            // Reads already treat overdue invitations as 已过期; this writes it down.
            match data::service::invite::expire_overdue(&hourly).await {
                Ok(n) if n > 0 => tracing::info!(expired = n, "overdue invitations expired"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "invitation expiry failed"),
            }
            // A day before the 应约期限, remind students who have not answered.
            match data::service::invite::remind_due(&hourly).await {
                Ok(n) if n > 0 => tracing::info!(reminded = n, "invitation reminders queued"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "invitation reminders failed"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            deliver_outbox(&db, mailer.as_ref()).await;
        }
    });
}

/// Delivers what the outbox holds: e-mail over SMTP when configured, otherwise (and for SMS,
/// whose default sender is the log) written to the log. Returns how many were handled.
pub async fn deliver_outbox(db: &Db, mailer: Option<&mail::Mailer>) -> usize {
    let pending = match data::service::outbox::pending(db, 50).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "outbox unreadable");
            return 0;
        }
    };
    let n = pending.len();
    for m in pending {
        let (status, error) = match (m.channel.as_str(), mailer) {
            ("email", Some(mailer)) => match mailer.send(&m.recipient, &m.subject, &m.body).await {
                Ok(()) => ("sent", String::new()),
                Err(e) => {
                    tracing::warn!(to = %m.recipient, error = %e, "mail not sent");
                    ("failed", e.to_string())
                }
            },
            (channel, _) => {
                // The default sender: the log (target `outbox`), which tests and operators read.
                tracing::info!(target: "outbox", channel, to = %m.recipient, subject = %m.subject, "{}", m.body);
                ("logged", String::new())
            }
        };
        if let Err(e) = data::service::outbox::mark(db, m.id, status, &error).await {
            tracing::warn!(error = %e, "outbox not updated");
        }
    }
    n
}
