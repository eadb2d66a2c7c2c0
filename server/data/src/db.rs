//! Connecting (SQLite or PostgreSQL by URL), migrating, and the one way to write: [`Db::write`].
//!
//! A [`Db`] is the database as the services see it. Reading through it is reading the pool; its
//! connections refuse to change anything (SQLite `query_only`, PostgreSQL read-only transactions by
//! default), and `Db` itself answers every `execute` with an error, so a write that does not go
//! through [`Db::write`] fails the first time it runs, on either database.

use std::{future::Future, pin::Pin, str::FromStr, time::Duration};

use domain::AppError;
use sea_orm::sqlx::ConnectOptions as _;
use sea_orm::{
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, QueryResult, RuntimeErr, SqlErr, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{mpsc, oneshot};

use crate::{fast_read::FastReads, migration::Migrator, writer};

/// How far an answered write is on disk (SQLite; PostgreSQL follows its own `synchronous_commit`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: the WAL is synced (fsync) at every COMMIT, before any write of the
    /// batch is answered. An answered write survives a crash of the process, of the operating
    /// system, and power loss (as far as the disk honours fsync).
    #[default]
    Full,
    /// `synchronous=NORMAL`: the WAL is synced only at checkpoints. An answered write survives a
    /// crash of the process, but power loss or an OS crash can take the last writes back.
    Normal,
}

impl Durability {
    /// `SQLITE_SYNCHRONOUS`: `normal` (or `NORMAL`) chooses [`Durability::Normal`]; unset or `full`
    /// the default.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "full" => Some(Durability::Full),
            "normal" => Some(Durability::Normal),
            _ => None,
        }
    }
}

/// Connects and brings the schema up to date. `sqlite://path?mode=rwc` or `postgres://…`.
pub async fn connect(url: &str) -> Result<Db, DbErr> {
    connect_with(url, Durability::Full).await
}

pub async fn connect_with(url: &str, durability: Durability) -> Result<Db, DbErr> {
    if url.starts_with("sqlite") {
        let options = sqlite_options(url, durability)?;
        if options.get_filename() == std::path::Path::new(":memory:") {
            // Each connection would have its own private database: the writer's changes would be
            // invisible to every reader.
            return Err(DbErr::Conn(RuntimeErr::Internal(format!(
                "{url}: SQLite in memory is not supported, use a file"
            ))));
        }
        // The writer first: it creates the file, sets WAL and migrates, before any read-only
        // connection opens it.
        let jobs = writer::start(options.clone()).await?;
        let fast = FastReads::new(options.get_filename())?;
        let reads = sqlite_pool(read_connections())
            .min_connections(1)
            // A connection to a local file cannot have been dropped by a peer: no ping (a round
            // trip to its thread) before each read. sqlx still pings it on its way back.
            .test_before_acquire(false)
            .connect_with(options.pragma("query_only", "ON"))
            .await
            .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e.into())))?;
        return Ok(Db {
            fast: Some(fast),
            reads: sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(reads),
            writes: Writes::Sqlite(jobs),
        });
    }
    // Migrate on a connection of its own: the pool's sessions are read-only.
    let migrating = Database::connect(postgres_options(url, false)).await?;
    Migrator::up(&migrating, None).await?;
    migrating.close().await?;
    Ok(Db {
        reads: Database::connect(postgres_options(url, true)).await?,
        writes: Writes::Postgres,
        fast: None,
    })
}

