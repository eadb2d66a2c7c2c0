//! The review workflow shared by every kind of request (签约审核, 解约审核): each school's
//! 审核方式 and who is told of a new item in their queue (an in-app notice; a daily e-mail
//! digest for admins who switched it on). Who may decide what is `domain::review`'s table.

use chrono::Utc;
use domain::{
    review::{self, Level, Stage},
    role::AdminScope,
    status::ReviewMode,
    view::{ReviewSettings, SchoolReviewMode},
    AdminCaller, AppError, Role,
};
use sea_orm::{
    prelude::*,
    sea_query::{ExprTrait, SelectStatement, SimpleExpr},
    Condition, QueryOrder,
};

use super::{
    notify::{self, EMAIL},
    roster::students_narrowed,
};
use crate::{
    entity::{account, agreement, school, student, termination},
    Db, DbResultExt, Result,
};

/// The 审核方式 of a school (read inside the deciding transaction).
pub async fn mode_of(c: &impl ConnectionTrait, school_id: i64) -> Result<ReviewMode> {
    Ok(school::Entity::find_by_id(school_id)
        .one(c)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("学校"))?
        .review_mode)
}

/// The stages whose items this admin decides (the province: every stage, to watch).
pub async fn stages_of(c: &impl ConnectionTrait, admin: &AdminCaller) -> Result<Vec<Stage>> {
    let level = Level::of(admin.scope());
    let mode = match admin.scope() {
        AdminScope::College(school, _) | AdminScope::School(school) => mode_of(c, school).await?,
        AdminScope::Province => ReviewMode::OneLevel,
    };
    Ok(review::stages_for(mode, level))
}

/// The admins who decide an item of this student at `stage`: the student's college admins and
/// the school admins, as the school's 审核方式 says (read with them: one query on the hot path
/// of 同意). Disabled accounts are left out.
pub async fn reviewers(c: &impl ConnectionTrait, s: &student::Model, stage: Stage) -> Result<Vec<account::Model>> {
    let candidates = account::Entity::find()
        .find_also_related(school::Entity)
        .filter(account::Column::SchoolId.eq(s.school_id))
        .filter(account::Column::Disabled.eq(false))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(account::Column::Role.eq(Role::CollegeAdmin))
                        .add(account::Column::CollegeId.eq(s.college_id)),
                )
                .add(account::Column::Role.eq(Role::SchoolAdmin)),
        )
        .all(c)
        .await
        .db()?;
    Ok(candidates
        .into_iter()
        .filter_map(|(acc, school)| {
            let mode = school?.review_mode;
            let level = match acc.role {
                Role::CollegeAdmin => Level::College,
                _ => Level::School,
            };
            review::step(mode, level, stage).is_ok().then_some(acc)
        })
        .collect())
}

/// A new item in the queue of the admins who decide it at `stage`: an in-app notice each, added
/// to `effects` (their counter, read from the queue itself, rises with the item).
pub async fn notices_for_reviewers(
    c: &impl ConnectionTrait,
    mut effects: notify::Effects,
    s: &student::Model,
    stage: Stage,
    title: &str,
    link: &str,
) -> Result<notify::Effects> {
    for acc in reviewers(c, s, stage).await? {
        effects = effects.notice(acc.id, title, &format!("毕业生：{}", s.name), link);
    }
    Ok(effects)
}

/// The same, written at once.
pub async fn tell_reviewers(
    c: &impl ConnectionTrait,
    s: &student::Model,
    stage: Stage,
    title: &str,
    link: &str,
) -> Result<()> {
    notices_for_reviewers(c, notify::Effects::default(), s, stage, title, link)
        .await?
        .write(c)
        .await
}

/// 审核设置 of the caller.
pub async fn settings(db: &Db, admin: &AdminCaller) -> Result<ReviewSettings> {
    let acc = account::Entity::find_by_id(admin.account_id())
        .one(db)
        .await
        .db()?
        .ok_or(AppError::NotLoggedIn)?;
    let mut q = school::Entity::find().order_by_asc(school::Column::Code);
    if let AdminScope::College(school, _) | AdminScope::School(school) = admin.scope() {
        q = q.filter(school::Column::Id.eq(school));
    }
    let schools = q
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|s| SchoolReviewMode {
            school_id: s.id,
            school: s.name,
            mode: s.review_mode.code().to_owned(),
            mode_label: s.review_mode.label().to_owned(),
        })
        .collect();
    Ok(ReviewSettings {
        schools,
        can_set_mode: matches!(admin.scope(), AdminScope::School(_)),
        digest: acc.review_digest,
        digest_email: acc.digest_email,
    })
}

