//! The two reads nearly every request makes (session → caller, the student's 用户中心), on SQLite
//! without sqlx.
//!
//! Why a second way to read at all: through sqlx every SQLite statement is a round trip to the
//! connection's own thread, and a connection is pinged on its way back to the pool: several thread
//! wake-ups for a read SQLite answers in microseconds. In same-time `make bench` runs the student
//! dashboard made 13–24 % of static JSON through sea-orm (target ≥ 25 %) and 42–45 % through this
//! path (docs/perf.md, "Hot reads"). Every other read, and PostgreSQL, goes through sea-orm.
//!
//! The whole of it: [`FastReads::one`] runs one SQL text with named parameters (`:name`) on a
//! blocking thread (`spawn_blocking`, so an async worker never waits on SQLite), through a
//! read-only connection of this database's own, and maps the first row by column name. A reader
//! sees committed data only (WAL snapshot), like every pooled read.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::{ToSql, ToSqlOutput};
use sea_orm::{DbErr, RuntimeErr};

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

/// Read-only connections to one SQLite file, owned by its [`crate::Db`] (so separate databases
/// never share one). A read holds a connection only while its statement runs, so there are about
/// as many as reads at once; more than `MAX_IDLE` are closed when put back.
#[derive(Clone)]
pub struct FastReads {
    inner: Arc<Inner>,
}

struct Inner {
    file: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

const MAX_IDLE: usize = 16;

impl FastReads {
    pub(crate) fn new(file: &Path) -> Self {
        FastReads {
            inner: Arc::new(Inner {
                file: file.to_owned(),
                idle: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Runs `sql` with its named parameters (`(":name", value)`) and maps the first row, if any.
    /// For short, indexed reads: the blocking thread is busy while the statement runs.
    pub async fn one<T: Send + 'static>(
        &self,
        sql: &'static str,
        params: Vec<(&'static str, Param)>,
        map: fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, DbErr> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || inner.one(sql, &params, map))
            .await
            .map_err(|e| read_err(format!("the read's thread failed: {e}")))?
    }
}

impl Inner {
    fn one<T>(
        &self,
        sql: &str,
        params: &[(&str, Param)],
        map: fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, DbErr> {
        let conn = match self.lock().pop() {
            Some(conn) => conn,
            None => open(&self.file).map_err(|e| read_err(format!("opening {}: {e}", self.file.display())))?,
        };
        let params: Vec<(&str, &dyn ToSql)> = params.iter().map(|(name, v)| (*name, v as &dyn ToSql)).collect();
        let found = conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_row(params.as_slice(), map).map(Some))
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(read_err(e.to_string())),
            });
        // Back to the idle list, also after a failed read: SQLite resets a statement when it is
        // reused, and a read leaves nothing else behind.
        let mut idle = self.lock();
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<rusqlite::Connection>> {
        // A panic while holding the lock cannot leave the list inconsistent: use it anyway.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
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
