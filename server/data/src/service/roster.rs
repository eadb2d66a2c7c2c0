//! The roster (生源信息) as students and scoped admins see it.

use domain::{
    ids::{mask_id_number, mask_phone},
    role::AdminScope,
    view::{EmployerProfile, Page, RosterFilter, RosterList, RosterRow, StudentProfile},
    AdminCaller, AppError, Caller, Role,
};
use sea_orm::{
    prelude::*,
    sea_query::{Query, SelectStatement},
    QueryOrder, QuerySelect,
};

use super::lookup::{college_name, college_names, place, school_name};
use crate::{
    entity::{college, employer, employer_approval, student},
    Db, DbResultExt, Result,
};

/// Ids of the students an admin scope covers, as a sub-query.
pub fn students_in_scope(scope: AdminScope) -> SelectStatement {
    let mut q = Query::select();
    q.column(student::Column::Id).from(student::Entity);
    match scope {
        AdminScope::College(school_id, college_id) => {
            q.and_where(student::Column::SchoolId.eq(school_id))
                .and_where(student::Column::CollegeId.eq(college_id));
        }
        AdminScope::School(school_id) => {
            q.and_where(student::Column::SchoolId.eq(school_id));
        }
        AdminScope::Province => {}
    }
    q.to_owned()
}

/// Students in scope narrowed by the review lists' filters (学院, 毕业届, part of the name), as a
/// sub-query.
pub fn students_matching(
    scope: AdminScope,
    college_id: Option<i64>,
    graduation_year: Option<i32>,
    name: &str,
) -> SelectStatement {
    let mut q = students_in_scope(scope);
    if let Some(c) = college_id {
        q.and_where(student::Column::CollegeId.eq(c));
    }
    if let Some(y) = graduation_year {
        q.and_where(student::Column::GraduationYear.eq(y));
    }
    let name = domain::ids::normalize(name);
    if !name.is_empty() {
        q.and_where(student::Column::Name.contains(&name));
    }
    q
}

/// [`students_matching`], or `None` where it would hold every student (the province office with
/// no filter): there a filter on each row's student would only cost a semi-join over the whole
/// roster (500,000 students at a province's scale).
pub fn students_narrowed(
    scope: AdminScope,
    college_id: Option<i64>,
    graduation_year: Option<i32>,
    name: &str,
) -> Option<SelectStatement> {
    let everyone = scope == AdminScope::Province
        && college_id.is_none()
        && graduation_year.is_none()
        && domain::ids::normalize(name).is_empty();
    (!everyone).then(|| students_matching(scope, college_id, graduation_year, name))
}

fn scoped(scope: AdminScope) -> sea_orm::Select<student::Entity> {
    let q = student::Entity::find();
    match scope {
        AdminScope::College(s, c) => q
            .filter(student::Column::SchoolId.eq(s))
            .filter(student::Column::CollegeId.eq(c)),
        AdminScope::School(s) => q.filter(student::Column::SchoolId.eq(s)),
        AdminScope::Province => q,
    }
}

pub async fn count_in_scope(db: &Db, scope: AdminScope) -> Result<u64> {
    scoped(scope).count(db).await.db()
}

pub async fn scope_label(db: &Db, scope: AdminScope) -> Result<String> {
    Ok(match scope {
        AdminScope::Province => "全省".to_owned(),
        AdminScope::School(s) => school_name(db, s).await?,
        AdminScope::College(s, c) => format!("{} {}", school_name(db, s).await?, college_name(db, c).await?),
    })
}

/// One student's record. Out of scope reads as not found: the answer never tells whether a
/// student exists outside the caller's reach.
pub async fn profile(db: &Db, caller: &Caller, student_id: i64) -> Result<StudentProfile> {
    let s = student::Entity::find_by_id(student_id).one(db).await.db()?;
    let s = s
        .filter(|s| caller.can_reach_student(place(s)))
        .ok_or_else(|| AppError::not_found("学生"))?;
    Ok(StudentProfile {
        id: s.id,
        school: school_name(db, s.school_id).await?,
        college: college_name(db, s.college_id).await?,
        id_number_masked: mask_id_number(&s.id_number),
        phone_masked: mask_phone(&s.phone),
        name: s.name,
        gender: s.gender,
        major: s.major,
        degree: s.degree,
        graduation_year: s.graduation_year,
        training_mode: s.training_mode,
        origin: s.origin,
    })
}

pub const PER_PAGE: u64 = 20;

