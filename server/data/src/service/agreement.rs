//! Agreements: who may read one (its student, its employer, and admins whose scope holds the
//! student; everyone else gets "not found"), the 电子协议书 and the detail with its 签约过程记录,
//! and 就业管理 → 签约管理: the admins' review queue and decision (签约审核通过 / 不通过).

use chrono::Utc;
use domain::{
    flow::{self, Review},
    ids::mask_id_number,
    review::{Level, Stage},
    role::AgreementAccess,
    status::AgreementStatus,
    view::{
        AgreementDetail, AgreementDoc, AgreementRow, BatchResult, Certification, DocStudent, Page, ProcessStep,
        ReviewFilter,
    },
    AdminCaller, AppError, Caller, Capability,
};
use sea_orm::{prelude::*, Condition, QueryOrder};

use super::{
    lookup::{self, college_names, doc_employer, format_time, parties, school_names, students_by_id},
    notify::{self, LogRef},
    review,
    roster::{paged, students_narrowed},
};
use crate::{
    entity::{account, agreement, employer, process_log, student},
    Db, DbResultExt, Result,
};

/// List rows for agreements (names looked up in bulk).
pub async fn rows(db: &impl ConnectionTrait, list: Vec<agreement::Model>) -> Result<Vec<AgreementRow>> {
    let students = students_by_id(db, list.iter().map(|a| a.student_id)).await?;
    let schools = school_names(db).await?;
    let colleges = college_names(db, students.values().map(|s| s.college_id)).await?;
    Ok(list
        .into_iter()
        .map(|a| {
            let s = students.get(&a.student_id);
            AgreementRow {
                agreement_id: a.id,
                status_label: a.status.label().to_owned(),
                status: a.status.code().to_owned(),
                student_name: s.map(|s| s.name.clone()).unwrap_or_default(),
                school: s.and_then(|s| schools.get(&s.school_id).cloned()).unwrap_or_default(),
                college: s.and_then(|s| colleges.get(&s.college_id).cloned()).unwrap_or_default(),
                graduation_year: s.map(|s| s.graduation_year).unwrap_or_default(),
                id_number_masked: s.map(|s| mask_id_number(&s.id_number)).unwrap_or_default(),
                agreement_no: a.agreement_no,
                employer_name: a.employer_name,
                position: a.position,
                signed_at: format_time(a.created_at),
                certified_at: a.certified_at.map(format_time),
            }
        })
        .collect())
}

/// The review queue within the admin's scope, filtered, 20 per page, oldest waiting first.
pub async fn queue(db: &Db, admin: &AdminCaller, f: ReviewFilter) -> Result<Page<AgreementRow>> {
    domain::text::single_line(&f.name, "姓名")?;
    let mut q = agreement::Entity::find();
    if let Some(students) = students_narrowed(admin.scope(), f.college_id, f.graduation_year, &f.name) {
        q = q.filter(agreement::Column::StudentId.in_subquery(students));
    }
    if f.status.is_empty() {
        // Drafts are the student's own business until submitted.
        q = q.filter(agreement::Column::Status.ne(AgreementStatus::Draft));
    } else {
        let st = AgreementStatus::parse(&f.status).ok_or_else(|| AppError::invalid("签约审核状态不正确"))?;
        q = q.filter(agreement::Column::Status.eq(st));
    }
    let q = q
        .order_by_asc(agreement::Column::CreatedAt)
        .order_by_asc(agreement::Column::Id);
    paged(db, q, f.page, |list| rows(db, list)).await
}

