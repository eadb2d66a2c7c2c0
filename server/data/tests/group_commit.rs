//! SQLite group commit (`data::write_txn`): concurrent writers share one COMMIT, yet each is
//! answered only once its own changes are durable, and one writer's failure undoes only its own.

mod common;

use common::remove;
use std::{collections::BTreeSet, future::Future};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

const SCHEMA: &str = "CREATE TABLE probe (n INTEGER PRIMARY KEY)";

async fn fresh_db(name: &str) -> (DatabaseConnection, std::path::PathBuf) {
    common::fresh_db(&format!("group-commit-{name}"), SCHEMA).await
}

fn insert(n: i64) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, "INSERT INTO probe (n) VALUES (?)", [n.into()])
}

/// Runs `write(db, i)` for every `i` in `0..n` at once; their outcomes, in order.
async fn concurrently<T, Fut>(db: &DatabaseConnection, n: i64, write: impl Fn(DatabaseConnection, i64) -> Fut) -> Vec<T>
where
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(write(db.clone(), i))).collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    outcomes
}

async fn rows(db: &DatabaseConnection) -> BTreeSet<i64> {
    let all = db.query_all_raw(Statement::from_string(DbBackend::Sqlite, "SELECT n FROM probe")).await.unwrap();
    all.iter().map(|r| r.try_get_by_index::<i64>(0).unwrap()).collect()
}

/// 60 writers at once; every fourth fails after writing (dropped without commit). Each writer
/// that was told "committed" finds its row from another connection at once, and in the end the
/// table holds exactly the committed rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_writer_in_a_batch_undoes_only_its_own_changes() {
    let (db, path) = fresh_db("mixed").await;
    let outcomes = concurrently(&db, 60, |db, n| async move {
        let txn = data::write_txn(&db).await.unwrap();
        txn.execute_raw(insert(n)).await.unwrap();
        if n % 4 == 0 {
            drop(txn); // fails after writing: rolled back
            return None;
        }
        tokio::task::yield_now().await; // let others queue up behind this writer
        txn.commit().await.unwrap();
        let seen = db
            .query_one_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "SELECT n FROM probe WHERE n = ?", [n.into()]))
            .await
            .unwrap();
        assert!(seen.is_some(), "writer {n} was answered before its row was committed");
        Some(n)
    })
    .await;
    let committed: BTreeSet<i64> = outcomes.into_iter().flatten().collect();
    assert_eq!(committed.len(), 45);
    assert_eq!(rows(&db).await, committed);
    drop(db);
    remove(&path);
}

/// A writer whose statement fails (a duplicate key) is refused, its batch-mates are not, and the
/// write lock is free again afterwards (a later writer gets through).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_statement_does_not_block_or_undo_the_batch() {
    let (db, path) = fresh_db("dup").await;
    let outcomes = concurrently(&db, 20, |db, i| async move {
        let txn = data::write_txn(&db).await.unwrap();
        // Writers 0 and 10 both insert 0: whichever comes second is refused.
        let n = if i == 10 { 0 } else { i };
        txn.execute_raw(insert(n)).await?;
        txn.commit().await.map(|_| n)
    })
    .await;
    let refused = outcomes.iter().filter(|o| o.is_err()).count();
    let ok: BTreeSet<i64> = outcomes.into_iter().flatten().collect();
    assert_eq!(refused, 1);
    assert_eq!(ok, (0..20).filter(|&n| n != 10).collect());
    let txn = data::write_txn(&db).await.unwrap();
    txn.execute_raw(insert(100)).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(rows(&db).await.len(), 20);
    drop(db);
    remove(&path);
}

/// `commit_with`: the last statements ride along with the commit (on SQLite, in one round trip
/// with the savepoint statements). A write whose last statements fail is refused and undone as a
/// whole, its earlier statements too; its batch-mates commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_last_statements_fail_is_undone_whole() {
    let (db, path) = fresh_db("last").await;
    db.execute_raw(insert(-1)).await.unwrap();
    let outcomes = concurrently(&db, 30, |db, i| async move {
        let txn = data::write_txn(&db).await.unwrap();
        txn.execute_raw(insert(i)).await.unwrap();
        tokio::task::yield_now().await; // let others queue up behind this writer
        // Every fifth writer's last statements end with a duplicate key.
        let last = if i % 5 == 4 { vec![insert(1000 + i), insert(-1)] } else { vec![insert(1000 + i)] };
        txn.commit_with(last).await.map(|_| i)
    })
    .await;
    let mut expected = BTreeSet::from([-1]);
    expected.extend(outcomes.into_iter().flatten().flat_map(|i| [i, 1000 + i]));
    assert_eq!(expected.len(), 1 + 2 * 24, "exactly the six writers with a duplicate are refused");
    assert_eq!(rows(&db).await, expected);
    drop(db);
    remove(&path);
}
