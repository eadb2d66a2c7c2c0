//! Background jobs: periodic housekeeping that no request waits for.

use std::time::Duration;

use data::DatabaseConnection;

/// Removes expired sessions every hour.
pub fn spawn(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match data::service::auth::purge_expired_sessions(&db).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
        }
    });
}
