//! 用人单位注册 and 用人单位审核 (SPEC rule 5): what a registration must hold, what a 营业执照 file
//! may be, how a school's review of an employer moves, and who may read or decide it. The
//! server applies these inside its transactions; the pages show the same messages.

use serde::{Deserialize, Serialize};

use crate::{ids, role::AdminScope, status::ApprovalStatus, text, AppError};

/// The registration form as sent (`register[…]` on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Registration {
    pub name: String,
    pub credit_code: String,
    /// 单位性质
    pub nature: String,
    /// 所属行业
    pub industry: String,
    /// 所在地区
    pub region: String,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub email: String,
    pub login: String,
    pub password: String,
    pub password_again: String,
    /// The schools applied to (one or more).
    pub school_ids: Vec<i64>,
}

/// The form's fields with their labels, in the form's order. A refusal's message names each
/// problem by its label ([`problems_by_field`] splits it back).
pub const FIELDS: [(&str, &str); 13] = [
    ("name", "单位名称"),
    ("credit_code", "统一社会信用代码"),
    ("nature", "单位性质"),
    ("industry", "所属行业"),
    ("region", "所在地区"),
    ("address", "单位地址"),
    ("contact_person", "联系人"),
    ("contact_phone", "联系电话"),
    ("email", "电子邮箱"),
    ("login", "登录账号"),
    ("password", "登录密码"),
    ("password_again", "确认密码"),
    ("school_ids", "申请审核的学校"),
];

/// 单位性质 as the national employment statistics name them.
pub const NATURES: [&str; 10] = [
    "机关",
    "科研设计单位",
    "高等教育单位",
    "中初教育单位",
    "医疗卫生单位",
    "其他事业单位",
    "国有企业",
    "三资企业",
    "其他企业",
    "社会组织",
];

/// How many schools one request may name (a province has about a hundred).
pub const MAX_SCHOOLS: usize = 200;

fn label(key: &str) -> &'static str {
    FIELDS.iter().find(|(k, _)| *k == key).map_or("", |(_, l)| l)
}

/// 3–32 letters, digits or underscores (like the admins' accounts).
pub fn check_login(login: &str) -> Result<(), &'static str> {
    let n = login.chars().count();
    if !(3..=32).contains(&n) || !login.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err("应为3至32位字母、数字或下划线");
    }
    Ok(())
}

/// A plausible e-mail address: one `@`, a dotted domain, no spaces (the confirmation link
/// proves the rest).
pub fn check_email(email: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = email.split_once('@') else {
        return Err("格式不正确");
    };
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.chars().count() <= 100
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err("格式不正确")
    }
}

/// 7–20 digits, hyphens and spaces allowed (a landline with its area code, or a mobile).
pub fn check_phone(phone: &str) -> Result<(), &'static str> {
    let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
    if !(7..=20).contains(&digits) || !phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') {
        return Err("格式不正确");
    }
    Ok(())
}

