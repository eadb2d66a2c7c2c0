//! The data layer: the only crate that talks to the database.
//!
//! - `entity`: one sea-orm entity per table.
//! - `migration`: the schema, run at start-up; invariants are unique indexes there.
//! - `service`: what the server functions call. Each state change runs in one write
//!   transaction and re-checks the caller's scope and the current state inside it.
//! - `db`: connecting, and [`Db`], the handle every service takes: reads through it, writes only
//!   through [`Db::write`]; `writer`: SQLite's one writer per database, with group commit;
//!   `fast_read`: the two hottest reads (session lookup, student dashboard) on SQLite without
//!   sqlx, on reader threads of their own.

pub mod db;
pub mod entity;
pub mod fast_read;
pub mod migration;
pub mod service;
pub mod uploads;
mod writer;

pub use db::{
    connect, connect_with, execute_all, placeholders, sqlite_script, Db, DbResultExt, Durability, Sql, WriteFuture,
    WriteTxn,
};
pub use sea_orm::{DatabaseConnection, DbErr};
pub use writer::MAX_BATCH;

pub type Result<T> = std::result::Result<T, domain::AppError>;
