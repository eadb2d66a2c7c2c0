//! The SQLite writer: one thread per database that owns the only connection allowed to write,
//! and runs the write jobs sent by [`crate::Db::write`], in order, with group commit.
//!
//! SQLite has one writer at a time. Writers that each took the lock themselves would meet in
//! SQLite's busy handler (back-off sleeps of up to 100 ms, random order), so instead every write
//! is a job sent over a channel to this writer, which runs them first come first served:
//!
//! - It takes the first queued job, opens a batch (`BEGIN IMMEDIATE`: the lock is taken at once,
//!   so nothing in the batch can fail with SQLITE_BUSY later), and runs the job in the savepoint
//!   `wq_job`. A job that fails (or panics) is rolled back to its savepoint alone and answered with
//!   its error; one that succeeds has its savepoint released and the next one opened in the same
//!   round trip, together with its last statements (`WriteTxn::then`).
//! - While jobs are queued it takes the next one into the same batch, up to [`MAX_BATCH`]; then it
//!   COMMITs once, and only when the COMMIT has returned does it answer the batch's jobs: each
//!   answered write is committed (and, with `synchronous=FULL`, synced to disk). If the COMMIT
//!   fails, every job of the batch gets an error and none of their changes is visible.
//!
//! The pages every write touches (table tails, index leaves) go to the WAL once per batch and
//! there is one COMMIT, one fsync, per batch: that is where group commit pays.
//!
//! A caller only waits for its answer: a job runs here to its end whether or not anyone still
//! waits, so a caller that goes away (a client disconnecting drops the request's future) cannot
//! leave a batch open, a lock held, or a batch-mate without its answer. The writer's connection
//! also keeps its page cache from one write to the next (the last change was its own).
//!
//! WAL checkpoints run off the commit path: every [`CHECKPOINT_EVERY`] writes the writer asks its
//! checkpointer (a task with a connection of its own) for a passive checkpoint, which copies the
//! WAL back into the database while the writer goes on.

use std::{future::Future, panic::AssertUnwindSafe, pin::Pin, task::Poll};

use domain::AppError;
use sea_orm::{
    sqlx::sqlite::SqliteConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, SqliteTransactionMode,
    SqlxSqliteConnector, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{mpsc, oneshot};

use crate::{db::sqlite_pool, execute_all, migration::Migrator, WriteFuture, WriteTxn};

/// The most jobs one batch (one COMMIT) takes. Bounds how long the first job of a batch waits for
/// its answer behind the others.
pub const MAX_BATCH: usize = 32;
/// A checkpoint after this many committed writes. Each costs the writer a stall (its page copies
/// and its sync of the database file compete with the writer's appends), so they are kept rare.
const CHECKPOINT_EVERY: u64 = 4096;
/// SQLite's own checkpoint, inside the COMMIT that crosses it, stays as a backstop for a WAL far
/// larger than `CHECKPOINT_EVERY` makes (e.g. while a checkpoint is held up by long reads).
pub(crate) const AUTOCHECKPOINT_BACKSTOP_PAGES: u32 = 20_000;
/// The savepoint each job runs in. At most one is open: the statements that release one job's
/// savepoint open the next one's.
const SAVEPOINT: &str = "SAVEPOINT wq_job";
const RELEASE: &str = "RELEASE wq_job";
const ROLLBACK_TO: &str = "ROLLBACK TO wq_job";
/// A job still running after this long is abandoned (undone, its caller answered with an error):
/// every other write waits while one runs, so a job must do database work only, and a job that
/// hangs must not stop the writer.
const JOB_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A write as the writer runs it: the caller's job, wrapped so that it hands back how to answer.
pub(crate) type Job = Box<dyn for<'t> FnOnce(&'t WriteTxn) -> Pin<Box<dyn Future<Output = Done> + Send + 't>> + Send>;

/// How a job ended, and how to answer its caller.
pub(crate) enum Done {
    /// The job succeeded: answer once the batch's COMMIT has returned, with its outcome.
    Wrote(Box<dyn FnOnce(crate::Result<()>) + Send>),
    /// The job refused (its own error): answer once its savepoint is rolled back.
    Refused(Box<dyn FnOnce() + Send>),
}

