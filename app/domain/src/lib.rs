//! The rules of the signing system in one pure place: who may do what (roles and scopes), the
//! states of invitations, agreements and terminations with the manual's words for them, the
//! validation of identity numbers, the outbox's retry policy, and the one error type every layer speaks.
//!
//! Nothing here does I/O, so the server, the WASM front end and the tests share it.

pub mod delivery;
pub mod employer;
pub mod error;
pub mod flow;
pub mod ids;
pub mod letter;
pub mod password;
pub mod registration;
pub mod review;
pub mod role;
pub mod roster;
pub mod roster_import;
pub mod roster_manage;
pub mod school;
pub mod status;
pub mod text;
pub mod view;

pub use error::AppError;
pub use role::{AdminCaller, Caller, Capability, EmployerCaller, Role, SessionCaller, StudentCaller};
