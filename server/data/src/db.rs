//! Connecting (SQLite or PostgreSQL by URL), migrating, and opening write transactions.

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
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
            // A savepoint keeps the pages it changes in a sub-journal, which SQLite otherwise
            // spills to a temporary file past 64 KiB: a file write for every page a write in a
            // batch touches (group commit runs each write in a savepoint).
            .pragma("temp_store", "memory")
            .disable_statement_logging();
        let pool = sqlite_pool(read_connections()).min_connections(1).connect_with(options).await.map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e.into())))?;
        SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    } else {
        let mut opt = ConnectOptions::new(url.to_owned());
        opt.max_connections(20).min_connections(1).acquire_timeout(Duration::from_secs(10)).sqlx_logging(false);
        Database::connect(opt).await?
    };
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// SQLite reads are CPU work in this process: more connections than about two per core only
/// add worker threads to wake (each connection has its own), not throughput.
fn read_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (2 * cores).clamp(4, 16)
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

/// SQLite's own WAL checkpoint runs inside the COMMIT that crosses its threshold (1000 pages by
/// default), with two fsyncs: that writer, and every writer queued behind it, waits for the
/// disk. Instead, a commit that brings the writes since the last checkpoint to
/// `CHECKPOINT_EVERY` starts a passive checkpoint on another connection in the background (one
/// at a time), which copies the WAL back while the writers go on. Counted in writes, not
/// commits: a commit carries a whole batch. Each checkpoint still costs the writers a stall
/// (its page copies and fsync compete with them), so they are kept rare; the automatic
/// checkpoint stays as a backstop for far larger WALs, e.g. when all writes bypass `write_txn`.
const CHECKPOINT_EVERY: u64 = 4096;
/// Between checkpoints, every this many writes the WAL is flushed to disk in the background
/// (`fdatasync` on a descriptor of our own), so that the kernel never holds much of it unwritten.
/// The checkpoint starts by syncing the WAL; with 4,096 writes' worth unwritten (about 50 MB)
/// that flush took 200 ms, during which the writer's own appends to the WAL could block for up
/// to 50 ms (measured: a 4 KiB write() during the fsync of 50 MB stalls 14-46 ms; with 3-12 MB
/// it does not). The extra syncs only make committed data safer sooner.
const WAL_SYNC_EVERY: u64 = 512;
const MMAP_BYTES: u64 = 256 << 20;
const AUTOCHECKPOINT_BACKSTOP_PAGES: u32 = 20_000;
static WRITES: AtomicU64 = AtomicU64::new(0);
static CHECKPOINTING: AtomicBool = AtomicBool::new(false);
static SYNCING: AtomicBool = AtomicBool::new(false);

