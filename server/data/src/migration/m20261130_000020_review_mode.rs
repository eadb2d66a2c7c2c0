//! The review workflow (issue 16): each school's 审核方式 (`schools.review_mode`, a
//! `domain::status::ReviewMode` code), each admin's daily e-mail digest switch
//! (`accounts.review_digest`, off) and its address (`accounts.digest_email`), and the one-active / one-open partial unique indexes again
//! with the new state 等待学校审核 (`awaiting_school`), which holds the student and keeps a
//! request open like the first review does.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER TABLE: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table("schools")
                .add_column(string("review_mode").default("one_level").to_owned())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("accounts")
                .add_column(boolean("review_digest").default(false).to_owned())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("accounts")
                .add_column(string("digest_email").default("").to_owned())
                .to_owned(),
        )
        .await?;
        let c = m.get_connection();
        for sql in [
            "DROP INDEX ux_agreements_one_active",
            // SPEC rule 1: one active engagement per student (domain::status::AgreementStatus::is_active).
            "CREATE UNIQUE INDEX ux_agreements_one_active ON agreements (student_id) \
             WHERE status IN ('awaiting_review', 'awaiting_school', 'awaiting_feedback', 'certified')",
            "DROP INDEX ux_terminations_one_open",
            // At most one open termination per engagement (TerminationStatus::is_open).
            "CREATE UNIQUE INDEX ux_terminations_one_open ON terminations (agreement_id) \
             WHERE status IN ('applying', 'awaiting_review', 'awaiting_school')",
        ] {
            c.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
