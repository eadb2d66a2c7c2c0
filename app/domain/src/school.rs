//! 学校管理 and the admin accounts admins make for each other: what a school and an account
//! must look like, and who may manage whose account.

use serde::{Deserialize, Serialize};

use crate::{role::AdminScope, AppError, Role};

/// A school as the province admin enters it: the 5-digit national 院校代码 and its name.
pub fn check_school(code: &str, name: &str) -> Result<(String, String), AppError> {
    let code = crate::ids::normalize(code);
    let name = crate::ids::normalize(name);
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("院校代码应为5位数字"));
    }
    if name.is_empty() {
        return Err(AppError::invalid("请填写学校名称"));
    }
    if name.chars().count() > 50 {
        return Err(AppError::invalid("学校名称不能超过50字"));
    }
    crate::text::single_line(&name, "学校名称")?;
    Ok((code, name))
}

/// A 学院 as its school's admin names it (unique within the school: the database's
/// `ux_colleges_school_name`).
pub fn check_college_name(name: &str) -> Result<String, AppError> {
    let name = crate::ids::normalize(name);
    if name.is_empty() {
        return Err(AppError::invalid("请填写学院名称"));
    }
    if name.chars().count() > 50 {
        return Err(AppError::invalid("学院名称不能超过50字"));
    }
    crate::text::single_line(&name, "学院名称")?;
    Ok(name)
}

/// An admin account's login: 3–32 letters, digits and underscores (typed at every login).
pub fn check_login(login: &str) -> Result<String, AppError> {
    let login = crate::ids::normalize(login);
    let n = login.chars().count();
    if !(3..=32).contains(&n) || !login.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(AppError::invalid("账号应为3至32位字母、数字或下划线"));
    }
    Ok(login)
}

/// The name shown in the header and the 签约过程记录 (e.g. 江城大学就业指导中心).
pub fn check_display_name(name: &str) -> Result<String, AppError> {
    let name = crate::ids::normalize(name);
    if name.is_empty() {
        return Err(AppError::invalid("请填写名称"));
    }
    if name.chars().count() > 50 {
        return Err(AppError::invalid("名称不能超过50字"));
    }
    crate::text::single_line(&name, "名称")?;
    Ok(name)
}

/// Where an admin account sits, for deciding who manages it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminAccountPlace {
    pub role: Role,
    pub school_id: Option<i64>,
}

/// Who manages an admin account (creates it, 禁用/启用, 重置密码): the province admin manages
/// school admins; a school admin manages the college admins of its own school. Nobody manages
/// their own account this way (they use 修改密码) nor a province admin.
pub fn may_manage(manager: AdminScope, account: AdminAccountPlace) -> bool {
    match (manager, account.role) {
        (AdminScope::Province, Role::SchoolAdmin) => true,
        (AdminScope::School(s), Role::CollegeAdmin) => account.school_id == Some(s),
        _ => false,
    }
}

/// One admin account in 学校管理 / 学院管理.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminAccountRow {
    pub id: i64,
    pub login: String,
    pub role_label: String,
    pub display_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<String>,
}

/// A school with its figures (read-only for the province: students, agreements by status)
/// and its admin accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub colleges: u64,
    pub students: u64,
    /// (签约审核状态 label, count) for every status with at least one agreement.
    pub agreements: Vec<(String, u64)>,
    pub admins: Vec<AdminAccountRow>,
}

/// 学院管理 (a school admin): the school's colleges, each with its figure and its admin accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolColleges {
    pub school_id: i64,
    pub school_name: String,
    pub colleges: Vec<CollegeRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollegeRow {
    pub id: i64,
    pub name: String,
    pub students: u64,
    pub admins: Vec<AdminAccountRow>,
}

/// A password someone set for another account: shown once to the admin who set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub login: String,
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_has_a_five_digit_code_and_a_one_line_name() {
        assert_eq!(
            check_school(" 10486 ", " 武汉大学 "),
            Ok(("10486".to_owned(), "武汉大学".to_owned()))
        );
        assert!(check_school("1048", "武汉大学").is_err());
        assert!(check_school("1048a", "武汉大学").is_err());
        assert!(check_school("10486", "").is_err());
        assert!(check_school("10486", "武汉\n大学").is_err());
        assert!(check_school("10486", &"大".repeat(51)).is_err());
    }

    #[test]
    fn a_college_has_a_one_line_name_of_at_most_50_characters() {
        assert_eq!(check_college_name("　计算机学院 "), Ok("计算机学院".to_owned()));
        assert_eq!(check_college_name(" ").unwrap_err().message(), "请填写学院名称");
        assert!(check_college_name("计算机\n学院").is_err());
        assert!(check_college_name(&"院".repeat(51)).is_err());
        assert!(check_college_name(&"院".repeat(50)).is_ok());
    }

    #[test]
    fn admin_logins_are_letters_digits_and_underscores() {
        assert_eq!(check_login("whu_admin"), Ok("whu_admin".to_owned()));
        assert!(check_login("ab").is_err());
        assert!(check_login("武大管理员").is_err());
        assert!(check_login("who admin").is_err());
    }

    #[test]
    fn the_province_manages_school_admins_and_a_school_its_own_college_admins() {
        let school_admin = |s| AdminAccountPlace {
            role: Role::SchoolAdmin,
            school_id: Some(s),
        };
        let college_admin = |s| AdminAccountPlace {
            role: Role::CollegeAdmin,
            school_id: Some(s),
        };
        let province = AdminAccountPlace {
            role: Role::ProvinceAdmin,
            school_id: None,
        };
        assert!(may_manage(AdminScope::Province, school_admin(1)));
        assert!(!may_manage(AdminScope::Province, province));
        assert!(may_manage(AdminScope::School(1), college_admin(1)));
        assert!(!may_manage(AdminScope::School(1), college_admin(2)));
        assert!(!may_manage(AdminScope::School(1), school_admin(1)));
        assert!(!may_manage(AdminScope::College(1, 11), college_admin(1)));
    }
}
