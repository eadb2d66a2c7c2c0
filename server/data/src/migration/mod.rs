//! Schema migrations, run at start-up. Each migration is frozen once released: later changes
//! get a new file (one change per ALTER TABLE, as SQLite requires).

use sea_orm_migration::prelude::*;

mod m20261126_000001_initial;
mod m20261129_000001_outbox_claims;
mod m20261129_000002_password_change;
mod m20261129_000003_school_names;
mod m20261129_000004_roster_person;
mod m20261129_000020_roster_list;
mod m20261130_000010_employer_registration;
mod m20261130_000020_review_mode;
mod m20261130_000021_review_queue;
mod m20261130_000022_review_counts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_initial::Migration),
            Box::new(m20261129_000001_outbox_claims::Migration),
            Box::new(m20261129_000002_password_change::Migration),
            Box::new(m20261129_000003_school_names::Migration),
            Box::new(m20261129_000004_roster_person::Migration),
            Box::new(m20261129_000020_roster_list::Migration),
            Box::new(m20261130_000010_employer_registration::Migration),
            Box::new(m20261130_000020_review_mode::Migration),
            Box::new(m20261130_000021_review_queue::Migration),
            Box::new(m20261130_000022_review_counts::Migration),
        ]
    }
}
