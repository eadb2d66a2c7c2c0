//! 单位基本信息, 档案接收信息 and 户口接收信息: what an employer confirms at first login and
//! what pre-fills every 邀请函.

use serde::{Deserialize, Serialize};

use crate::{ids, text, AppError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmployerInfo {
    pub name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub email: String,
    pub address: String,
    /// 单位性质
    pub nature: String,
    /// 所属行业
    pub industry: String,
    /// 档案接收单位 / 地址 / 邮编 / 联系人 / 电话
    pub archive_unit: String,
    pub archive_address: String,
    pub archive_postcode: String,
    pub archive_contact: String,
    pub archive_phone: String,
    /// 户口迁移地址 / 户口接收单位
    pub hukou_address: String,
    pub hukou_unit: String,
    /// Set once the employer has confirmed (first login).
    pub confirmed: bool,
}

impl EmployerInfo {
    /// Trims every field and checks it; the first problem is reported in Chinese.
    pub fn validated(mut self) -> Result<Self, AppError> {
        for f in [
            &mut self.name,
            &mut self.credit_code,
            &mut self.contact_person,
            &mut self.contact_phone,
            &mut self.email,
            &mut self.address,
            &mut self.nature,
            &mut self.industry,
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
            (&self.name, "单位名称"),
            (&self.contact_person, "联系人"),
            (&self.contact_phone, "联系电话"),
            (&self.address, "单位地址"),
            (&self.archive_unit, "档案接收单位"),
            (&self.archive_address, "档案接收地址"),
            (&self.archive_postcode, "档案接收邮编"),
            (&self.archive_contact, "档案接收联系人"),
            (&self.archive_phone, "档案接收联系电话"),
            (&self.hukou_address, "户口迁移地址"),
            (&self.hukou_unit, "户口接收单位"),
        ];
        if let Some((_, label)) = required.iter().find(|(v, _)| v.is_empty()) {
            return Err(AppError::invalid(format!("请填写{label}")));
        }
        for (v, label) in required.iter().chain(&[
            (&self.email, "电子邮箱"),
            (&self.nature, "单位性质"),
            (&self.industry, "所属行业"),
        ]) {
            text::single_line(v, label)?;
            if v.chars().count() > 100 {
                return Err(AppError::invalid(format!("{label}不能超过100字")));
            }
        }
        self.credit_code = ids::validate_credit_code(&self.credit_code).map_err(AppError::invalid)?;
        if !(self.archive_postcode.len() == 6 && self.archive_postcode.bytes().all(|b| b.is_ascii_digit())) {
            return Err(AppError::invalid("档案接收邮编应为6位数字"));
        }
        for (phone, label) in [
            (&self.contact_phone, "联系电话"),
            (&self.archive_phone, "档案接收联系电话"),
        ] {
            let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
            if !(7..=20).contains(&digits) || !phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') {
                return Err(AppError::invalid(format!("{label}格式不正确")));
            }
        }
        if !self.email.is_empty() && !self.email.contains('@') {
            return Err(AppError::invalid("电子邮箱格式不正确"));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn complete() -> EmployerInfo {
        EmployerInfo {
            name: "华中数智科技有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            contact_person: "王经理".into(),
            contact_phone: "027-87654321".into(),
            email: "hr@example.com".into(),
            address: "武汉市东湖高新区".into(),
            nature: "其他企业".into(),
            industry: "软件和信息技术服务业".into(),
            archive_unit: "武汉市人才服务中心".into(),
            archive_address: "武汉市江岸区".into(),
            archive_postcode: "430010".into(),
            archive_contact: "李老师".into(),
            archive_phone: "02785000000".into(),
            hukou_address: "武汉市江岸区".into(),
            hukou_unit: "武汉市人才服务中心".into(),
            confirmed: false,
        }
    }

    #[test]
    fn complete_information_with_a_valid_credit_code_is_accepted() {
        let mut info = complete();
        info.name = "  华中数智科技有限公司　".into();
        assert_eq!(info.validated().unwrap().name, "华中数智科技有限公司");
    }

    #[test]
    fn a_missing_field_or_bad_credit_code_is_named_in_the_error() {
        let mut info = complete();
        info.hukou_unit = " ".into();
        assert_eq!(info.validated().unwrap_err().message(), "请填写户口接收单位");
        let mut info = complete();
        info.credit_code = "91350100M000100Y44".into();
        assert_eq!(info.validated().unwrap_err().message(), "统一社会信用代码校验位不正确");
        let mut info = complete();
        info.address = "武汉市\r\n东湖高新区".into();
        assert_eq!(
            info.validated().unwrap_err().message(),
            "单位地址不能包含换行符或控制字符"
        );
        let mut info = complete();
        info.archive_postcode = "4300".into();
        assert_eq!(info.validated().unwrap_err().message(), "档案接收邮编应为6位数字");
    }
}
