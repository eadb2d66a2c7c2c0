//! Connecting (SQLite or PostgreSQL by URL), migrating, and opening write transactions.

use std::time::Duration;

use domain::AppError;
use sea_orm::{
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqlErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;

/// Connects and brings the schema up to date. `sqlite://path?mode=rwc` or `postgres://…`.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.max_connections(if url.starts_with("sqlite") { 8 } else { 20 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    let db = Database::connect(opt).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// A transaction that will write. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so
/// concurrent writers queue on the busy timeout instead of failing with SQLITE_BUSY midway.
pub async fn write_txn(db: &DatabaseConnection) -> crate::Result<DatabaseTransaction> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
    .db()
}

/// Turns database errors into the app's error: logged in full, shown as 系统繁忙.
pub trait DbResultExt<T> {
    fn db(self) -> crate::Result<T>;
    /// A unique-index violation means the rule the index guards was broken by this request:
    /// answer with `on_unique` (a user-facing message) instead of an internal error.
    fn unique_or(self, on_unique: AppError) -> crate::Result<T>;
}

impl<T> DbResultExt<T> for Result<T, DbErr> {
    #[track_caller]
    fn db(self) -> crate::Result<T> {
        self.map_err(|e| {
            let at = std::panic::Location::caller();
            tracing::error!(error = %e, %at, "database error");
            AppError::Internal
        })
    }

    #[track_caller]
    fn unique_or(self, on_unique: AppError) -> crate::Result<T> {
        match self {
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(on_unique),
            other => other.db(),
        }
    }
}
