//! What the server functions call. Functions take the database and the [`domain::Caller`]
//! and check role, scope and state themselves: they are safe to call from any endpoint.

pub mod auth;
pub mod dashboard;
pub mod employer;
pub mod invite;
pub mod lease;
pub mod notice;
pub mod notify;
pub mod outbox;
pub mod review;
pub mod roster;
pub mod seed;
pub mod sign_list;
pub mod termination;
pub mod verify;
