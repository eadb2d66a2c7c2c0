//! Connecting (SQLite or PostgreSQL by URL), migrating, and opening write transactions.

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    sync::atomic::{AtomicBool, AtomicU32, Ordering},
    time::Duration,
};

use domain::AppError;
use sea_orm::{
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    ConnectOptions, RuntimeErr, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqlErr, SqliteTransactionMode, SqlxSqliteConnector, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm::sqlx::ConnectOptions as _;
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;

/// Connects and brings the schema up to date. `sqlite://path?mode=rwc` or `postgres://…`.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = if url.starts_with("sqlite") {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbErr::Conn(RuntimeErr::Internal(format!("{url}: {e}"))))?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .create_if_missing(true)
            // Checkpoints run in the background (`after_commit`); this is only a backstop.
            .pragma("wal_autocheckpoint", AUTOCHECKPOINT_BACKSTOP_PAGES.to_string())
            // Pages are read through a memory map instead of read() copies: a connection
            // whose cache another's commit invalidated gets them back cheaply.
            .pragma("mmap_size", MMAP_BYTES.to_string())
            .disable_statement_logging();
        let pool = sqlite_pool(8).min_connections(1).connect_with(options).await.map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e.into())))?;
        SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    } else {
        let mut opt = ConnectOptions::new(url.to_owned());
        opt.max_connections(20).min_connections(1).acquire_timeout(Duration::from_secs(10)).sqlx_logging(false);
        Database::connect(opt).await?
    };
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// SQLite pool settings shared by the main pool and the writer connection (`writer_for`).
///
/// Every connection turns on SQLite's query planner stability guarantee (QPSG). Without it a
/// statement whose plan could depend on a bound value -- `LIMIT ?` (every `.one()`), or a
/// parameter compared with a partial index's condition (our unique rules are partial indexes)
/// -- is marked expired whenever it is re-bound, so SQLite parses and plans it again on every
/// execution: the statement cache would not save anything on the hot paths.
fn sqlite_pool(max_connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new().max_connections(max_connections).acquire_timeout(Duration::from_secs(10)).after_connect(|conn, _| {
        Box::pin(async move {
            let mut handle = conn.lock_handle().await?;
            // SAFETY: the handle is locked out of sqlx's worker for this call; sqlite3_db_config
            // with ENABLE_QPSG takes (int on, int *result), and a null result pointer is allowed.
            let rc = unsafe {
                libsqlite3_sys::sqlite3_db_config(
                    handle.as_raw_handle().as_ptr(),
                    libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                    1 as std::ffi::c_int,
                    std::ptr::null_mut::<std::ffi::c_int>(),
                )
            };
            if rc != libsqlite3_sys::SQLITE_OK {
                tracing::warn!(rc, "SQLite: could not enable the query planner stability guarantee");
            }
            Ok(())
        })
    })
}

/// SQLite's own WAL checkpoint runs inside the COMMIT that crosses its threshold (1000 pages by
/// default), with two fsyncs: that writer, and every writer queued behind it, waits for the
/// disk. Instead, every `CHECKPOINT_EVERY`-th write transaction starts a passive checkpoint on
/// another connection in the background (one at a time), which copies the WAL back while the
/// writers go on. The automatic checkpoint stays as a backstop for far larger WALs, e.g. when
/// all writes bypass `write_txn`.
const CHECKPOINT_EVERY: u32 = 128;
const MMAP_BYTES: u64 = 256 << 20;
const AUTOCHECKPOINT_BACKSTOP_PAGES: u32 = 20_000;
static COMMITS: AtomicU32 = AtomicU32::new(0);
static CHECKPOINTING: AtomicBool = AtomicBool::new(false);

fn after_commit(db: &DatabaseConnection) {
    if COMMITS.fetch_add(1, Ordering::Relaxed) % CHECKPOINT_EVERY != CHECKPOINT_EVERY - 1 || CHECKPOINTING.swap(true, Ordering::AcqRel) {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
        CHECKPOINTING.store(false, Ordering::Release);
    });
}

/// SQLite allows one writer at a time. Left to itself, a waiting writer sleeps in SQLite's busy
/// handler with back-off steps up to 100 ms, so under load latency explodes and order is random.
/// Writers therefore take their turn here first, first come first served, and hold it until
/// commit or rollback. One queue per process (several SQLite files in one process — tests — share
/// it, which only orders their writes). PostgreSQL locks rows itself and skips the queue.
///
/// The turn also keeps the writer connection of each SQLite file: write transactions run on
/// it alone. Its page cache stays valid from one write to the next (the last change was its
/// own), whereas through the shared pool each write would start on a connection whose cache
/// another connection's commit made stale, and read every page it touches again.
static SQLITE_WRITER: tokio::sync::Mutex<Writers> = tokio::sync::Mutex::const_new(Vec::new());

/// Each SQLite file's writer connection.
type Writers = Vec<(PathBuf, DatabaseConnection)>;

/// The writer connection for `db`'s file (made on first use with the pool's own options).
fn writer_for(writers: &mut Writers, db: &DatabaseConnection) -> DatabaseConnection {
    let options = db.get_sqlite_connection_pool().connect_options();
    let file = options.get_filename();
    if file == Path::new(":memory:") {
        return db.clone(); // a private database per connection: only the pool's is the real one
    }
    if let Some((_, w)) = writers.iter().find(|(f, _)| f == file) {
        return w.clone();
    }
    let pool = sqlite_pool(1).idle_timeout(None).max_lifetime(None).connect_lazy_with((*options).clone());
    let w = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
    writers.push((file.to_owned(), w.clone()));
    w
}

/// A write transaction: on SQLite it holds the writer's turn (above) and took the write lock at
/// BEGIN (IMMEDIATE), so it cannot fail with SQLITE_BUSY midway. Use it like a
/// `DatabaseTransaction`; dropping it without `commit` rolls back.
pub struct WriteTxn {
    // Field order matters: the transaction is dropped (rolled back) before the turn is released.
    txn: DatabaseTransaction,
    /// SQLite only: the writer's turn and the pool (for the background checkpoint).
    turn: Option<(tokio::sync::MutexGuard<'static, Writers>, DatabaseConnection)>,
}

pub async fn write_txn(db: &DatabaseConnection) -> crate::Result<WriteTxn> {
    let options = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let mut turn = SQLITE_WRITER.lock().await;
            let writer = writer_for(&mut turn, db);
            let txn = writer.begin_with_options(options).await.db()?;
            Ok(WriteTxn { txn, turn: Some((turn, db.clone())) })
        }
        _ => Ok(WriteTxn { txn: db.begin_with_options(options).await.db()?, turn: None }),
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        let WriteTxn { txn, turn } = self;
        txn.commit().await?;
        if let Some((turn, db)) = turn {
            drop(turn);
            after_commit(&db);
        }
        Ok(())
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
