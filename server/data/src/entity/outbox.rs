use domain::status::{Channel, OutboxStatus};
use sea_orm::entity::prelude::*;

/// Mail and SMS written in the same transaction as the change they announce; a dispatcher
/// sends them afterwards, so nothing is lost on a crash and nothing is sent for a rollback.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `pending` (also while waiting to be tried again) | `sent` | `logged` (no transport
    /// configured) | `failed` (given up)
    pub status: OutboxStatus,
    /// The last failed attempt's error (kept while the message waits to be tried again).
    pub error: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// Sends tried so far, counted when a dispatcher claims the message.
    pub attempts: i32,
    /// After a failure: not before this time.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The dispatcher instance sending it, until `lease_until`; after that any instance may claim it.
    pub claimed_by: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
