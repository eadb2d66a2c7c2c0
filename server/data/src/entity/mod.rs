//! sea-orm entities, one file per table (see the migration for indexes and invariants).

pub mod account;
pub mod agreement;
pub mod college;
pub mod employer;
pub mod employer_approval;
pub mod invitation;
pub mod job_lease;
mod letter;
pub mod login_throttle;
pub mod notification;
pub mod outbox;
pub mod process_log;
pub mod school;
pub mod session;
pub mod sign_list;
pub mod student;
pub mod termination;
pub mod verification_code;
