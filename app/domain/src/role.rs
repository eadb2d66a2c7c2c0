//! Roles and scopes (SPEC "People"). Every server function starts from a [`Caller`] and asks it
//! whether the target is within reach; these answers are the only place scope is decided.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "db", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "db", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum Role {
    #[cfg_attr(feature = "db", sea_orm(string_value = "student"))]
    Student,
    #[cfg_attr(feature = "db", sea_orm(string_value = "employer"))]
    Employer,
    #[cfg_attr(feature = "db", sea_orm(string_value = "college_admin"))]
    CollegeAdmin,
    #[cfg_attr(feature = "db", sea_orm(string_value = "school_admin"))]
    SchoolAdmin,
    #[cfg_attr(feature = "db", sea_orm(string_value = "province_admin"))]
    ProvinceAdmin,
}

/// 修改密码, the same page for every role (and where an account that must change its password
/// is sent).
pub const PASSWORD_PATH: &str = "/password";

/// The three login doors on the home page; the three admin roles share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginKind {
    Student,
    Employer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Student,
        Role::Employer,
        Role::CollegeAdmin,
        Role::SchoolAdmin,
        Role::ProvinceAdmin,
    ];

    /// Stored form (database column).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Employer => "employer",
            Role::CollegeAdmin => "college_admin",
            Role::SchoolAdmin => "school_admin",
            Role::ProvinceAdmin => "province_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Student => "毕业生",
            Role::Employer => "用人单位",
            Role::CollegeAdmin => "学院管理员",
            Role::SchoolAdmin => "学校管理员",
            Role::ProvinceAdmin => "省中心管理员",
        }
    }

    pub fn login_kind(self) -> LoginKind {
        match self {
            Role::Student => LoginKind::Student,
            Role::Employer => LoginKind::Employer,
            _ => LoginKind::Admin,
        }
    }

    pub fn is_admin(self) -> bool {
        self.login_kind() == LoginKind::Admin
    }

    /// The 用户中心 each role lands on after login.
    pub fn home_path(self) -> &'static str {
        self.login_kind().home_path()
    }
}

impl LoginKind {
    /// The 用户中心 of this kind of account.
    pub fn home_path(self) -> &'static str {
        match self {
            LoginKind::Student => "/student",
            LoginKind::Employer => "/employer",
            LoginKind::Admin => "/admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LoginKind::Student => "毕业生",
            LoginKind::Employer => "用人单位",
            LoginKind::Admin => "管理员",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            LoginKind::Student => "student",
            LoginKind::Employer => "employer",
            LoginKind::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<LoginKind> {
        [LoginKind::Student, LoginKind::Employer, LoginKind::Admin]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The authenticated account behind a request, with the ids that bound its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub account_id: i64,
    pub role: Role,
    pub display_name: String,
    pub school_id: Option<i64>,
    pub college_id: Option<i64>,
    pub student_id: Option<i64>,
    pub employer_id: Option<i64>,
    /// Its password was set by someone else: only [`SessionCaller`] endpoints (修改密码, who am
    /// I, logout) are open until the owner chooses one.
    pub must_change_password: bool,
}

/// Where a roster record sits: enough to decide who may see or act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudentPlace {
    pub student_id: i64,
    pub school_id: i64,
    pub college_id: i64,
}

impl Caller {
    /// Student: self. Admins: their scope ([`AdminCaller::can_reach`]). Employers reach students
    /// only through their own invitations and agreements, which the flows check separately;
    /// they never browse the roster.
    pub fn can_reach_student(&self, s: StudentPlace) -> bool {
        match self.role {
            Role::Student => self.student_id == Some(s.student_id),
            Role::Employer => false,
            _ => AdminCaller::from_caller(self).is_ok_and(|a| a.can_reach(s)),
        }
    }

    /// Employer records: the employer itself and province admins; school admins see the
    /// employers that applied to their school (checked by the caller with that fact).
    pub fn can_reach_employer(&self, employer_id: i64, applied_to_my_school: bool) -> bool {
        match self.role {
            Role::Employer => self.employer_id == Some(employer_id),
            Role::SchoolAdmin => applied_to_my_school,
            Role::ProvinceAdmin => true,
            Role::Student | Role::CollegeAdmin => false,
        }
    }