/// Wraps a caller's job so that its value or error reaches `answer` only when the writer says so.
pub(crate) fn job<T, F>(job: F, answer: oneshot::Sender<crate::Result<T>>) -> Job
where
    T: Send + 'static,
    F: for<'t> FnOnce(&'t WriteTxn) -> WriteFuture<'t, T> + Send + 'static,
{
    Box::new(move |txn| {
        Box::pin(async move {
            match job(txn).await {
                Ok(value) => Done::Wrote(Box::new(move |committed: crate::Result<()>| {
                    // Nobody waiting (the caller went away) is fine: the write stands.
                    let _ = answer.send(committed.map(|()| value));
                })),
                Err(e) => Done::Refused(Box::new(move || {
                    let _ = answer.send(Err(e));
                })),
            }
        })
    })
}

/// Polls a job to its end; `None` if it panicked (its future is dropped, and with it every
/// savepoint it held open). A panicking job must not take the writer, and every other job, down.
pub(crate) async fn catch_unwind<T>(mut fut: Pin<Box<dyn Future<Output = T> + Send + '_>>) -> Option<T> {
    std::future::poll_fn(
        move |cx| match std::panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(v)) => Poll::Ready(Some(v)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(None),
        },
    )
    .await
}

/// Starts the writer of the SQLite file `options` names, on a thread of its own: it opens its
/// connection, migrates the schema, and then waits for jobs. Returns once the schema is up to
/// date. The writer stops when every sender (every `Db` clone) is gone.
///
/// A thread of its own, with a runtime that runs nothing else: every statement is a round trip
/// between the job's task and the connection's thread, so the time between one job's statements
/// is time every queued job waits, and on the server's runtime the task, woken by its answer,
/// would wait for a worker busy with HTTP.
pub(crate) async fn start(options: SqliteConnectOptions) -> Result<mpsc::UnboundedSender<Job>, DbErr> {
    let (jobs, queue) = mpsc::unbounded_channel();
    let (ready, started) = oneshot::channel();
    let thread = std::thread::Builder::new().name("sqlite-writer".into()).spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt,
            Err(e) => {
                let _ = ready.send(Err(DbErr::Custom(format!("the SQLite writer's runtime: {e}"))));
                return;
            }
        };
        runtime.block_on(async move {
            let opened = async {
                // One connection, kept for good; no ping before each use (it is ours alone).
                let pool = sqlite_pool(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .test_before_acquire(false);
                let pool = pool
                    .connect_with(options.clone())
                    .await
                    .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
                let conn = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
                Migrator::up(&conn, None).await?;
                Ok::<_, DbErr>(conn)
            };
            let conn = match opened.await {
                Ok(conn) => conn,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            let (due, checkpoints) = mpsc::channel(1);
            let checkpointer = tokio::spawn(checkpoint(options, checkpoints));
            let _ = ready.send(Ok(()));
            Writer {
                queue,
                conn: conn.clone(),
                due,
                written: 0,
            }
            .run()
            .await;
            let _ = checkpointer.await;
            if let Err(e) = conn.close().await {
                tracing::warn!(error = %e, "closing the SQLite writer's connection");
            }
        });
    });
    thread.map_err(|e| DbErr::Custom(format!("starting the SQLite writer thread: {e}")))?;
    started
        .await
        .map_err(|_| DbErr::Custom("the SQLite writer thread ended while starting".into()))??;
    Ok(jobs)
}

struct Writer {
    queue: mpsc::UnboundedReceiver<Job>,
    conn: DatabaseConnection,
    /// Asks the checkpointer for a checkpoint (capacity 1: one asked for is enough).
    due: mpsc::Sender<()>,
    /// Writes committed since the start, for the checkpoint schedule.
    written: u64,
}

