//! 用人单位注册 and 用人单位审核 (SPEC rule 5, issue 16). An employer registers itself (its
//! account and one pending application per school it names), uploads its 营业执照, and confirms
//! its e-mail address by the link the upload sends; from then on the schools it applied to see
//! it and decide (`domain::registration::review`). One approval by any school lets it sign
//! students of every school (`employer::ready_employer`). The province freezes and unfreezes
//! employers. Every step is logged in `process_log` under the employer.

use chrono::{Duration, Utc};
use domain::{
    registration::{
        self as rules, ApprovalView, EmployerReview, LicenceType, Registration, RegistrationState, ReviewFilter,
        ReviewOutcome, ReviewRow, SchoolOption, REVIEW_PAGE_SIZE,
    },
    role::AdminScope,
    status::{ApprovalStatus, InvitationStatus},
    view::Page,
    AdminCaller, AppError, Caller, EmployerCaller, Role,
};
use sea_orm::{prelude::*, ActiveValue::Set, Condition, IntoActiveModel, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};

use super::{
    auth::{self, AccountScope, Hasher, LoggedIn},
    lookup::{self, format_time},
    notify::{Effects, LogRef, EMAIL},
};
use crate::{
    entity::{account, employer, employer_approval, invitation, process_log, school, session},
    uploads::{Kind, Uploads},
    Db, DbResultExt, Result, MAX_BATCH,
};

/// How long a confirmation link works.
const EMAIL_TOKEN_HOURS: i64 = 48;

