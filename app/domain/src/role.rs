//! Roles and scopes (SPEC "People"). Every server function starts from a [`Caller`] and asks it
//! whether the target is within reach; these answers are the only place scope is decided.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Student,
    Employer,
    CollegeAdmin,
    SchoolAdmin,
    ProvinceAdmin,
}

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
}

/// Where a roster record sits: enough to decide who may see or act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudentPlace {
    pub student_id: i64,
    pub school_id: i64,
    pub college_id: i64,
}

impl Caller {
    /// Student: self. College admin: own college. School admin: own school. Province: all.
    /// Employers reach students only through their own invitations and agreements, which
    /// the flows check separately; they never browse the roster.
    pub fn can_reach_student(&self, s: StudentPlace) -> bool {
        match self.role {
            Role::Student => self.student_id == Some(s.student_id),
            Role::Employer => false,
            Role::CollegeAdmin => self.college_id == Some(s.college_id) && self.school_id == Some(s.school_id),
            Role::SchoolAdmin => self.school_id == Some(s.school_id),
            Role::ProvinceAdmin => true,
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

    /// Admin lists are filtered to this scope.
    pub fn admin_scope(&self) -> Option<AdminScope> {
        match self.role {
            Role::CollegeAdmin => Some(AdminScope::College(self.school_id?, self.college_id?)),
            Role::SchoolAdmin => Some(AdminScope::School(self.school_id?)),
            Role::ProvinceAdmin => Some(AdminScope::Province),
            _ => None,
        }
    }

    pub fn require(&self, role: Role) -> Result<(), crate::AppError> {
        if self.role == role {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden)
        }
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
    fn admins_share_one_login_door() {
        assert_eq!(Role::SchoolAdmin.login_kind(), LoginKind::Admin);
        assert_eq!(Role::parse("college_admin"), Some(Role::CollegeAdmin));
        assert!(Role::ALL.iter().all(|r| Role::parse(r.as_str()) == Some(*r)));
    }
}
