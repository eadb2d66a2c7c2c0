//! 邀约: the employer sends 邀请函 to students on its 签约发送列表, the student answers (同意 →
//! 现在签约, or 拒绝), the employer may 撤回 while it waits. Accepting creates the online
//! agreement (等待签约审核). Every change re-reads the rows inside one write transaction and
//! asks `domain::flow` whether it is allowed; the database's unique indexes settle races
//! (one pending invitation per employer and student, one active engagement per student).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, Utc};
use domain::{
    flow,
    ids::mask_id_number,
    letter::Letter,
    status::{AgreementStatus, EngagementKind, InvitationStatus},
    view::{AgreementRow, InvitationLetterView, ReceivedInvitation, SendReport, SentInvitation},
    AppError, EmployerCaller, StudentCaller,
};
use rand::Rng;
use sea_orm::{prelude::*, ActiveValue::Set, DbBackend, FromQueryResult, Iterable, QueryOrder, QueryTrait};

use super::{
    agreement,
    eligibility::standing,
    employer::ready_employer,
    lookup::{self, active_codes_sql, doc_employer, employer_names, format_time, student_account},
    notify::{self, Effects, LogRef},
};
use crate::{
    entity::{self, account, employer, invitation, sign_list, student},
    placeholders, sqlite_script, Db, DbResultExt, Result, Sql, WriteTxn,
};

/// Marks this employer's pending invitations to these students whose deadline has passed as
/// 已过期, so the one-pending index lets a new one through (manual: after expiry the employer
/// may invite again).
async fn expire_pairs(c: &impl ConnectionTrait, employer_id: i64, student_ids: &[i64]) -> Result<()> {
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Status, Expr::value(InvitationStatus::Expired))
        .filter(invitation::Column::EmployerId.eq(employer_id))
        .filter(invitation::Column::StudentId.is_in(student_ids.iter().copied()))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .filter(invitation::Column::Deadline.lte(Utc::now()))
        .exec(c)
        .await
        .db()?;
    Ok(())
}

/// 确认发送: one 邀请函 to each checked student of the 签约发送列表. A student who already has a
/// pending invitation from this employer (or cannot sign now) is refused by name; the others
/// are sent. Each sent invitation e-mails and notifies the student.
pub async fn send(db: &Db, me: &EmployerCaller, student_ids: Vec<i64>, letter: Letter) -> Result<SendReport> {
    let letter = letter.validated()?;
    let mut ids: Vec<i64> = Vec::new();
    for id in student_ids {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(AppError::invalid("请先勾选学生"));
    }
    if ids.len() > 500 {
        return Err(AppError::invalid("一次最多向500名学生发送签约邀请"));
    }
    let now = Utc::now();
    let deadline = now + Duration::days(letter.deadline_days as i64);
    let me = me.clone();
    db.write(move |txn| Box::pin(async move {
        // Whether it may sign is state (a school may withdraw its approval): decided here.
        let e = ready_employer(txn, &me).await?;
        // Only students this employer found (加入 / import) can be invited.
        let listed: HashSet<i64> = sign_list::Entity::find()
            .filter(sign_list::Column::EmployerId.eq(e.id))
            .filter(sign_list::Column::StudentId.is_in(ids.iter().copied()))
            .all(txn)
            .await
            .db()?
            .into_iter()
            .map(|r| r.student_id)
            .collect();
        if listed.len() != ids.len() {
            return Err(AppError::invalid("只能向签约发送列表中的学生发送邀请"));
        }
        expire_pairs(txn, e.id, &ids).await?;
        let students: HashMap<i64, student::Model> =
            student::Entity::find().filter(student::Column::Id.is_in(ids.iter().copied())).all(txn).await.db()?.into_iter().map(|s| (s.id, s)).collect();
        let accounts: HashMap<i64, i64> = account::Entity::find()
            .filter(account::Column::StudentId.is_in(ids.iter().copied()))
            .all(txn)
            .await
            .db()?
            .into_iter()
            .filter_map(|a| a.student_id.map(|s| (s, a.id)))
            .collect();

        let mut report = SendReport { sent: vec![], refused: vec![] };
        for id in ids {
            let Some(s) = students.get(&id) else { continue };
            if !standing(s).may_sign() {
                report.refused.push(format!("{}：目前不能接收签约邀请", s.name));
                continue;
            }
            // A savepoint per student: on PostgreSQL a unique violation spoils the transaction.
            let sp = txn.begin().await.db()?;
            let inserted = invitation_model(e.id, s.id, &letter, deadline, now).insert(&sp).await;
            match inserted {
                Ok(inv) => {
                    let at = LogRef { student_id: Some(s.id), invitation_id: Some(inv.id), ..Default::default() };
                    notify::log(&sp, at, Some(me.account_id()), &format!("用人单位 {}", e.name), "发送签约邀请", "").await?;
                    let deadline_text = format_time(deadline);
                    let subject = format!("【网签系统】{}向你发出签约邀请", e.name);
                    let body = format!(
                        "{}同学：\n\n{}邀请你签订就业协议，拟聘职位：{}，工作地点：{}。\n请在应约期限 {} 前登录网签系统，在“电子签约”中查看邀请函并作出应约答复。\n\n网签系统",
                        s.name, e.name, letter.position, letter.work_place, deadline_text
                    );
                    notify::enqueue(&sp, notify::EMAIL, &s.email, &subject, &body).await?;
                    if let Some(&acc) = accounts.get(&s.id) {
                        notify::notify(&sp, acc, &subject, &format!("应约期限：{deadline_text}"), "/student/invitations").await?;
                    }
                    sp.commit().await.db()?;
                    report.sent.push(s.name.clone());
                }
                Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
                    sp.rollback().await.db()?;
                    report.refused.push(format!("{}：已有待应约的签约邀请，不能重复发送", s.name));
                }
                Err(err) => return Err(err).db(),
            }
        }
        Ok(report)
    })).await
}

