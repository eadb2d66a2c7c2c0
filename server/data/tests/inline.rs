//! Inline reads on SQLite (`data::inline`): they see every committed write at once, bind values
//! the way the writes stored them, and a failed read leaves its connection usable.

mod common;

use chrono::{Duration, Utc};
use common::remove;
use data::{inline, Db, DbResultExt, Sql};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

const SCHEMA: &str = "CREATE TABLE probe (n INTEGER PRIMARY KEY, at TEXT NOT NULL)";

async fn fresh_db(name: &str) -> (Db, std::path::PathBuf) {
    common::fresh_db(&format!("inline-{name}"), SCHEMA).await
}

static COUNT: Sql = Sql::new(|_| "SELECT COUNT(*) AS c, MAX(n) AS top FROM probe".into());
static LATER_THAN: Sql = Sql::new(|_| "SELECT COUNT(*) AS c FROM probe WHERE at > ?".into());

async fn count(db: &Db) -> (i64, Option<i64>) {
    inline::read_one(db.reads(), &COUNT, vec![], |r| Ok((r.get("c")?, r.get("top")?)))
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inline_read_sees_each_write_as_soon_as_it_is_committed() {
    let (db, path) = fresh_db("fresh").await;
    assert_eq!(count(&db).await, (0, None));
    for n in 1..=50i64 {
        let reader = db.clone();
        let unseen = db
            .write(move |txn| {
                Box::pin(async move {
                    let at = Utc::now();
                    let insert = Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        "INSERT INTO probe (n, at) VALUES (?, ?)",
                        [n.into(), at.into()],
                    );
                    txn.execute_raw(insert).await.db()?;
                    Ok(count(&reader).await)
                })
            })
            .await
            .unwrap();
        assert_eq!(
            unseen,
            (n - 1, (n > 1).then_some(n - 1)),
            "an uncommitted write is not seen"
        );
        assert_eq!(count(&db).await, (n, Some(n)), "a committed write is seen at once");
    }
    remove(&path);
}

/// Times are stored as text by sqlx; an inline read binds `now` in the same form, so a time a
/// millisecond earlier or later compares the way it does through the pool.
#[tokio::test]
async fn an_inline_read_compares_times_like_the_pool_does() {
    let (db, path) = fresh_db("times").await;
    let now = Utc::now();
    for (n, at) in [
        (1i64, now - Duration::milliseconds(1)),
        (2, now + Duration::milliseconds(1)),
        (3, now + Duration::days(1)),
    ] {
        let insert = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "INSERT INTO probe (n, at) VALUES (?, ?)",
            [n.into(), at.into()],
        );
        db.write(move |txn| Box::pin(async move { txn.execute_raw(insert).await.db().map(|_| ()) }))
            .await
            .unwrap();
    }
    let later = inline::read_one(db.reads(), &LATER_THAN, vec![now.into()], |r| r.get::<i64>("c"))
        .await
        .unwrap();
    let pooled = db
        .query_one_raw(LATER_THAN.statement(DbBackend::Sqlite, [now.into()]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(later, Some(2));
    assert_eq!(later, Some(pooled.try_get::<i64>("", "c").unwrap()));
    remove(&path);
}

#[tokio::test]
async fn a_failed_inline_read_is_an_error_and_the_next_read_works() {
    let (db, path) = fresh_db("failed").await;
    let wrong: Result<Option<String>, DbErr> =
        inline::read_one(db.reads(), &COUNT, vec![], |r| r.get("no_such_column")).await;
    assert!(wrong.is_err());
    let unbindable = inline::read_one(db.reads(), &LATER_THAN, vec![sea_orm::Value::Double(Some(1.5))], |r| {
        r.get::<i64>("c")
    })
    .await;
    assert!(
        unbindable.is_err(),
        "a value the inline path cannot bind is refused, not guessed"
    );
    assert_eq!(count(&db).await, (0, None));
    remove(&path);
}

/// Idle connections belong to their pool: a database deleted and made again under the same
/// name is read afresh, not through connections still open on the deleted file.
#[tokio::test]
async fn a_file_made_again_under_the_same_name_is_read_afresh() {
    let (db, path) = fresh_db("again").await;
    db.write(|txn| {
        Box::pin(async move {
            txn.execute_unprepared("INSERT INTO probe (n, at) VALUES (7, 'x')")
                .await
                .db()
                .map(|_| ())
        })
    })
    .await
    .unwrap();
    assert_eq!(count(&db).await, (1, Some(7)));
    db.close().await.unwrap();
    remove(&path);
    let (db, path) = fresh_db("again").await;
    assert_eq!(count(&db).await, (0, None));
    remove(&path);
}
