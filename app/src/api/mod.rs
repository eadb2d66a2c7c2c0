//! The server functions: the whole HTTP API (`docs/API.md` lists them). Each one is a public
//! endpoint with a stable path under `/api/`; each checks who is calling before it does
//! anything (see `ctx::run`) and leaves the rule-checking to `data::service`.

pub mod agreement;
pub mod auth;
pub mod colleges;
pub mod dashboard;
pub mod notice;
pub mod registration;
pub mod review;
pub mod roster;
pub mod schools;
pub mod signing;
pub mod student;
pub mod termination;
pub mod upload;

#[cfg(feature = "ssr")]
pub mod ctx;
