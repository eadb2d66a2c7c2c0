//! 生源信息: the rules a graduate's roster record must meet, whoever enters it — a school or
//! college admin in 生源管理 (新增, 修改) or a row of the 生源导入 Excel file. One function,
//! [`check`], answers every problem of a record at once, so an import preview can list all the
//! reasons of a bad row and a form can show them beside its fields.
//!
//! The 学院 is matched by name against the colleges of the school the record is saved in; the
//! caller passes them in, which keeps this module free of I/O.

use serde::{Deserialize, Serialize};

use crate::{
    ids::{normalize, validate_id_number, validate_phone},
    AppError,
};

/// 学历, in the order the drop-downs list them.
pub const DEGREES: [&str; 4] = ["博士研究生", "硕士研究生", "本科", "专科"];
/// 性别
pub const GENDERS: [&str; 2] = ["男", "女"];
/// 培养方式 (SPEC: only 非定向 graduates may sign online, see `flow::SIGNING_TRAINING_MODE`).
pub const TRAINING_MODES: [&str; 3] = ["非定向", "定向", "委培"];

/// The columns of the roster, in the order of the 生源导入 template and of the form.
pub const COLUMNS: [&str; 11] = [
    "学院",
    "专业",
    "学历",
    "毕业届",
    "姓名",
    "性别",
    "身份证号",
    "手机号",
    "邮箱",
    "培养方式",
    "生源地",
];

/// The 毕业届 a season is for: graduates leave in summer, and the signing season for a class
/// opens in the autumn before (from September 2026 on, the season is that of 毕业届 2027).
pub fn season(year: i32, month: u32) -> i32 {
    if month >= 9 {
        year + 1
    } else {
        year
    }
}

/// A record as typed or read from a spreadsheet: every field a string, untrimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterInput {
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: String,
    pub name: String,
    pub gender: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub training_mode: String,
    pub origin: String,
}

impl RosterInput {
    /// The fields in [`COLUMNS`] order (an Excel row, or a form's values).
    pub fn from_cells(cells: &[String]) -> Self {
        let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
        Self {
            college: cell(0),
            major: cell(1),
            degree: cell(2),
            graduation_year: cell(3),
            name: cell(4),
            gender: cell(5),
            id_number: cell(6),
            phone: cell(7),
            email: cell(8),
            training_mode: cell(9),
            origin: cell(10),
        }
    }
}

/// A record that meets every rule: trimmed, 身份证号 upper-case, the 学院 resolved to its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRecord {
    pub college_id: i64,
    pub college: String,
    pub major: String,
    pub degree: String,
    pub graduation_year: i32,
    pub name: String,
    pub gender: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub training_mode: String,
    pub origin: String,
}

/// What the caller knows about where the record goes.
pub struct Context<'a> {
    /// The colleges the caller may put a record in: (id, name).
    pub colleges: &'a [(i64, String)],
    /// The current 毕业届 (the calendar year of the season); a record may be for this year, the
    /// previous one (late 生源) or up to five years ahead (students entered early).
    pub season: i32,
}

/// One rule a record breaks: the field's label and the reason, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: &'static str,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The validators' messages already name the field (身份证号校验位不正确).
        if self.reason.starts_with(self.field) {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}：{}", self.field, self.reason)
        }
    }
}

/// All problems of a record as one message (a form's refusal, an import row's 原因).
pub fn describe(problems: &[Problem]) -> String {
    problems.iter().map(Problem::to_string).collect::<Vec<_>>().join("；")
}

impl From<Vec<Problem>> for AppError {
    fn from(problems: Vec<Problem>) -> Self {
        AppError::invalid(describe(&problems))
    }
}

const MAX_TEXT: usize = 50;
const MAX_EMAIL: usize = 100;

