//! 就业管理 → 签约管理: the admins' review queue, the detail with its 签约过程记录, and the
//! decision (签约审核通过 / 签约审核不通过). Also who may read an agreement at all: its student,
//! its employer and admins whose scope holds the student; everyone else gets "not found".

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use domain::{
    flow::{self, Review},
    ids::mask_id_number,
    letter::Letter,
    role::AdminScope,
    status::AgreementStatus,
    view::{AgreementDetail, AgreementDoc, AgreementRow, Certification, DocStudent, Page, ProcessStep, ReviewFilter},
    AppError, Caller, Role,
};
use sea_orm::{prelude::*, Condition, QueryOrder, QuerySelect};

use super::{
    dashboard::format_time,
    invite::{doc_employer, school_names, students_by_id},
    notify::{self, LogRef},
    roster::{place, students_matching, PER_PAGE},
};
use crate::{
    entity::{account, agreement, college, employer, process_log, school, student},
    Db, DbResultExt, Result,
};

fn status_of(a: &agreement::Model) -> AgreementStatus {
    AgreementStatus::parse(&a.status).unwrap_or(AgreementStatus::Draft)
}

/// List rows for agreements (names looked up in bulk).
pub async fn rows(db: &impl ConnectionTrait, list: Vec<agreement::Model>) -> Result<Vec<AgreementRow>> {
    let students = students_by_id(db, list.iter().map(|a| a.student_id)).await?;
    let schools = school_names(db).await?;
    let college_ids: HashSet<i64> = students.values().map(|s| s.college_id).collect();
    let colleges: HashMap<i64, String> = college::Entity::find()
        .filter(college::Column::Id.is_in(college_ids))
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(list
        .into_iter()
        .map(|a| {
            let s = students.get(&a.student_id);
            AgreementRow {
                agreement_id: a.id,
                status_label: status_of(&a).label().to_owned(),
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
pub async fn queue(db: &Db, caller: &Caller, f: ReviewFilter) -> Result<Page<AgreementRow>> {
    let scope = caller.admin_scope().ok_or(AppError::Forbidden)?;
    domain::text::single_line(&f.name, "姓名")?;
    let students = students_matching(scope, f.college_id, f.graduation_year, &f.name);
    let mut q = agreement::Entity::find().filter(agreement::Column::StudentId.in_subquery(students));
    if f.status.is_empty() {
        // Drafts are the student's own business until submitted.
        q = q.filter(agreement::Column::Status.ne(AgreementStatus::Draft.code()));
    } else {
        let st = AgreementStatus::parse(&f.status).ok_or_else(|| AppError::invalid("签约审核状态不正确"))?;
        q = q.filter(agreement::Column::Status.eq(st.code()));
    }
    let total = q.clone().count(db).await.db()?;
    let page = f.page.max(1);
    let list = q
        .order_by_asc(agreement::Column::CreatedAt)
        .order_by_asc(agreement::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await
        .db()?;
    Ok(Page {
        rows: rows(db, list).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The agreement and its student, if the caller may read it: the student themselves, the
/// employer that signed it, or an admin whose scope holds the student.
async fn readable(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<(agreement::Model, student::Model)> {
    let not_found = || AppError::not_found("协议");
    let a = agreement::Entity::find_by_id(id)
        .one(db)
        .await
        .db()?
        .ok_or_else(not_found)?;
    let s = student::Entity::find_by_id(a.student_id)
        .one(db)
        .await
        .db()?
        .ok_or_else(not_found)?;
    let ok = match caller.role {
        Role::Student => caller.student_id == Some(s.id),
        Role::Employer => caller.employer_id.is_some() && caller.employer_id == a.employer_id,
        _ => caller.can_reach_student(place(&s)),
    };
    if !ok || status_of(&a) == AgreementStatus::Draft && caller.role != Role::Student {
        return Err(not_found());
    }
    Ok((a, s))
}

/// What the 电子协议书 shows, for anyone who may read the agreement.
pub async fn document(db: &Db, caller: &Caller, id: i64) -> Result<AgreementDoc> {
    let (a, s) = readable(db, caller, id).await?;
    doc(db, &a, &s).await
}

async fn doc(db: &impl ConnectionTrait, a: &agreement::Model, s: &student::Model) -> Result<AgreementDoc> {
    let school = school::Entity::find_by_id(s.school_id)
        .one(db)
        .await
        .db()?
        .map(|x| x.name)
        .unwrap_or_default();
    let college = college::Entity::find_by_id(s.college_id)
        .one(db)
        .await
        .db()?
        .map(|x| x.name)
        .unwrap_or_default();
    let e = match a.employer_id {
        Some(eid) => employer::Entity::find_by_id(eid).one(db).await.db()?,
        None => None,
    };
    let mut employer = e.as_ref().map(doc_employer).unwrap_or_default();
    // The name agreed at signing, even if the employer renames itself later.
    employer.name = a.employer_name.clone();
    let certification = match (status_of(a), a.certified_at) {
        (AgreementStatus::Certified | AgreementStatus::Terminated, Some(at)) => Some(Certification {
            by: certifier(db, a.certified_by, &school).await?,
            at: format_time(at),
        }),
        _ => None,
    };
    Ok(AgreementDoc {
        agreement_no: a.agreement_no.clone(),
        verify_code: a.verify_code.clone(),
        status_label: status_of(a).label().to_owned(),
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
        letter: Letter {
            position: a.position.clone(),
            job_category: a.job_category.clone(),
            work_place: a.work_place.clone(),
            salary: a.salary.clone(),
            contract_term: a.contract_term.clone(),
            probation: a.probation.clone(),
            other_terms: a.other_terms.clone(),
            archive_unit: a.archive_unit.clone(),
            archive_address: a.archive_address.clone(),
            archive_postcode: a.archive_postcode.clone(),
            archive_contact: a.archive_contact.clone(),
            archive_phone: a.archive_phone.clone(),
            hukou_address: a.hukou_address.clone(),
            hukou_unit: a.hukou_unit.clone(),
            deadline_days: 0,
        },
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
        Some(c) => {
            let college = college::Entity::find_by_id(c)
                .one(db)
                .await
                .db()?
                .map(|x| x.name)
                .unwrap_or_default();
            format!("{school}{college}")
        }
        None => school.to_owned(),
    })
}

/// The detail: the document's data, the 签约过程记录, and whether the caller may decide now.
pub async fn detail(db: &Db, caller: &Caller, id: i64) -> Result<AgreementDetail> {
    let (a, s) = readable(db, caller, id).await?;
    let log = log_of(db, &a).await?;
    let can_review = may_review(caller) && status_of(&a) == AgreementStatus::AwaitingReview;
    let can_revoke =
        matches!(caller.admin_scope(), Some(AdminScope::School(..))) && status_of(&a) == AgreementStatus::Certified;
    Ok(AgreementDetail {
        id: a.id,
        doc: doc(db, &a, &s).await?,
        status: a.status.clone(),
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

/// College and school admins decide 签约审核; the province office only watches.
fn may_review(caller: &Caller) -> bool {
    matches!(
        caller.admin_scope(),
        Some(AdminScope::College(..) | AdminScope::School(..))
    )
}

/// 签约审核通过 / 签约审核不通过 (with a reason; the student is free again).
pub async fn decide(db: &Db, caller: &Caller, id: i64, decision: Review) -> Result<AgreementDetail> {
    if !may_review(caller) {
        return Err(AppError::Forbidden);
    }
    let who = caller.clone();
    db.write(move |txn| {
        Box::pin(async move {
            let caller = &who;
            let (a, s) = readable(txn, caller, id).await?;
            let next = flow::review(status_of(&a), &decision)?;
            let reason = match &decision {
                Review::Reject(r) => r.trim().to_owned(),
                Review::Approve => String::new(),
            };
            let now = Utc::now();
            let mut update = agreement::Entity::update_many()
                .col_expr(agreement::Column::Status, Expr::value(next.code()))
                .col_expr(agreement::Column::ReviewReason, Expr::value(reason.clone()))
                .col_expr(agreement::Column::UpdatedAt, Expr::value(now));
            if next == AgreementStatus::Certified {
                update = update
                    .col_expr(agreement::Column::CertifiedAt, Expr::value(now))
                    .col_expr(agreement::Column::CertifiedBy, Expr::value(caller.account_id));
            }
            let r = update
                .filter(agreement::Column::Id.eq(a.id))
                .filter(agreement::Column::Status.eq(a.status.clone()))
                .exec(txn)
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
            let actor = format!("{} {}", caller.role.label(), caller.display_name);
            notify::log(txn, at, Some(caller.account_id), &actor, next.label(), &reason).await?;
            let subject = format!("【网签系统】{}与{}的协议{}", s.name, a.employer_name, next.label());
            let body = if reason.is_empty() {
                format!("协议编号：{}\n\n网签系统", a.agreement_no)
            } else {
                format!("协议编号：{}\n原因：{reason}\n\n网签系统", a.agreement_no)
            };
            notify::enqueue(txn, notify::EMAIL, &s.email, &subject, &body).await?;
            for acc in account::Entity::find()
                .filter(
                    Condition::any()
                        .add(account::Column::StudentId.eq(s.id))
                        .add(account::Column::EmployerId.eq(a.employer_id)),
                )
                .all(txn)
                .await
                .db()?
            {
                notify::notify(txn, acc.id, &subject, &reason, "").await?;
            }
            if let Some(eid) = a.employer_id {
                if let Some(e) = employer::Entity::find_by_id(eid).one(txn).await.db()? {
                    notify::enqueue(txn, notify::EMAIL, &e.email, &subject, &body).await?;
                }
            }
            Ok(())
        })
    })
    .await?;
    detail(db, caller, id).await
}