fn at(employer_id: i64) -> LogRef {
    LogRef {
        employer_id: Some(employer_id),
        ..Default::default()
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The schools an employer may apply to, by name (the registration form's list).
pub async fn schools(db: &impl ConnectionTrait) -> Result<Vec<SchoolOption>> {
    Ok(school::Entity::find()
        .order_by_asc(school::Column::Name)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|s| SchoolOption { id: s.id, name: s.name })
        .collect())
}

/// Every id must name a school (one that does not is refused, at the form's field).
async fn check_schools(c: &impl ConnectionTrait, ids: &[i64]) -> Result<()> {
    let found = school::Entity::find()
        .filter(school::Column::Id.is_in(ids.to_vec()))
        .count(c)
        .await
        .db()?;
    if found as usize != ids.len() {
        return Err(AppError::invalid("申请审核的学校：所选学校不存在"));
    }
    Ok(())
}

/// 用人单位注册: the employer, its account and a pending application per school, in one
/// transaction; answers a session for the new account (the page goes on to the 营业执照).
/// A taken 统一社会信用代码 or login is refused at its field, and nothing is written.
pub async fn register(db: &Db, hasher: &Hasher, reg: Registration, ip: Option<String>) -> Result<LoggedIn> {
    let reg = reg.validated()?;
    check_schools(db, &reg.school_ids).await?;
    let hash = auth::hash_with(hasher, &reg.password).await?;
    let token = auth::new_token();
    let session_id = auth::token_id(&token);
    let account = db
        .write(move |txn| {
            Box::pin(async move {
                let now = Utc::now();
                let e = employer::ActiveModel {
                    name: Set(reg.name.clone()),
                    credit_code: Set(reg.credit_code.clone()),
                    contact_person: Set(reg.contact_person.clone()),
                    contact_phone: Set(reg.contact_phone.clone()),
                    email: Set(reg.email.clone()),
                    address: Set(reg.address.clone()),
                    nature: Set(reg.nature.clone()),
                    industry: Set(reg.industry.clone()),
                    region: Set(reg.region.clone()),
                    archive_unit: Set(String::new()),
                    archive_address: Set(String::new()),
                    archive_postcode: Set(String::new()),
                    archive_contact: Set(String::new()),
                    archive_phone: Set(String::new()),
                    hukou_address: Set(String::new()),
                    hukou_unit: Set(String::new()),
                    info_confirmed_at: Set(None),
                    created_at: Set(now),
                    licence_type: Set(String::new()),
                    licence_token: Set(String::new()),
                    email_confirmed_at: Set(None),
                    email_token_hash: Set(None),
                    email_token_expires_at: Set(None),
                    frozen_reason: Set(None),
                    frozen_at: Set(None),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .unique_or(AppError::conflict("统一社会信用代码：该代码已注册，请用已有账号登录"))?;
                let account = auth::create_account(
                    txn,
                    &reg.login,
                    &hash,
                    Role::Employer,
                    &reg.name,
                    AccountScope {
                        employer_id: Some(e.id),
                        ..Default::default()
                    },
                )
                .await
                .map_err(|err| match err {
                    AppError::Conflict(_) => AppError::conflict("登录账号：该账号已被使用，请换一个"),
                    other => other,
                })?;
                for &school_id in &reg.school_ids {
                    employer_approval::ActiveModel {
                        employer_id: Set(e.id),
                        school_id: Set(school_id),
                        status: Set(ApprovalStatus::Pending),
                        reason: Set(String::new()),
                        reviewed_by: Set(None),
                        reviewed_at: Set(None),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await
                    .db()?;
                }
                let names = school_names(txn, &reg.school_ids).await?;
                Effects::default()
                    .log(
                        at(e.id),
                        Some(account.id),
                        &format!("用人单位 {}", e.name),
                        "用人单位注册",
                        &format!("申请审核的学校：{names}"),
                    )
                    .at_commit(txn);
                auth::open_session(txn, account, session_id, None, ip).await
            })
        })
        .await?;
    Ok(LoggedIn {
        token,
        caller: auth::caller_of(&account)?,
    })
}

async fn school_names(c: &impl ConnectionTrait, ids: &[i64]) -> Result<String> {
    let all = lookup::school_names(c).await?;
    Ok(ids
        .iter()
        .filter_map(|id| all.get(id).cloned())
        .collect::<Vec<_>>()
        .join("、"))
}

async fn find_employer(c: &impl ConnectionTrait, id: i64) -> Result<employer::Model> {
    employer::Entity::find_by_id(id)
        .one(c)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))
}

/// The employer's account ids (notices go to each).
async fn employer_accounts(c: &impl ConnectionTrait, employer_id: i64) -> Result<Vec<i64>> {
    Ok(account::Entity::find()
        .filter(account::Column::EmployerId.eq(employer_id))
        .filter(account::Column::Role.eq(Role::Employer))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| a.id)
        .collect())
}

/// The confirmation e-mail: a new token (its hash kept), the link to `base`/register/confirm.
fn confirmation(e: &employer::Model, base: &str) -> (String, String, String, String) {
    let token = auth::new_token();
    let link = format!("{}/register/confirm?token={token}", base.trim_end_matches('/'));
    let subject = "【网签系统】请确认用人单位注册邮箱".to_owned();
    let body = format!(
        "{}：\n\n你单位已在网签系统提交用人单位注册。请在{EMAIL_TOKEN_HOURS}小时内打开下面的链接确认本邮箱，确认后所选学校方可审核你单位的注册信息：\n\n{link}\n\n如非本单位操作，请忽略本邮件。\n\n网签系统",
        e.name
    );
    (token_hash(&token), link, subject, body)
}

/// Uploads (or replaces) the 营业执照. While the e-mail address is unconfirmed this also sends
/// (again) the confirmation link to it, addressed at `base` (the site's public address).
pub async fn store_licence(
    db: &Db,
    uploads: &Uploads,
    me: &EmployerCaller,
    bytes: Vec<u8>,
    base: &str,
) -> Result<RegistrationState> {
    let kind = LicenceType::sniff(&bytes)?;
    let id = me.employer_id();
    let account_id = me.account_id();
    let actor = me.actor();
    let new_token = uploads.put(Kind::Licence, id, bytes).await?;
    let base = base.to_owned();
    let saved = {
        let new_token = new_token.clone();
        db.write(move |txn| {
            Box::pin(async move {
                let e = find_employer(txn, id).await?;
                if e.frozen_reason.is_some() {
                    return Err(AppError::conflict("你单位的账号已被冻结"));
                }
                let old = e.licence_token.clone();
                let mut effects = Effects::default().log(at(id), Some(account_id), &actor, "上传营业执照", "");
                let mut am = e.clone().into_active_model();
                am.licence_type = Set(kind.as_str().to_owned());
                am.licence_token = Set(new_token);
                if e.email_confirmed_at.is_none() {
                    let (hash, _, subject, body) = confirmation(&e, &base);
                    am.email_token_hash = Set(Some(hash));
                    am.email_token_expires_at = Set(Some(Utc::now() + Duration::hours(EMAIL_TOKEN_HOURS)));
                    effects = effects.send(EMAIL, &e.email, &subject, &body);
                }
                am.update(txn).await.db()?;
                effects.at_commit(txn);
                Ok(old)
            })
        })
        .await
    };
    match saved {
        Ok(old) => {
            if !old.is_empty() && old != new_token {
                // The old file is no longer named by anything: a failed delete leaves only litter.
                let _ = uploads.delete(Kind::Licence, id, &old).await;
            }
            state(db, me).await
        }
        Err(e) => {
            let _ = uploads.delete(Kind::Licence, id, &new_token).await;
            Err(e)
        }
    }
}

/// The link of the confirmation e-mail: the address is confirmed, and the applications count
/// from now on. Answers the employer's name.
pub async fn confirm_email(db: &Db, token: &str) -> Result<String> {
    let token = token.trim();
    let invalid = || AppError::invalid("确认链接无效或已使用。如尚未确认，请登录后重新上传营业执照以重新发送确认邮件");
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let hash = token_hash(token);
    db.write(move |txn| {
        Box::pin(async move {
            let e = employer::Entity::find()
                .filter(employer::Column::EmailTokenHash.eq(hash))
                .one(txn)
                .await
                .db()?
                .ok_or_else(invalid)?;
            if e.email_token_expires_at.is_some_and(|t| t < Utc::now()) {
                return Err(AppError::invalid(
                    "确认链接已过期，请登录后重新上传营业执照以重新发送确认邮件",
                ));
            }
            let name = e.name.clone();
            let mut am = e.clone().into_active_model();
            am.email_confirmed_at = Set(Some(Utc::now()));
            am.email_token_hash = Set(None);
            am.email_token_expires_at = Set(None);
            am.update(txn).await.db()?;
            Effects::default()
                .log(
                    at(e.id),
                    None,
                    &format!("用人单位 {}", e.name),
                    "确认注册邮箱",
                    &e.email,
                )
                .at_commit(txn);
            Ok(name)
        })
    })
    .await
}

async fn approvals(c: &impl ConnectionTrait, employer_id: i64) -> Result<Vec<ApprovalView>> {
    let names = lookup::school_names(c).await?;
    Ok(employer_approval::Entity::find()
        .filter(employer_approval::Column::EmployerId.eq(employer_id))
        .order_by_asc(employer_approval::Column::Id)
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| ApprovalView {
            school_id: a.school_id,
            school: names.get(&a.school_id).cloned().unwrap_or_default(),
            status: a.status,
            reason: a.reason,
            reviewed_at: a.reviewed_at.map(format_time),
        })
        .collect())
}

