//! The outbox's reading side, for the dispatcher in the server: take what is pending, record
//! how it went.

use chrono::Utc;
use sea_orm::{prelude::*, QueryOrder, QuerySelect};

use crate::{entity::outbox, Db, DbResultExt, Result};

/// Oldest pending messages first.
pub async fn pending(db: &Db, limit: u64) -> Result<Vec<outbox::Model>> {
    outbox::Entity::find()
        .filter(outbox::Column::Status.eq("pending"))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .db()
}

/// `sent` (delivered to the SMTP server), `logged` (no transport: written to the log) or
/// `failed` (with the error).
pub async fn mark(db: &Db, id: i64, status: &str, error: &str) -> Result<()> {
    let (status, error) = (status.to_owned(), error.to_owned());
    db.write(move |txn| {
        Box::pin(async move {
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value(status))
                .col_expr(outbox::Column::Error, Expr::value(error))
                .col_expr(outbox::Column::SentAt, Expr::value(Utc::now()))
                .filter(outbox::Column::Id.eq(id))
                .exec(txn)
                .await
                .db()?;
            Ok(())
        })
    })
    .await
}
