//! Several instances on one database: outbox rows are claimed for a while (`claimed_by`,
//! `lease_until`) so that one instance sends each message, failed sends are tried again later
//! (`attempts`, `next_attempt_at`), and the hourly jobs take a lease row (`job_lease`) so that
//! one instance runs them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER TABLE: SQLite adds one at a time.
        let columns = [
            integer("attempts").default(0).to_owned(),
            timestamp_with_time_zone_null("next_attempt_at").to_owned(),
            string_null("claimed_by").to_owned(),
            timestamp_with_time_zone_null("lease_until").to_owned(),
        ];
        for mut c in columns {
            m.alter_table(Table::alter().table("outbox").add_column(&mut c).to_owned())
                .await?;
        }
        // The dispatcher's scan: the pending rows only, oldest first (sent rows pile up).
        m.get_connection()
            .execute_unprepared("CREATE INDEX ix_outbox_pending ON outbox (id) WHERE status = 'pending'")
            .await?;
        m.create_table(
            Table::create()
                .table("job_lease")
                .col(string("name").primary_key())
                .col(string("holder"))
                .col(timestamp_with_time_zone("until"))
                .to_owned(),
        )
        .await
    }
}
