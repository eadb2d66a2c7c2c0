//! What the API returns: plain data shared by the server functions and the WASM pages.

use serde::{Deserialize, Serialize};

use crate::Role;

/// The logged-in account, as the pages need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub role: Role,
    pub display_name: String,
    /// The password was set by someone else: the pages send the user to 修改密码 first.
    pub must_change_password: bool,
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
    /// Until then, the information to confirm (pre-filled from the registration).
    pub info: Option<crate::employer::EmployerInfo>,
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
    /// 信息验证 done (first login); nothing else is open before it.
    pub verified: bool,
    /// The active engagement, to open its detail.
    pub agreement_id: Option<i64>,
    /// Why the student cannot sign now (限制签约, 生源信息 not approved): SPEC rule 4 in their words.
    pub sign_notice: Option<String>,
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
    /// The status code (the same for agreements and terminations) of the first stage this
    /// admin decides, which the two review counters open: `awaiting_review` or `awaiting_school`.
    pub review_status: String,
}

/// One row of the 生源管理 list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub id: i64,
    pub name: String,
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: i32,
    pub id_number_masked: String,
    pub training_mode: String,
    /// 生源审核状态 (待审核 / 已审核).
    pub roster_status: String,
    pub approved: bool,
    /// 限制签约
    pub restricted: bool,
}

/// A page of the 生源管理 list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterList {
    #[serde(flatten)]
    pub page: Page<RosterRow>,
    /// The caller may 新增, 修改, approve, restrict and export (school and college admins).
    pub may_edit: bool,
}

/// The 生源管理 list's filters, every one optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RosterFilter {
    pub college_id: Option<i64>,
    /// 专业, exact.
    pub major: String,
    pub graduation_year: Option<i32>,
    /// 培养方式 (非定向 / 定向 / 委培).
    pub training_mode: String,
    /// A `RosterStatus` code (`pending` 待审核, `approved` 已审核), or empty for all.
    pub status: String,
    /// `Some(true)`: only records under 限制签约; `Some(false)`: only the others.
    pub restricted: Option<bool>,
    /// 姓名 or 身份证号, exact (`roster_manage::search`).
    pub keyword: String,
    pub page: u64,
}

/// One roster record in 生源管理's detail: its fields, its state and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterDetail {
    pub id: i64,
    pub school: String,
    /// The fields as the form edits them: the whole 身份证号 and 手机号 for the school's own
    /// admins, masked for the province.
    pub record: crate::roster::RosterInput,
    /// 生源审核状态 (待审核 / 已审核).
    pub roster_status: String,
    pub approved: bool,
    pub restricted: bool,
    /// Why the school restricted the student (the latest 限制签约's reason).
    pub restriction_reason: String,
    /// The student has done 信息验证 with the roster phone.
    pub phone_verified: bool,
    /// The caller may 修改, approve and restrict this record.
    pub may_edit: bool,
    /// 变更记录: who, when, what and why, oldest first.
    pub history: Vec<ProcessStep>,
}

/// The answer to a batch 生源审核.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveReport {
    /// Names of the records approved now.
    pub approved: Vec<String>,
    /// Names of the records that were approved already.
    pub already: Vec<String>,
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

// ---- 签约中心 (employer) ----

/// 签约搜索: all four must match exactly (SPEC rule 6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub school_id: i64,
    pub graduation_year: i32,
    pub name: String,
    /// 身份证号 or 手机号
    pub id_or_phone: String,
}

impl SearchQuery {
    /// The typed fields are one line each.
    pub fn check(&self) -> Result<(), crate::AppError> {
        crate::text::single_line(&self.name, "姓名")?;
        crate::text::single_line(&self.id_or_phone, "身份证号/手机号")
    }
}

/// A school to choose in 签约搜索.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolOption {
    pub id: i64,
    pub name: String,
}

/// A student as employers see them: found by search or on the 签约发送列表 (ID and phone masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedStudent {
    pub student_id: i64,
    pub name: String,
    pub gender: String,
    pub school: String,
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: i32,
    pub id_number_masked: String,
    pub phone_masked: String,
    /// Already on this employer's 签约发送列表.
    pub on_list: bool,
    /// This employer already has a 待应约 invitation out to them.
    pub pending_invitation: bool,
}

/// The outcome of one row of an imported 拟签约名单.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// The Excel row number the user sees.
    pub line: u32,
    pub name: String,
    pub added: bool,
    /// 已加入 or why not.
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub added: u32,
    pub lines: Vec<ImportLine>,
}

/// 确认发送 answer: who got the letter and who was refused (with the reason naming them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendReport {
    pub sent: Vec<String>,
    pub refused: Vec<String>,
}

/// One invitation in the employer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentInvitation {
    pub id: i64,
    pub student_name: String,
    pub school: String,
    pub id_number_masked: String,
    pub position: String,
    /// 待应约 / 已应约 / 已拒绝 / 已过期 / 已撤回
    pub status_label: String,
    pub sent_at: String,
    pub deadline: String,
    pub responded_at: Option<String>,
    pub can_withdraw: bool,
}

/// 数据管理 → 已应约: an accepted invitation's agreement, with its 签约审核状态.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementRow {
    pub agreement_id: i64,
    pub agreement_no: String,
    pub student_name: String,
    pub school: String,
    pub college: String,
    pub graduation_year: i32,
    pub id_number_masked: String,
    pub employer_name: String,
    pub position: String,
    /// 签约审核状态
    pub status_label: String,
    /// Its `AgreementStatus` code.
    pub status: String,
    pub signed_at: String,
    pub certified_at: Option<String>,
}