impl Registration {
    /// Trims every field and checks them all; every problem is reported at once, each as
    /// "标签：问题", joined by "；" (the form shows each at its field).
    pub fn validated(mut self) -> Result<Self, AppError> {
        for f in [
            &mut self.name,
            &mut self.credit_code,
            &mut self.nature,
            &mut self.industry,
            &mut self.region,
            &mut self.address,
            &mut self.contact_person,
            &mut self.contact_phone,
            &mut self.email,
            &mut self.login,
        ] {
            *f = ids::normalize(f);
        }
        let mut problems: Vec<String> = Vec::new();
        let mut say = |key: &str, problem: &str| problems.push(format!("{}：{problem}", label(key)));
        let texts = [
            ("name", &self.name, 100),
            ("nature", &self.nature, 30),
            ("industry", &self.industry, 50),
            ("region", &self.region, 50),
            ("address", &self.address, 100),
            ("contact_person", &self.contact_person, 30),
        ];
        for (key, value, max) in texts {
            if value.is_empty() {
                say(key, "请填写");
            } else if text::single_line(value, label(key)).is_err() {
                say(key, "不能包含换行符或控制字符");
            } else if value.chars().count() > max {
                say(key, &format!("不能超过{max}字"));
            }
        }
        if !self.nature.is_empty() && !NATURES.contains(&self.nature.as_str()) {
            say("nature", "请从列表中选择");
        }
        match ids::validate_credit_code(&self.credit_code) {
            Ok(code) => self.credit_code = code,
            Err(e) => say("credit_code", e.trim_start_matches("统一社会信用代码")),
        }
        if self.contact_phone.is_empty() {
            say("contact_phone", "请填写");
        } else if let Err(e) = check_phone(&self.contact_phone) {
            say("contact_phone", e);
        }
        if self.email.is_empty() {
            say("email", "请填写");
        } else if let Err(e) = check_email(&self.email) {
            say("email", e);
        }
        if let Err(e) = check_login(&self.login) {
            say("login", e);
        }
        if let Err(e) = crate::password::check_new(&self.login, "", &self.password, &self.password_again) {
            let key = if self.password != self.password_again {
                "password_again"
            } else {
                "password"
            };
            // "新密码…" reads "密码…" at a registration.
            say(key, e.message().trim_start_matches("新"));
        }
        self.school_ids.sort_unstable();
        self.school_ids.dedup();
        if self.school_ids.is_empty() {
            say("school_ids", "请至少选择一所学校");
        } else if self.school_ids.len() > MAX_SCHOOLS {
            say("school_ids", &format!("一次最多选择{MAX_SCHOOLS}所学校"));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(AppError::invalid(problems.join("；")))
        }
    }
}

/// A refusal's message split back into (field key, problem); `None` for a part that names no
/// field (shown above the form).
pub fn problems_by_field(message: &str) -> Vec<(Option<&'static str>, String)> {
    message
        .split('；')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let found = FIELDS
                .iter()
                .find_map(|(k, l)| part.strip_prefix(l).and_then(|r| r.strip_prefix('：')).map(|r| (*k, r)));
            match found {
                Some((key, problem)) => (Some(key), problem.to_owned()),
                None => (None, part.to_owned()),
            }
        })
        .collect()
}

/// Largest 营业执照 file accepted.
pub const MAX_LICENCE_BYTES: usize = 10 * 1024 * 1024;

/// What a 营业执照 file is, told by its content (never by its name or the browser's word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LicenceType {
    Jpeg,
    Png,
    Pdf,
}

impl LicenceType {
    /// The type of the file, or why it is refused.
    pub fn sniff(bytes: &[u8]) -> Result<Self, AppError> {
        if bytes.is_empty() {
            return Err(AppError::invalid("营业执照：请选择文件"));
        }
        if bytes.len() > MAX_LICENCE_BYTES {
            return Err(AppError::invalid("营业执照：文件不能超过10 MB"));
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok(Self::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Ok(Self::Pdf)
        } else {
            Err(AppError::invalid("营业执照：只接受 JPEG、PNG 图片或 PDF 文件"))
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }

    /// Stored form (database column).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Pdf].into_iter().find(|t| t.as_str() == s)
    }
}

/// A school's 审核通过 / 审核不通过 of an employer: only a pending application is decided, once;
/// a rejection says why. Answers the new status and the reason kept with it.
pub fn review(current: ApprovalStatus, approve: bool, reason: &str) -> Result<(ApprovalStatus, String), AppError> {
    if current != ApprovalStatus::Pending {
        return Err(AppError::conflict(format!("该单位已{}，不能重复审核", current.label())));
    }
    let reason = ids::normalize(reason);
    if approve {
        return Ok((ApprovalStatus::Approved, String::new()));
    }
    if reason.is_empty() {
        return Err(AppError::invalid("请填写审核不通过的原因"));
    }
    text::single_line(&reason, "原因")?;
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("原因不能超过200字"));
    }
    Ok((ApprovalStatus::Rejected, reason))
}

/// Applying (again) to a school: a new application, or a rejected one sent again, is pending;
/// a pending or approved one stays as it is (`None`).
pub fn apply_again(current: Option<ApprovalStatus>) -> Option<ApprovalStatus> {
    match current {
        None | Some(ApprovalStatus::Rejected) => Some(ApprovalStatus::Pending),
        Some(ApprovalStatus::Pending | ApprovalStatus::Approved) => None,
    }
}

