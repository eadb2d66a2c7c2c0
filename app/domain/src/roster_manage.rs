//! 生源管理: what a school or college admin does to the saved records of its roster besides
//! editing their fields (those are `roster::check`'s): 生源审核 and 限制签约 / 解除限制, how the
//! list's 姓名/身份证号 box is read, and how a refused record's problems go back beside their
//! fields. Only an approved, unrestricted record may sign (SPEC rule 4, `flow::Standing`).

use crate::{
    ids::normalize,
    roster::{self, COLUMNS},
    status::RosterStatus,
    text, AppError,
};

/// The history's words (签约过程记录) for these actions.
pub const APPROVED: &str = "生源审核通过";
pub const RESTRICTED: &str = "限制签约";
pub const UNRESTRICTED: &str = "解除限制";

/// Most records approved in one request (a page holds 20; "select all" of a filter is not offered).
pub const MAX_BATCH: usize = 500;

/// 生源审核: a 待审核 record becomes 已审核. `None` for one approved already: a batch reports it
/// and goes on.
pub fn approve(status: RosterStatus) -> Option<RosterStatus> {
    match status {
        RosterStatus::Pending => Some(RosterStatus::Approved),
        RosterStatus::Approved => None,
    }
}

/// 限制签约 (`restrict`) or 解除限制 of a record now `restricted` or not: the reason is required
/// (the student is told why), and the record must be in the other state. Answers the history's
/// action.
pub fn restriction(restricted: bool, restrict: bool, reason: &str) -> Result<&'static str, AppError> {
    if restricted && restrict {
        return Err(AppError::conflict("该学生已被限制签约"));
    }
    if !restricted && !restrict {
        return Err(AppError::conflict("该学生未被限制签约，无需解除"));
    }
    let what = if restrict { "限制原因" } else { "解除原因" };
    if reason.trim().is_empty() {
        return Err(AppError::invalid(format!("请填写{what}")));
    }
    text_reason(reason, what)?;
    Ok(if restrict { RESTRICTED } else { UNRESTRICTED })
}

/// The optional 原因 of a 修改 (multi-line, at most 500 characters).
pub fn edit_reason(reason: &str) -> Result<String, AppError> {
    text_reason(reason, "修改原因")?;
    Ok(reason.trim().to_owned())
}

fn text_reason(reason: &str, what: &str) -> Result<(), AppError> {
    if reason.chars().count() > 500 {
        return Err(AppError::invalid(format!("{what}不能超过500字")));
    }
    text::multi_line(reason, what)
}

/// What the list's 姓名/身份证号 box asks for: both are matched exactly (an index lookup, and
/// no browsing by fragments of a number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    Any,
    Name(String),
    IdNumber(String),
}

/// Letters and digits only, with a digit: a 身份证号 (upper-case X); anything else is a name.
pub fn search(raw: &str) -> Result<Search, AppError> {
    let s = normalize(raw);
    if s.is_empty() {
        return Ok(Search::Any);
    }
    text::single_line(&s, "姓名或身份证号")?;
    if s.chars().count() > 30 {
        return Err(AppError::invalid("姓名或身份证号不能超过30个字"));
    }
    if s.chars().all(|c| c.is_ascii_alphanumeric()) && s.chars().any(|c| c.is_ascii_digit()) {
        return Ok(Search::IdNumber(s.to_ascii_uppercase()));
    }
    Ok(Search::Name(s))
}

/// A refused record's message (`roster::describe`: the problems joined by "；", each starting
/// with its field's label) split back into (field, problem); `None` for a part that names no
/// field (a conflict such as 该学生2027届的生源已在其他学校登记), shown above the form.
pub fn problems_by_field(message: &str) -> Vec<(Option<&'static str>, String)> {
    message
        .split('；')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let field = COLUMNS.iter().copied().find(|f| part.starts_with(f));
            let text = match field {
                Some(f) => part[f.len()..].trim_start_matches('：').to_owned(),
                None => part.to_owned(),
            };
            (field, if text.is_empty() { part.to_owned() } else { text })
        })
        .collect()
}

/// The fields of a record in [`COLUMNS`] order (the export's cells, the form's values).
pub fn cells(r: &roster::RosterInput) -> [&str; 11] {
    [
        &r.college,
        &r.major,
        &r.degree,
        &r.graduation_year,
        &r.name,
        &r.gender,
        &r.id_number,
        &r.phone,
        &r.email,
        &r.training_mode,
        &r.origin,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_turns_pending_into_approved_and_leaves_approved_ones_to_be_reported() {
        assert_eq!(approve(RosterStatus::Pending), Some(RosterStatus::Approved));
        assert_eq!(approve(RosterStatus::Approved), None);
    }

    #[test]
    fn restricting_needs_a_reason_and_the_other_state() {
        assert_eq!(restriction(false, true, "未缴清学费"), Ok(RESTRICTED));
        assert_eq!(restriction(true, false, "已缴清"), Ok(UNRESTRICTED));
        assert_eq!(restriction(false, true, "  ").unwrap_err().message(), "请填写限制原因");
        assert_eq!(restriction(true, false, "").unwrap_err().message(), "请填写解除原因");
        assert_eq!(
            restriction(true, true, "又一次").unwrap_err().message(),
            "该学生已被限制签约"
        );
        assert!(restriction(false, false, "x").is_err());
        assert!(restriction(false, true, &"长".repeat(501)).is_err());
        assert!(restriction(false, true, "第一行\n第二行").is_ok());
        assert!(restriction(false, true, "a\u{0}b").is_err());
    }

    #[test]
    fn an_edit_reason_is_optional_but_bounded() {
        assert_eq!(edit_reason("  ").unwrap(), "");
        assert_eq!(edit_reason(" 学生申请更正 ").unwrap(), "学生申请更正");
        assert!(edit_reason("\u{1b}[31m").is_err());
    }

    #[test]
    fn the_search_box_reads_an_id_number_or_a_name() {
        assert_eq!(search(" ").unwrap(), Search::Any);
        assert_eq!(
            search("42010620040101100x").unwrap(),
            Search::IdNumber("42010620040101100X".into())
        );
        assert_eq!(search("张明").unwrap(), Search::Name("张明".into()));
        assert_eq!(search("Alice").unwrap(), Search::Name("Alice".into()));
        assert!(search("张\n明").is_err());
    }

    #[test]
    fn a_refusal_is_split_back_into_the_fields_it_names() {
        let msg = "身份证号校验位不正确；手机号应为11位数字；性别：与身份证号不符";
        assert_eq!(
            problems_by_field(msg),
            vec![
                (Some("身份证号"), "校验位不正确".to_owned()),
                (Some("手机号"), "应为11位数字".to_owned()),
                (Some("性别"), "与身份证号不符".to_owned()),
            ]
        );
        assert_eq!(
            problems_by_field("该学生2027届的生源已在其他学校登记"),
            vec![(None, "该学生2027届的生源已在其他学校登记".to_owned())]
        );
    }
}