fn invitation_model(
    employer_id: i64,
    student_id: i64,
    l: &Letter,
    deadline: DateTimeUtc,
    now: DateTimeUtc,
) -> invitation::ActiveModel {
    let mut inv = invitation::ActiveModel {
        employer_id: Set(employer_id),
        student_id: Set(student_id),
        status: Set(InvitationStatus::Pending),
        deadline: Set(deadline),
        created_at: Set(now),
        responded_at: Set(None),
        reminded_at: Set(None),
        ..Default::default()
    };
    inv.set_letter(l);
    inv
}

/// The employer's invitations, newest first (签约待办 and their outcomes).
pub async fn sent(db: &Db, me: &EmployerCaller) -> Result<Vec<SentInvitation>> {
    let eid = me.employer_id();
    let rows = invitation::Entity::find()
        .filter(invitation::Column::EmployerId.eq(eid))
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await
        .db()?;
    let students = lookup::students_by_id(db, rows.iter().map(|r| r.student_id)).await?;
    let schools = lookup::school_names(db).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|i| {
            let st = i.status.effective(i.deadline, now);
            let s = students.get(&i.student_id);
            SentInvitation {
                id: i.id,
                student_name: s.map(|s| s.name.clone()).unwrap_or_default(),
                school: s.and_then(|s| schools.get(&s.school_id).cloned()).unwrap_or_default(),
                id_number_masked: s.map(|s| mask_id_number(&s.id_number)).unwrap_or_default(),
                position: i.position,
                status_label: st.label().to_owned(),
                sent_at: format_time(i.created_at),
                deadline: format_time(i.deadline),
                responded_at: i.responded_at.map(format_time),
                can_withdraw: st == InvitationStatus::Pending,
            }
        })
        .collect())
}