fn after_commit(db: &DatabaseConnection, writes: u64) {
    let before = WRITES.fetch_add(writes, Ordering::Relaxed);
    let crosses = |every: u64| before / every != (before + writes) / every;
    if crosses(CHECKPOINT_EVERY) {
        if !CHECKPOINTING.swap(true, Ordering::AcqRel) {
            let db = db.clone();
            tokio::spawn(async move {
                if let Err(e) = db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
                CHECKPOINTING.store(false, Ordering::Release);
            });
        }
    } else if crosses(WAL_SYNC_EVERY) && !SYNCING.swap(true, Ordering::AcqRel) {
        let mut wal = db.get_sqlite_connection_pool().connect_options().get_filename().as_os_str().to_owned();
        wal.push("-wal");
        let sync = move || {
            if let Err(e) = std::fs::File::open(&wal).and_then(|f| f.sync_data()) {
                tracing::warn!(error = %e, "flushing the WAL failed");
            }
            SYNCING.store(false, Ordering::Release);
        };
        if std::thread::Builder::new().name("wal-sync".into()).spawn(sync).is_err() {
            SYNCING.store(false, Ordering::Release);
        }
    }
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
///
/// Group commit: while other writers wait, a write transaction that commits does not COMMIT
/// to the file. It ran inside the file's open batch transaction (BEGIN IMMEDIATE), in the
/// savepoint `MEMBER`; it releases that savepoint, opens the next writer's, passes the turn on
/// and waits until the batch is committed — by the last writer of the batch (nobody waiting,
/// or `MAX_BATCH` reached), or by itself when its turn comes round again. Each writer still
/// runs alone, sees the writes before it, and is answered only once its changes are on disk
/// (if the COMMIT fails, every member gets the error). What is saved: the pages every write
/// touches (table tails, index leaves) go to the WAL once per batch instead of once per write,
/// and there is one COMMIT for the batch. The savepoint statements ride along with a writer's
/// last statements (`commit_with`), so a writer in a batch costs no extra round trips.
static SQLITE_WRITER: tokio::sync::Mutex<Vec<Writer>> = tokio::sync::Mutex::const_new(Vec::new());
/// Writers queued in `write_txn` (not those waiting for their batch to commit).
static WAITING: AtomicUsize = AtomicUsize::new(0);
static BATCH_IDS: AtomicU64 = AtomicU64::new(0);
/// Bounds how long the first member of a batch waits for the batch's COMMIT.
const MAX_BATCH: usize = 32;
/// The savepoint a batch's second and later writers run in. At most one is open: a writer
/// releases its own in the same round trip that opens the next one's.
const MEMBER: &str = "wq_member";

/// One SQLite file's writer connection and its open batch.
struct Writer {
    file: PathBuf,
    conn: DatabaseConnection,
    batch: Option<Batch>,
}

struct Batch {
    id: u64,
    /// BEGIN IMMEDIATE on the writer connection.
    txn: DatabaseTransaction,
    /// Write transactions released into it and waiting for its COMMIT. While it is 0, the
    /// writer holding the turn runs in `txn` itself; after that, in the savepoint `MEMBER`.
    members: usize,
    /// A writer in `MEMBER` failed: the next holder of the turn rolls back to the savepoint
    /// before anything else (dropping a transaction cannot wait for the database).
    undo: bool,
    done: tokio::sync::watch::Sender<Option<Result<(), String>>>,
}

impl Batch {
    /// Undoes a failed writer's changes. If that fails too, nobody can tell what the batch
    /// holds: it is rolled back, and its members get the error.
    async fn settle(writer: &mut Writer) {
        let Some(batch) = writer.batch.as_mut().filter(|b| b.undo) else { return };
        batch.undo = false;
        if let Err(e) = batch.txn.execute_unprepared(&format!("ROLLBACK TO {MEMBER}")).await {
            tracing::error!(error = %e, "rolling back a failed write in a batch failed; the batch is rolled back");
            if let Some(batch) = writer.batch.take() {
                batch.done.send_replace(Some(Err(e.to_string())));
            }
        }
    }
}

type Writers = tokio::sync::MutexGuard<'static, Vec<Writer>>;

/// The index of `file`'s writer (made on first use with the pool's own options).
fn writer_for(writers: &mut Vec<Writer>, db: &DatabaseConnection, file: &Path) -> usize {
    if let Some(i) = writers.iter().position(|w| w.file == file) {
        return i;
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    let pool = sqlite_pool(1).idle_timeout(None).max_lifetime(None).connect_lazy_with((*options).clone());
    writers.push(Writer { file: file.to_owned(), conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool), batch: None });
    writers.len() - 1
}

/// Runs a write on SQLite's writer runtime: one thread of its own that runs nothing but write
/// transactions. SQLite has one writer at a time and every statement is a round trip between the
/// transaction's task and the connection's thread, so the time between one writer's statements
/// is time every queued writer waits. On the server's runtime the task, woken by its answer,
/// would wait for a worker to finish whatever HTTP work it is doing.
pub async fn on_writer<T: Send + 'static>(db: &DatabaseConnection, write: impl std::future::Future<Output = T> + Send + 'static) -> T {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Handle> = std::sync::OnceLock::new();
    if db.get_database_backend() != DbBackend::Sqlite {
        return write.await;
    }
    let handle = RUNTIME.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("the writer runtime");
        let handle = rt.handle().clone();
        std::thread::Builder::new()
            .name("sqlite-writes".into())
            .spawn(move || rt.block_on(std::future::pending::<()>()))
            .expect("the writer thread");
        handle
    });
    match handle.spawn(write).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// A write transaction: on SQLite it holds the writer's turn (above) and runs inside a batch
