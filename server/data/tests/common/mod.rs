//! Shared by the data crate's SQLite tests: a fresh database file with one test table.

#![allow(dead_code)]

use data::Db;
use sea_orm::ConnectionTrait;

/// A new SQLite file (migrated like the app's) in the temp dir, with `schema` run on it.
pub async fn fresh_db(name: &str, schema: &str) -> (Db, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("wq-data-{name}-{}.sqlite", std::process::id()));
    remove(&path);
    let db = data::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    let schema = schema.to_owned();
    db.write(move |txn| {
        Box::pin(async move {
            txn.execute_unprepared(&schema)
                .await
                .map_err(|_| domain::AppError::Internal)?;
            Ok(())
        })
    })
    .await
    .unwrap();
    (db, path)
}

/// Deletes the database file and its WAL companions.
pub fn remove(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
