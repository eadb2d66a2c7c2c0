//! What the server functions call. Each function takes the database and the capability it
//! needs (`domain::StudentCaller`, `EmployerCaller`, `AdminCaller` with its scope, or any
//! `Caller` where the record decides, e.g. the parties of an agreement), and checks scope and
//! state itself, inside the write transaction when it writes: safe to call from any endpoint.
//!
//! Dependencies between services point one way, nothing points back: `lookup` (names, times,
//! where a student sits), `notify` (side effects) and `roster` (scopes) serve the others;
//! `roster_admin` writes roster records (生源管理, 生源导入) through `auth` (their accounts),
//! and `roster_manage` (生源管理's actions) writes through it;
//! `eligibility` (rule 4) and `employer` (may it sign) serve `sign_list` and `invite`;
//! `agreement` (who may read one) serves `invite` and `termination`, which also asks `invite`
//! for the acting student. `accounts` (admin accounts) serves `schools` and `colleges`;
//! `first_login` (首次登录 / 忘记密码) uses `auth` (throttle, sessions) and `verify` (the codes);
//! `registration` (用人单位注册 and 审核) uses `auth` (the new account, the frozen check at login).
//! `review` (审核方式, who is told of a new item) serves `agreement`, `invite`, `termination`
//! and `dashboard`.

pub mod accounts;
pub mod agreement;
pub mod auth;
pub mod colleges;
pub mod dashboard;
pub mod eligibility;
pub mod employer;
pub mod first_login;
pub mod invite;
pub mod lease;
pub mod lookup;
pub mod notice;
pub mod notify;
pub mod outbox;
pub mod registration;
pub mod review;
pub mod roster;
pub mod roster_admin;
pub mod roster_import;
pub mod roster_manage;
pub mod schools;
pub mod seed;
pub mod sign_list;
pub mod termination;
pub mod verify;
