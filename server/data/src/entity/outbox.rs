use sea_orm::entity::prelude::*;

/// Mail and SMS written in the same transaction as the change they announce; a dispatcher
/// sends them afterwards, so nothing is lost on a crash and nothing is sent for a rollback.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `email` | `sms`
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `pending` | `sent` | `logged` (no transport configured) | `failed`
    pub status: String,
    pub error: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
