//! 用人单位注册 (issue 16): an employer registers itself. Its 所在地区, its 营业执照 in the upload
//! store (`licence_type` empty while none is uploaded), the confirmation of its e-mail address
//! (only the token's hash is kept; until it is confirmed no school sees the application), and
//! the province's 冻结 (`frozen_reason` set while frozen). The 变更记录 of an employer goes to
//! `process_log.employer_id`. Employers made before registration existed (by an operator or the
//! demo seed) count as confirmed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER TABLE: SQLite adds one at a time.
        let columns = [
            string("region").default("").to_owned(),
            string("licence_type").default("").to_owned(),
            string("licence_token").default("").to_owned(),
            timestamp_with_time_zone_null("email_confirmed_at").to_owned(),
            string_null("email_token_hash").to_owned(),
            timestamp_with_time_zone_null("email_token_expires_at").to_owned(),
            string_null("frozen_reason").to_owned(),
            timestamp_with_time_zone_null("frozen_at").to_owned(),
        ];
        for mut c in columns {
            m.alter_table(Table::alter().table("employers").add_column(&mut c).to_owned())
                .await?;
        }
        m.get_connection()
            .execute_unprepared("UPDATE employers SET email_confirmed_at = created_at")
            .await?;
        m.create_index(
            Index::create()
                .name("ux_employers_email_token")
                .table("employers")
                .col("email_token_hash")
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("process_log")
                .add_column(big_integer_null("employer_id").to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_process_log_employer")
                .table("process_log")
                .col("employer_id")
                .to_owned(),
        )
        .await
    }
}