fn postgres_options(url: &str, read_only: bool) -> ConnectOptions {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.max_connections(if read_only { 20 } else { 1 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if read_only {
        // Every transaction (and every statement outside one) is read-only unless it says
        // otherwise; `Db::write` begins its transactions READ WRITE.
        opt.map_sqlx_postgres_opts(|o| o.options([("default_transaction_read_only", "on")]));
    }
    opt
}

fn sqlite_options(url: &str, durability: Durability) -> Result<SqliteConnectOptions, DbErr> {
    let synchronous = match durability {
        Durability::Full => SqliteSynchronous::Full,
        Durability::Normal => SqliteSynchronous::Normal,
    };
    Ok(SqliteConnectOptions::from_str(url)
        .map_err(|e| DbErr::Conn(RuntimeErr::Internal(format!("{url}: {e}"))))?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        .create_if_missing(true)
        // Checkpoints run in the background (`writer`); this is only a backstop.
        .pragma("wal_autocheckpoint", writer::AUTOCHECKPOINT_BACKSTOP_PAGES.to_string())
        // Pages are read through a memory map instead of read() copies: a connection
        // whose cache another's commit invalidated gets them back cheaply.
        .pragma("mmap_size", MMAP_BYTES.to_string())
        // A savepoint keeps the pages it changes in a sub-journal, which SQLite otherwise
        // spills to a temporary file past 64 KiB: a file write for every page a write in a
        // batch touches (every write runs in a savepoint of its batch).
        .pragma("temp_store", "memory")
        .disable_statement_logging())
}

const MMAP_BYTES: u64 = 256 << 20;

/// SQLite reads are CPU work in this process: more connections than about two per core only
/// add worker threads to wake (each connection has its own), not throughput.
fn read_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (2 * cores).clamp(4, 16)
}

/// SQLite pool settings shared by the read pool and the writer's connection (`writer`).
///
/// Every connection turns on SQLite's query planner stability guarantee (QPSG). Without it a
/// statement whose plan could depend on a bound value -- `LIMIT ?` (every `.one()`), or a
/// parameter compared with a partial index's condition (our unique rules are partial indexes)
/// -- is marked expired whenever it is re-bound, so SQLite parses and plans it again on every
/// execution: the statement cache would not save anything on the hot paths.
pub(crate) fn sqlite_pool(max_connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _| {
            Box::pin(async move {
                let mut handle = conn.lock_handle().await?;
                // SAFETY: the handle is locked out of sqlx's worker for this call; sqlite3_db_config
                // with ENABLE_QPSG takes (int on, int *result), and a null result pointer is allowed.
                let rc = unsafe {
                    rusqlite::ffi::sqlite3_db_config(
                        handle.as_raw_handle().as_ptr(),
                        rusqlite::ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
                        1 as std::ffi::c_int,
                        std::ptr::null_mut::<std::ffi::c_int>(),
                    )
                };
                if rc != rusqlite::ffi::SQLITE_OK {
                    tracing::warn!(rc, "SQLite: could not enable the query planner stability guarantee");
                }
                Ok(())
            })
        })
}

/// The database as the services see it: reads through `ConnectionTrait` (`.all(db)`,
/// `.one(db)`, …), writes only through [`Db::write`]. Cheap to clone; the SQLite writer stops
/// when the last clone is dropped.
#[derive(Clone)]
pub struct Db {
    reads: DatabaseConnection,
    writes: Writes,
    /// SQLite only: the two hottest reads (`fast_read`).
    fast: Option<FastReads>,
}

#[derive(Clone)]
enum Writes {
    /// The writer of the SQLite file (`writer`): it owns the one connection that writes.
    Sqlite(mpsc::UnboundedSender<writer::Job>),
    /// Each write is its own READ WRITE transaction on the pool.
    Postgres,
}

/// A write as [`Db::write`] takes it: given the open transaction, the future that does the work.
pub type WriteFuture<'t, T> = Pin<Box<dyn Future<Output = crate::Result<T>> + Send + 't>>;

