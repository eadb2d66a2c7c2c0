//! The SQLite writer (`Db::write`): concurrent writes share one COMMIT, yet each is answered only
//! once its own changes are committed; one write's failure undoes only its own changes; a failed
//! COMMIT fails every write of its batch and leaves nothing behind; a batch holds at most
//! `MAX_BATCH` writes; and callers that go away change nothing for anyone else.

mod common;

use common::remove;
use std::{collections::BTreeSet, future::Future, pin::Pin, sync::Arc, task::Poll, time::Duration};

use data::{Db, DbResultExt, WriteTxn, MAX_BATCH};
use domain::AppError;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, Statement};
use tokio::sync::oneshot;

/// `probe.parent`'s foreign key is checked at COMMIT (deferred): a write that names a missing
/// parent makes its whole batch's COMMIT fail, as a full disk or an I/O error would.
const SCHEMA: &str = "CREATE TABLE parent (id INTEGER PRIMARY KEY); \
                      CREATE TABLE probe (n INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)";
const MISSING_PARENT: i64 = 999;

async fn fresh_db(name: &str) -> (Db, std::path::PathBuf) {
    common::fresh_db(&format!("group-commit-{name}"), SCHEMA).await
}

fn insert(n: i64) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, "INSERT INTO probe (n) VALUES (?)", [n.into()])
}

/// A row whose missing parent fails its batch's COMMIT.
fn poison(n: i64) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO probe (n, parent) VALUES (?, ?)",
        [n.into(), MISSING_PARENT.into()],
    )
}

async fn run(txn: &WriteTxn, stmt: Statement) -> data::Result<()> {
    txn.execute_raw(stmt).await.db().map(|_| ())
}

/// One write of one statement.
fn write_one(db: &Db, stmt: Statement) -> impl Future<Output = data::Result<()>> + Send + 'static {
    let db = db.clone();
    async move { db.write(move |txn| Box::pin(run(txn, stmt))).await }
}

async fn rows(db: &Db) -> BTreeSet<i64> {
    let all = db
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "SELECT n FROM probe"))
        .await
        .unwrap();
    all.iter().map(|r| r.try_get_by_index::<i64>(0).unwrap()).collect()
}

type Pending<T> = Pin<Box<dyn Future<Output = data::Result<T>> + Send>>;

/// Polls a write once, which queues its job, and hands it back to be awaited later: writes queued
/// this way reach the writer in this order.
async fn queue<T>(mut write: Pending<T>) -> Pending<T> {
    std::future::poll_fn(|cx| {
        assert!(
            write.as_mut().poll(cx).is_pending(),
            "a queued write cannot be answered while the writer is held"
        );
        Poll::Ready(())
    })
    .await;
    write
}

/// A write that holds the writer (its job waits) until the returned sender fires; queued first.
async fn gate(db: &Db, stmt: Statement) -> (Pending<()>, oneshot::Sender<()>) {
    let (open, opened) = oneshot::channel::<()>();
    let (started, running) = oneshot::channel::<()>();
    let db = db.clone();
    let write: Pending<()> = Box::pin(async move {
        db.write(move |txn| {
            Box::pin(async move {
                run(txn, stmt).await?;
                let _ = started.send(());
                let _ = opened.await;
                Ok(())
            })
        })
        .await
    });
    let write = queue(write).await;
    running.await.expect("the gate's job runs");
    (write, open)
}

/// 60 writes at once; every fourth fails after writing. Each write that was answered "committed"
/// finds its row from another connection at once, and in the end the table holds exactly the
/// committed rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_write_in_a_batch_undoes_only_its_own_changes() {
    let (db, path) = fresh_db("mixed").await;
    let tasks: Vec<_> = (0..60i64)
        .map(|n| {
            let db = db.clone();
            tokio::spawn(async move {
                let outcome = db
                    .write(move |txn| {
                        Box::pin(async move {
                            run(txn, insert(n)).await?;
                            tokio::task::yield_now().await;
                            if n % 4 == 0 {
                                return Err(AppError::invalid("refused after writing"));
                            }
                            Ok(n)
                        })
                    })
                    .await;
                if let Ok(n) = outcome {
                    let seen = rows(&db).await;
                    assert!(seen.contains(&n), "write {n} was answered before its row was committed");
                }
                outcome.ok()
            })
        })
        .collect();
    let mut committed = BTreeSet::new();
    for t in tasks {
        committed.extend(t.await.unwrap());
    }
    assert_eq!(committed.len(), 45);
    assert_eq!(rows(&db).await, committed);
    drop(db);
    remove(&path);
}

