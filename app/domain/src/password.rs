//! What a password must be (every role's 修改密码, and the first password after a reset).

use crate::AppError;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 64;

/// A new password: 8–64 characters, at least one letter and one digit, no spaces or control
/// characters, not the login itself, and different from the old one.
pub fn check_new(login: &str, old: &str, new: &str, again: &str) -> Result<(), AppError> {
    if new != again {
        return Err(AppError::invalid("两次输入的新密码不一致"));
    }
    let n = new.chars().count();
    if n < MIN_CHARS {
        return Err(AppError::invalid(format!("新密码至少{MIN_CHARS}位")));
    }
    if n > MAX_CHARS {
        return Err(AppError::invalid(format!("新密码不能超过{MAX_CHARS}位")));
    }
    if new.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AppError::invalid("新密码不能包含空格或控制字符"));
    }
    if !new.chars().any(|c| c.is_ascii_alphabetic()) || !new.chars().any(|c| c.is_ascii_digit()) {
        return Err(AppError::invalid("新密码须同时包含字母和数字"));
    }
    if new.eq_ignore_ascii_case(login.trim()) {
        return Err(AppError::invalid("新密码不能与账号相同"));
    }
    if new == old {
        return Err(AppError::invalid("新密码不能与原密码相同"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(login: &str, old: &str, new: &str, again: &str) -> String {
        check_new(login, old, new, again).unwrap_err().message()
    }

    #[test]
    fn a_new_password_has_eight_characters_letters_and_digits() {
        assert!(check_new("jcdx_admin", "Demo@2026", "Season2027", "Season2027").is_ok());
        assert_eq!(refused("a", "x", "abc123", "abc123"), "新密码至少8位");
        assert_eq!(refused("a", "x", "abcdefgh", "abcdefgh"), "新密码须同时包含字母和数字");
        assert_eq!(refused("a", "x", "12345678", "12345678"), "新密码须同时包含字母和数字");
        assert_eq!(
            refused("a", "x", "abcd 1234", "abcd 1234"),
            "新密码不能包含空格或控制字符"
        );
        assert_eq!(
            refused("a", "x", &"a1".repeat(33), &"a1".repeat(33)),
            "新密码不能超过64位"
        );
    }

    #[test]
    fn a_new_password_is_typed_twice_and_is_neither_the_login_nor_the_old_one() {
        assert_eq!(refused("a", "x", "Season2027", "Season2028"), "两次输入的新密码不一致");
        assert_eq!(
            refused("admin2027", "x", "ADMIN2027", "ADMIN2027"),
            "新密码不能与账号相同"
        );
        assert_eq!(
            refused("a", "Season2027", "Season2027", "Season2027"),
            "新密码不能与原密码相同"
        );
    }
}