impl Db {
    /// Runs `job` in a write transaction and answers once its changes are committed (on SQLite:
    /// synced to disk, see [`Durability`]). An `Err` from the job undoes all of its changes.
    ///
    /// The job runs to the end whatever happens to the caller: if the caller's future is dropped
    /// (a client that disconnects), the write still commits or rolls back on its own, and no
    /// other write notices. So it owns what it needs (`'static`), and its outcome is known only
    /// to the database once nobody waits for it.
    ///
    /// ```ignore
    /// let caller = caller.clone();
    /// db.write(move |txn| Box::pin(async move {
    ///     thing::Entity::delete_by_id(id).exec(txn).await.db()?;
    ///     Ok(())
    /// })).await?;
    /// ```
    pub async fn write<T, F>(&self, job: F) -> crate::Result<T>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t WriteTxn) -> WriteFuture<'t, T> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job = writer::job(job, answer);
        match &self.writes {
            Writes::Sqlite(jobs) => {
                if jobs.send(job).is_err() {
                    tracing::error!("the SQLite writer has stopped");
                    return Err(AppError::Internal);
                }
            }
            Writes::Postgres => {
                // Spawned, so that it runs to the end like an SQLite job when the caller goes away.
                tokio::spawn(postgres_write(self.reads.clone(), job));
            }
        }
        answered.await.unwrap_or_else(|_| {
            tracing::error!("a write ended without an answer (it panicked, or its transaction could not begin)");
            Err(AppError::Internal)
        })
    }

    /// The read pool itself, for readers that need the connection (health check).
    pub fn reads(&self) -> &DatabaseConnection {
        &self.reads
    }

    /// On SQLite, the connections of the two hottest reads (`fast_read`); `None` on PostgreSQL,
    /// where they go through sea-orm like every read.
    pub fn fast_reads(&self) -> Option<&FastReads> {
        self.fast.as_ref()
    }

    /// Closes the read pool. (The SQLite writer stops, and closes its connection, once the last
    /// clone of this handle is gone.)
    pub async fn close(self) -> Result<(), DbErr> {
        self.reads.close().await
    }

    /// Whether the database answers (the SQLite writer included).
    pub async fn ping(&self) -> Result<(), DbErr> {
        if let Writes::Sqlite(jobs) = &self.writes {
            if jobs.is_closed() {
                return Err(DbErr::Custom("the SQLite writer has stopped".into()));
            }
        }
        self.reads.ping().await
    }
}

async fn postgres_write(pool: DatabaseConnection, job: writer::Job) {
    let options = TransactionOptions {
        access_mode: Some(AccessMode::ReadWrite),
        ..Default::default()
    };
    let txn = match pool.begin_with_options(options).await {
        Ok(txn) => WriteTxn::new(txn),
        Err(e) => return tracing::error!(error = %e, "could not begin a write transaction"),
    };
    match writer::catch_unwind(job(&txn)).await {
        Some(writer::Done::Wrote(answer)) => {
            let last = txn.take_last();
            let committed = match execute_all(txn.txn(), last).await {
                Ok(()) => txn.into_inner().commit().await,
                Err(e) => Err(e),
            };
            answer(committed.db());
        }
        Some(writer::Done::Refused(answer)) => {
            if let Err(e) = txn.into_inner().rollback().await {
                tracing::warn!(error = %e, "rolling back a refused write failed");
            }
            answer();
        }
        None => {} // panicked: the transaction rolls back as it drops
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.reads.get_database_backend()
    }
    async fn execute_raw(&self, _: Statement) -> Result<ExecResult, DbErr> {
        Err(not_here())
    }
    async fn execute_unprepared(&self, _: &str) -> Result<ExecResult, DbErr> {
        Err(not_here())
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.reads.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.reads.query_all_raw(stmt).await
    }
    fn support_returning(&self) -> bool {
        self.reads.support_returning()
    }
}

fn not_here() -> DbErr {
    DbErr::Custom("writes go through Db::write; this connection only reads".into())
}

/// The transaction a write job runs in: use it like a `DatabaseTransaction`. On SQLite it is the
/// batch's transaction, inside a savepoint of the job's own; on PostgreSQL, the job's transaction.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    /// Statements to run when the job has returned `Ok` (`then`).
    last: std::sync::Mutex<Vec<Statement>>,
}