// ---- 电子签约 (student) ----

/// One invitation the student received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedInvitation {
    pub id: i64,
    pub employer_name: String,
    pub position: String,
    pub work_place: String,
    pub salary: String,
    pub status_label: String,
    pub sent_at: String,
    pub deadline: String,
}

/// 查看邀请函: the whole letter and what the student may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLetterView {
    pub id: i64,
    pub employer: DocEmployer,
    pub student_name: String,
    pub letter: crate::letter::Letter,
    pub status_label: String,
    pub sent_at: String,
    pub deadline: String,
    pub can_accept: bool,
    pub can_reject: bool,
    /// Why there is no 同意 button while the invitation is still pending (rule 2).
    pub view_only_reason: Option<String>,
    /// The agreement made from it, once accepted.
    pub agreement_id: Option<i64>,
}

// ---- 签约管理 (admins) ----

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewFilter {
    /// An `AgreementStatus` code, or empty for all.
    pub status: String,
    pub college_id: Option<i64>,
    pub graduation_year: Option<i32>,
    pub name: String,
    pub page: u64,
}

/// One step of the 签约过程记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessStep {
    pub at: String,
    /// Who, e.g. 用人单位 华中数智科技有限公司 / 毕业生 张三 / 学校管理员 江城大学
    pub actor: String,
    pub action: String,
    pub reason: String,
}

/// The detail of an agreement (admins, and the two parties).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementDetail {
    pub id: i64,
    pub doc: AgreementDoc,
    /// The `AgreementStatus` code.
    pub status: String,
    pub review_reason: String,
    pub log: Vec<ProcessStep>,
    /// The caller may decide 签约审核 now.
    pub can_review: bool,
    /// The caller (a school admin) may 撤回审核 now.
    pub can_revoke: bool,
}

// ---- 解约 (termination of an online agreement) ----

/// One termination request, as both parties and admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationRow {
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_no: String,
    pub student_name: String,
    pub school: String,
    pub college: String,
    pub graduation_year: i32,
    pub id_number_masked: String,
    pub employer_name: String,
    pub position: String,
    /// Who applied: 毕业生 / 用人单位
    pub initiator_label: String,
    /// `student` | `employer`
    pub initiator: String,
    pub reason: String,
    /// The other party's reason when they declined.
    pub response_reason: String,
    /// 解约审核状态 in the manual's words.
    pub status_label: String,
    /// `TerminationStatus` code.
    pub status: String,
    pub review_reason: String,
    pub applied_at: String,
}

/// A certified agreement on a party's 解约办理 page, with any open request on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedAgreement {
    pub agreement: AgreementRow,
    /// The latest termination request on it (open or not).
    pub termination: Option<TerminationRow>,
    /// 解约申请 / 申请解约 is possible now.
    pub can_apply: bool,
    /// The open request waits for this caller's answer (查看解约 / 查看解约申请).
    pub can_respond: bool,
}

/// 申请解约 for several agreements at once (employer): who got a request and who not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyReport {
    pub applied: Vec<String>,
    pub refused: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TerminationFilter {
    /// A `TerminationStatus` code, or empty for all.
    pub status: String,
    pub college_id: Option<i64>,
    pub graduation_year: Option<i32>,
    pub name: String,
    pub page: u64,
}

/// A termination request with its agreement's detail (both sides' reasons and the log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationDetail {
    pub termination: TerminationRow,
    pub agreement: AgreementDetail,
    /// The caller is the party that must answer now.
    pub can_respond: bool,
    /// The caller may decide 解约审核 now.
    pub can_review: bool,
}

/// An in-app notice (消息通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub at: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub unread: bool,
}

/// What 协议验证 shows about a genuine agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedAgreement {
    pub agreement_no: String,
    /// Surname only, e.g. 张*.
    pub student: String,
    pub school: String,
    pub employer: String,
    pub status_label: String,
    pub certified_at: Option<String>,
    /// In force now (certified by the school): what the checker really asks.
    pub in_force: bool,
    /// The one-line answer: 协议真实有效, or why the genuine agreement is not (or not yet) in force.
    pub verdict: String,
}

// ---- 审核方式, 批量审核, 审核提醒 (the review workflow) ----

/// One row's result of a 批量审核通过: the row names the item as the queue showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResult {
    /// The agreement's or termination request's id, as sent.
    pub id: i64,
    /// The student's name ("" for an item the caller may not read).
    pub student_name: String,
    pub ok: bool,
    /// The new state's words (签约审核通过, 等待学校审核, …), or why not.
    pub message: String,
}

/// A school's 审核方式, as the province office sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolReviewMode {
    pub school_id: i64,
    pub school: String,
    /// A `ReviewMode` code.
    pub mode: String,
    pub mode_label: String,
}

/// 审核设置 of the calling admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSettings {
    /// The 审核方式 of the caller's school (college and school admins), or each school's
    /// (the province office, which reads but does not set it).
    pub schools: Vec<SchoolReviewMode>,
    /// A school admin sets their school's 审核方式.
    pub can_set_mode: bool,
    /// The caller's daily e-mail digest of their review queue (off by default).
    pub digest: bool,
    /// Where the digest goes (admin accounts have no other address).
    pub digest_email: String,
}