    /// "毕业生 张明", "学校管理员 江城大学": how the 签约过程记录 names who acted.
    pub fn actor(&self) -> String {
        format!("{} {}", self.role.label(), self.display_name)
    }
}

/// What a service needs of its caller, taken from the session's [`Caller`]: a service that
/// takes an [`EmployerCaller`] cannot be reached by anyone else, because the only way to get
/// one is `from_caller`, which answers 403 for every other role. Server functions and file
/// routes ask for the capability they need (`app::api::ctx`).
pub trait Capability: Sized {
    fn from_caller(caller: &Caller) -> Result<Self, crate::AppError>;
}

/// Any logged-in caller (the service decides by the record, e.g. the parties of an agreement).
impl Capability for Caller {
    fn from_caller(caller: &Caller) -> Result<Self, crate::AppError> {
        ready(caller).cloned()
    }
}

/// Every capability but [`SessionCaller`] is refused while the password must be changed.
fn ready(caller: &Caller) -> Result<&Caller, crate::AppError> {
    if caller.must_change_password {
        Err(crate::AppError::MustChangePassword)
    } else {
        Ok(caller)
    }
}

/// Any logged-in caller, also one who must change their password first: only for who am I,
/// 修改密码 and logout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCaller(pub Caller);

impl Capability for SessionCaller {
    fn from_caller(caller: &Caller) -> Result<Self, crate::AppError> {
        Ok(SessionCaller(caller.clone()))
    }
}

/// A logged-in 毕业生.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentCaller {
    caller: Caller,
    student_id: i64,
}

impl StudentCaller {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
    pub fn account_id(&self) -> i64 {
        self.caller.account_id
    }
    pub fn student_id(&self) -> i64 {
        self.student_id
    }
    pub fn actor(&self) -> String {
        self.caller.actor()
    }
}

impl Capability for StudentCaller {
    fn from_caller(c: &Caller) -> Result<Self, crate::AppError> {
        let c = ready(c)?;
        match (c.role, c.student_id) {
            (Role::Student, Some(student_id)) => Ok(StudentCaller {
                caller: c.clone(),
                student_id,
            }),
            _ => Err(crate::AppError::Forbidden),
        }
    }
}

/// A logged-in 用人单位 (whether it may sign yet is state: checked in the transaction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerCaller {
    caller: Caller,
    employer_id: i64,
}

impl EmployerCaller {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
    pub fn account_id(&self) -> i64 {
        self.caller.account_id
    }
    pub fn employer_id(&self) -> i64 {
        self.employer_id
    }
    pub fn actor(&self) -> String {
        self.caller.actor()
    }
}

impl Capability for EmployerCaller {
    fn from_caller(c: &Caller) -> Result<Self, crate::AppError> {
        let c = ready(c)?;
        match (c.role, c.employer_id) {
            (Role::Employer, Some(employer_id)) => Ok(EmployerCaller {
                caller: c.clone(),
                employer_id,
            }),
            _ => Err(crate::AppError::Forbidden),
        }
    }
}

/// A logged-in 学院 / 学校 / 省中心 admin with the scope their lists and actions are bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCaller {
    caller: Caller,
    scope: AdminScope,
}

impl AdminCaller {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
    pub fn account_id(&self) -> i64 {
        self.caller.account_id
    }
    pub fn role(&self) -> Role {
        self.caller.role
    }
    pub fn scope(&self) -> AdminScope {
        self.scope
    }
    pub fn display_name(&self) -> &str {
        &self.caller.display_name
    }
    pub fn actor(&self) -> String {
        self.caller.actor()
    }

    /// College admin: own college. School admin: own school. Province: all.
    pub fn can_reach(&self, s: StudentPlace) -> bool {
        match self.scope {
            AdminScope::College(school, college) => s.school_id == school && s.college_id == college,
            AdminScope::School(school) => s.school_id == school,
            AdminScope::Province => true,
        }
    }

    /// 签约审核 and 解约审核 are the college's and the school's; the province office watches.
    pub fn may_review(&self) -> bool {
        matches!(self.scope, AdminScope::College(..) | AdminScope::School(..))
    }

    /// 撤回审核 of a certification is the school's alone.
    pub fn may_revoke(&self) -> bool {
        matches!(self.scope, AdminScope::School(..))
    }
}

impl Capability for AdminCaller {
    fn from_caller(c: &Caller) -> Result<Self, crate::AppError> {
        let c = ready(c)?;
        let scope = match (c.role, c.school_id, c.college_id) {
            (Role::CollegeAdmin, Some(school), Some(college)) => AdminScope::College(school, college),
            (Role::SchoolAdmin, Some(school), _) => AdminScope::School(school),
            (Role::ProvinceAdmin, _, _) => AdminScope::Province,
            _ => return Err(crate::AppError::Forbidden),
        };
        Ok(AdminCaller {
            caller: c.clone(),
            scope,
        })
    }
}

