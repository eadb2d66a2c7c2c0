//! What the server functions call. Functions take the database and the [`domain::Caller`]
//! and check role, scope and state themselves: they are safe to call from any endpoint.

pub mod auth;
pub mod dashboard;
pub mod employer;
pub mod roster;
pub mod seed;