/// 撤回: the employer takes back a pending invitation.
pub async fn withdraw(db: &Db, me: &EmployerCaller, invitation_id: i64) -> Result<()> {
    let eid = me.employer_id();
    let account_id = me.account_id();
    db.write(move |txn| {
        Box::pin(async move {
            let inv = invitation::Entity::find_by_id(invitation_id)
                .one(txn)
                .await
                .db()?
                .filter(|i| i.employer_id == eid)
                .ok_or_else(|| AppError::not_found("邀约"))?;
            let next = flow::withdraw(inv.status, inv.deadline, Utc::now())?;
            let e = employer::Entity::find_by_id(eid)
                .one(txn)
                .await
                .db()?
                .ok_or_else(|| AppError::not_found("单位"))?;
            set_status(txn, &inv, next).await?;
            let at = LogRef {
                student_id: Some(inv.student_id),
                invitation_id: Some(inv.id),
                ..Default::default()
            };
            notify::log(
                txn,
                at,
                Some(account_id),
                &format!("用人单位 {}", e.name),
                "撤回签约邀请",
                "",
            )
            .await?;
            if let Some(acc) = student_account(txn, inv.student_id).await? {
                notify::notify(
                    txn,
                    acc,
                    &format!("{}撤回了签约邀请", e.name),
                    &format!("拟聘职位：{}", inv.position),
                    "/student/invitations",
                )
                .await?;
            }
            Ok(())
        })
    })
    .await
}

/// 已应约 and its agreement. The invitation moves on only if it is still pending (a concurrent
/// answer or 撤回 wins once); the unique indexes refuse a second agreement for the invitation or
/// the student. On SQLite both go in one round trip, the insert first: the update leaves the
/// last inserted id alone, and 2 changed rows say the invitation was still pending.
async fn agree(txn: &WriteTxn, inv: &invitation::Model, a: entity::agreement::ActiveModel) -> Result<i64> {
    let engaged = || AppError::conflict("你已有有效的签约，其他邀约只能查看，不能同意");
    let backend = txn.get_database_backend();
    if backend != DbBackend::Sqlite {
        set_status(txn, inv, InvitationStatus::Accepted).await?;
        return Ok(entity::agreement::Entity::insert(a)
            .exec(txn)
            .await
            .unique_or(engaged())?
            .last_insert_id);
    }
    let steps = vec![
        entity::agreement::Entity::insert(a).build(backend),
        moved_on(inv, InvitationStatus::Accepted).build(backend),
    ];
    let done = txn.execute_raw(sqlite_script(steps)).await.unique_or(engaged())?;
    if done.rows_affected() != 2 {
        return Err(AppError::conflict("该邀约已被处理，请刷新页面"));
    }
    Ok(done.last_insert_id() as i64)
}

/// Moves a pending invitation on, only if it is still pending (a concurrent answer wins once).
async fn set_status(c: &impl ConnectionTrait, inv: &invitation::Model, next: InvitationStatus) -> Result<()> {
    let r = moved_on(inv, next).exec(c).await.db()?;
    if r.rows_affected != 1 {
        return Err(AppError::conflict("该邀约已被处理，请刷新页面"));
    }
    Ok(())
}

fn moved_on(inv: &invitation::Model, next: InvitationStatus) -> sea_orm::UpdateMany<invitation::Entity> {
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Status, Expr::value(next))
        .col_expr(invitation::Column::RespondedAt, Expr::value(Utc::now()))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
}

// ---- the student's side ----

/// The calling student, once 信息验证 is done (nothing else is reachable before it).
pub async fn verified_student(c: &impl ConnectionTrait, me: &StudentCaller) -> Result<student::Model> {
    Ok(acting_student(c, me).await?.student)
}

/// A student about to act, with whether they hold an active engagement (SPEC rule 1).
pub struct ActingStudent {
    pub student: student::Model,
    pub engaged: bool,
}

pub async fn acting_student(c: &impl ConnectionTrait, me: &StudentCaller) -> Result<ActingStudent> {
    let row = acting_row(c, me, None).await?;
    Ok(ActingStudent {
        student: row.student,
        engaged: row.engaged,
    })
}

/// A student answering an invitation (同意/拒绝): the acting student's row, with what the
/// answer needs of the employer, and the invitation, which must be theirs.
async fn answering(
    c: &impl ConnectionTrait,
    me: &StudentCaller,
    invitation_id: i64,
) -> Result<(ActingRow, invitation::Model)> {
    let mut row = acting_row(c, me, Some(invitation_id)).await?;
    let inv = row.inv.take().ok_or_else(|| AppError::not_found("邀请函"))?;
    Ok((row, inv))
}