/// Checks every field of a record; the record, or every problem found.
pub fn check(input: &RosterInput, cx: &Context<'_>) -> Result<RosterRecord, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut bad = |field: &'static str, reason: String| problems.push(Problem { field, reason });

    let mut text = |field: &'static str, raw: &str, required: bool, max: usize| -> String {
        let v = normalize(raw);
        if v.is_empty() && required {
            bad(field, "不能为空".into());
        } else if v.chars().count() > max {
            bad(field, format!("不能超过{max}个字"));
        } else if let Err(e) = crate::text::single_line(&v, field) {
            bad(field, e.message());
        }
        v
    };
    let college = text("学院", &input.college, true, MAX_TEXT);
    let major = text("专业", &input.major, true, MAX_TEXT);
    let name = text("姓名", &input.name, true, 30);
    let origin = text("生源地", &input.origin, false, MAX_TEXT);
    let email = text("邮箱", &input.email, false, MAX_EMAIL);
    let degree = text("学历", &input.degree, true, MAX_TEXT);
    let gender = text("性别", &input.gender, true, MAX_TEXT);
    let training_mode = text("培养方式", &input.training_mode, true, MAX_TEXT);
    let year_text = normalize(&input.graduation_year);

    let college_id = match cx.colleges.iter().find(|(_, n)| *n == college) {
        Some((id, _)) => *id,
        None => {
            if !college.is_empty() {
                bad("学院", format!("本校没有学院“{college}”"));
            }
            0
        }
    };
    let one_of = |v: &str, allowed: &[&str]| v.is_empty() || allowed.contains(&v);
    if !one_of(&degree, &DEGREES) {
        bad("学历", format!("应为{}之一", DEGREES.join("、")));
    }
    if !one_of(&gender, &GENDERS) {
        bad("性别", "应为男或女".into());
    }
    if !one_of(&training_mode, &TRAINING_MODES) {
        bad("培养方式", format!("应为{}之一", TRAINING_MODES.join("、")));
    }
    let graduation_year = match year_text.trim_end_matches("届").parse::<i32>() {
        Ok(y) if (cx.season - 1..=cx.season + 5).contains(&y) => y,
        Ok(_) => {
            bad("毕业届", format!("应在{}至{}之间", cx.season - 1, cx.season + 5));
            0
        }
        Err(_) if year_text.is_empty() => {
            bad("毕业届", "不能为空".into());
            0
        }
        Err(_) => {
            bad("毕业届", "应为4位年份，如2026".into());
            0
        }
    };
    let id_number = match validate_id_number(&input.id_number) {
        Ok(id) => {
            // The 17th digit is odd for men and even for women (GB 11643).
            let male = id.as_bytes()[16] % 2 == 1;
            if GENDERS.contains(&gender.as_str()) && (gender == "男") != male {
                bad("性别", "与身份证号不符".into());
            }
            id
        }
        Err(e) => {
            bad("身份证号", e.into());
            String::new()
        }
    };
    let phone = validate_phone(&input.phone).unwrap_or_else(|e| {
        bad("手机号", e.into());
        String::new()
    });
    if !email.is_empty() && !looks_like_email(&email) {
        bad("邮箱", "格式不正确".into());
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(RosterRecord {
        college_id,
        college,
        major,
        degree,
        graduation_year,
        name,
        gender,
        id_number,
        phone,
        email,
        training_mode,
        origin,
    })
}

/// name@domain.tld with no spaces: enough to catch a phone number or a name typed in the wrong
/// column; whether the address works only a mail can tell.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

