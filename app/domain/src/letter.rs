//! The 邀请函 (invitation letter): 签约信息, 档案接收信息, 户口接收信息 and the 应约期限. The
//! agreement made from it carries the same fields, and so does the 电子协议书.

use serde::{Deserialize, Serialize};

use crate::{employer::EmployerInfo, ids, text, AppError};

/// 应约期限 when the employer does not choose one (manual: 5 days).
pub const DEFAULT_DEADLINE_DAYS: u32 = 5;
/// Longest 应约期限 an employer may set.
pub const MAX_DEADLINE_DAYS: u32 = 30;

/// A field left out of a request takes its value from `Letter::default()` (blank, and the
/// default 应约期限), so an explicit `deadline_days=0` stays 0 and is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Letter {
    /// 拟聘职位
    pub position: String,
    /// 岗位类别
    pub job_category: String,
    /// 工作地点
    pub work_place: String,
    /// 月薪
    pub salary: String,
    /// 合同期限
    pub contract_term: String,
    /// 试用期
    pub probation: String,
    /// 其他约定
    pub other_terms: String,
    pub archive_unit: String,
    pub archive_address: String,
    pub archive_postcode: String,
    pub archive_contact: String,
    pub archive_phone: String,
    pub hukou_address: String,
    pub hukou_unit: String,
    /// 应约期限 in days from sending.
    pub deadline_days: u32,
}

impl Default for Letter {
    fn default() -> Self {
        Letter {
            position: String::new(),
            job_category: String::new(),
            work_place: String::new(),
            salary: String::new(),
            contract_term: String::new(),
            probation: String::new(),
            other_terms: String::new(),
            archive_unit: String::new(),
            archive_address: String::new(),
            archive_postcode: String::new(),
            archive_contact: String::new(),
            archive_phone: String::new(),
            hukou_address: String::new(),
            hukou_unit: String::new(),
            deadline_days: DEFAULT_DEADLINE_DAYS,
        }
    }
}

impl Letter {
    /// A blank letter with the employer's confirmed receivers filled in.
    pub fn prefilled(info: &EmployerInfo) -> Self {
        Letter {
            archive_unit: info.archive_unit.clone(),
            archive_address: info.archive_address.clone(),
            archive_postcode: info.archive_postcode.clone(),
            archive_contact: info.archive_contact.clone(),
            archive_phone: info.archive_phone.clone(),
            hukou_address: info.hukou_address.clone(),
            hukou_unit: info.hukou_unit.clone(),
            deadline_days: DEFAULT_DEADLINE_DAYS,
            ..Default::default()
        }
    }

