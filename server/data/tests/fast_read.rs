//! SQLite's fast reads (`data::fast_read`): they see every committed write at once, compare times
//! the way the pool does, and a failed read leaves its connection usable.

mod common;

use chrono::{Duration, Utc};
use common::remove;
use data::{fast_read::Param, Db, DbResultExt};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

const SCHEMA: &str = "CREATE TABLE probe (n INTEGER PRIMARY KEY, at TEXT NOT NULL)";
const COUNT: &str = "SELECT COUNT(*) AS c, MAX(n) AS top FROM probe";
const LATER_THAN: &str = "SELECT COUNT(*) AS c FROM probe WHERE at > :at";

async fn fresh_db(name: &str) -> (Db, std::path::PathBuf) {
    common::fresh_db(&format!("fast-{name}"), SCHEMA).await
}

async fn count(db: &Db) -> (i64, Option<i64>) {
    let fast = db.fast_reads().expect("SQLite has fast reads");
    fast.one(COUNT, vec![], |r| Ok((r.get("c")?, r.get("top")?)))
        .await
        .unwrap()
        .unwrap()
}

async fn insert(db: &Db, n: i64, at: chrono::DateTime<Utc>) {
    let insert = Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO probe (n, at) VALUES (?, ?)",
        [n.into(), at.into()],
    );
    db.write(move |txn| Box::pin(async move { txn.execute_raw(insert).await.db().map(|_| ()) }))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fast_read_sees_each_write_as_soon_as_it_is_committed() {
    let (db, path) = fresh_db("fresh").await;
    assert_eq!(count(&db).await, (0, None));
    for n in 1..=50i64 {
        let reader = db.clone();
        let unseen = db
            .write(move |txn| {
                Box::pin(async move {
                    let insert = Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        "INSERT INTO probe (n, at) VALUES (?, ?)",
                        [n.into(), Utc::now().into()],
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

/// Times are stored as text by sqlx; a fast read binds a time in the same form, so a time a
/// millisecond earlier or later compares the way it does through the pool (session expiry).
#[tokio::test]
async fn a_fast_read_compares_times_like_the_pool_does() {
    let (db, path) = fresh_db("times").await;
    let now = Utc::now();
    for (n, at) in [
        (1i64, now - Duration::milliseconds(1)),
        (2, now + Duration::milliseconds(1)),
        (3, now + Duration::days(1)),
        (4, now),
    ] {
        insert(&db, n, at).await;
    }
    let fast = db.fast_reads().unwrap();
    let later = fast
        .one(LATER_THAN, vec![(":at", Param::Time(now))], |r| r.get::<_, i64>("c"))
        .await
        .unwrap();
    let pooled = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT COUNT(*) AS c FROM probe WHERE at > ?",
            [now.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(later, Some(2));
    assert_eq!(later, Some(pooled.try_get::<i64>("", "c").unwrap()));
    remove(&path);
}

#[tokio::test]
async fn a_failed_fast_read_is_an_error_and_the_next_read_works() {
    let (db, path) = fresh_db("failed").await;
    let fast = db.fast_reads().unwrap();
    let wrong = fast.one(COUNT, vec![], |r| r.get::<_, String>("no_such_column")).await;
    assert!(wrong.is_err(), "a missing column is an error");
    let unnamed = fast
        .one(LATER_THAN, vec![(":other", Param::Int(1))], |r| r.get::<_, i64>("c"))
        .await;
    assert!(unnamed.is_err(), "a parameter the statement does not name is refused");
    assert_eq!(count(&db).await, (0, None));
    remove(&path);
}

#[tokio::test]
async fn a_fast_read_of_no_row_is_none() {
    let (db, path) = fresh_db("none").await;
    let fast = db.fast_reads().unwrap();
    let none = fast
        .one("SELECT n FROM probe WHERE n = :n", vec![(":n", Param::Int(1))], |r| {
            r.get::<_, i64>("n")
        })
        .await
        .unwrap();
    assert_eq!(none, None);
    remove(&path);
}
