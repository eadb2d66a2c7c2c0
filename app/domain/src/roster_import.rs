//! 生源导入: what a file's rows are before anything is saved. Each row is checked by the roster's
//! rules ([`roster::check`]) on top of what its cells already refused (a 身份证号 typed as a
//! number), and a second row with the same 身份证号 + 毕业届 as an earlier one is refused (one
//! person, one record per class). What the database knows (the same person saved already, in
//! this school or another) is added by the data layer; the preview and the confirmation are
//! built from the same [`Line`]s.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ids::mask_id_number;
use crate::roster::{self, Context, Problem, RosterInput, RosterRecord};

/// A row as read from the file: its Excel row number, its cells in [`roster::COLUMNS`] order and
/// the problems its cells' types already show.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub line: u32,
    pub cells: Vec<String>,
    pub problems: Vec<Problem>,
}

/// A row checked against the rules and the rest of the file.
#[derive(Debug, Clone)]
pub struct Checked {
    pub line: u32,
    /// 姓名 as typed (trimmed), to name the row.
    pub name: String,
    pub result: Result<RosterRecord, Vec<String>>,
}

/// Checks every row; a row repeating an earlier good row's 身份证号 + 毕业届 names that row.
pub fn check_rows(rows: Vec<FileRow>, cx: &Context<'_>) -> Vec<Checked> {
    let mut first: HashMap<(String, i32), u32> = HashMap::new();
    rows.into_iter()
        .map(|row| {
            let input = RosterInput::from_cells(&row.cells);
            let name = crate::ids::normalize(&input.name);
            let result = match roster::check(&input, cx) {
                Ok(rec) if row.problems.is_empty() => match first.get(&(rec.id_number.clone(), rec.graduation_year)) {
                    Some(earlier) => Err(vec![format!("与第{earlier}行重复（身份证号和毕业届相同）")]),
                    None => {
                        first.insert((rec.id_number.clone(), rec.graduation_year), row.line);
                        Ok(rec)
                    }
                },
                Ok(_) => Err(row.problems.iter().map(Problem::to_string).collect()),
                Err(rule) => {
                    // A cell refused for its type (e.g. a numeric 身份证号, read as empty) is
                    // named once, by the cell's reason.
                    let mut all: Vec<String> = row.problems.iter().map(Problem::to_string).collect();
                    all.extend(
                        rule.iter()
                            .filter(|p| !row.problems.iter().any(|c| c.field == p.field))
                            .map(Problem::to_string),
                    );
                    Err(all)
                }
            };
            Checked {
                line: row.line,
                name,
                result,
            }
        })
        .collect()
}

/// What saving a good row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// 新增: nobody with this 身份证号 + 毕业届 yet.
    Added,
    /// 更新: the school's record of the same person and class changes.
    Updated,
    /// 无变化: the record is already as in the file.
    Unchanged,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Added => "新增",
            Outcome::Updated => "更新",
            Outcome::Unchanged => "无变化",
        }
    }
}

/// One row of a preview or a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Excel row number.
    pub line: u32,
    pub name: String,
    /// 身份证号, masked ("" if the row had none that could be read).
    pub id_number_masked: String,
    pub college: String,
    /// `None`: a bad row (see `reasons`).
    pub outcome: Option<Outcome>,
    /// A bad row's reasons; an update's changed fields (masked as in the history).
    pub reasons: Vec<String>,
}

impl Line {
    pub fn good(rec: &RosterRecord, line: u32, outcome: Outcome, changes: Vec<String>) -> Self {
        Self {
            line,
            name: rec.name.clone(),
            id_number_masked: mask_id_number(&rec.id_number),
            college: rec.college.clone(),
            outcome: Some(outcome),
            reasons: changes,
        }
    }

    pub fn bad(line: u32, name: String, reasons: Vec<String>) -> Self {
        Self {
            line,
            name,
            id_number_masked: String::new(),
            college: String::new(),
            outcome: None,
            reasons,
        }
    }
}

/// The counts of the good rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub bad: u32,
}