/// Who is who on one agreement: its student (where they sit in the roster), its employer (none
/// for some other destinations), and its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgreementParties {
    pub student: StudentPlace,
    pub employer_id: Option<i64>,
    pub status: crate::status::AgreementStatus,
}

/// What an agreement is to a caller who may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementAccess {
    /// One of the two parties.
    Party(crate::status::Party),
    /// An admin whose scope holds the student.
    Office,
}

impl AgreementParties {
    /// The one answer to "is this caller a party to the agreement, and which one".
    pub fn party_of(&self, caller: &Caller) -> Option<crate::status::Party> {
        use crate::status::Party;
        match caller.role {
            Role::Student if caller.student_id == Some(self.student.student_id) => Some(Party::Student),
            Role::Employer if caller.employer_id.is_some() && caller.employer_id == self.employer_id => {
                Some(Party::Employer)
            }
            _ => None,
        }
    }

    /// Who may read it: the two parties and the admins whose scope holds the student; a draft
    /// is its student's alone. Everyone else is told it does not exist.
    pub fn access(&self, caller: &Caller) -> Option<AgreementAccess> {
        use crate::status::{AgreementStatus, Party};
        let access = match self.party_of(caller) {
            Some(p) => AgreementAccess::Party(p),
            None if caller.role.is_admin() && caller.can_reach_student(self.student) => AgreementAccess::Office,
            None => return None,
        };
        let draft = self.status == AgreementStatus::Draft;
        (!draft || access == AgreementAccess::Party(Party::Student)).then_some(access)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminScope {
    College(i64, i64),
    School(i64),
    Province,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(
        role: Role,
        school: Option<i64>,
        college: Option<i64>,
        student: Option<i64>,
        employer: Option<i64>,
    ) -> Caller {
        Caller {
            account_id: 1,
            role,
            display_name: "x".into(),
            school_id: school,
            college_id: college,
            student_id: student,
            employer_id: employer,
            must_change_password: false,
        }
    }
    const S: StudentPlace = StudentPlace {
        student_id: 7,
        school_id: 1,
        college_id: 11,
    };

    #[test]
    fn a_student_reaches_only_their_own_record() {
        assert!(caller(Role::Student, Some(1), Some(11), Some(7), None).can_reach_student(S));
        assert!(!caller(Role::Student, Some(1), Some(11), Some(8), None).can_reach_student(S));
    }

    #[test]
    fn a_college_admin_reaches_only_their_own_college() {
        assert!(caller(Role::CollegeAdmin, Some(1), Some(11), None, None).can_reach_student(S));
        assert!(!caller(Role::CollegeAdmin, Some(1), Some(12), None, None).can_reach_student(S));
    }

    #[test]
    fn a_school_admin_reaches_only_their_own_school() {
        assert!(caller(Role::SchoolAdmin, Some(1), None, None, None).can_reach_student(S));
        assert!(!caller(Role::SchoolAdmin, Some(2), None, None, None).can_reach_student(S));
    }

    #[test]
    fn the_province_admin_reaches_every_student_and_employers_browse_none() {
        assert!(caller(Role::ProvinceAdmin, None, None, None, None).can_reach_student(S));
        assert!(!caller(Role::Employer, None, None, None, Some(3)).can_reach_student(S));
    }

    #[test]
    fn an_employer_reaches_only_itself() {
        let e = caller(Role::Employer, None, None, None, Some(3));
        assert!(e.can_reach_employer(3, false));
        assert!(!e.can_reach_employer(4, true));
        assert!(!caller(Role::Student, None, None, Some(1), None).can_reach_employer(3, true));
    }

    #[test]
    fn each_capability_is_given_to_its_own_role_only() {
        let student = caller(Role::Student, Some(1), Some(11), Some(7), None);
        let employer = caller(Role::Employer, None, None, None, Some(3));
        let college = caller(Role::CollegeAdmin, Some(1), Some(11), None, None);
        let province = caller(Role::ProvinceAdmin, None, None, None, None);
        assert_eq!(StudentCaller::from_caller(&student).map(|s| s.student_id()), Ok(7));
        assert_eq!(EmployerCaller::from_caller(&employer).map(|e| e.employer_id()), Ok(3));
        assert_eq!(
            AdminCaller::from_caller(&college).map(|a| a.scope()),
            Ok(AdminScope::College(1, 11))
        );
        assert_eq!(
            AdminCaller::from_caller(&province).map(|a| a.scope()),
            Ok(AdminScope::Province)
        );
        for other in [&employer, &college, &province] {
            assert_eq!(StudentCaller::from_caller(other), Err(crate::AppError::Forbidden));
        }
        for other in [&student, &college] {
            assert_eq!(EmployerCaller::from_caller(other), Err(crate::AppError::Forbidden));
        }
        for other in [&student, &employer] {
            assert_eq!(AdminCaller::from_caller(other), Err(crate::AppError::Forbidden));
        }
        // An admin account without the ids of its scope gets nothing rather than everything.
        let broken = caller(Role::SchoolAdmin, None, None, None, None);
        assert_eq!(AdminCaller::from_caller(&broken), Err(crate::AppError::Forbidden));
    }

    #[test]
    fn a_caller_who_must_change_the_password_gets_no_capability_but_the_session() {
        let mut c = caller(Role::SchoolAdmin, Some(1), None, None, None);
        c.must_change_password = true;
        assert_eq!(AdminCaller::from_caller(&c), Err(crate::AppError::MustChangePassword));
        assert_eq!(Caller::from_caller(&c), Err(crate::AppError::MustChangePassword));
        assert!(SessionCaller::from_caller(&c).is_ok());
        let mut s = caller(Role::Student, Some(1), Some(11), Some(7), None);
        s.must_change_password = true;
        assert_eq!(StudentCaller::from_caller(&s), Err(crate::AppError::MustChangePassword));
    }

    #[test]
    fn only_college_and_school_admins_review_and_only_the_school_revokes() {
        let admin =
            |role, school, college| AdminCaller::from_caller(&caller(role, school, college, None, None)).unwrap();
        let college = admin(Role::CollegeAdmin, Some(1), Some(11));
        let school = admin(Role::SchoolAdmin, Some(1), None);
        let province = admin(Role::ProvinceAdmin, None, None);
        assert!(college.may_review() && school.may_review() && !province.may_review());
        assert!(!college.may_revoke() && school.may_revoke() && !province.may_revoke());
    }

    #[test]
    fn an_agreement_is_read_by_its_two_parties_and_the_offices_over_its_student() {
        use crate::status::{AgreementStatus, Party};
        let a = AgreementParties {
            student: S,
            employer_id: Some(3),
            status: AgreementStatus::AwaitingReview,
        };
        let of = |c: Caller| a.access(&c);
        assert_eq!(
            of(caller(Role::Student, Some(1), Some(11), Some(7), None)),
            Some(AgreementAccess::Party(Party::Student))
        );
        assert_eq!(
            of(caller(Role::Employer, None, None, None, Some(3))),
            Some(AgreementAccess::Party(Party::Employer))
        );
        assert_eq!(
            of(caller(Role::CollegeAdmin, Some(1), Some(11), None, None)),
            Some(AgreementAccess::Office)
        );
        assert_eq!(of(caller(Role::Student, Some(1), Some(11), Some(8), None)), None);
        assert_eq!(of(caller(Role::Employer, None, None, None, Some(4))), None);
        assert_eq!(of(caller(Role::CollegeAdmin, Some(1), Some(12), None, None)), None);
        assert_eq!(of(caller(Role::SchoolAdmin, Some(2), None, None, None)), None);
        // An agreement without an employer has no employer party.
        let other = AgreementParties { employer_id: None, ..a };
        assert_eq!(other.party_of(&caller(Role::Employer, None, None, None, None)), None);
        // A draft is its student's alone.
        let draft = AgreementParties {
            status: AgreementStatus::Draft,
            ..a
        };
        assert!(draft
            .access(&caller(Role::Student, Some(1), Some(11), Some(7), None))
            .is_some());
        assert_eq!(draft.access(&caller(Role::Employer, None, None, None, Some(3))), None);
        assert_eq!(draft.access(&caller(Role::ProvinceAdmin, None, None, None, None)), None);
    }

    #[test]
    fn admins_share_one_login_door() {
        assert_eq!(Role::SchoolAdmin.login_kind(), LoginKind::Admin);
        assert_eq!(Role::parse("college_admin"), Some(Role::CollegeAdmin));
        assert!(Role::ALL.iter().all(|r| Role::parse(r.as_str()) == Some(*r)));
    }
}