/// The employer's own registration: what is still to do and each school's decision.
pub async fn state(db: &impl ConnectionTrait, me: &EmployerCaller) -> Result<RegistrationState> {
    let e = find_employer(db, me.employer_id()).await?;
    Ok(RegistrationState {
        employer_id: e.id,
        approvals: approvals(db, e.id).await?,
        name: e.name,
        email: e.email,
        email_confirmed: e.email_confirmed_at.is_some(),
        licence: LicenceType::parse(&e.licence_type),
        frozen: e.frozen_reason,
    })
}

/// 申请更多学校审核: a new application per school not applied to yet, and a rejected one sent
/// again; pending and approved ones stay.
pub async fn apply(db: &Db, me: &EmployerCaller, school_ids: Vec<i64>) -> Result<RegistrationState> {
    let mut ids = school_ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid("申请审核的学校：请至少选择一所学校"));
    }
    if ids.len() > rules::MAX_SCHOOLS {
        return Err(AppError::invalid(format!(
            "申请审核的学校：一次最多选择{}所学校",
            rules::MAX_SCHOOLS
        )));
    }
    check_schools(db, &ids).await?;
    let id = me.employer_id();
    let account_id = me.account_id();
    let actor = me.actor();
    db.write(move |txn| {
        Box::pin(async move {
            let e = find_employer(txn, id).await?;
            if e.frozen_reason.is_some() {
                return Err(AppError::conflict("你单位的账号已被冻结"));
            }
            let existing = employer_approval::Entity::find()
                .filter(employer_approval::Column::EmployerId.eq(id))
                .filter(employer_approval::Column::SchoolId.is_in(ids.clone()))
                .all(txn)
                .await
                .db()?;
            let mut applied = Vec::new();
            for school_id in ids {
                let current = existing.iter().find(|a| a.school_id == school_id);
                let Some(next) = rules::apply_again(current.map(|a| a.status)) else {
                    continue;
                };
                match current {
                    Some(a) => {
                        let mut am = a.clone().into_active_model();
                        am.status = Set(next);
                        am.reason = Set(String::new());
                        am.reviewed_by = Set(None);
                        am.reviewed_at = Set(None);
                        am.created_at = Set(Utc::now());
                        am.update(txn).await.db()?;
                    }
                    None => {
                        employer_approval::ActiveModel {
                            employer_id: Set(id),
                            school_id: Set(school_id),
                            status: Set(next),
                            reason: Set(String::new()),
                            reviewed_by: Set(None),
                            reviewed_at: Set(None),
                            created_at: Set(Utc::now()),
                            ..Default::default()
                        }
                        // The unique (employer, school) index: a concurrent application wins once.
                        .insert(txn)
                        .await
                        .unique_or(AppError::conflict("已向该学校提交申请"))?;
                    }
                }
                applied.push(school_id);
            }
            if applied.is_empty() {
                return Err(AppError::conflict("所选学校均已在审核中或已审核通过"));
            }
            let names = school_names(txn, &applied).await?;
            Effects::default()
                .log(at(id), Some(account_id), &actor, "申请学校审核", &names)
                .at_commit(txn);
            Ok(())
        })
    })
    .await?;
    state(db, me).await
}