impl Writer {
    async fn run(mut self) {
        while let Some(first) = self.queue.recv().await {
            let committed = self.batch(first).await;
            let before = self.written;
            self.written += committed;
            if before / CHECKPOINT_EVERY != self.written / CHECKPOINT_EVERY {
                let _ = self.due.try_send(());
            }
        }
    }

    /// One batch: `first` and the jobs queued behind it, up to `MAX_BATCH`, in one transaction.
    /// Returns how many writes it committed.
    async fn batch(&mut self, first: Job) -> u64 {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let txn = match self.conn.begin_with_options(options).await {
            Ok(txn) => WriteTxn::new(txn),
            Err(e) => {
                // Dropping the job tells its caller (no answer: an internal error).
                tracing::error!(error = %e, "could not begin a write batch");
                return 0;
            }
        };
        if let Err(e) = txn.execute_unprepared(SAVEPOINT).await {
            tracing::error!(error = %e, "could not open a write's savepoint; the batch is rolled back");
            return 0;
        }
        let mut answers: Vec<Box<dyn FnOnce(crate::Result<()>) + Send>> = Vec::new();
        let mut next = Some(first);
        let mut taken = 0;
        let mut broken = false;
        while let Some(job) = next.take() {
            taken += 1;
            let ran = tokio::time::timeout(JOB_TIMEOUT, catch_unwind(job(&txn)))
                .await
                .unwrap_or_else(|_| {
                    tracing::error!("a write ran longer than {JOB_TIMEOUT:?}; it is abandoned");
                    None
                });
            match ran {
                Some(Done::Wrote(answer)) => {
                    // Its last statements, its savepoint released and the next one opened: one round trip.
                    let mut steps = txn.take_last();
                    steps.push(Statement::from_string(DbBackend::Sqlite, RELEASE));
                    steps.push(Statement::from_string(DbBackend::Sqlite, SAVEPOINT));
                    match execute_all(&txn, steps).await {
                        Ok(()) => answers.push(answer),
                        Err(e) => {
                            tracing::error!(error = %e, "a write's last statements failed; the write is undone");
                            broken = !undo(&txn).await;
                            answer(Err(AppError::Internal));
                        }
                    }
                }
                Some(Done::Refused(answer)) => {
                    txn.take_last();
                    broken = !undo(&txn).await;
                    answer();
                }
                None => {
                    tracing::error!("a write panicked or was abandoned; it is undone");
                    txn.take_last();
                    broken = !undo(&txn).await;
                }
            }
            if broken {
                break;
            }
            if taken < MAX_BATCH {
                next = self.queue.try_recv().ok();
            }
        }
        let outcome = if broken {
            // Nobody can tell what the batch holds: all of it goes.
            if let Err(e) = txn.into_inner().rollback().await {
                tracing::error!(error = %e, "rolling back a broken write batch failed");
            }
            Err(AppError::Internal)
        } else {
            match txn.into_inner().commit().await {
                Ok(()) => Ok(()),
                Err(e) => {
                    tracing::error!(error = %e, writes = answers.len(), "a write batch's COMMIT failed; every write in it is refused");
                    // The failed COMMIT's transaction is rolled back as it drops (before the next
                    // BEGIN on this connection).
                    Err(AppError::Internal)
                }
            }
        };
        let committed = if outcome.is_ok() { answers.len() as u64 } else { 0 };
        for answer in answers {
            answer(outcome.clone());
        }
        committed
    }
}

/// Rolls the batch back to the current job's savepoint (which stays open for the next job).
/// `false` if that failed too.
async fn undo(txn: &WriteTxn) -> bool {
    match txn.execute_unprepared(ROLLBACK_TO).await {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(error = %e, "undoing a failed write failed; its batch is rolled back");
            false
        }
    }
}

/// The checkpointer: a passive checkpoint whenever the writer asks, on a connection of its own.
async fn checkpoint(options: SqliteConnectOptions, mut due: mpsc::Receiver<()>) {
    let conn = SqlxSqliteConnector::from_sqlx_sqlite_pool(sqlite_pool(1).connect_lazy_with(options));
    while due.recv().await.is_some() {
        if let Err(e) = conn.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
    let _ = conn.close().await;
}