/// that took the write lock at BEGIN (IMMEDIATE), so it cannot fail with SQLITE_BUSY midway.
/// Use it like a `DatabaseTransaction`; dropping it without `commit` rolls it back.
pub struct WriteTxn {
    // Field order matters: the transaction is dropped (rolled back) before the turn is released.
    /// Its own transaction: PostgreSQL, and SQLite in memory (a private database per
    /// connection, so no batching). `None`: it runs in its file's batch.
    txn: Option<DatabaseTransaction>,
    /// SQLite only: the writer's turn, which writer, and the pool (for the background checkpoint).
    turn: Option<Turn>,
}

struct Turn {
    writers: Writers,
    /// `None` for an in-memory database.
    writer: Option<usize>,
    db: DatabaseConnection,
    /// The write holding the turn has not committed: releasing the turn undoes it.
    open: bool,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let (Some(w), true) = (self.writer, self.open) else { return };
        let writer = &mut self.writers[w];
        match writer.batch.as_mut() {
            // The batch's first write: rolling the whole batch back undoes it alone, and frees the write lock.
            Some(batch) if batch.members == 0 => writer.batch = None,
            Some(batch) => batch.undo = true,
            None => {}
        }
    }
}

pub async fn write_txn(db: &DatabaseConnection) -> crate::Result<WriteTxn> {
    let options = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(WriteTxn { txn: Some(db.begin_with_options(options).await.db()?), turn: None });
    }
    WAITING.fetch_add(1, Ordering::AcqRel);
    let mut writers = SQLITE_WRITER.lock().await;
    WAITING.fetch_sub(1, Ordering::AcqRel);
    let file = db.get_sqlite_connection_pool().connect_options().get_filename().to_owned();
    if file == Path::new(":memory:") {
        let txn = db.begin_with_options(options).await.db()?;
        return Ok(WriteTxn { txn: Some(txn), turn: Some(Turn { writers, writer: None, db: db.clone(), open: true }) });
    }
    let w = writer_for(&mut writers, db, &file);
    let mut turn = Turn { writers, writer: Some(w), db: db.clone(), open: true };
    let writer = &mut turn.writers[w];
    Batch::settle(writer).await;
    if writer.batch.is_none() {
        let txn = writer.conn.begin_with_options(options).await.db()?;
        let id = BATCH_IDS.fetch_add(1, Ordering::Relaxed);
        writer.batch = Some(Batch { id, txn, members: 0, undo: false, done: tokio::sync::watch::Sender::new(None) });
    }
    Ok(WriteTxn { txn: None, turn: Some(turn) })
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.commit_with(Vec::new()).await
    }

    /// Runs `last` (statements whose outcome the caller need not check: a log entry, a notice)
    /// and commits. On SQLite they share one round trip with the commit's own statements.
    pub async fn commit_with(self, last: Vec<Statement>) -> Result<(), DbErr> {
        let WriteTxn { txn, turn } = self;
        if let Some(txn) = txn {
            execute_all(&txn, last).await?;
            return txn.commit().await; // (an in-memory database's turn ends after it)
        }
        let mut turn = turn.expect("a write in a batch holds the turn");
        let w = turn.writer.expect("a batch belongs to a file's writer");
        let Some(batch) = turn.writers[w].batch.as_mut() else { return Err(DbErr::Custom("写入批次已关闭".into())) };
        let last_of_batch = WAITING.load(Ordering::Acquire) == 0 || batch.members + 1 >= MAX_BATCH;
        let mut last = last;
        if !last_of_batch {
            // Released into the batch: this write's savepoint (if any) is released and the next
            // writer's opened, with the last statements.
            if batch.members > 0 {
                last.push(Statement::from_string(DbBackend::Sqlite, format!("RELEASE {MEMBER}")));
            }
            last.push(Statement::from_string(DbBackend::Sqlite, format!("SAVEPOINT {MEMBER}")));
        }
        execute_all(&batch.txn, last).await?;
        batch.members += 1;
        turn.open = false;
        if last_of_batch {
            return commit_batch(turn).await;
        }
        let (id, mut done) = (batch.id, batch.done.subscribe());
        let db = turn.db.clone();
        drop(turn);
        // Committed by a later member, or by us when the turn comes round again.
        loop {
            tokio::select! {
                biased;
                outcome = async { done.wait_for(Option::is_some).await.ok().and_then(|o| o.clone()) } => return batch_outcome(outcome),
                writers = SQLITE_WRITER.lock() => {
                    let turn = Turn { writers, writer: Some(w), db: db.clone(), open: false };
                    if turn.writers[w].batch.as_ref().is_some_and(|b| b.id == id) {
                        return commit_batch(turn).await;
                    }
                }
            }
        }
    }

    /// A savepoint: one step that may fail without undoing the others.
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.conn().begin().await
    }

    fn conn(&self) -> &DatabaseTransaction {
        match (&self.txn, &self.turn) {
            (Some(txn), _) => txn,
            (None, Some(Turn { writers, writer: Some(w), .. })) => &writers[*w].batch.as_ref().expect("open while a write runs in it").txn,
            (None, _) => unreachable!("a write without its own transaction runs in a batch"),
        }
    }
}