/// The schools an employer's (confirmed) registration applied to; none while its e-mail is
/// unconfirmed (no school sees it yet).
async fn applied_to(c: &impl ConnectionTrait, e: &employer::Model) -> Result<Vec<i64>> {
    if e.email_confirmed_at.is_none() {
        return Ok(Vec::new());
    }
    Ok(employer_approval::Entity::find()
        .filter(employer_approval::Column::EmployerId.eq(e.id))
        .all(c)
        .await
        .db()?
        .into_iter()
        .map(|a| a.school_id)
        .collect())
}

/// The 营业执照 file: for the employer itself, and the admins who may read its registration
/// (`rules::may_read`); to anyone else it does not exist.
pub async fn licence(db: &Db, uploads: &Uploads, caller: &Caller, employer_id: i64) -> Result<(LicenceType, Vec<u8>)> {
    let hidden = || AppError::not_found("营业执照");
    let e = employer::Entity::find_by_id(employer_id)
        .one(db)
        .await
        .db()?
        .ok_or_else(hidden)?;
    let allowed = match caller.role {
        Role::Employer => caller.employer_id == Some(e.id),
        // An admin reads it once the address is confirmed (as the list and the detail).
        _ => match <AdminCaller as domain::Capability>::from_caller(caller) {
            Ok(admin) => e.email_confirmed_at.is_some() && rules::may_read(admin.scope(), &applied_to(db, &e).await?),
            Err(_) => false,
        },
    };
    if !allowed {
        return Err(hidden());
    }
    let kind = LicenceType::parse(&e.licence_type).ok_or_else(hidden)?;
    let bytes = uploads.get(Kind::Licence, e.id, &e.licence_token).await?;
    Ok((kind, bytes))
}