impl WriteTxn {
    pub(crate) fn new(txn: DatabaseTransaction) -> Self {
        WriteTxn {
            txn,
            last: Default::default(),
        }
    }

    pub(crate) fn into_inner(self) -> DatabaseTransaction {
        self.txn
    }

    pub(crate) fn take_last(&self) -> Vec<Statement> {
        std::mem::take(&mut *self.last.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// A savepoint: one step that may fail without undoing the others.
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.txn.begin().await
    }

    /// Statements whose outcome the job need not check (a log entry, a notice), run after the job
    /// returns `Ok`, before its changes are committed. If one fails, the whole write is undone
    /// and refused. On SQLite they share one round trip with the writer's own savepoint statements.
    pub fn then(&self, steps: Vec<Statement>) {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).extend(steps);
    }

    pub(crate) fn txn(&self) -> &DatabaseTransaction {
        &self.txn
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
    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// Hand-written SQL: for statements sea-query cannot express (JSON table functions, guarded
/// upserts) and for the statements of the accept path. `text` gives a backend's text;
/// it runs once per backend, so it may format in the domain's codes. Each call binds its own
/// values, in order.
pub struct Sql {
    text: fn(DbBackend) -> String,
    sqlite: std::sync::OnceLock<String>,
    postgres: std::sync::OnceLock<String>,
}

impl Sql {
    pub const fn new(text: fn(DbBackend) -> String) -> Self {
        Sql {
            text,
            sqlite: std::sync::OnceLock::new(),
            postgres: std::sync::OnceLock::new(),
        }
    }

    pub fn statement(&self, backend: DbBackend, values: impl IntoIterator<Item = sea_orm::Value>) -> Statement {
        Statement::from_sql_and_values(backend, self.text(backend), values)
    }

    /// The text for `backend`, made on first use.
    pub fn text(&self, backend: DbBackend) -> &str {
        let made = if backend == DbBackend::Postgres {
            &self.postgres
        } else {
            &self.sqlite
        };
        made.get_or_init(|| (self.text)(backend))
    }
}

/// Runs `steps` in order. SQLite gets them as one text of several statements, in one round trip
/// to its connection thread (`sqlite_script`); PostgreSQL's protocol takes one parameterised
/// statement at a time. A failing step fails the call; undoing the steps before it is the
/// enclosing transaction's job.
pub async fn execute_all(c: &impl ConnectionTrait, steps: Vec<Statement>) -> Result<(), DbErr> {
    if c.get_database_backend() == DbBackend::Sqlite && steps.len() > 1 {
        c.execute_raw(sqlite_script(steps)).await?;
        return Ok(());
    }
    for step in steps {
        c.execute_raw(step).await?;
    }
    Ok(())
}

/// SQLite statements as one text, run in one round trip; the values are bound in order across
/// them. Executed, it answers the rows changed by all of them together and the last id inserted.
pub fn sqlite_script(steps: Vec<Statement>) -> Statement {
    let mut sql = String::new();
    let mut values = Vec::new();
    for step in steps {
        sql.push_str(&step.sql);
        sql.push_str(";\n");
        values.extend(step.values.map(|v| v.0).unwrap_or_default());
    }
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// A text written with `?` placeholders as `backend` wants it: PostgreSQL numbers them `$1, $2,
/// …` (the text has no `?` inside string literals).
pub fn placeholders(backend: DbBackend, sql: String) -> String {
    if backend != DbBackend::Postgres {
        return sql;
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use sea_orm::DbBackend;

    #[test]
    fn postgres_placeholders_are_numbered_in_order() {
        assert_eq!(
            super::placeholders(DbBackend::Postgres, "a = ? AND b IN (?, ?)".into()),
            "a = $1 AND b IN ($2, $3)"
        );
        assert_eq!(super::placeholders(DbBackend::Sqlite, "a = ?".into()), "a = ?");
    }
}
