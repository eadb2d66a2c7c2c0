//! Connecting (SQLite or PostgreSQL by URL), migrating, and opening write transactions.

use std::time::Duration;

use domain::AppError;
use sea_orm::{
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqlErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
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

/// SQLite allows one writer at a time. Left to itself, a waiting writer sleeps in SQLite's busy
/// handler with back-off steps up to 100 ms, so under load latency explodes and order is random.
/// Writers therefore take their turn here first, first come first served, and hold it until
/// commit or rollback. One queue per process (several SQLite files in one process — tests — share
/// it, which only orders their writes). PostgreSQL locks rows itself and skips the queue.
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A write transaction: on SQLite it holds the writer's turn (above) and took the write lock at
/// BEGIN (IMMEDIATE), so it cannot fail with SQLITE_BUSY midway. Use it like a
/// `DatabaseTransaction`; dropping it without `commit` rolls back.
pub struct WriteTxn {
    // Field order matters: the transaction is dropped (rolled back) before the turn is released.
    txn: DatabaseTransaction,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

pub async fn write_txn(db: &DatabaseConnection) -> crate::Result<WriteTxn> {
    let turn = match db.get_database_backend() {
        DbBackend::Sqlite => Some(SQLITE_WRITER.lock().await),
        _ => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() })
        .await
        .db()?;
    Ok(WriteTxn { txn, _turn: turn })
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        let WriteTxn { txn, _turn } = self;
        txn.commit().await
    }

    /// A savepoint: one step that may fail without undoing the others.
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.txn.begin().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// `(SELECT …)` as a value: counters and names fetched in the same statement as the row they
/// belong to (one round trip instead of several on the hot paths).
pub fn scalar(q: sea_orm::sea_query::SelectStatement) -> sea_orm::sea_query::Expr {
    sea_orm::sea_query::Expr::SubQuery(None, Box::new(q.into()))
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