    /// Trims every field and checks it; the first problem is reported in Chinese.
    pub fn validated(mut self) -> Result<Self, AppError> {
        for f in [
            &mut self.position,
            &mut self.job_category,
            &mut self.work_place,
            &mut self.salary,
            &mut self.contract_term,
            &mut self.probation,
            &mut self.other_terms,
            &mut self.archive_unit,
            &mut self.archive_address,
            &mut self.archive_postcode,
            &mut self.archive_contact,
            &mut self.archive_phone,
            &mut self.hukou_address,
            &mut self.hukou_unit,
        ] {
            *f = ids::normalize(f);
        }
        let required = [
            (&self.position, "拟聘职位"),
            (&self.job_category, "岗位类别"),
            (&self.work_place, "工作地点"),
            (&self.salary, "月薪"),
            (&self.contract_term, "合同期限"),
            (&self.archive_unit, "档案接收单位"),
            (&self.archive_address, "档案接收地址"),
            (&self.archive_postcode, "档案接收邮编"),
            (&self.hukou_address, "户口迁移地址"),
            (&self.hukou_unit, "户口接收单位"),
        ];
        if let Some((_, label)) = required.iter().find(|(v, _)| v.is_empty()) {
            return Err(AppError::invalid(format!("请填写{label}")));
        }
        let limits = [(&self.other_terms, "其他约定", 1000)];
        for (v, label, max) in limits {
            if v.chars().count() > max {
                return Err(AppError::invalid(format!("{label}不能超过{max}字")));
            }
        }
        for (v, label) in [
            (&self.position, "拟聘职位"),
            (&self.job_category, "岗位类别"),
            (&self.work_place, "工作地点"),
            (&self.salary, "月薪"),
            (&self.contract_term, "合同期限"),
            (&self.probation, "试用期"),
            (&self.archive_unit, "档案接收单位"),
            (&self.archive_address, "档案接收地址"),
            (&self.archive_contact, "档案接收联系人"),
            (&self.archive_phone, "档案接收联系电话"),
            (&self.hukou_address, "户口迁移地址"),
            (&self.hukou_unit, "户口接收单位"),
        ] {
            if v.chars().count() > 100 {
                return Err(AppError::invalid(format!("{label}不能超过100字")));
            }
            text::single_line(v, label)?;
        }
        text::single_line(&self.archive_postcode, "档案接收邮编")?;
        text::multi_line(&self.other_terms, "其他约定")?;
        if !(self.archive_postcode.len() == 6 && self.archive_postcode.bytes().all(|b| b.is_ascii_digit())) {
            return Err(AppError::invalid("档案接收邮编应为6位数字"));
        }
        if !(1..=MAX_DEADLINE_DAYS).contains(&self.deadline_days) {
            return Err(AppError::invalid(format!("应约期限应为1至{MAX_DEADLINE_DAYS}天")));
        }
        Ok(self)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn complete() -> Letter {
        Letter {
            position: "软件工程师".into(),
            job_category: "专业技术人员".into(),
            work_place: "湖北省武汉市".into(),
            salary: "12000".into(),
            contract_term: "3年".into(),
            probation: "3个月".into(),
            other_terms: String::new(),
            archive_unit: "武汉市人才服务中心".into(),
            archive_address: "武汉市江岸区".into(),
            archive_postcode: "430010".into(),
            archive_contact: "李老师".into(),
            archive_phone: "02785000000".into(),
            hukou_address: "武汉市江岸区".into(),
            hukou_unit: "武汉市人才服务中心".into(),
            deadline_days: 5,
        }
    }

    #[test]
    fn a_letter_sent_without_a_deadline_gets_the_default_five_days() {
        let mut l = complete();
        l.deadline_days = Letter::default().deadline_days;
        assert_eq!(l.validated().unwrap().deadline_days, 5);
    }

    #[test]
    fn a_deadline_outside_one_to_thirty_days_is_refused() {
        for days in [0, 31] {
            let mut l = complete();
            l.deadline_days = days;
            assert_eq!(l.validated().unwrap_err().message(), "应约期限应为1至30天", "{days}");
        }
        for days in [1, 30] {
            let mut l = complete();
            l.deadline_days = days;
            assert_eq!(l.validated().unwrap().deadline_days, days);
        }
    }

    #[test]
    fn a_line_break_in_a_one_line_field_is_refused_but_other_terms_may_have_lines() {
        let mut l = complete();
        l.position = "软件工程师\n2026-01-01 INFO forged".into();
        assert_eq!(l.validated().unwrap_err().message(), "拟聘职位不能包含换行符或控制字符");
        let mut l = complete();
        l.archive_contact = "李\t老师".into();
        assert_eq!(
            l.validated().unwrap_err().message(),
            "档案接收联系人不能包含换行符或控制字符"
        );
        let mut l = complete();
        l.other_terms = "五险一金\n年终奖".into();
        assert!(l.validated().is_ok());
    }

    #[test]
    fn a_letter_missing_a_signing_field_or_with_a_long_deadline_is_refused() {
        let mut l = complete();
        l.position = "　".into();
        assert_eq!(l.validated().unwrap_err().message(), "请填写拟聘职位");
        let mut l = complete();
        l.deadline_days = 31;
        assert_eq!(l.validated().unwrap_err().message(), "应约期限应为1至30天");
        let mut l = complete();
        l.archive_postcode = "43001a".into();
        assert_eq!(l.validated().unwrap_err().message(), "档案接收邮编应为6位数字");
    }
}
