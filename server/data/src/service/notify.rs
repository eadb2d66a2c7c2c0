//! Side effects written in the same transaction as the change they belong to: the
//! 签约过程记录 (SPEC rule 7), in-app notifications, and mail/SMS in the outbox. A dispatcher
//! (server `jobs`) delivers the outbox afterwards, so a rolled-back change sends nothing and a
//! crash loses nothing.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, NotSet};

use crate::{
    entity::{notification, outbox, process_log},
    DbResultExt, Result,
};

/// The subjects of a 签约过程记录 entry.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogRef {
    pub student_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub invitation_id: Option<i64>,
    pub termination_id: Option<i64>,
}

/// Records who (`actor`, e.g. "用人单位 华中数智科技有限公司") did what and why.
pub async fn log(
    c: &impl ConnectionTrait,
    at: LogRef,
    actor_account_id: Option<i64>,
    actor: &str,
    action: &str,
    reason: &str,
) -> Result<()> {
    process_log::Entity::insert(process_log::ActiveModel {
        id: NotSet,
        student_id: Set(at.student_id),
        agreement_id: Set(at.agreement_id),
        invitation_id: Set(at.invitation_id),
        termination_id: Set(at.termination_id),
        actor_account_id: Set(actor_account_id),
        actor: Set(actor.to_owned()),
        action: Set(action.to_owned()),
        reason: Set(reason.to_owned()),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(c)
    .await
    .db()?;
    Ok(())
}

/// An in-app notice on the account's 用户中心.
pub async fn notify(c: &impl ConnectionTrait, account_id: i64, title: &str, body: &str, link: &str) -> Result<()> {
    notification::Entity::insert(notification::ActiveModel {
        id: NotSet,
        account_id: Set(account_id),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        link: Set(link.to_owned()),
        read_at: Set(None),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(c)
    .await
    .db()?;
    Ok(())
}

pub const EMAIL: &str = "email";
pub const SMS: &str = "sms";

/// Queues a message for the dispatcher. An empty recipient (no e-mail on file) queues nothing.
pub async fn enqueue(c: &impl ConnectionTrait, channel: &str, recipient: &str, subject: &str, body: &str) -> Result<()> {
    if recipient.trim().is_empty() {
        return Ok(());
    }
    outbox::Entity::insert(outbox::ActiveModel {
        id: NotSet,
        channel: Set(channel.to_owned()),
        recipient: Set(recipient.trim().to_owned()),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        status: Set("pending".to_owned()),
        error: Set(String::new()),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
    })
    .exec_without_returning(c)
    .await
    .db()?;
    Ok(())
}
