//! Accounts whose password an operator or admin has set (a first province admin, a reset) must
//! choose their own before anything else (`must_change_password`); `password_changed_at` says
//! when the owner last set it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER TABLE: SQLite adds one at a time.
        let columns = [
            boolean("must_change_password").default(false).to_owned(),
            timestamp_with_time_zone_null("password_changed_at").to_owned(),
        ];
        for mut c in columns {
            m.alter_table(Table::alter().table("accounts").add_column(&mut c).to_owned())
                .await?;
        }
        Ok(())
    }
}