/// A write whose statement fails (a duplicate key) is refused; its batch-mates are not, and the
/// writer goes on (a later write gets through).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_statement_does_not_block_or_undo_the_batch() {
    let (db, path) = fresh_db("dup").await;
    // Writes 0 and 10 both insert 0: whichever comes second is refused.
    let tasks: Vec<_> = (0..20i64)
        .map(|i| tokio::spawn(write_one(&db, insert(if i == 10 { 0 } else { i }))))
        .collect();
    let mut refused = 0;
    for t in tasks {
        refused += t.await.unwrap().is_err() as usize;
    }
    assert_eq!(refused, 1);
    write_one(&db, insert(100)).await.unwrap();
    let expected: BTreeSet<i64> = (0..20).filter(|&n| n != 10).chain([100]).collect();
    assert_eq!(rows(&db).await, expected);
    drop(db);
    remove(&path);
}

/// `WriteTxn::then`: the last statements run with the writer's own (on SQLite in one round trip).
/// A write whose last statements fail is refused and undone as a whole, its earlier statements
/// too; its batch-mates commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_last_statements_fail_is_undone_whole() {
    let (db, path) = fresh_db("last").await;
    write_one(&db, insert(-1)).await.unwrap();
    let tasks: Vec<_> = (0..30i64)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                db.write(move |txn| {
                    Box::pin(async move {
                        run(txn, insert(i)).await?;
                        tokio::task::yield_now().await;
                        // Every fifth write's last statements end with a duplicate key.
                        txn.then(if i % 5 == 4 {
                            vec![insert(1000 + i), insert(-1)]
                        } else {
                            vec![insert(1000 + i)]
                        });
                        Ok(i)
                    })
                })
                .await
            })
        })
        .collect();
    let mut expected = BTreeSet::from([-1]);
    for t in tasks {
        if let Ok(i) = t.await.unwrap() {
            expected.extend([i, 1000 + i]);
        }
    }
    assert_eq!(
        expected.len(),
        1 + 2 * 24,
        "exactly the six writes with a duplicate are refused"
    );
    assert_eq!(rows(&db).await, expected);
    drop(db);
    remove(&path);
}

/// Ten writes queued behind a held writer form one batch; one of them breaks the COMMIT. Every
/// one of the ten is refused, none of their rows (each write makes two) is visible, and the next
/// write commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_commit_fails_refuses_every_member_and_leaves_nothing() {
    let (db, path) = fresh_db("commit-fails").await;
    write_one(&db, insert(-1)).await.unwrap();
    let (first, open) = gate(&db, insert(0)).await;
    let mut queued = Vec::new();
    for n in 1..10i64 {
        let db = db.clone();
        let second = if n == 5 { poison(100 + n) } else { insert(100 + n) };
        let write: Pending<()> = Box::pin(async move {
            db.write(move |txn| {
                Box::pin(async move {
                    run(txn, insert(n)).await?;
                    run(txn, second).await
                })
            })
            .await
        });
        queued.push(queue(write).await);
    }
    open.send(()).unwrap();
    assert_eq!(
        first.await,
        Err(AppError::Internal),
        "the first write shares the failed COMMIT"
    );
    for (n, write) in (1..).zip(queued) {
        assert_eq!(
            write.await,
            Err(AppError::Internal),
            "write {n} was in the failed batch"
        );
    }
    assert_eq!(
        rows(&db).await,
        BTreeSet::from([-1]),
        "nothing of the failed batch is visible"
    );
    write_one(&db, insert(7)).await.unwrap();
    assert_eq!(rows(&db).await, BTreeSet::from([-1, 7]));
    drop(db);
    remove(&path);
}

/// `MAX_BATCH` writes go in one COMMIT and the next one in another. The gate and the
/// `MAX_BATCH - 1` writes queued behind it share the batch; the `MAX_BATCH`-th queued write
/// starts the next. Shown with a write that breaks its batch's COMMIT: placed last in the first
/// batch, it takes that whole batch down and not the write after it; placed first in the second,
/// it takes down only itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_holds_max_batch_writes_and_the_next_write_starts_another() {
    let (db, path) = fresh_db("boundary").await;
    for (round, poisoned) in [(1i64, MAX_BATCH - 1), (2, MAX_BATCH)] {
        let base = round * 1000;
        let (first, open) = gate(&db, insert(base)).await;
        let mut queued = Vec::new();
        for k in 1..=MAX_BATCH {
            let n = base + k as i64;
            queued.push(
                queue(Box::pin(write_one(
                    &db,
                    if k == poisoned { poison(n) } else { insert(n) },
                )))
                .await,
            );
        }
        open.send(()).unwrap();
        let mut outcomes = vec![first.await.is_ok()];
        for write in queued {
            outcomes.push(write.await.is_ok());
        }
        let first_batch_ok = poisoned == MAX_BATCH;
        let expected: Vec<bool> = (0..=MAX_BATCH)
            .map(|i| if i < MAX_BATCH { first_batch_ok } else { !first_batch_ok })
            .collect();
        assert_eq!(
            outcomes, expected,
            "round {round}: writes 0..{MAX_BATCH} share one COMMIT, write {MAX_BATCH} has its own"
        );
        let committed: BTreeSet<i64> = (0..=MAX_BATCH)
            .filter(|&i| expected[i])
            .map(|i| base + i as i64)
            .collect();
        let present: BTreeSet<i64> = rows(&db).await.into_iter().filter(|n| n / 1000 == round).collect();
        assert_eq!(present, committed, "round {round}");
    }
    drop(db);
    remove(&path);
}