#[derive(FromQueryResult)]
struct ActingRow {
    #[sea_orm(nested)]
    student: student::Model,
    verified: bool,
    engaged: bool,
    #[sea_orm(nested(prefix = "inv_"))]
    inv: Option<invitation::Model>,
    employer_name: Option<String>,
    employer_email: Option<String>,
    employer_account: Option<i64>,
}

/// Every student action starts here, and an answer runs while other writers wait for their
/// turn, so this is one statement.
async fn acting_row(c: &impl ConnectionTrait, me: &StudentCaller, invitation_id: Option<i64>) -> Result<ActingRow> {
    let values = [me.account_id().into(), invitation_id.into(), me.student_id().into()];
    let row = ActingRow::find_by_statement(ACTING.statement(c.get_database_backend(), values))
        .one(c)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("学生"))?;
    if !row.verified {
        return Err(AppError::invalid("请先完成信息验证"));
    }
    Ok(row)
}

/// `ActingRow`'s statement: the roster record, 信息验证 done, an active engagement, and the
/// invitation (columns prefixed `inv_`; none when it is not this student's) with its employer.
/// Values: account id, invitation id (or NULL), student id.
static ACTING: Sql = Sql::new(|backend| {
    let columns = |table: &str, prefix: &str, names: Vec<&str>| {
        names
            .iter()
            .map(|c| format!("{table}.\"{c}\" AS \"{prefix}{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let active = active_codes_sql();
    let sql = format!(
        "SELECT {student}, \
                EXISTS (SELECT 1 FROM accounts WHERE id = ? AND phone_verified_at IS NOT NULL) AS verified, \
                EXISTS (SELECT 1 FROM agreements WHERE student_id = s.id AND status IN ({active})) AS engaged, \
                {inv}, e.name AS employer_name, e.email AS employer_email, \
                (SELECT MIN(id) FROM accounts WHERE employer_id = i.employer_id) AS employer_account \
         FROM students AS s \
         LEFT JOIN invitations AS i ON i.id = ? AND i.student_id = s.id \
         LEFT JOIN employers AS e ON e.id = i.employer_id \
         WHERE s.id = ?",
        student = columns("s", "", student::Column::iter().map(|c| c.as_str()).collect()),
        inv = columns("i", "inv_", invitation::Column::iter().map(|c| c.as_str()).collect()),
    );
    placeholders(backend, sql)
});

/// 电子签约: every invitation the student received, newest first.
pub async fn received(db: &Db, me: &StudentCaller) -> Result<Vec<ReceivedInvitation>> {
    let s = verified_student(db, me).await?;
    let rows = invitation::Entity::find()
        .filter(invitation::Column::StudentId.eq(s.id))
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await
        .db()?;
    let employers = employer_names(db, rows.iter().map(|r| r.employer_id)).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|i| ReceivedInvitation {
            id: i.id,
            employer_name: employers.get(&i.employer_id).cloned().unwrap_or_default(),
            status_label: i.status.effective(i.deadline, now).label().to_owned(),
            sent_at: format_time(i.created_at),
            deadline: format_time(i.deadline),
            position: i.position,
            work_place: i.work_place,
            salary: i.salary,
        })
        .collect())
}

/// 查看邀请函: the whole letter, with the buttons the student may use now.
pub async fn letter(db: &Db, me: &StudentCaller, invitation_id: i64) -> Result<InvitationLetterView> {
    let ActingStudent { student: s, engaged } = acting_student(db, me).await?;
    let inv = invitation::Entity::find_by_id(invitation_id)
        .one(db)
        .await
        .db()?
        .filter(|i| i.student_id == s.id)
        .ok_or_else(|| AppError::not_found("邀请函"))?;
    let e = employer::Entity::find_by_id(inv.employer_id)
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))?;
    let now = Utc::now();
    let status = inv.status;
    let actions = flow::actions(status, inv.deadline, now, engaged);
    let pending = status.effective(inv.deadline, now) == InvitationStatus::Pending;
    let agreement_id = entity::agreement::Entity::find()
        .filter(entity::agreement::Column::InvitationId.eq(inv.id))
        .one(db)
        .await
        .db()?
        .map(|a| a.id);
    Ok(InvitationLetterView {
        id: inv.id,
        employer: doc_employer(&e),
        student_name: s.name.clone(),
        letter: inv.letter(),
        status_label: status.effective(inv.deadline, now).label().to_owned(),
        sent_at: format_time(inv.created_at),
        deadline: format_time(inv.deadline),
        can_accept: actions.can_accept,
        can_reject: actions.can_reject,
        view_only_reason: (pending && engaged).then(|| "你已有有效的签约，其他邀请函只能查看，无法操作".to_owned()),
        agreement_id,
    })
}