/// 单位信息维护: a new 单位名称 or 统一社会信用代码 is a different registration, reviewed again at
/// every school it applied to.
pub fn needs_new_review(old_name: &str, old_code: &str, new_name: &str, new_code: &str) -> bool {
    old_name != new_name || old_code != new_code
}

/// Who decides an application to `school`: that school's admin only (a college admin reads
/// its school's list; the province freezes rather than reviews).
pub fn may_decide(scope: AdminScope, school: i64) -> bool {
    scope == AdminScope::School(school)
}

/// Who reads an employer's registration (and its 营业执照): the admins of a school it applied
/// to (school and college), and the province.
pub fn may_read(scope: AdminScope, applied_to: &[i64]) -> bool {
    match scope {
        AdminScope::Province => true,
        AdminScope::School(s) | AdminScope::College(s, _) => applied_to.contains(&s),
    }
}

/// The schools an admin's list covers: `None` for every school (the province).
pub fn list_school(scope: AdminScope) -> Option<i64> {
    match scope {
        AdminScope::Province => None,
        AdminScope::School(s) | AdminScope::College(s, _) => Some(s),
    }
}

/// 冻结 / 解冻 by the province: freezing needs a reason; a state is not set twice.
pub fn freeze(frozen_now: bool, freeze: bool, reason: &str) -> Result<String, AppError> {
    match (frozen_now, freeze) {
        (true, true) => return Err(AppError::conflict("该单位已冻结")),
        (false, false) => return Err(AppError::conflict("该单位未冻结")),
        _ => {}
    }
    let reason = ids::normalize(reason);
    if freeze && reason.is_empty() {
        return Err(AppError::invalid("请填写冻结原因"));
    }
    text::single_line(&reason, "原因")?;
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("原因不能超过200字"));
    }
    Ok(reason)
}

/// The login door's answer to a frozen employer (told only once the password is right).
pub fn frozen_login_message(reason: &str) -> AppError {
    AppError::conflict(format!(
        "你单位的账号已被省中心冻结，不能登录（原因：{reason}）。如有疑问请联系省就业中心"
    ))
}

/// One school to apply to, as the registration form lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolOption {
    pub id: i64,
    pub name: String,
}

/// One school's decision on the employer, as the employer and the admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub school_id: i64,
    pub school: String,
    pub status: ApprovalStatus,
    pub reason: String,
    pub reviewed_at: Option<String>,
}

/// The employer's own registration: what is still to do, and each school's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationState {
    pub employer_id: i64,
    pub name: String,
    pub email: String,
    pub email_confirmed: bool,
    pub licence: Option<LicenceType>,
    pub frozen: Option<String>,
    pub approvals: Vec<ApprovalView>,
}

/// A row of 用人单位审核: one employer's application to one school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub employer_id: i64,
    pub name: String,
    pub credit_code: String,
    pub region: String,
    pub school_id: i64,
    pub school: String,
    pub status: ApprovalStatus,
    pub applied_at: String,
    pub frozen: bool,
    /// The caller may decide it now (its own school's, pending).
    pub decidable: bool,
}

/// The list's filter (`filter[…]` on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewFilter {
    /// `pending`, `approved`, `rejected`; empty for all.
    pub status: String,
    /// A name fragment or a 统一社会信用代码.
    pub q: String,
    /// From 1.
    pub page: u64,
}

pub const REVIEW_PAGE_SIZE: u64 = 20;

impl ReviewFilter {
    /// The status asked for, the search text, the page (from 1).
    pub fn checked(&self) -> Result<(Option<ApprovalStatus>, String, u64), AppError> {
        let status = match self.status.as_str() {
            "" => None,
            s => Some(ApprovalStatus::parse(s).ok_or_else(|| AppError::invalid("审核状态无效"))?),
        };
        let q = ids::normalize(&self.q);
        text::single_line(&q, "单位名称或信用代码")?;
        if q.chars().count() > 50 {
            return Err(AppError::invalid("单位名称或信用代码不能超过50字"));
        }
        if self.page > 100_000 {
            return Err(AppError::invalid("页码无效"));
        }
        Ok((status, q, self.page.max(1)))
    }
}

