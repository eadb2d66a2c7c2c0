//! Free text a user types. A one-line field (a name, a 职位, an address) never holds a control
//! character: a line break in it would start a forged line wherever the value is printed — the
//! server log (where mail and SMS go without an SMTP server), a mail, the 电子协议书. Multi-line
//! fields (reasons, 其他约定) may break lines, and nothing else.

use crate::AppError;

/// Refuses any control character (`\n`, `\r`, `\t`, NUL, DEL, C1 …) in a one-line field, and
/// the Unicode line and paragraph separators.
pub fn single_line(value: &str, label: &str) -> Result<(), AppError> {
    if value
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Err(AppError::invalid(format!("{label}不能包含换行符或控制字符")));
    }
    Ok(())
}

/// Refuses control characters other than line breaks (`\n`, `\r\n`) in a multi-line field.
pub fn multi_line(value: &str, label: &str) -> Result<(), AppError> {
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(AppError::invalid(format!("{label}不能包含控制字符")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_line_field_refuses_line_breaks_tabs_and_other_control_characters() {
        assert!(single_line("软件工程师 (Java)　二级", "拟聘职位").is_ok());
        for bad in [
            "软件\n工程师",
            "软件\r工程师",
            "软件\t工程师",
            "a\u{0}b",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{1b}[31m",
            "a\u{2028}b",
        ] {
            assert_eq!(
                single_line(bad, "拟聘职位").unwrap_err().message(),
                "拟聘职位不能包含换行符或控制字符",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_multi_line_field_takes_line_breaks_but_no_other_control_character() {
        assert!(multi_line("第一行\r\n第二行\n", "解约原因").is_ok());
        assert_eq!(
            multi_line("a\u{0}b", "解约原因").unwrap_err().message(),
            "解约原因不能包含控制字符"
        );
        assert!(multi_line("a\tb", "解约原因").is_err());
    }
}