/// A school admin sets their school's 审核方式. Items already waiting keep their stage: an item
/// at 等待学校审核 stays the school's under either mode (`domain::review::step`).
pub async fn set_mode(db: &Db, admin: &AdminCaller, mode: &str) -> Result<ReviewSettings> {
    let AdminScope::School(school_id) = admin.scope() else {
        return Err(AppError::Forbidden);
    };
    let mode = ReviewMode::parse(mode).ok_or_else(|| AppError::invalid("审核方式不正确"))?;
    db.write(move |txn| {
        Box::pin(async move {
            school::Entity::update_many()
                .col_expr(school::Column::ReviewMode, Expr::value(mode))
                .filter(school::Column::Id.eq(school_id))
                .exec(txn)
                .await
                .db()?;
            Ok(())
        })
    })
    .await?;
    settings(db, admin).await
}

/// Switches the caller's daily e-mail digest on (with the address it goes to) or off.
pub async fn set_digest(db: &Db, admin: &AdminCaller, on: bool, email: &str) -> Result<ReviewSettings> {
    let email = review::digest_email(on, email)?;
    let account_id = admin.account_id();
    db.write(move |txn| {
        Box::pin(async move {
            account::Entity::update_many()
                .col_expr(account::Column::ReviewDigest, Expr::value(on))
                .col_expr(account::Column::DigestEmail, Expr::value(email))
                .filter(account::Column::Id.eq(account_id))
                .exec(txn)
                .await
                .db()?;
            Ok(())
        })
    })
    .await?;
    settings(db, admin).await
}

/// How many agreements and termination requests wait for this admin at `stages` (theirs, from
/// [`stages_of`]): their counters.
pub async fn waiting(c: &impl ConnectionTrait, admin: &AdminCaller, stages: &[Stage]) -> Result<(u64, u64)> {
    if stages.is_empty() {
        return Ok((0, 0));
    }
    let students = students_narrowed(admin.scope(), None, None, "");
    let mut agreements =
        agreement::Entity::find().filter(agreement::Column::Status.is_in(stages.iter().map(|s| s.agreement_status())));
    let mut terminations = termination::Entity::find()
        .filter(termination::Column::Status.is_in(stages.iter().map(|s| s.termination_status())));
    if let Some(students) = students {
        agreements = agreements.filter(agreement::Column::StudentId.in_subquery(students.clone()));
        terminations = terminations.filter(terminations_of(students));
    }
    Ok((agreements.count(c).await.db()?, terminations.count(c).await.db()?))
}

/// "The request's student is one of `students`", asked from the request's side: each request
/// finds its agreement's student by primary key. The few thousand requests of a status are far
/// fewer than a scope's agreements, which PostgreSQL would otherwise read in full to join them
/// (200,000 at a province's scale).
pub fn terminations_of(students: SelectStatement) -> SimpleExpr {
    Expr::cust("(SELECT agreements.student_id FROM agreements WHERE agreements.id = terminations.agreement_id)")
        .in_subquery(students)
}

/// The daily digest: every admin who switched it on and has something waiting gets one e-mail
/// through the outbox. The hourly jobs call this under a day-long lease, so it runs once a day
/// across instances. Returns how many were queued.
pub async fn send_digests(db: &Db) -> Result<usize> {
    let admins = account::Entity::find()
        .filter(account::Column::ReviewDigest.eq(true))
        .filter(account::Column::Disabled.eq(false))
        .filter(account::Column::Role.is_in([Role::CollegeAdmin, Role::SchoolAdmin, Role::ProvinceAdmin]))
        .all(db)
        .await
        .db()?;
    let mut effects = notify::Effects::default();
    let mut n = 0;
    for acc in admins {
        let caller = domain::Caller {
            account_id: acc.id,
            role: acc.role,
            display_name: acc.display_name.clone(),
            school_id: acc.school_id,
            college_id: acc.college_id,
            student_id: None,
            employer_id: None,
            must_change_password: false,
        };
        // An account whose scope no longer makes sense is skipped, not a failure of the job.
        let Ok(admin) = <AdminCaller as domain::Capability>::from_caller(&caller) else {
            continue;
        };
        let stages = stages_of(db, &admin).await?;
        let (agreements, terminations) = waiting(db, &admin, &stages).await?;
        if agreements + terminations == 0 {
            continue;
        }
        let body = format!(
            "{}，您好：\n\n截至{}，等待您审核的签约 {agreements} 条，解约 {terminations} 条。\n请登录网签系统的签约管理、解约管理处理。\n\n（在“审核设置”中可关闭每日审核提醒。）\n\n网签系统",
            acc.display_name,
            super::lookup::format_time(Utc::now()),
        );
        effects = effects.send(EMAIL, &acc.digest_email, "【网签系统】每日审核提醒", &body);
        n += 1;
    }
    if n > 0 {
        db.write(move |txn| Box::pin(async move { effects.write(txn).await }))
            .await?;
    }
    Ok(n)
}
