//! The outbox's sending side, for the dispatcher in the server. Several instances may share one
//! database: a dispatcher first claims due messages with one guarded UPDATE (`claim`), which
//! leases them to it for a while, then records how each went. A message another instance holds
//! is not due; one whose lease ran out (its instance died) is due again. A failed send stays
//! `pending` until its next attempt, as the retry policy says, and is `failed` after the last.

use chrono::{DateTime, TimeDelta, Utc};
use domain::{
    delivery::{AfterFailure, RetryPolicy},
    status::OutboxStatus,
};
use sea_orm::{
    prelude::*,
    sea_query::{ExprTrait, SimpleExpr},
    DbBackend,
};

use crate::{entity::outbox, placeholders, Db, DbResultExt, Result, Sql};

/// Leases the oldest due messages to `instance` until `now + lease`, counting the attempt, and
/// returns them. Due: pending, its next attempt not in the future, and claimed by nobody or by
/// an instance whose lease has run out. The outer conditions repeat the inner ones so that on
/// PostgreSQL a row another claim changed meanwhile is checked again against its new values;
/// `SKIP LOCKED` lets concurrent claims take disjoint rows instead of waiting for each other.
/// On SQLite the write lock makes the statement atomic by itself.
pub async fn claim(
    db: &Db,
    instance: &str,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: u64,
) -> Result<Vec<outbox::Model>> {
    let backend = db.get_database_backend();
    let (due, set): ([Value; 3], [Value; 2]) = (
        [now.into(), now.into(), (limit as i64).into()],
        [instance.into(), (now + lease).into()],
    );
    // The values in the order of their placeholders in the backend's text.
    let values = match backend {
        DbBackend::Postgres => [&due[..], &set[..]].concat(),
        _ => [&set[..], &due[..]].concat(),
    };
    let stmt = CLAIM.statement(backend, values.into_iter().chain([now.into()]));
    let mut claimed = db
        .write(move |txn| Box::pin(async move { outbox::Entity::find().from_raw_sql(stmt).all(txn).await.db() }))
        .await?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

static CLAIM: Sql = Sql::new(|backend| {
    let pending = OutboxStatus::Pending.code();
    let due = format!(
        "SELECT id FROM outbox WHERE status = '{pending}' \
           AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until <= ?) \
         ORDER BY id LIMIT ?"
    );
    let set = "claimed_by = ?, lease_until = ?, attempts = attempts + 1";
    let still_due = format!("status = '{pending}' AND (lease_until IS NULL OR lease_until <= ?)");
    let sql = match backend {
        // A locking subquery under `IN` may run more than once, and claim more than LIMIT rows:
        // the locking CTE runs exactly once.
        DbBackend::Postgres => format!(
            "WITH due AS ({due} FOR UPDATE SKIP LOCKED) \
             UPDATE outbox SET {set} FROM due WHERE outbox.id = due.id AND {still_due} RETURNING outbox.*"
        ),
        _ => format!("UPDATE outbox SET {set} WHERE id IN ({due}) AND {still_due} RETURNING *"),
    };
    placeholders(backend, sql)
});

/// Records a message as handed over: `Sent` (to the SMTP server) or `Logged` (written to the
/// log). `false` if `instance` no longer held it (its lease ran out and another instance took it).
pub async fn delivered(db: &Db, id: i64, instance: &str, how: OutboxStatus) -> Result<bool> {
    update_claimed(
        db,
        id,
        instance,
        vec![
            (outbox::Column::Status, Expr::value(how.code())),
            (outbox::Column::Error, Expr::value("")),
            (outbox::Column::SentAt, Expr::value(Utc::now())),
        ],
    )
    .await
}

/// Records a failed send of attempt number `attempts`: pending again after the policy's
/// back-off, or `Failed` for good after the last attempt. `None` if `instance` no longer held it.
pub async fn failed(
    db: &Db,
    id: i64,
    instance: &str,
    attempts: u32,
    error: &str,
    policy: &RetryPolicy,
) -> Result<Option<AfterFailure>> {
    let after = policy.after_failure(attempts);
    let mut set = vec![(outbox::Column::Error, Expr::value(error))];
    match after {
        AfterFailure::RetryIn(delay) => set.push((outbox::Column::NextAttemptAt, Expr::value(Utc::now() + delay))),
        AfterFailure::GiveUp => set.push((outbox::Column::Status, Expr::value(OutboxStatus::Failed.code()))),
    }
    Ok(update_claimed(db, id, instance, set).await?.then_some(after))
}

/// Gives a claimed message back untried (the dispatcher ran out of lease time before its turn):
/// due again at once, and the claim's attempt is not counted.
pub async fn release(db: &Db, id: i64, instance: &str) -> Result<bool> {
    update_claimed(
        db,
        id,
        instance,
        vec![(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).sub(1))],
    )
    .await
}

/// Applies `set` and ends the claim, only while `instance` holds it.
async fn update_claimed(db: &Db, id: i64, instance: &str, set: Vec<(outbox::Column, SimpleExpr)>) -> Result<bool> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None));
    for (col, value) in set {
        update = update.col_expr(col, value);
    }
    let update = update
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::ClaimedBy.eq(instance));
    let r = db
        .write(move |txn| Box::pin(async move { update.exec(txn).await.db() }))
        .await?;
    Ok(r.rows_affected == 1)
}