/// COMMITs the turn's open batch and tells its members.
async fn commit_batch(mut turn: Turn) -> Result<(), DbErr> {
    let w = turn.writer.expect("a batch belongs to a file's writer");
    Batch::settle(&mut turn.writers[w]).await;
    let Some(batch) = turn.writers[w].batch.take() else {
        return Err(DbErr::Custom("批量提交失败：回滚失败的写入时出错".into()));
    };
    let writes = batch.members as u64;
    let result = batch.txn.commit().await;
    batch.done.send_replace(Some(result.as_ref().map(|_| ()).map_err(|e| e.to_string())));
    let db = turn.db.clone();
    drop(turn);
    if result.is_ok() {
        after_commit(&db, writes);
    }
    result
}

fn batch_outcome(outcome: Option<Result<(), String>>) -> Result<(), DbErr> {
    match outcome {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(DbErr::Custom(format!("批量提交失败：{e}"))),
        None => Err(DbErr::Custom("批量提交未完成".into())),
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.conn().get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.conn().execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.conn().execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.conn().query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.conn().query_all_raw(stmt).await
    }
}

/// Hand-written SQL: for statements sea-query cannot express (JSON table functions), and for
/// the hottest reads, where sea-query building and cloning the expression tree on every call
/// cost more CPU than running the query (the student dashboard). `text` gives a backend's text;
/// it runs once per backend, so it may format in the domain's codes. Each call binds its own
/// values, in order.
pub struct Sql {
    text: fn(DbBackend) -> String,
    sqlite: std::sync::OnceLock<String>,
    postgres: std::sync::OnceLock<String>,
}

impl Sql {
    pub const fn new(text: fn(DbBackend) -> String) -> Self {
        Sql { text, sqlite: std::sync::OnceLock::new(), postgres: std::sync::OnceLock::new() }
    }

    pub fn statement(&self, backend: DbBackend, values: impl IntoIterator<Item = sea_orm::Value>) -> Statement {
        Statement::from_sql_and_values(backend, self.text(backend), values)
    }

    /// The text for `backend`, made on first use.
    pub fn text(&self, backend: DbBackend) -> &str {
        let made = if backend == DbBackend::Postgres { &self.postgres } else { &self.sqlite };
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
        assert_eq!(super::placeholders(DbBackend::Postgres, "a = ? AND b IN (?, ?)".into()), "a = $1 AND b IN ($2, $3)");
        assert_eq!(super::placeholders(DbBackend::Sqlite, "a = ?".into()), "a = ?");
    }
}