/// The fields of a saved record that differ from a new version of it, as the history shows them
/// (身份证号 and 手机号 masked, as everywhere in lists).
pub fn changes(old: &RosterRecord, new: &RosterRecord) -> Vec<String> {
    use crate::ids::{mask_id_number, mask_phone};
    let mut out = Vec::new();
    let mut diff = |label: &str, a: &str, b: &str| {
        if a != b {
            out.push(format!("{label}：{a} → {b}"));
        }
    };
    diff("学院", &old.college, &new.college);
    diff("专业", &old.major, &new.major);
    diff("学历", &old.degree, &new.degree);
    diff(
        "毕业届",
        &old.graduation_year.to_string(),
        &new.graduation_year.to_string(),
    );
    diff("姓名", &old.name, &new.name);
    diff("性别", &old.gender, &new.gender);
    diff(
        "身份证号",
        &mask_id_number(&old.id_number),
        &mask_id_number(&new.id_number),
    );
    diff("手机号", &mask_phone(&old.phone), &mask_phone(&new.phone));
    diff("邮箱", &old.email, &new.email);
    diff("培养方式", &old.training_mode, &new.training_mode);
    diff("生源地", &old.origin, &new.origin);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLLEGES: [(i64, &str); 2] = [(7, "计算机学院"), (8, "经济管理学院")];

    fn cx_colleges() -> Vec<(i64, String)> {
        COLLEGES.iter().map(|(i, n)| (*i, n.to_string())).collect()
    }

    fn good() -> RosterInput {
        RosterInput {
            college: "计算机学院".into(),
            major: "软件工程".into(),
            degree: "本科".into(),
            graduation_year: "2026".into(),
            name: "张明".into(),
            // 17th digit 0: a woman.
            gender: "女".into(),
            id_number: "420106200401011009".into(),
            phone: "13800271000".into(),
            email: "zm@example.edu.cn".into(),
            training_mode: "非定向".into(),
            origin: "湖北省武汉市".into(),
        }
    }

    fn run(input: &RosterInput) -> Result<RosterRecord, Vec<Problem>> {
        check(
            input,
            &Context {
                colleges: &cx_colleges(),
                season: 2026,
            },
        )
    }

    fn reasons(input: &RosterInput) -> String {
        describe(&run(input).unwrap_err())
    }

    #[test]
    fn the_season_turns_to_next_years_class_in_september() {
        assert_eq!((season(2026, 8), season(2026, 9), season(2026, 11)), (2026, 2027, 2027));
    }

    #[test]
    fn a_complete_record_is_accepted_trimmed_with_its_college_resolved() {
        let mut input = good();
        input.name = " 张明　".into();
        input.id_number = "420106200401011009 ".into();
        input.graduation_year = "2026届".into();
        let r = run(&input).unwrap();
        assert_eq!((r.college_id, r.name.as_str(), r.graduation_year), (7, "张明", 2026));
        let mut x = good();
        x.id_number = "42060220040820119x".into();
        x.gender = "男".into();
        assert_eq!(run(&x).unwrap().id_number, "42060220040820119X");
    }

    #[test]
    fn a_wrong_check_digit_a_short_phone_and_an_unknown_college_are_each_named() {
        let mut input = good();
        input.id_number = "420106200401011008".into();
        input.phone = "1380027100".into();
        input.college = "文学院".into();
        let msg = reasons(&input);
        assert!(msg.contains("身份证号校验位不正确"), "{msg}");
        assert!(msg.contains("手机号应为11位数字"), "{msg}");
        assert!(msg.contains("本校没有学院“文学院”"), "{msg}");
    }

    #[test]
    fn required_fields_may_not_be_empty_but_email_and_origin_may() {
        let mut input = good();
        input.email.clear();
        input.origin.clear();
        assert!(run(&input).is_ok());
        for (label, clear) in [
            (
                "学院",
                (|i: &mut RosterInput| i.college.clear()) as fn(&mut RosterInput),
            ),
            ("专业", |i| i.major.clear()),
            ("姓名", |i| i.name.clear()),
            ("毕业届", |i| i.graduation_year.clear()),
            ("培养方式", |i| i.training_mode.clear()),
        ] {
            let mut i = good();
            clear(&mut i);
            assert_eq!(reasons(&i), format!("{label}：不能为空"));
        }
    }

    #[test]
    fn degree_gender_and_training_mode_come_from_their_lists() {
        let mut i = good();
        i.degree = "大学".into();
        i.training_mode = "自费".into();
        i.gender = "未知".into();
        let msg = reasons(&i);
        assert!(
            msg.contains("学历：应为博士研究生、硕士研究生、本科、专科之一"),
            "{msg}"
        );
        assert!(msg.contains("培养方式：应为非定向、定向、委培之一"), "{msg}");
        assert!(msg.contains("性别：应为男或女"), "{msg}");
        for mode in TRAINING_MODES {
            let mut i = good();
            i.training_mode = mode.into();
            assert!(run(&i).is_ok(), "{mode}");
        }
    }

    #[test]
    fn the_gender_must_match_the_id_numbers_17th_digit() {
        let mut i = good();
        i.gender = "男".into();
        assert_eq!(reasons(&i), "性别：与身份证号不符");
    }

    #[test]
    fn the_graduation_year_is_this_season_last_or_up_to_five_ahead() {
        for (y, ok) in [
            ("2025", true),
            ("2031", true),
            ("2024", false),
            ("2032", false),
            ("26", false),
        ] {
            let mut i = good();
            i.graduation_year = y.into();
            assert_eq!(run(&i).is_ok(), ok, "{y}");
        }
    }

    #[test]
    fn a_line_break_an_overlong_name_and_a_malformed_email_are_refused() {
        let mut i = good();
        i.major = "软件\n工程".into();
        i.name = "张".repeat(31);
        i.email = "13800271000".into();
        let msg = reasons(&i);
        assert!(msg.contains("专业不能包含换行符或控制字符"), "{msg}");
        assert!(msg.contains("姓名：不能超过30个字"), "{msg}");
        assert!(msg.contains("邮箱：格式不正确"), "{msg}");
    }

    #[test]
    fn cells_map_to_fields_in_template_order_and_missing_cells_read_as_empty() {
        let cells: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        let i = RosterInput::from_cells(&cells);
        assert_eq!(
            (i.college.as_str(), i.origin.as_str(), i.id_number.as_str()),
            ("学院", "生源地", "身份证号")
        );
        assert_eq!(RosterInput::from_cells(&[]), RosterInput::default());
    }

    #[test]
    fn changes_list_only_the_fields_that_differ_with_numbers_masked() {
        let a = run(&good()).unwrap();
        let mut b = a.clone();
        b.phone = "13900000000".into();
        b.major = "计算机科学与技术".into();
        assert_eq!(
            changes(&a, &b),
            vec!["专业：软件工程 → 计算机科学与技术", "手机号：138****1000 → 139****0000"]
        );
        assert!(changes(&a, &a).is_empty());
    }
}