/// 同意 → 现在签约: the invitation becomes 已应约 and the online agreement 等待签约审核.
/// Checked at this moment: the deadline, the student's standing, and that they hold no other
/// engagement — the unique index decides between two concurrent accepts. The answers are what
/// a whole cohort does at once: the whole answer is one write job, three round trips on the writer.
pub async fn accept(db: &Db, me: &StudentCaller, invitation_id: i64) -> Result<i64> {
    let me = me.clone();
    db.write(move |txn| Box::pin(accept_in(txn, me, invitation_id))).await
}

async fn accept_in(txn: &WriteTxn, me: StudentCaller, invitation_id: i64) -> Result<i64> {
    let (
        ActingRow {
            student: s,
            engaged,
            employer_name,
            employer_email,
            employer_account,
            ..
        },
        inv,
    ) = answering(txn, &me, invitation_id).await?;
    let now = Utc::now();
    flow::accept(inv.status, inv.deadline, now, engaged)?;
    standing(&s).check()?;
    let employer_name = employer_name.ok_or_else(|| AppError::not_found("单位"))?;
    let year = chrono::Datelike::year(&(now + Duration::hours(8)));
    let mut a = entity::agreement::ActiveModel {
        // One agreement per invitation (unique index), so its id makes the number unique.
        agreement_no: Set(format!("WQ{year}{:08}", inv.id)),
        verify_code: Set(verify_code()),
        kind: Set(EngagementKind::Online),
        student_id: Set(s.id),
        employer_id: Set(Some(inv.employer_id)),
        invitation_id: Set(Some(inv.id)),
        status: Set(AgreementStatus::AwaitingReview),
        employer_name: Set(employer_name),
        details: Set("{}".to_owned()),
        review_reason: Set(String::new()),
        certified_at: Set(None),
        certified_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    a.set_letter(&inv.letter());
    let agreement_id = agree(txn, &inv, a).await?;
    let at = LogRef {
        student_id: Some(s.id),
        agreement_id: Some(agreement_id),
        invitation_id: Some(inv.id),
        ..Default::default()
    };
    let subject = format!("【网签系统】{}已同意签约", s.name);
    let body = format!(
        "{}同意了贵单位的签约邀请（拟聘职位：{}），协议等待学校签约审核。\n\n网签系统",
        s.name, inv.position
    );
    let mut effects = Effects::default()
        .log(
            at,
            Some(me.account_id()),
            &format!("毕业生 {}", s.name),
            "同意签约（现在签约）",
            "",
        )
        .send(
            notify::EMAIL,
            employer_email.as_deref().unwrap_or_default(),
            &subject,
            &body,
        );
    if let Some(acc) = employer_account {
        effects = effects.notice(acc, &subject, "等待签约审核", "/employer/accepted");
    }
    // A new item in the reviewers' queue.
    let effects = super::review::notices_for_reviewers(
        txn,
        effects,
        &s,
        domain::review::Stage::First,
        "新的签约等待审核",
        &format!("/admin/agreements/{agreement_id}"),
    )
    .await?;
    effects.at_commit(txn);
    Ok(agreement_id)
}

/// 拒绝: ends the invitation; the employer may invite again.
pub async fn reject(db: &Db, me: &StudentCaller, invitation_id: i64) -> Result<()> {
    let me = me.clone();
    db.write(move |txn| Box::pin(reject_in(txn, me, invitation_id))).await
}

async fn reject_in(txn: &WriteTxn, me: StudentCaller, invitation_id: i64) -> Result<()> {
    let (
        ActingRow {
            student: s,
            employer_email,
            employer_account,
            ..
        },
        inv,
    ) = answering(txn, &me, invitation_id).await?;
    let next = flow::reject(inv.status, inv.deadline, Utc::now())?;
    set_status(txn, &inv, next).await?;
    let at = LogRef {
        student_id: Some(s.id),
        invitation_id: Some(inv.id),
        ..Default::default()
    };
    let subject = format!("【网签系统】{}拒绝了签约邀请", s.name);
    let body = format!("拟聘职位：{}。您可以重新发起邀约。\n\n网签系统", inv.position);
    let mut effects = Effects::default()
        .log(at, Some(me.account_id()), &format!("毕业生 {}", s.name), "拒绝签约", "")
        .send(
            notify::EMAIL,
            employer_email.as_deref().unwrap_or_default(),
            &subject,
            &body,
        );
    if let Some(acc) = employer_account {
        effects = effects.notice(
            acc,
            &subject,
            &format!("拟聘职位：{}", inv.position),
            "/employer/invitations",
        );
    }
    effects.at_commit(txn);
    Ok(())
}

/// 数据管理 → 已应约: the employer's agreements from accepted invitations.
pub async fn accepted(db: &Db, me: &EmployerCaller) -> Result<Vec<AgreementRow>> {
    let rows = entity::agreement::Entity::find()
        .filter(entity::agreement::Column::EmployerId.eq(me.employer_id()))
        .filter(entity::agreement::Column::Kind.eq(EngagementKind::Online))
        .order_by_desc(entity::agreement::Column::Id)
        .all(db)
        .await
        .db()?;
    agreement::rows(db, rows).await
}

/// Marks pending invitations past their deadline as 已过期 (a job; reads never depend on it).
pub async fn expire_overdue(db: &Db) -> Result<u64> {
    db.write(|txn| {
        Box::pin(async move {
            let r = invitation::Entity::update_many()
                .col_expr(invitation::Column::Status, Expr::value(InvitationStatus::Expired))
                .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
                .filter(invitation::Column::Deadline.lte(Utc::now()))
                .exec(txn)
                .await
                .db()?;
            Ok(r.rows_affected)
        })
    })
    .await
}

/// A code anyone can type on the verification page: no 0/O, 1/I.
fn verify_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The reminder a day before the 应约期限: e-mail and notice to students who have not answered.
/// Each invitation is reminded once (`reminded_at`).
pub async fn remind_due(db: &Db) -> Result<u64> {
    let now = Utc::now();
    let due = invitation::Entity::find()
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .filter(invitation::Column::RemindedAt.is_null())
        .filter(invitation::Column::Deadline.gt(now))
        .filter(invitation::Column::Deadline.lte(now + Duration::hours(24)))
        .all(db)
        .await
        .db()?;
    let mut n = 0;
    for inv in due {
        let reminded = db.write(move |txn| Box::pin(async move {
            let claimed = invitation::Entity::update_many()
                .col_expr(invitation::Column::RemindedAt, Expr::value(now))
                .filter(invitation::Column::Id.eq(inv.id))
                .filter(invitation::Column::RemindedAt.is_null())
                .exec(txn)
                .await
                .db()?;
            if claimed.rows_affected == 1 {
                let s = student::Entity::find_by_id(inv.student_id).one(txn).await.db()?;
                let e = employer::Entity::find_by_id(inv.employer_id).one(txn).await.db()?;
                if let (Some(s), Some(e)) = (s, e) {
                    let subject = format!("【网签系统】{}的签约邀请即将过期", e.name);
                    let body = format!("{}同学：\n\n{}的签约邀请（拟聘职位：{}）将于 {} 过期，请及时登录网签系统在“电子签约”中应约。\n\n网签系统", s.name, e.name, inv.position, format_time(inv.deadline));
                    notify::enqueue(txn, notify::EMAIL, &s.email, &subject, &body).await?;
                    if let Some(acc) = student_account(txn, s.id).await? {
                        notify::notify(txn, acc, &subject, &format!("应约期限：{}", format_time(inv.deadline)), "/student/invitations").await?;
                    }
                    return Ok(1);
                }
            }
            Ok(0)
        })).await?;
        n += reminded;
    }
    Ok(n)
}