/// The agreement and its student, with what it is to the caller, if the caller may read it
/// ([`domain::role::AgreementParties::access`]); "not found" otherwise.
pub async fn readable(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<(agreement::Model, student::Model, AgreementAccess)> {
    let not_found = || AppError::not_found("协议");
    let (a, s) = agreement::Entity::find_by_id(id)
        .find_also_related(student::Entity)
        .one(db)
        .await
        .db()?
        .ok_or_else(not_found)?;
    let s = s.ok_or_else(not_found)?;
    let access = parties(&a, &s).access(caller).ok_or_else(not_found)?;
    Ok((a, s, access))
}

/// What the 电子协议书 shows, for anyone who may read the agreement.
pub async fn document(db: &Db, caller: &Caller, id: i64) -> Result<AgreementDoc> {
    let (a, s, _) = readable(db, caller, id).await?;
    doc(db, &a, &s).await
}

async fn doc(db: &impl ConnectionTrait, a: &agreement::Model, s: &student::Model) -> Result<AgreementDoc> {
    let school = lookup::school_name(db, s.school_id).await?;
    let college = lookup::college_name(db, s.college_id).await?;
    let e = match a.employer_id {
        Some(eid) => employer::Entity::find_by_id(eid).one(db).await.db()?,
        None => None,
    };
    let mut employer = e.as_ref().map(doc_employer).unwrap_or_default();
    // The name agreed at signing, even if the employer renames itself later.
    employer.name = a.employer_name.clone();
    let certification = match (a.status, a.certified_at) {
        (AgreementStatus::Certified | AgreementStatus::Terminated, Some(at)) => Some(Certification {
            by: certifier(db, a.certified_by, &school).await?,
            at: format_time(at),
        }),
        _ => None,
    };
    Ok(AgreementDoc {
        agreement_no: a.agreement_no.clone(),
        verify_code: a.verify_code.clone(),
        status_label: a.status.label().to_owned(),
        student: DocStudent {
            name: s.name.clone(),
            gender: s.gender.clone(),
            id_number: s.id_number.clone(),
            school,
            college,
            major: s.major.clone(),
            degree: s.degree.clone(),
            graduation_year: s.graduation_year,
            phone: s.phone.clone(),
            email: s.email.clone(),
        },
        employer,
        letter: a.letter(),
        signed_at: format_time(a.created_at),
        certification,
    })
}

/// The office that certified: the school, or the school's college for a college admin.
async fn certifier(db: &impl ConnectionTrait, account_id: Option<i64>, school: &str) -> Result<String> {
    let Some(acc) = account_id else {
        return Ok(school.to_owned());
    };
    let Some(acc) = account::Entity::find_by_id(acc).one(db).await.db()? else {
        return Ok(school.to_owned());
    };
    Ok(match acc.college_id {
        Some(c) => format!("{school}{}", lookup::college_name(db, c).await?),
        None => school.to_owned(),
    })
}

/// The detail: the document's data, the 签约过程记录, and what the caller may do now.
pub async fn detail(db: &Db, caller: &Caller, id: i64) -> Result<AgreementDetail> {
    let (a, s, access) = readable(db, caller, id).await?;
    let log = log_of(db, &a).await?;
    let office = (access == AgreementAccess::Office)
        .then(|| AdminCaller::from_caller(caller).ok())
        .flatten();
    let can_review = match (&office, Stage::of_agreement(a.status)) {
        (Some(o), Some(stage)) => {
            domain::review::step(review::mode_of(db, s.school_id).await?, Level::of(o.scope()), stage).is_ok()
        }
        _ => false,
    };
    let can_revoke = office.as_ref().is_some_and(|o| o.may_revoke()) && a.status == AgreementStatus::Certified;
    Ok(AgreementDetail {
        id: a.id,
        doc: doc(db, &a, &s).await?,
        status: a.status.code().to_owned(),
        review_reason: a.review_reason.clone(),
        log,
        can_review,
        can_revoke,
    })
}

/// The 签约过程记录 of an agreement: its invitation, its reviews, its terminations.
pub async fn log_of(db: &impl ConnectionTrait, a: &agreement::Model) -> Result<Vec<ProcessStep>> {
    let mut cond = Condition::any().add(process_log::Column::AgreementId.eq(a.id));
    if let Some(inv) = a.invitation_id {
        cond = cond.add(process_log::Column::InvitationId.eq(inv));
    }
    Ok(process_log::Entity::find()
        .filter(cond)
        .order_by_asc(process_log::Column::CreatedAt)
        .order_by_asc(process_log::Column::Id)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|l| ProcessStep {
            at: format_time(l.created_at),
            actor: l.actor,
            action: l.action,
            reason: l.reason,
        })
        .collect())
}

/// 签约审核通过 / 签约审核不通过 (with a reason; the student is free again) by the table of
/// `domain::review` under the school's 审核方式: at a two-level school the college's approval
/// moves the agreement to 等待学校审核.
pub async fn decide(db: &Db, admin: &AdminCaller, id: i64, decision: Review) -> Result<AgreementDetail> {
    if !admin.may_review() {
        return Err(AppError::Forbidden);
    }
    let who = admin.clone();
    db.write(move |txn| Box::pin(async move { decide_in(txn, &who, id, &decision).await.map(|_| ()) }))
        .await?;
    detail(db, admin.caller(), id).await
}

