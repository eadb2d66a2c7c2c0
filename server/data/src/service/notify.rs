//! Side effects written in the same transaction as the change they belong to: the
//! 签约过程记录 (SPEC rule 7), in-app notifications, and mail/SMS in the outbox. A dispatcher
//! (server `jobs`) delivers the outbox afterwards, so a rolled-back change sends nothing and a
//! crash loses nothing.

use chrono::Utc;
use domain::status::{Channel, OutboxStatus};
use sea_orm::{
    sea_query::InsertStatement, ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, NotSet, QueryTrait,
    Statement,
};

use crate::{
    entity::{notification, outbox, process_log},
    execute_all, DbResultExt, Result, WriteTxn,
};

/// The subjects of a 签约过程记录 entry.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogRef {
    pub student_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub invitation_id: Option<i64>,
    pub termination_id: Option<i64>,
    pub employer_id: Option<i64>,
}

pub const EMAIL: Channel = Channel::Email;
pub const SMS: Channel = Channel::Sms;

/// The side effects of one change, collected and then written together: on SQLite in one
/// round trip to the database (a hot path such as 同意 writes a log entry, an e-mail and a
/// notice while every other writer waits for its turn).
#[derive(Default)]
pub struct Effects(Vec<InsertStatement>);

impl Effects {
    /// Records who (`actor`, e.g. "用人单位 华中数智科技有限公司") did what and why.
    pub fn log(mut self, at: LogRef, actor_account_id: Option<i64>, actor: &str, action: &str, reason: &str) -> Self {
        self.0
            .push(process_log::Entity::insert(log_entry(at, actor_account_id, actor, action, reason)).into_query());
        self
    }

    /// An in-app notice on the account's 用户中心.
    pub fn notice(mut self, account_id: i64, title: &str, body: &str, link: &str) -> Self {
        self.0.push(
            notification::Entity::insert(notification::ActiveModel {
                id: NotSet,
                account_id: Set(account_id),
                title: Set(title.to_owned()),
                body: Set(body.to_owned()),
                link: Set(link.to_owned()),
                read_at: Set(None),
                created_at: Set(Utc::now()),
            })
            .into_query(),
        );
        self
    }

    /// Queues a message for the dispatcher. An empty recipient (no e-mail on file) queues nothing.
    pub fn send(mut self, channel: Channel, recipient: &str, subject: &str, body: &str) -> Self {
        if recipient.trim().is_empty() {
            return self;
        }
        self.0.push(
            outbox::Entity::insert(outbox::ActiveModel {
                id: NotSet,
                channel: Set(channel),
                recipient: Set(recipient.trim().to_owned()),
                subject: Set(subject.to_owned()),
                body: Set(body.to_owned()),
                status: Set(OutboxStatus::Pending),
                error: Set(String::new()),
                created_at: Set(Utc::now()),
                sent_at: Set(None),
                ..Default::default()
            })
            .into_query(),
        );
        self
    }

    pub async fn write(self, c: &impl ConnectionTrait) -> Result<()> {
        execute_all(c, self.statements(c.get_database_backend())).await.db()?;
        Ok(())
    }

    /// Writes the effects when the change they belong to has succeeded, just before it is
    /// committed (on SQLite, in one round trip with the writer's savepoint statements).
    pub fn at_commit(self, txn: &WriteTxn) {
        txn.then(self.statements(txn.get_database_backend()));
    }

    fn statements(&self, backend: DbBackend) -> Vec<Statement> {
        self.0.iter().map(|q| backend.build(q)).collect()
    }
}

fn log_entry(
    at: LogRef,
    actor_account_id: Option<i64>,
    actor: &str,
    action: &str,
    reason: &str,
) -> process_log::ActiveModel {
    process_log::ActiveModel {
        id: NotSet,
        student_id: Set(at.student_id),
        agreement_id: Set(at.agreement_id),
        invitation_id: Set(at.invitation_id),
        termination_id: Set(at.termination_id),
        employer_id: Set(at.employer_id),
        actor_account_id: Set(actor_account_id),
        actor: Set(actor.to_owned()),
        action: Set(action.to_owned()),
        reason: Set(reason.to_owned()),
        created_at: Set(Utc::now()),
    }
}

/// The same entry (who did what, and why) for many subjects, in one statement (生源导入 of a
/// thousand records).
pub async fn log_all(
    c: &impl ConnectionTrait,
    ats: impl IntoIterator<Item = LogRef>,
    actor_account_id: Option<i64>,
    actor: &str,
    action: &str,
    reason: &str,
) -> Result<()> {
    process_log::Entity::insert_many(
        ats.into_iter()
            .map(|at| log_entry(at, actor_account_id, actor, action, reason)),
    )
    .exec_without_returning(c)
    .await
    .db()?;
    Ok(())
}

/// One 签约过程记录 entry on its own (see `Effects::log`).
pub async fn log(
    c: &impl ConnectionTrait,
    at: LogRef,
    actor_account_id: Option<i64>,
    actor: &str,
    action: &str,
    reason: &str,
) -> Result<()> {
    Effects::default()
        .log(at, actor_account_id, actor, action, reason)
        .write(c)
        .await
}

/// One notice on its own (see `Effects::notice`).
pub async fn notify(c: &impl ConnectionTrait, account_id: i64, title: &str, body: &str, link: &str) -> Result<()> {
    Effects::default().notice(account_id, title, body, link).write(c).await
}

/// One message on its own (see `Effects::send`).
pub async fn enqueue(
    c: &impl ConnectionTrait,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<()> {
    Effects::default()
        .send(channel, recipient, subject, body)
        .write(c)
        .await
}