/// Page `page` (from 1) of an admin list in the query's order, [`PER_PAGE`] rows, with the total;
/// `rows` turns the records into the list's rows.
pub async fn paged<E, R, F, Fut>(db: &Db, q: sea_orm::Select<E>, page: u64, rows: F) -> Result<Page<R>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    F: FnOnce(Vec<E::Model>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<R>>>,
{
    let total = q.clone().count(db).await.db()?;
    let page = page.max(1);
    // A page number far past the end is an empty page, not an overflow.
    let offset = (page - 1).saturating_mul(PER_PAGE).min(i64::MAX as u64);
    let list = q.offset(offset).limit(PER_PAGE).all(db).await.db()?;
    Ok(Page {
        rows: rows(list).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The records of a scope narrowed by the 生源管理 filters, in the list's order (school, 学院,
/// then as entered). Every filter is an equality, so a page is one range of an index: the scope
/// and the order are `ix_students_list`, 生源审核状态 `ix_students_status_list`, a name
/// `ix_students_name`, a 身份证号 `ux_students_person_year` (migration 000020). The export
/// reads the same records.
pub fn filtered(scope: AdminScope, f: &RosterFilter) -> Result<sea_orm::Select<student::Entity>> {
    use domain::{
        ids::normalize,
        roster::TRAINING_MODES,
        roster_manage::{search, Search},
        status::RosterStatus,
    };
    let mut q = scoped(scope);
    if let Some(c) = f.college_id {
        q = q.filter(student::Column::CollegeId.eq(c));
    }
    let major = normalize(&f.major);
    if !major.is_empty() {
        domain::text::single_line(&major, "专业")?;
        q = q.filter(student::Column::Major.eq(major));
    }
    if let Some(y) = f.graduation_year {
        q = q.filter(student::Column::GraduationYear.eq(y));
    }
    let mode = normalize(&f.training_mode);
    if !mode.is_empty() {
        if !TRAINING_MODES.contains(&mode.as_str()) {
            return Err(AppError::invalid(format!(
                "培养方式应为{}之一",
                TRAINING_MODES.join("、")
            )));
        }
        q = q.filter(student::Column::TrainingMode.eq(mode));
    }
    if !f.status.is_empty() {
        let status =
            RosterStatus::parse(&f.status).ok_or_else(|| AppError::invalid("生源审核状态应为待审核或已审核"))?;
        q = q.filter(student::Column::RosterStatus.eq(status));
    }
    if let Some(r) = f.restricted {
        q = q.filter(student::Column::Restricted.eq(r));
    }
    q = match search(&f.keyword)? {
        Search::Any => q,
        Search::Name(n) => q.filter(student::Column::Name.eq(n)),
        Search::IdNumber(id) => q.filter(student::Column::IdNumber.eq(id)),
    };
    Ok(q.order_by_asc(student::Column::SchoolId)
        .order_by_asc(student::Column::CollegeId)
        .order_by_asc(student::Column::Id))
}

/// 生源管理 list for admins, limited to their scope, [`PER_PAGE`] a page.
pub async fn list(db: &Db, admin: &AdminCaller, filter: RosterFilter) -> Result<RosterList> {
    let q = filtered(admin.scope(), &filter)?;
    let page = paged(db, q, filter.page, |list| async move {
        let colleges = college_names(db, list.iter().map(|s| s.college_id)).await?;
        Ok(list
            .into_iter()
            .map(|s| RosterRow {
                id: s.id,
                college: colleges.get(&s.college_id).cloned().unwrap_or_default(),
                id_number_masked: mask_id_number(&s.id_number),
                roster_status: s.roster_status.label().to_owned(),
                approved: s.roster_status == domain::status::RosterStatus::Approved,
                name: s.name,
                major: s.major,
                degree: s.degree,
                graduation_year: s.graduation_year,
                training_mode: s.training_mode,
                restricted: s.restricted,
            })
            .collect::<Vec<RosterRow>>())
    })
    .await?;
    Ok(RosterList {
        page,
        // The province keeps no roster (`roster_admin::Editor::of`).
        may_edit: !matches!(admin.scope(), AdminScope::Province),
    })
}

/// An employer's record: itself, the province, and schools it applied to.
pub async fn employer_profile(db: &Db, caller: &Caller, employer_id: i64) -> Result<EmployerProfile> {
    let approvals = employer_approval::Entity::find()
        .filter(employer_approval::Column::EmployerId.eq(employer_id))
        .all(db)
        .await
        .db()?;
    let applied_to_my_school =
        caller.role == Role::SchoolAdmin && approvals.iter().any(|a| Some(a.school_id) == caller.school_id);
    if !caller.can_reach_employer(employer_id, applied_to_my_school) {
        return Err(AppError::not_found("单位"));
    }
    let e = employer::Entity::find_by_id(employer_id)
        .one(db)
        .await
        .db()?
        .ok_or_else(|| AppError::not_found("单位"))?;
    let mut list = Vec::new();
    for a in approvals {
        list.push((school_name(db, a.school_id).await?, a.status.label().to_owned()));
    }
    Ok(EmployerProfile {
        id: e.id,
        name: e.name,
        credit_code: e.credit_code,
        contact_person: e.contact_person,
        contact_phone: mask_phone(&e.contact_phone),
        address: e.address,
        approvals: list,
    })
}

/// Colleges an admin may filter by.
pub async fn colleges_in_scope(db: &Db, admin: &AdminCaller) -> Result<Vec<(i64, String)>> {
    let q = college::Entity::find();
    let q = match admin.scope() {
        AdminScope::College(_, c) => q.filter(college::Column::Id.eq(c)),
        AdminScope::School(s) => q.filter(college::Column::SchoolId.eq(s)),
        AdminScope::Province => q,
    };
    Ok(q.order_by_asc(college::Column::Id)
        .all(db)
        .await
        .db()?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}
