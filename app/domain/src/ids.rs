//! Validation and masking of the identity numbers the system handles.

/// 居民身份证号: 17 digits + ISO 7064 MOD 11-2 check character (0-9 or X).
/// Returns the normalised form (upper-case X) or a message saying what is wrong.
pub fn validate_id_number(raw: &str) -> Result<String, &'static str> {
    let s = normalize(raw).to_ascii_uppercase();
    if s.len() != 18 {
        return Err("身份证号应为18位");
    }
    let bytes = s.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err("身份证号前17位应为数字");
    }
    if id_check_char(&s[..17]) != Some(bytes[17] as char) {
        return Err("身份证号校验位不正确");
    }
    Ok(s)
}

/// The check character for the first 17 digits of a 身份证号.
pub fn id_check_char(first17: &str) -> Option<char> {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (ch, w) in first17.chars().zip(W) {
        sum += ch.to_digit(10)? * w;
    }
    Some(C[(sum % 11) as usize])
}

/// 统一社会信用代码 (GB 32100-2015): 18 characters from the code's alphabet; the last one is a
/// check character over the first 17 (weights 3^i mod 31).
pub fn validate_credit_code(raw: &str) -> Result<String, &'static str> {
    let s = normalize(raw).to_ascii_uppercase();
    if s.chars().count() != 18 {
        return Err("统一社会信用代码应为18位");
    }
    let values: Option<Vec<u32>> = s.chars().map(credit_char_value).collect();
    let Some(values) = values else {
        return Err("统一社会信用代码含有无效字符");
    };
    if credit_check_value(&values[..17]) != values[17] {
        return Err("统一社会信用代码校验位不正确");
    }
    Ok(s)
}

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn credit_char_value(c: char) -> Option<u32> {
    CREDIT_ALPHABET.find(c).map(|i| i as u32)
}

fn credit_check_value(first17: &[u32]) -> u32 {
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: u32 = first17.iter().zip(W).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// Completes a 17-character prefix into a valid 统一社会信用代码 (used for demo data and tests).
pub fn credit_code_with_check(first17: &str) -> Option<String> {
    let values: Option<Vec<u32>> = first17.chars().map(credit_char_value).collect();
    let values = values.filter(|v| v.len() == 17)?;
    let check = CREDIT_ALPHABET.chars().nth(credit_check_value(&values) as usize)?;
    Some(format!("{first17}{check}"))
}

/// Mainland mobile number: 11 digits starting with 1.
pub fn validate_phone(raw: &str) -> Result<String, &'static str> {
    let s = normalize(raw);
    if s.len() == 11 && s.starts_with('1') && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s)
    } else {
        Err("手机号应为11位数字")
    }
}

/// Trims ASCII and full-width spaces (as pasted from Excel or an IME).
pub fn normalize(raw: &str) -> String {
    raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_string()
}

/// 420106********123X — lists never show a whole 身份证号 (SPEC rule 6).
pub fn mask_id_number(id: &str) -> String {
    mask(id, 6, 4)
}

/// 138****0000
pub fn mask_phone(phone: &str) -> String {
    mask(phone, 3, 4)
}

fn mask(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_with_correct_check_digit_is_accepted_and_normalised() {
        // 11010519491231002X is the standard's own example.
        assert_eq!(
            validate_id_number(" 11010519491231002x ").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(id_check_char("42010620040101001"), Some('4'));
        assert!(validate_id_number("420106200401010014").is_ok());
    }

    #[test]
    fn id_number_with_wrong_check_digit_or_length_is_refused() {
        assert_eq!(validate_id_number("110105194912310021"), Err("身份证号校验位不正确"));
        assert_eq!(validate_id_number("1101051949"), Err("身份证号应为18位"));
        assert_eq!(validate_id_number("11010519491231A02X"), Err("身份证号前17位应为数字"));
    }

    #[test]
    fn credit_code_check_character_follows_gb32100() {
        // A published code: 91350100M000100Y43.
        assert!(validate_credit_code("91350100M000100Y43").is_ok());
        assert_eq!(
            validate_credit_code("91350100M000100Y44"),
            Err("统一社会信用代码校验位不正确")
        );
        assert_eq!(
            validate_credit_code("91350100M000100YI3"),
            Err("统一社会信用代码含有无效字符")
        );
        let made = credit_code_with_check("91420100MA4K00001").unwrap();
        assert!(validate_credit_code(&made).is_ok());
    }

    #[test]
    fn phones_must_be_eleven_digits() {
        assert!(validate_phone("13800138000").is_ok());
        assert!(validate_phone("1380013800").is_err());
        assert!(validate_phone("23800138000").is_err());
    }

    #[test]
    fn masking_hides_the_middle() {
        assert_eq!(mask_id_number("42010620040101001X"), "420106********001X");
        assert_eq!(mask_phone("13800138000"), "138****8000");
    }
}