/// 用人单位审核's list: the applications to the caller's school (all schools for the province),
/// of confirmed registrations, newest first, by status and a name fragment or credit code.
pub async fn list(db: &Db, admin: &AdminCaller, filter: &ReviewFilter) -> Result<Page<ReviewRow>> {
    let (status, q, page) = filter.checked()?;
    let mut query = employer_approval::Entity::find()
        .find_also_related(employer::Entity)
        .filter(employer::Column::EmailConfirmedAt.is_not_null());
    if let Some(school) = rules::list_school(admin.scope()) {
        query = query.filter(employer_approval::Column::SchoolId.eq(school));
    }
    if let Some(s) = status {
        query = query.filter(employer_approval::Column::Status.eq(s));
    }
    if !q.is_empty() {
        query = query.filter(
            Condition::any()
                .add(employer::Column::Name.contains(&q))
                .add(employer::Column::CreditCode.eq(q.to_ascii_uppercase())),
        );
    }
    let query = query
        .order_by_desc(employer_approval::Column::CreatedAt)
        .order_by_desc(employer_approval::Column::Id);
    let total = query.clone().count(db).await.db()?;
    let rows = query
        .offset((page - 1) * REVIEW_PAGE_SIZE)
        .limit(REVIEW_PAGE_SIZE)
        .all(db)
        .await
        .db()?;
    let names = lookup::school_names(db).await?;
    let scope = admin.scope();
    Ok(Page {
        rows: rows
            .into_iter()
            .filter_map(|(a, e)| e.map(|e| (a, e)))
            .map(|(a, e)| ReviewRow {
                employer_id: e.id,
                name: e.name,
                credit_code: e.credit_code,
                region: e.region,
                school: names.get(&a.school_id).cloned().unwrap_or_default(),
                school_id: a.school_id,
                decidable: a.status == ApprovalStatus::Pending && rules::may_decide(scope, a.school_id),
                status: a.status,
                applied_at: format_time(a.created_at),
                frozen: e.frozen_reason.is_some(),
            })
            .collect(),
        total,
        page,
        per_page: REVIEW_PAGE_SIZE,
    })
}

/// One registration as an admin who may read it sees it (to anyone else: not found).
pub async fn detail(db: &impl ConnectionTrait, admin: &AdminCaller, employer_id: i64) -> Result<EmployerReview> {
    let e = employer::Entity::find_by_id(employer_id)
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))?;
    let applied = applied_to(db, &e).await?;
    let scope = admin.scope();
    if !rules::may_read(scope, &applied) || (scope == AdminScope::Province && e.email_confirmed_at.is_none()) {
        return Err(AppError::not_found("单位"));
    }
    let approvals = approvals(db, e.id).await?;
    let decidable = approvals
        .iter()
        .any(|a| a.status == ApprovalStatus::Pending && rules::may_decide(scope, a.school_id));
    let log = process_log::Entity::find()
        .filter(process_log::Column::EmployerId.eq(e.id))
        .order_by_asc(process_log::Column::Id)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|l| (format_time(l.created_at), l.actor, l.action, l.reason))
        .collect();
    Ok(EmployerReview {
        id: e.id,
        name: e.name,
        credit_code: e.credit_code,
        nature: e.nature,
        industry: e.industry,
        region: e.region,
        address: e.address,
        contact_person: e.contact_person,
        contact_phone: e.contact_phone,
        email: e.email,
        licence: LicenceType::parse(&e.licence_type),
        frozen: e.frozen_reason,
        approvals,
        decidable,
        may_freeze: scope == AdminScope::Province,
        log,
    })
}

