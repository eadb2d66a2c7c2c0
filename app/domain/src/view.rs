//! What the API returns: plain data shared by the server functions and the WASM pages.

use serde::{Deserialize, Serialize};

use crate::Role;

/// The logged-in account, as the pages need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub role: Role,
    pub display_name: String,
}

/// Login answer: where the browser goes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResult {
    pub role: Role,
    pub redirect: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerDashboard {
    pub name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub address: String,
    /// 已审核 by any school (SPEC rule 5) — only then may it sign.
    pub approved: bool,
    pub approved_schools: Vec<String>,
    pub last_login_at: Option<String>,
    pub last_login_ip: Option<String>,
    /// 签约待办: invitations waiting for the student.
    pub pending_invitations: u64,
    /// 解约待办: terminations waiting for the employer.
    pub pending_terminations: u64,
    /// First login: 单位信息 must be confirmed before anything else.
    pub info_confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentDashboard {
    pub profile: StudentProfile,
    /// 当前就业情况, e.g. 未签约 / 等待签约审核（某单位）/ 签约审核通过（某单位）.
    pub employment_status: String,
    /// 已收邀约: invitations received and still awaiting an answer.
    pub received_invitations: u64,
    /// 解约待办: terminations waiting for the student.
    pub pending_terminations: u64,
}

/// A roster record as its student and scoped admins see it (ID and phone masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentProfile {
    pub id: i64,
    pub name: String,
    pub gender: String,
    pub school: String,
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: i32,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub training_mode: String,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminDashboard {
    pub role: Role,
    pub display_name: String,
    /// 学校 / 学院 / 全省
    pub scope_label: String,
    pub last_login_at: Option<String>,
    pub students: u64,
    /// 等待签约审核
    pub awaiting_signing_review: u64,
    /// 等待解约审核
    pub awaiting_termination_review: u64,
    /// Employers awaiting this school's approval (school admins only; zero otherwise).
    pub employers_awaiting_approval: u64,
    /// Schools on the platform (province admin).
    pub schools: u64,
}

/// One row of the admin roster list (生源信息).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub id: i64,
    pub name: String,
    pub college: String,
    pub major: String,
    pub graduation_year: i32,
    pub id_number_masked: String,
    pub training_mode: String,
    pub roster_status: String,
    pub restricted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// An employer record as the employer itself and scoped admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerProfile {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub address: String,
    pub approvals: Vec<(String, String)>,
}

/// Everything the 电子协议书 (三方协议) shows: 甲方 the employer, 乙方 the student, 丙方 the
/// school, the letter's terms, and the certification once given. Also the top of the
/// admins' detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementDoc {
    /// Unique, printed on the document, e.g. `WQ2026-000123`.
    pub agreement_no: String,
    /// Anyone can check the document with this code on the public verification page.
    pub verify_code: String,
    /// 签约审核状态 in the manual's words.
    pub status_label: String,
    pub student: DocStudent,
    pub employer: DocEmployer,
    /// 签约信息, 档案接收信息, 户口接收信息.
    pub letter: crate::letter::Letter,
    /// When the student accepted (现在签约), Beijing time `YYYY-MM-DD HH:MM`.
    pub signed_at: String,
    pub certification: Option<Certification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocStudent {
    pub name: String,
    pub gender: String,
    /// In full on the agreement itself; masked in lists.
    pub id_number: String,
    pub school: String,
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: i32,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEmployer {
    pub name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub address: String,
    pub nature: String,
    pub industry: String,
}

/// 签约审核通过: by whom (the school or college office) and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// e.g. 江城大学 or 江城大学计算机学院
    pub by: String,
    /// Beijing time `YYYY-MM-DD HH:MM`.
    pub at: String,
}
