//! Leases that make a periodic job run on one instance when several share the database.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ConnectionTrait;

use crate::{placeholders, Db, DbResultExt, Result, Sql};

/// A name for this process among the instances sharing the database (claims and leases carry
/// it): the process id and a random part, so that two hosts with the same pid differ.
pub fn instance_id() -> String {
    format!("pid{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// Takes the lease `name` for `holder` until `now + hold` if nobody holds it at `now`; `true`
/// if taken. One guarded upsert: on PostgreSQL a concurrent taker waits for the first one's
/// commit, then sees its lease and changes nothing; SQLite has one writer at a time.
pub async fn take(db: &Db, name: &str, holder: &str, now: DateTime<Utc>, hold: TimeDelta) -> Result<bool> {
    let values: [sea_orm::Value; 4] = [name.into(), holder.into(), (now + hold).into(), now.into()];
    db.write(move |txn| {
        Box::pin(async move {
            let stmt = TAKE.statement(txn.get_database_backend(), values);
            Ok(txn.execute_raw(stmt).await.db()?.rows_affected() == 1)
        })
    })
    .await
}

static TAKE: Sql = Sql::new(|backend| {
    placeholders(
        backend,
        "INSERT INTO job_lease (name, holder, until) VALUES (?, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
         WHERE job_lease.until <= ?"
            .to_owned(),
    )
});