/// 批量审核通过: each checked agreement is approved on its own, in its own scope and state, inside
/// one transaction (a savepoint each); the answer names each row's result, and one that cannot
/// be approved never stops the others.
pub async fn approve_many(db: &Db, admin: &AdminCaller, ids: Vec<i64>) -> Result<Vec<BatchResult>> {
    if !admin.may_review() {
        return Err(AppError::Forbidden);
    }
    let ids = batch_ids(ids)?;
    let who = admin.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let sp = txn.begin().await.db()?;
                let name = match readable(&sp, who.caller(), id).await {
                    Ok((_, s, _)) => s.name,
                    Err(_) => String::new(),
                };
                match decide_in(&sp, &who, id, &Review::Approve).await {
                    Ok(next) => {
                        sp.commit().await.db()?;
                        out.push(BatchResult {
                            id,
                            student_name: name,
                            ok: true,
                            message: next.label().to_owned(),
                        });
                    }
                    Err(
                        e
                        @ (AppError::Conflict(_) | AppError::Invalid(_) | AppError::NotFound(_) | AppError::Forbidden),
                    ) => {
                        sp.rollback().await.db()?;
                        out.push(BatchResult {
                            id,
                            student_name: name,
                            ok: false,
                            message: e.message(),
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    })
    .await
}

/// The ids of a 批量审核通过, each once, in the order checked.
pub fn batch_ids(ids: Vec<i64>) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Err(AppError::invalid("请先勾选要审核的条目"));
    }
    if ids.len() > domain::review::BATCH_MAX {
        return Err(AppError::invalid(format!(
            "一次最多审核{}条",
            domain::review::BATCH_MAX
        )));
    }
    let mut seen = std::collections::HashSet::new();
    Ok(ids.into_iter().filter(|id| seen.insert(*id)).collect())
}

/// One decision inside an open transaction; returns the agreement's new status.
async fn decide_in(
    c: &impl ConnectionTrait,
    admin: &AdminCaller,
    id: i64,
    decision: &Review,
) -> Result<AgreementStatus> {
    let (a, s, _) = readable(c, admin.caller(), id).await?;
    let mode = review::mode_of(c, s.school_id).await?;
    let next = flow::review(mode, Level::of(admin.scope()), a.status, decision)?;
    let reason = match decision {
        Review::Reject(r) => r.trim().to_owned(),
        Review::Approve => String::new(),
    };
    let now = Utc::now();
    let mut update = agreement::Entity::update_many()
        .col_expr(agreement::Column::Status, Expr::value(next))
        .col_expr(agreement::Column::ReviewReason, Expr::value(reason.clone()))
        .col_expr(agreement::Column::UpdatedAt, Expr::value(now));
    if next == AgreementStatus::Certified {
        update = update
            .col_expr(agreement::Column::CertifiedAt, Expr::value(now))
            .col_expr(agreement::Column::CertifiedBy, Expr::value(admin.account_id()));
    }
    // Guarded by the status read: of two admins deciding at once, the second changes nothing.
    let r = update
        .filter(agreement::Column::Id.eq(a.id))
        .filter(agreement::Column::Status.eq(a.status))
        .exec(c)
        .await
        .db()?;
    if r.rows_affected != 1 {
        return Err(AppError::conflict("该协议已被其他管理员处理，请刷新页面"));
    }
    let at = LogRef {
        student_id: Some(s.id),
        agreement_id: Some(a.id),
        invitation_id: a.invitation_id,
        ..Default::default()
    };
    // Both levels appear in the 签约过程记录.
    let action = if next == AgreementStatus::AwaitingSchoolReview {
        "学院初审通过，等待学校审核"
    } else {
        next.label()
    };
    notify::log(c, at, Some(admin.account_id()), &admin.actor(), action, &reason).await?;
    if next == AgreementStatus::AwaitingSchoolReview {
        review::tell_reviewers(
            c,
            &s,
            Stage::School,
            "新的签约等待学校审核",
            &format!("/admin/agreements/{}", a.id),
        )
        .await?;
    }
    let subject = format!("【网签系统】{}与{}的协议{}", s.name, a.employer_name, next.label());
    let body = if reason.is_empty() {
        format!("协议编号：{}\n\n网签系统", a.agreement_no)
    } else {
        format!("协议编号：{}\n原因：{reason}\n\n网签系统", a.agreement_no)
    };
    notify::enqueue(c, notify::EMAIL, &s.email, &subject, &body).await?;
    for acc in account::Entity::find()
        .filter(
            Condition::any()
                .add(account::Column::StudentId.eq(s.id))
                .add(account::Column::EmployerId.eq(a.employer_id)),
        )
        .all(c)
        .await
        .db()?
    {
        notify::notify(c, acc.id, &subject, &reason, "").await?;
    }
    if let Some(eid) = a.employer_id {
        if let Some(e) = employer::Entity::find_by_id(eid).one(c).await.db()? {
            notify::enqueue(c, notify::EMAIL, &e.email, &subject, &body).await?;
        }
    }
    Ok(next)
}