/// 审核通过 / 审核不通过 of one or many employers' applications to the caller's school. Each is
/// decided on its own (in its scope and state) and the answer lists each one's outcome; one
/// that cannot be decided never blocks the rest. A rejection needs a reason. Of two admins
/// deciding the same application at once, one decides and the other is told.
pub async fn review(
    db: &Db,
    admin: &AdminCaller,
    employer_ids: Vec<i64>,
    approve: bool,
    reason: &str,
) -> Result<Vec<ReviewOutcome>> {
    let AdminScope::School(school_id) = admin.scope() else {
        return Err(AppError::Forbidden);
    };
    // The reason is the request's, not a row's: checked once.
    let (next, reason) = rules::review(ApprovalStatus::Pending, approve, reason)?;
    let mut ids = employer_ids;
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid("请选择要审核的单位"));
    }
    if ids.len() > MAX_BATCH {
        return Err(AppError::invalid(format!("一次最多审核{MAX_BATCH}家单位")));
    }
    let account_id = admin.account_id();
    let actor = admin.actor();
    db.write(move |txn| {
        Box::pin(async move {
            let school = lookup::school_name(txn, school_id).await?;
            let mut outcomes = Vec::with_capacity(ids.len());
            let mut effects = Effects::default();
            for employer_id in ids {
                let e = employer::Entity::find_by_id(employer_id)
                    .one(txn)
                    .await
                    .db()?
                    .filter(|e| e.email_confirmed_at.is_some());
                let a = match &e {
                    Some(_) => employer_approval::Entity::find()
                        .filter(employer_approval::Column::EmployerId.eq(employer_id))
                        .filter(employer_approval::Column::SchoolId.eq(school_id))
                        .one(txn)
                        .await
                        .db()?,
                    None => None,
                };
                let (Some(e), Some(a)) = (e, a) else {
                    outcomes.push(ReviewOutcome {
                        employer_id,
                        name: String::new(),
                        result: Err("该单位未向本校申请审核".into()),
                    });
                    continue;
                };
                let decided = match rules::review(a.status, approve, &reason) {
                    Err(err) => Err(err.message()),
                    Ok(_) => {
                        // Only from pending: of two decisions at once, the second changes nothing.
                        let done = employer_approval::Entity::update_many()
                            .col_expr(employer_approval::Column::Status, Expr::value(next))
                            .col_expr(employer_approval::Column::Reason, Expr::value(reason.clone()))
                            .col_expr(employer_approval::Column::ReviewedBy, Expr::value(account_id))
                            .col_expr(employer_approval::Column::ReviewedAt, Expr::value(Utc::now()))
                            .filter(employer_approval::Column::Id.eq(a.id))
                            .filter(employer_approval::Column::Status.eq(ApprovalStatus::Pending))
                            .exec(txn)
                            .await
                            .db()?;
                        if done.rows_affected == 1 {
                            Ok(next.label().to_owned())
                        } else {
                            Err("该单位已被其他管理员审核".to_owned())
                        }
                    }
                };
                if decided.is_ok() {
                    let action = format!("{school} {}", next.label());
                    effects = effects.log(at(e.id), Some(account_id), &actor, &action, &reason);
                    let (title, body) = match next {
                        ApprovalStatus::Approved => (
                            format!("{school}已审核通过你单位的注册信息"),
                            "你单位现在可以向各校毕业生发出签约邀请。".to_owned(),
                        ),
                        _ => (
                            format!("{school}审核不通过你单位的注册信息"),
                            format!("原因：{reason}。请在“注册审核”中修改后重新申请。"),
                        ),
                    };
                    for acc in employer_accounts(txn, e.id).await? {
                        effects = effects.notice(acc, &title, &body, "/employer/registration");
                    }
                    effects = effects.send(
                        EMAIL,
                        &e.email,
                        &format!("【网签系统】{title}"),
                        &format!("{}：\n\n{title}。{body}\n\n网签系统", e.name),
                    );
                }
                outcomes.push(ReviewOutcome {
                    employer_id,
                    name: e.name,
                    result: decided,
                });
            }
            effects.at_commit(txn);
            Ok(outcomes)
        })
    })
    .await
}

