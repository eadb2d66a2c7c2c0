//! The two reads nearly every request makes (session → caller, the student's 用户中心), on SQLite
//! without sqlx.
//!
//! Why a second way to read at all: through sqlx every SQLite statement is a round trip to the
//! connection's own thread, and a connection is pinged on its way back to the pool: several thread
//! wake-ups for a read SQLite answers in microseconds. In same-time `make bench` runs the student
//! dashboard made 13–24 % of static JSON through sea-orm (target ≥ 25 %) and 42–45 % through this
//! path (docs/perf.md, "Hot reads"). Every other read, and PostgreSQL, goes through sea-orm.
//!
//! The whole of it: [`FastReads::one`] runs one SQL text with named parameters (`:name`) on one of
//! this database's reader threads (so an async worker never waits on SQLite), through that
//! thread's read-only connection, and maps the first row by column name. A reader sees committed
//! data only (WAL snapshot), like every pooled read.

use std::{
    panic::AssertUnwindSafe,
    path::Path,
    sync::{mpsc, Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::{ToSql, ToSqlOutput};
use sea_orm::{DbErr, RuntimeErr};
use tokio::sync::oneshot;

/// A parameter of a fast read.
#[derive(Debug, Clone)]
pub enum Param {
    Int(i64),
    Text(String),
    /// Bound as the text sqlx stores a time in (RFC 3339), so that comparisons with stored times
    /// agree with what the writes stored.
    Time(DateTime<Utc>),
}

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Int(i) => ToSqlOutput::from(*i),
            Param::Text(s) => ToSqlOutput::from(s.as_str()),
            // As sqlx-sqlite encodes a `DateTime` (its `Encode` impl); a test compares the two.
            Param::Time(t) => ToSqlOutput::from(t.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
        })
    }
}

/// The reader threads of one SQLite file, owned by its [`crate::Db`] (so separate databases never
/// share one): a few threads, each with its own read-only connection, take reads from one queue.
/// They stop, and close their connections, when the last clone of this handle is dropped.
///
/// Why threads of their own and not `spawn_blocking`: with 64 clients on 2 cores, tokio's blocking
/// pool grew a thread per read waiting, each wanting a connection of its own; the connections
/// beyond the idle ones kept were closed and opened again (with their prepared statements), and
/// the dashboard fell from 34 % to 20 % of static JSON (docs/perf.md, "Hot reads"). A fixed set
/// of threads, one connection each, keeps the statements prepared and never more threads than
/// the cores can run.
#[derive(Clone)]
pub struct FastReads {
    jobs: mpsc::Sender<Job>,
}

/// A read as a reader thread runs it: given the thread's connection (or why it could not open one).
type Job = Box<dyn FnOnce(Result<&rusqlite::Connection, DbErr>) + Send>;

impl FastReads {
    /// Starts the reader threads of `file` (it exists already, in WAL mode: the writer made it).
    pub(crate) fn new(file: &Path) -> Result<Self, DbErr> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        // Reads are short and CPU-bound: more threads than cores would only take turns.
        let readers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
        for i in 0..readers {
            let (queue, file) = (queue.clone(), file.to_owned());
            std::thread::Builder::new()
                .name(format!("sqlite-reader-{i}"))
                .spawn(move || serve(&file, &queue))
                .map_err(|e| DbErr::Custom(format!("starting an SQLite reader thread: {e}")))?;
        }
        Ok(FastReads { jobs })
    }

    /// Runs `sql` with its named parameters (`(":name", value)`) and maps the first row, if any.
    /// For short, indexed reads: a reader thread is busy while the statement runs.
    pub async fn one<T: Send + 'static>(
        &self,
        sql: &'static str,
        params: Vec<(&'static str, Param)>,
        map: fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, DbErr> {
        let (done, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            // Nobody to answer when the caller has gone (a cancelled request): the read is dropped.
            let _ = done.send(conn.and_then(|conn| read(conn, sql, &params, map)));
        });
        self.jobs
            .send(job)
            .map_err(|_| read_err("the reader threads have stopped".into()))?;
        answer
            .await
            .map_err(|_| read_err("the read ended without an answer (its thread failed)".into()))?
    }
}

/// A reader thread: takes the next read from the queue until every handle is gone. Its connection
/// is opened at the first read (and again after a failed open, or after a read that panicked).
fn serve(file: &Path, queue: &Mutex<mpsc::Receiver<Job>>) {
    let mut conn: Option<rusqlite::Connection> = None;
    loop {
        // One thread waits on the queue, the others for the lock. A panic cannot happen while it
        // is held (only `recv` runs under it): use it anyway.
        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(job) = next else { return };
        if conn.is_none() {
            match open(file) {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    job(Err(read_err(format!("opening {}: {e}", file.display()))));
                    continue;
                }
            }
        }
        let Some(c) = conn.as_ref() else { continue };
        // A panicking row mapper must not end the thread: its caller gets an error (its answer is
        // dropped), and the connection, in an unknown state, is opened afresh.
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(Ok(c)))).is_err() {
            conn = None;
        }
    }
}

/// One statement on the thread's connection. A failed read leaves the connection usable: SQLite
/// resets a statement when it is reused, and a read leaves nothing else behind.
fn read<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[(&str, Param)],
    map: fn(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Option<T>, DbErr> {
    let params: Vec<(&str, &dyn ToSql)> = params.iter().map(|(name, v)| (*name, v as &dyn ToSql)).collect();
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_row(params.as_slice(), map).map(Some))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(read_err(e.to_string())),
        })
}

fn read_err(msg: String) -> DbErr {
    DbErr::Query(RuntimeErr::Internal(format!("SQLite (fast read): {msg}")))
}

/// A read connection set up like the pool's (`db::connect`), but without the memory map; the file
/// already exists in WAL mode.
fn open(file: &Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::{config::DbConfig, OpenFlags};
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // See `db::sqlite_pool`: without it, statements are planned again on every run.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.pragma_update(None, "query_only", true)?;
    // No memory map: a read transaction that finds the database changed unmaps the whole file and
    // the next page read maps it again, both under the process's memory-map lock, which every page
    // fault of every thread also takes; while writes go on, that convoy stalled every request.
    conn.pragma_update(None, "mmap_size", 0)?;
    Ok(conn)
}