/// One employer's registration as an admin sees it: its information, each school's decision
/// (of the schools in the admin's reach), and its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerReview {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub nature: String,
    pub industry: String,
    pub region: String,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub email: String,
    pub licence: Option<LicenceType>,
    pub frozen: Option<String>,
    pub approvals: Vec<ApprovalView>,
    /// Its own school's application may be decided by the caller now.
    pub decidable: bool,
    pub may_freeze: bool,
    /// 变更记录: (time, who, what, reason).
    pub log: Vec<(String, String, String, String)>,
}

/// One row's outcome of a (bulk) review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewOutcome {
    pub employer_id: i64,
    pub name: String,
    /// `Ok(new status label)` or the refusal's message.
    pub result: Result<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> Registration {
        Registration {
            name: "江汉智造有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            nature: "其他企业".into(),
            industry: "制造业".into(),
            region: "湖北省武汉市".into(),
            address: "武汉市东湖高新区光谷大道1号".into(),
            contact_person: "王经理".into(),
            contact_phone: "027-87654321".into(),
            email: "hr@jhzz.example.com".into(),
            login: "jhzz".into(),
            password: "Register2026".into(),
            password_again: "Register2026".into(),
            school_ids: vec![2, 1, 2],
        }
    }

    #[test]
    fn a_complete_registration_is_accepted_trimmed_and_its_schools_deduplicated() {
        let mut r = complete();
        r.name = "  江汉智造有限公司　".into();
        r.credit_code = "91350100m000100y43".into();
        let ok = r.validated().unwrap();
        assert_eq!(ok.name, "江汉智造有限公司");
        assert_eq!(ok.credit_code, "91350100M000100Y43");
        assert_eq!(ok.school_ids, vec![1, 2]);
    }

    #[test]
    fn every_problem_is_reported_at_its_own_field() {
        let r = Registration {
            credit_code: "91350100M000100Y44".into(),
            email: "hr.example.com".into(),
            login: "a b".into(),
            password: "short1".into(),
            password_again: "short1".into(),
            school_ids: vec![],
            nature: "外星企业".into(),
            ..complete()
        };
        let msg = r.validated().unwrap_err().message();
        let by_field = problems_by_field(&msg);
        let at = |k: &str| by_field.iter().find(|(f, _)| *f == Some(k)).map(|(_, p)| p.clone());
        assert_eq!(at("credit_code").as_deref(), Some("校验位不正确"));
        assert_eq!(at("email").as_deref(), Some("格式不正确"));
        assert_eq!(at("login").as_deref(), Some("应为3至32位字母、数字或下划线"));
        assert_eq!(at("password").as_deref(), Some("密码至少8位"));
        assert_eq!(at("school_ids").as_deref(), Some("请至少选择一所学校"));
        assert_eq!(at("nature").as_deref(), Some("请从列表中选择"));
        assert_eq!(at("name"), None);
    }

    #[test]
    fn a_missing_field_a_line_break_or_unequal_passwords_are_refused() {
        let r = Registration {
            name: " ".into(),
            ..complete()
        };
        assert_eq!(r.validated().unwrap_err().message(), "单位名称：请填写");
        let r = Registration {
            address: "武汉市\r\n光谷".into(),
            ..complete()
        };
        assert_eq!(
            r.validated().unwrap_err().message(),
            "单位地址：不能包含换行符或控制字符"
        );
        let r = Registration {
            password_again: "Register2027".into(),
            ..complete()
        };
        assert_eq!(r.validated().unwrap_err().message(), "确认密码：两次输入的新密码不一致");
        let r = Registration {
            password: "jhzz".into(),
            password_again: "jhzz".into(),
            ..complete()
        };
        assert!(r.validated().unwrap_err().message().starts_with("登录密码："));
    }

    #[test]
    fn a_licence_is_a_jpeg_png_or_pdf_by_its_content_and_at_most_10_mb() {
        assert_eq!(LicenceType::sniff(b"%PDF-1.7 ..."), Ok(LicenceType::Pdf));
        assert_eq!(LicenceType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Ok(LicenceType::Jpeg));
        assert_eq!(LicenceType::sniff(b"\x89PNG\r\n\x1a\n...."), Ok(LicenceType::Png));
        assert_eq!(
            LicenceType::sniff(b"<html>not a licence</html>").unwrap_err().message(),
            "营业执照：只接受 JPEG、PNG 图片或 PDF 文件"
        );
        assert_eq!(LicenceType::sniff(b"").unwrap_err().message(), "营业执照：请选择文件");
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_LICENCE_BYTES + 1, b' ');
        assert_eq!(
            LicenceType::sniff(&big).unwrap_err().message(),
            "营业执照：文件不能超过10 MB"
        );
        for t in [LicenceType::Jpeg, LicenceType::Png, LicenceType::Pdf] {
            assert_eq!(LicenceType::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn only_a_pending_application_is_decided_and_a_rejection_needs_a_reason() {
        assert_eq!(
            review(ApprovalStatus::Pending, true, "ignored"),
            Ok((ApprovalStatus::Approved, String::new()))
        );
        assert_eq!(
            review(ApprovalStatus::Pending, false, " 营业执照不清晰 "),
            Ok((ApprovalStatus::Rejected, "营业执照不清晰".into()))
        );
        assert_eq!(
            review(ApprovalStatus::Pending, false, "  ").unwrap_err().message(),
            "请填写审核不通过的原因"
        );
        assert_eq!(
            review(ApprovalStatus::Approved, false, "x").unwrap_err().message(),
            "该单位已审核通过，不能重复审核"
        );
        assert!(review(ApprovalStatus::Rejected, true, "").is_err());
    }

    #[test]
    fn applying_again_reopens_a_rejection_and_leaves_pending_or_approved_ones() {
        assert_eq!(apply_again(None), Some(ApprovalStatus::Pending));
        assert_eq!(
            apply_again(Some(ApprovalStatus::Rejected)),
            Some(ApprovalStatus::Pending)
        );
        assert_eq!(apply_again(Some(ApprovalStatus::Pending)), None);
        assert_eq!(apply_again(Some(ApprovalStatus::Approved)), None);
    }

    #[test]
    fn a_new_name_or_credit_code_is_reviewed_again_and_other_edits_are_not() {
        assert!(needs_new_review("甲公司", "A", "乙公司", "A"));
        assert!(needs_new_review("甲公司", "A", "甲公司", "B"));
        assert!(!needs_new_review("甲公司", "A", "甲公司", "A"));
    }

    #[test]
    fn only_the_school_applied_to_decides_and_its_colleges_and_the_province_read() {
        assert!(may_decide(AdminScope::School(1), 1));
        assert!(!may_decide(AdminScope::School(2), 1));
        assert!(!may_decide(AdminScope::College(1, 11), 1));
        assert!(!may_decide(AdminScope::Province, 1));
        assert!(may_read(AdminScope::College(1, 11), &[1, 3]));
        assert!(!may_read(AdminScope::School(2), &[1, 3]));
        assert!(may_read(AdminScope::Province, &[]));
    }

    #[test]
    fn freezing_needs_a_reason_and_is_not_done_twice() {
        assert_eq!(freeze(false, true, " 虚假招聘 "), Ok("虚假招聘".into()));
        assert_eq!(freeze(false, true, "").unwrap_err().message(), "请填写冻结原因");
        assert_eq!(freeze(true, true, "x").unwrap_err().message(), "该单位已冻结");
        assert_eq!(freeze(true, false, ""), Ok(String::new()));
        assert_eq!(freeze(false, false, "").unwrap_err().message(), "该单位未冻结");
    }

    #[test]
    fn the_review_filter_refuses_an_unknown_status() {
        let f = ReviewFilter {
            status: "maybe".into(),
            ..Default::default()
        };
        assert_eq!(f.checked().unwrap_err().message(), "审核状态无效");
        let f = ReviewFilter {
            status: "pending".into(),
            q: " 江汉 ".into(),
            page: 0,
        };
        assert_eq!(f.checked(), Ok((Some(ApprovalStatus::Pending), "江汉".into(), 1)));
    }
}
