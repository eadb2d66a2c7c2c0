//! Hot reads on SQLite, run inline on the calling thread.
//!
//! Through sqlx, every SQLite statement is a round trip to its connection's own thread, and a
//! pooled connection is pinged (one more round trip, in a spawned task) before it goes back to
//! the pool: six thread wake-ups for a read that SQLite itself answers in microseconds. Under
//! load those wake-ups, not the query, were most of the cost of the student dashboard (50,000
//! context switches a second at 6,000 reads a second). A read made here runs on the calling
//! thread through a connection of our own (rusqlite, the same SQLite library), taken from an
//! idle list and put back, with its prepared statement cached on the connection.
//!
//! Only for short, indexed reads: the caller's thread is busy for as long as the statement runs.
//! A reader sees committed data only (WAL snapshot), like every pooled read. PostgreSQL, and
//! SQLite in memory (private to each connection), go through sea-orm as usual.

use std::{
    path::Path,
    sync::{Arc, Mutex, Weak},
    time::Duration,
};

use sea_orm::{
    sqlx::sqlite::SqliteConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, RuntimeErr,
    TryGetable, Value,
};

use crate::Sql;

/// Runs `sql` with `values` and maps its first row, if any.
pub async fn read_one<T>(
    db: &DatabaseConnection,
    sql: &Sql,
    values: Vec<Value>,
    map: impl Fn(&Row) -> Result<T, DbErr>,
) -> Result<Option<T>, DbErr> {
    let backend = db.get_database_backend();
    if let Some(pool) = file_pool(db) {
        return read_inline(pool, sql.text(backend), values, map);
    }
    match db.query_one_raw(sql.statement(backend, values)).await? {
        Some(r) => map(&Row(Inner::Pooled(&r))).map(Some),
        None => Ok(None),
    }
}

/// One result row, whichever way it was read. Columns are found by name.
pub struct Row<'a>(Inner<'a>);

enum Inner<'a> {
    Inline(&'a rusqlite::Row<'a>),
    Pooled(&'a QueryResult),
}

impl Row<'_> {
    pub fn get<T: TryGetable + rusqlite::types::FromSql>(&self, column: &str) -> Result<T, DbErr> {
        match &self.0 {
            Inner::Inline(r) => r.get(column).map_err(|e| sqlite_err(format!("column {column}: {e}"))),
            Inner::Pooled(r) => r.try_get("", column),
        }
    }
}

/// The options of an SQLite pool on a file (they name it); `None` for PostgreSQL and in-memory
/// databases.
fn file_pool(db: &DatabaseConnection) -> Option<Arc<SqliteConnectOptions>> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    (options.get_filename() != Path::new(":memory:")).then_some(options)
}

fn read_inline<T>(
    pool: Arc<SqliteConnectOptions>,
    sql: &str,
    values: Vec<Value>,
    map: impl Fn(&Row) -> Result<T, DbErr>,
) -> Result<Option<T>, DbErr> {
    let params = values.into_iter().map(sqlite_value).collect::<Result<Vec<_>, _>>()?;
    let conn = Reader::take(pool)?;
    let found = (|| {
        let mut stmt = conn.conn.prepare_cached(sql).map_err(|e| sqlite_err(e.to_string()))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(|e| sqlite_err(e.to_string()))?;
        match rows.next().map_err(|e| sqlite_err(e.to_string()))? {
            Some(r) => map(&Row(Inner::Inline(r))).map(Some),
            None => Ok(None),
        }
    })();
    conn.put_back();
    found
}

/// A value bound the way sqlx binds it on SQLite (`sea-query-sqlx`), so that text comparisons
/// (times are stored as RFC 3339 text) agree with what the writes stored.
fn sqlite_value(v: Value) -> Result<rusqlite::types::Value, DbErr> {
    use rusqlite::types::Value as V;
    let null = |o: Option<V>| o.unwrap_or(V::Null);
    Ok(match v {
        Value::Bool(b) => null(b.map(|b| V::Integer(b.into()))),
        Value::Int(i) => null(i.map(|i| V::Integer(i.into()))),
        Value::BigInt(i) => null(i.map(V::Integer)),
        Value::String(s) => null(s.map(V::Text)),
        Value::ChronoDateTimeUtc(t) => {
            null(t.map(|t| V::Text(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))))
        }
        other => return Err(sqlite_err(format!("an inline read cannot bind {other:?}"))),
    })
}

fn sqlite_err(msg: String) -> DbErr {
    DbErr::Query(RuntimeErr::Internal(format!("SQLite (inline read): {msg}")))
}

/// Idle connections, per pool (not per path: a file deleted and made again under the same name,
/// as tests do, must not be read through connections to the old one). A read never waits while
/// it holds a connection, so a pool has about as many as threads that read at once; more than
/// `MAX_IDLE` are closed when put back. A pool's connections are closed once the pool is gone.
static IDLE: Mutex<Vec<Idle>> = Mutex::new(Vec::new());
const MAX_IDLE: usize = 16;

struct Idle {
    pool: Weak<SqliteConnectOptions>,
    conns: Vec<rusqlite::Connection>,
}

struct Reader {
    pool: Arc<SqliteConnectOptions>,
    conn: rusqlite::Connection,
}

impl Reader {
    fn take(pool: Arc<SqliteConnectOptions>) -> Result<Self, DbErr> {
        let idle = idle()
            .iter_mut()
            .find(|i| i.pool.as_ptr() == Arc::as_ptr(&pool))
            .and_then(|i| i.conns.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let file = pool.get_filename();
                open(file).map_err(|e| sqlite_err(format!("opening {}: {e}", file.display())))?
            }
        };
        Ok(Reader { pool, conn })
    }

    /// Back to the idle list, also after a failed read: SQLite resets a statement when it is
    /// reused, and a read leaves nothing else behind.
    fn put_back(self) {
        let mut idle = idle();
        // While this reader holds its pool, no other pool can have the same address.
        let at = match idle.iter().position(|i| i.pool.as_ptr() == Arc::as_ptr(&self.pool)) {
            Some(at) => at,
            None => {
                idle.retain(|i| i.pool.strong_count() > 0);
                idle.push(Idle {
                    pool: Arc::downgrade(&self.pool),
                    conns: Vec::new(),
                });
                idle.len() - 1
            }
        };
        if idle[at].conns.len() < MAX_IDLE {
            idle[at].conns.push(self.conn);
        }
    }
}

fn idle() -> std::sync::MutexGuard<'static, Vec<Idle>> {
    // A panic while holding the lock cannot leave the lists inconsistent: use them anyway.
    IDLE.lock().unwrap_or_else(|e| e.into_inner())
}

/// A read connection set up like the pool's (`db::connect`), but for the memory map; the file
/// already exists in WAL mode.
fn open(file: &Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::{config::DbConfig, OpenFlags};
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // See `db::sqlite_pool`: without it, statements with LIMIT ? or partial-index conditions
    // are planned again on every run.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.pragma_update(None, "query_only", true)?;
    // No memory map, unlike the pool's connections: a read transaction that finds the database
    // changed since the last one unmaps the whole file, and the next page read maps it again.
    // Both wait for the process's memory-map lock, which every page fault of every thread also
    // takes; on the server's workers, while writes go on, that convoy stalled every request
    // (each read here follows someone's commit). Reading pages into the connection's own cache
    // takes no process-wide lock.
    conn.pragma_update(None, "mmap_size", 0)?;
    Ok(conn)
}