impl Counts {
    pub fn of(lines: &[Line]) -> Self {
        let mut c = Counts::default();
        for l in lines {
            match l.outcome {
                Some(Outcome::Added) => c.added += 1,
                Some(Outcome::Updated) => c.updated += 1,
                Some(Outcome::Unchanged) => c.unchanged += 1,
                None => c.bad += 1,
            }
        }
        c
    }
}

/// 生源导入's preview: nothing saved yet; `token` names the stored file for 确认导入.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub token: String,
    pub counts: Counts,
    /// Every row in file order, bad ones with all their reasons.
    pub lines: Vec<Line>,
}

/// 确认导入's answer: what was saved (the rows bad at that moment were left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub counts: Counts,
    /// The rows not saved, with their reasons (the state may have changed since the preview).
    pub skipped: Vec<Line>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colleges() -> Vec<(i64, String)> {
        vec![(7, "计算机学院".into())]
    }

    fn cells(id: &str, name: &str) -> Vec<String> {
        [
            "计算机学院",
            "软件工程",
            "本科",
            "2027",
            name,
            "女",
            id,
            "13800271000",
            "",
            "非定向",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn run(rows: Vec<FileRow>) -> Vec<Checked> {
        let c = colleges();
        check_rows(
            rows,
            &Context {
                colleges: &c,
                season: 2027,
            },
        )
    }

    fn row(line: u32, cells: Vec<String>) -> FileRow {
        FileRow {
            line,
            cells,
            problems: vec![],
        }
    }

    #[test]
    fn a_second_row_with_the_same_id_number_and_class_names_the_first() {
        let out = run(vec![
            row(2, cells("420106200401011009", "张明")),
            row(3, cells("420106200401011009", "张明明")),
        ]);
        assert!(out[0].result.is_ok());
        assert_eq!(
            out[1].result.clone().unwrap_err(),
            vec!["与第2行重复（身份证号和毕业届相同）"]
        );
    }

    #[test]
    fn a_bad_row_lists_every_reason_and_a_cell_refused_for_its_type_is_named_once() {
        let mut c = cells("", "张明");
        c[7] = "123".into();
        c[0] = "文学院".into();
        let out = run(vec![FileRow {
            line: 5,
            cells: c,
            problems: vec![Problem {
                field: "身份证号",
                reason: "身份证号请以文本格式填写（数字格式会丢失末几位）".into(),
            }],
        }]);
        let reasons = out[0].result.clone().unwrap_err();
        assert_eq!(reasons[0], "身份证号请以文本格式填写（数字格式会丢失末几位）");
        assert!(
            reasons.iter().any(|r| r.contains("本校没有学院“文学院”")),
            "{reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.contains("手机号")), "{reasons:?}");
        assert_eq!(
            reasons.iter().filter(|r| r.contains("身份证号")).count(),
            1,
            "{reasons:?}"
        );
        assert_eq!(out[0].name, "张明");
    }

    #[test]
    fn a_bad_first_row_does_not_make_a_later_good_row_a_duplicate() {
        let mut bad = cells("420106200401011009", "张明");
        bad[1] = String::new();
        let out = run(vec![row(2, bad), row(3, cells("420106200401011009", "张明"))]);
        assert!(out[0].result.is_err());
        assert!(out[1].result.is_ok());
    }

    #[test]
    fn counts_add_up_by_outcome() {
        let rec = run(vec![row(2, cells("420106200401011009", "张明"))])[0]
            .result
            .clone()
            .unwrap();
        let lines = vec![
            Line::good(&rec, 2, Outcome::Added, vec![]),
            Line::good(&rec, 3, Outcome::Unchanged, vec![]),
            Line::bad(4, "x".into(), vec!["y".into()]),
        ];
        assert_eq!(
            Counts::of(&lines),
            Counts {
                added: 1,
                updated: 0,
                unchanged: 1,
                bad: 1
            }
        );
        assert_eq!(lines[0].id_number_masked, mask_id_number("420106200401011009"));
    }
}