/// A write whose job panics is refused; the writer, and the writes around it, go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_write_is_refused_and_the_others_commit() {
    let (db, path) = fresh_db("panic").await;
    let (first, open) = gate(&db, insert(0)).await;
    let panicking: Pending<()> = {
        let db = db.clone();
        Box::pin(async move {
            db.write(|txn| {
                Box::pin(async move {
                    run(txn, insert(1)).await?;
                    panic!("a bug in a write");
                })
            })
            .await
        })
    };
    let panicking = queue(panicking).await;
    let after = queue(Box::pin(write_one(&db, insert(2)))).await;
    open.send(()).unwrap();
    assert_eq!(first.await, Ok(()));
    assert_eq!(panicking.await, Err(AppError::Internal));
    assert_eq!(after.await, Ok(()));
    assert_eq!(rows(&db).await, BTreeSet::from([0, 2]));
    drop(db);
    remove(&path);
}

/// 96 callers write at once; a third of them go away at random moments: before their write is
/// queued, while it waits, or while it runs (each job writes a pair of rows with a pause between).
/// Every caller that stayed is answered and finds its pair; no pair is ever half-written; and the
/// next write commits at once (no lock left held, no batch left open).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_that_go_away_change_nothing_for_the_others() {
    let (db, path) = fresh_db("cancel").await;
    let stayed = Arc::new(std::sync::Mutex::new(BTreeSet::new()));
    let mut tasks = Vec::new();
    for n in 0..96i64 {
        let (db, stayed) = (db.clone(), stayed.clone());
        let task = tokio::spawn(async move {
            db.write(move |txn| {
                Box::pin(async move {
                    run(txn, insert(n)).await?;
                    tokio::time::sleep(Duration::from_micros(200 * (n % 5) as u64)).await;
                    run(txn, insert(10_000 + n)).await
                })
            })
            .await
            .unwrap();
            stayed.lock().unwrap().insert(n);
        });
        tasks.push((n, task));
    }
    // A cheap deterministic shuffle: which callers go away, and when.
    let mut leaving = Vec::new();
    for (n, task) in tasks.iter() {
        if n % 3 == 1 {
            let handle = task.abort_handle();
            let delay = Duration::from_micros(((n * 7919) % 4000) as u64);
            leaving.push(tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                handle.abort();
            }));
        }
    }
    for l in leaving {
        l.await.unwrap();
    }
    for (n, task) in tasks {
        match task.await {
            Ok(()) => {}
            Err(e) if e.is_cancelled() && n % 3 == 1 => {}
            Err(e) => panic!("caller {n}: {e}"),
        }
    }
    let present = rows(&db).await;
    for n in 0..96 {
        assert_eq!(
            present.contains(&n),
            present.contains(&(10_000 + n)),
            "write {n} is half-visible"
        );
    }
    let stayed = stayed.lock().unwrap().clone();
    for n in (0..96).filter(|n| n % 3 != 1) {
        assert!(stayed.contains(&n), "caller {n} stayed but was not answered");
        assert!(present.contains(&n), "caller {n} was answered but its write is missing");
    }
    tokio::time::timeout(Duration::from_secs(5), write_one(&db, insert(-5)))
        .await
        .expect("the writer is free")
        .unwrap();
    assert!(rows(&db).await.contains(&-5));
    drop(db);
    remove(&path);
}

/// The handle's read side cannot change anything: not through `execute`, not through a query
/// that writes (the connections are `query_only`), not through an entity's `insert`.
#[tokio::test]
async fn the_read_side_refuses_every_write() {
    let (db, path) = fresh_db("read-only").await;
    assert!(db.execute_raw(insert(1)).await.is_err());
    assert!(db.execute_unprepared("DELETE FROM probe").await.is_err());
    let returning = Statement::from_string(DbBackend::Sqlite, "INSERT INTO probe (n) VALUES (2) RETURNING n");
    assert!(
        db.query_one_raw(returning).await.is_err(),
        "a query that writes is refused by the database"
    );
    let school = data::entity::school::ActiveModel {
        code: sea_orm::Set("99999".into()),
        name: sea_orm::Set("只读大学".into()),
        created_at: sea_orm::Set(chrono::Utc::now()),
        ..Default::default()
    };
    assert!(school.clone().insert(&db).await.is_err());
    assert!(rows(&db).await.is_empty());
    // The same row goes in through the writer.
    db.write(move |txn| Box::pin(async move { school.insert(txn).await.db().map(|_| ()) }))
        .await
        .unwrap();
    drop(db);
    remove(&path);
}