/// 冻结 / 解冻 by the province. A frozen employer cannot log in (its sessions end now), its
/// pending invitations are withdrawn (their students told), and its agreements stand.
pub async fn freeze(db: &Db, admin: &AdminCaller, employer_id: i64, freeze: bool, reason: &str) -> Result<()> {
    if admin.scope() != AdminScope::Province {
        return Err(AppError::Forbidden);
    }
    let reason = reason.to_owned();
    let account_id = admin.account_id();
    let actor = admin.actor();
    db.write(move |txn| {
        Box::pin(async move {
            let e = employer::Entity::find_by_id(employer_id)
                .one(txn)
                .await
                .db()?
                .ok_or_else(|| AppError::not_found("单位"))?;
            let reason = rules::freeze(e.frozen_reason.is_some(), freeze, &reason)?;
            let accounts = employer_accounts(txn, e.id).await?;
            let mut am = e.clone().into_active_model();
            am.frozen_reason = Set(freeze.then(|| reason.clone()));
            am.frozen_at = Set(freeze.then(Utc::now));
            am.update(txn).await.db()?;
            let action = if freeze { "冻结单位" } else { "解冻单位" };
            let mut effects = Effects::default().log(at(e.id), Some(account_id), &actor, action, &reason);
            if freeze {
                session::Entity::delete_many()
                    .filter(session::Column::AccountId.is_in(accounts.clone()))
                    .exec(txn)
                    .await
                    .db()?;
                let pending = invitation::Entity::find()
                    .filter(invitation::Column::EmployerId.eq(e.id))
                    .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
                    .all(txn)
                    .await
                    .db()?;
                for inv in pending {
                    let done = invitation::Entity::update_many()
                        .col_expr(invitation::Column::Status, Expr::value(InvitationStatus::Withdrawn))
                        .col_expr(invitation::Column::RespondedAt, Expr::value(Utc::now()))
                        .filter(invitation::Column::Id.eq(inv.id))
                        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
                        .exec(txn)
                        .await
                        .db()?;
                    if done.rows_affected == 0 {
                        continue;
                    }
                    let log_at = LogRef {
                        student_id: Some(inv.student_id),
                        invitation_id: Some(inv.id),
                        ..Default::default()
                    };
                    effects = effects.log(log_at, Some(account_id), &actor, "单位被冻结，撤回签约邀请", &reason);
                    if let Some(acc) = lookup::student_account(txn, inv.student_id).await? {
                        effects = effects.notice(
                            acc,
                            &format!("{}的签约邀请已撤回", e.name),
                            &format!("该单位已被省中心冻结，其邀请（拟聘职位：{}）已撤回。", inv.position),
                            "/student/invitations",
                        );
                    }
                }
            }
            let (subject, body) = if freeze {
                (
                    "【网签系统】你单位的账号已被冻结".to_owned(),
                    format!("{}：\n\n你单位的账号已被省中心冻结，原因：{reason}。冻结期间不能登录，未应约的签约邀请已撤回，已签协议不受影响。\n\n网签系统", e.name),
                )
            } else {
                (
                    "【网签系统】你单位的账号已解冻".to_owned(),
                    format!("{}：\n\n你单位的账号已由省中心解冻，可以重新登录。\n\n网签系统", e.name),
                )
            };
            effects.send(EMAIL, &e.email, &subject, &body).at_commit(txn);
            Ok(())
        })
    })
    .await
}

/// The login door's check for an employer account (other roles pass): a frozen employer may
/// not log in.
pub(crate) async fn employer_may_log_in(c: &impl ConnectionTrait, a: &account::Model) -> Result<()> {
    let Some(id) = a.employer_id.filter(|_| a.role == Role::Employer) else {
        return Ok(());
    };
    let e = find_employer(c, id).await?;
    match e.frozen_reason {
        Some(reason) => Err(rules::frozen_login_message(&reason)),
        None => Ok(()),
    }
}
