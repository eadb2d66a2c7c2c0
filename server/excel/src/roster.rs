//! 生源导入: the roster template a school or college admin downloads, and the reading of the
//! filled file into rows of text in [`domain::roster::COLUMNS`] order. Whether a row meets the
//! roster's rules is for `domain::roster::check` (with the caller's colleges); here only what a
//! cell's type already tells: a 身份证号 typed as a number has lost digits, a date is not text.
//!
//! The template: sheet `生源信息`, the eleven columns in order (header bold and frozen, a note on
//! each header cell with its rule), 身份证号 and 手机号 formatted as text for the whole column,
//! drop-downs for 学院 (the caller's colleges, listed on the hidden sheet `选项`: a list of names
//! may exceed the 255 characters an inline list allows), 学历, 性别 and 培养方式, and a sheet
//! `填写说明` with the rules in full.
//!
//! The import reads the sheet named `生源信息` (else the first worksheet) with the guards of the
//! crate (size, bounded reading, zip bombs; see the crate doc), finds the header row among the
//! first ten non-empty rows, maps columns by header text (spaces and `*` ignored, a few usual
//! synonyms), skips empty rows and refuses more than [`MAX_ROWS`] rows.

use domain::roster::{Problem, COLUMNS, DEGREES, GENDERS, TRAINING_MODES};
use rust_xlsxwriter::{Color, DataValidation, Format, FormatBorder, Formula, Note, Workbook, XlsxError};

use crate::sheet::{whole, Cell, Value};
use crate::{ImportError, MAX_ROWS};

/// The roster sheet's name; the import reads the sheet of this name, else the first worksheet.
pub const ROSTER_SHEET: &str = "生源信息";
const OPTIONS_SHEET: &str = "选项";
const HELP_SHEET: &str = "填写说明";

/// Columns that may be left out of the file (the fields may be empty).
const OPTIONAL: [&str; 2] = ["邮箱", "生源地"];
const ID_COLUMN: usize = 6;
const PHONE_COLUMN: usize = 7;
const HEADER_SEARCH_ROWS: usize = 10;

/// One non-empty row of an uploaded roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// Excel row number, 1-based as the user sees it.
    pub line: u32,
    /// The cells as text, in [`COLUMNS`] order ("" for a missing cell or column).
    pub cells: Vec<String>,
    /// What the cells' types already refuse (a 身份证号 typed as a number, a date…); the rules
    /// of `domain::roster::check` come on top.
    pub problems: Vec<Problem>,
}

/// Header texts accepted for each column of [`COLUMNS`] (after [`header_key`]).
fn aliases(column: usize) -> &'static [&'static str] {
    match column {
        0 => &["学院", "学院名称", "所在学院", "院系"],
        1 => &["专业", "专业名称"],
        2 => &["学历", "学历层次"],
        3 => &["毕业届", "毕业年份", "毕业年度", "届别"],
        4 => &["姓名", "学生姓名"],
        5 => &["性别"],
        6 => &["身份证号", "身份证号码", "身份证"],
        7 => &["手机号", "手机号码", "手机"],
        8 => &["邮箱", "电子邮箱", "邮件地址"],
        9 => &["培养方式"],
        10 => &["生源地", "生源所在地"],
        _ => &[],
    }
}

fn header_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{3000}' | '\u{a0}' | '*' | '＊'))
        .collect()
}

fn column_of(text: &str) -> Option<usize> {
    let key = header_key(text);
    (0..COLUMNS.len()).find(|&c| aliases(c).contains(&key.as_str()))
}

/// Reads an uploaded roster (.xlsx or .xls, detected from the content). `Err` refuses the whole
/// file; otherwise every non-empty row below the header comes back in sheet order.
pub fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterRow>, ImportError> {
    build(crate::read_cells(bytes, ROSTER_SHEET)?)
}

fn build(cells: Vec<Cell>) -> Result<Vec<RosterRow>, ImportError> {
    // The header row: the first (of the first ten non-empty rows) naming a known column.
    let mut row_starts: Vec<usize> = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        if i == 0 || cells[i - 1].row != c.row {
            row_starts.push(i);
        }
    }
    let cells_of = |k: usize| {
        let end = row_starts.get(k + 1).copied().unwrap_or(cells.len());
        &cells[row_starts[k]..end]
    };
    let header_at = (0..row_starts.len().min(HEADER_SEARCH_ROWS)).find(|&k| {
        cells_of(k)
            .iter()
            .any(|c| matches!(&c.value, Value::Text(t) if column_of(t).is_some()))
    });
    let required = || -> Vec<&'static str> { COLUMNS.into_iter().filter(|c| !OPTIONAL.contains(c)).collect() };
    let Some(header_at) = header_at else {
        return Err(ImportError::MissingColumns(required()));
    };
    // Sheet column of each roster column.
    let mut columns: Vec<Option<u32>> = vec![None; COLUMNS.len()];
    for cell in cells_of(header_at) {
        if let Value::Text(t) = &cell.value {
            if let Some(c) = column_of(t) {
                if columns[c].is_some() {
                    return Err(ImportError::DuplicateColumn(COLUMNS[c]));
                }
                columns[c] = Some(cell.col);
            }
        }
    }
    let lacking: Vec<&'static str> = required()
        .into_iter()
        .filter(|name| {
            COLUMNS
                .iter()
                .position(|c| c == name)
                .is_some_and(|i| columns[i].is_none())
        })
        .collect();
    if !lacking.is_empty() {
        return Err(ImportError::MissingColumns(lacking));
    }
    let header_row = cells_of(header_at)[0].row;

    let mut out = Vec::new();
    let mut rest = cells.into_iter().skip_while(|c| c.row <= header_row).peekable();
    while let Some(row) = rest.peek().map(|c| c.row) {
        let mut values: Vec<Option<Value>> = vec![None; COLUMNS.len()];
        while let Some(cell) = rest.next_if(|c| c.row == row) {
            if let Some(slot) = columns.iter().position(|&col| col == Some(cell.col)) {
                values[slot] = Some(cell.value);
            }
        }
        if values.iter().all(Option::is_none) {
            continue;
        }
        if out.len() == MAX_ROWS {
            return Err(ImportError::TooManyRows);
        }
        out.push(to_row(row + 1, values));
    }
    Ok(out)
}

/// The row's cells as text, and what their types refuse.
fn to_row(line: u32, values: Vec<Option<Value>>) -> RosterRow {
    let mut problems = Vec::new();
    let cells = values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let field = COLUMNS[i];
            let mut bad = |reason: String| problems.push(Problem { field, reason });
            match v {
                None => String::new(),
                Some(Value::Text(s)) => s,
                // Excel keeps 15 significant digits: an 18-digit number has lost its last ones.
                Some(Value::Int(_) | Value::Float(_)) if i == ID_COLUMN => {
                    bad("身份证号请以文本格式填写（数字格式会丢失末几位）".into());
                    String::new()
                }
                Some(Value::Int(n)) => n.to_string(),
                Some(Value::Float(f)) => match whole(f) {
                    Some(n) => n.to_string(),
                    None if i == PHONE_COLUMN => {
                        bad("应为11位数字".into());
                        String::new()
                    }
                    None => f.to_string(),
                },
                Some(Value::Bool(_)) => {
                    bad("格式不正确".into());
                    String::new()
                }
                Some(Value::Date) => {
                    bad("不能是日期，请以文本格式填写".into());
                    String::new()
                }
                Some(Value::Error) => {
                    bad("单元格是错误值（如#N/A），请填写内容".into());
                    String::new()
                }
                Some(Value::TooLong) => {
                    bad(format!("不能超过{}个字", crate::sheet::MAX_CELL_CHARS));
                    String::new()
                }
            }
        })
        .collect();
    RosterRow { line, cells, problems }
}

const WIDTHS: [f64; 11] = [20.0, 20.0, 12.0, 9.0, 10.0, 7.0, 22.0, 15.0, 24.0, 11.0, 20.0];

/// The rule of each column, as the note on its header cell says it.
fn column_note(i: usize, has_colleges: bool) -> String {
    match i {
        0 if has_colleges => "必填。从下拉列表中选择本校（本学院）的学院。".into(),
        0 => "必填。填写本校学院的名称（请先在学院管理中添加学院）。".into(),
        1 => "必填。专业名称，不超过50个字。".into(),
        2 => format!("必填。从下拉列表中选择：{}。", DEGREES.join("、")),
        3 => "必填。四位毕业年份，如2027。".into(),
        4 => "必填。学生姓名，不超过30个字。".into(),
        5 => "必填。男或女，须与身份证号一致。".into(),
        6 => "必填。18位身份证号，末位可以是X。本列已设为文本格式，请勿粘贴成数字。".into(),
        7 => "必填。11位手机号码，用于学生首次登录和信息验证。".into(),
        8 => "选填。电子邮箱。".into(),
        9 => format!(
            "必填。从下拉列表中选择：{}。只有非定向学生可以网上签约。",
            TRAINING_MODES.join("、")
        ),
        _ => "选填。生源所在地，如湖北省武汉市。".into(),
    }
}

/// The template could not be written (rust_xlsxwriter refused something: a bug, not the input).
#[derive(Debug, thiserror::Error)]
#[error("生源导入模板生成失败: {0}")]
pub struct TemplateError(String);

/// The 生源导入 template (.xlsx): the caller's `colleges` (names) in the 学院 drop-down.
pub fn roster_template(colleges: &[String]) -> Result<Vec<u8>, TemplateError> {
    build_template(colleges).map_err(|e| TemplateError(e.to_string()))
}

fn build_template(colleges: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin);
    // Number format "@" (text), as Excel's built-in format 49.
    let text = Format::new().set_num_format_index(49);
    let last_row = MAX_ROWS as u32;

    let sheet = book.add_worksheet();
    sheet.set_name(ROSTER_SHEET)?;
    for (i, (title, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        let col = i as u16;
        sheet.set_column_width(col, width)?;
        if i == ID_COLUMN || i == PHONE_COLUMN {
            // Whole columns as text: typed 身份证号 and 手机号 stay text (no 15-digit rounding).
            sheet.set_column_format(col, &text)?;
        }
        sheet.write_string_with_format(0, col, *title, &header)?;
        sheet.insert_note(
            0,
            col,
            &Note::new(column_note(i, !colleges.is_empty())).set_author("网签系统"),
        )?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let list = |title: &str, items: &[&str]| -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_list_strings(items)?
            .set_error_title(format!("{title}不正确"))?
            .set_error_message(format!("请从下拉列表中选择：{}", items.join("、")))
    };
    sheet.add_data_validation(1, 2, last_row, 2, &list("学历", &DEGREES)?)?;
    sheet.add_data_validation(1, 5, last_row, 5, &list("性别", &GENDERS)?)?;
    sheet.add_data_validation(1, 9, last_row, 9, &list("培养方式", &TRAINING_MODES)?)?;

    if !colleges.is_empty() {
        let options = book.add_worksheet();
        options.set_name(OPTIONS_SHEET)?;
        for (r, name) in colleges.iter().enumerate() {
            options.write_string(r as u32, 0, name)?;
        }
        options.set_hidden(true);
        let range = format!("'{OPTIONS_SHEET}'!$A$1:$A${}", colleges.len());
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_title("学院不正确")?
            .set_error_message("请从下拉列表中选择学院")?;
        if let Some(sheet) = book.worksheets_mut().first_mut() {
            sheet.add_data_validation(1, 0, last_row, 0, &validation)?;
        }
    }

    let help = book.add_worksheet();
    help.set_name(HELP_SHEET)?;
    help.set_column_width(0, 100)?;
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();
    help.write_string_with_format(0, 0, "生源信息填写说明", &title)?;
    let mut lines = vec![
        "1. 在“生源信息”工作表中每行填写一名学生，第1行的列名请不要修改；列的顺序可以调整，其他列不会导入。"
            .to_string(),
        format!("2. 每个文件最多{MAX_ROWS}名学生，文件大小不超过5MB，支持 .xlsx 和 .xls 格式；空行会被忽略。"),
    ];
    lines.extend((0..COLUMNS.len()).map(|i| format!("· {}：{}", COLUMNS[i], column_note(i, !colleges.is_empty()))));
    lines.extend([
        "3. 同一学生（身份证号 + 毕业届）已在本校登记的，导入时会更新其信息，不会重复登记；已在其他学校登记的会被退回。".to_string(),
        "4. 上传后先显示预览：有问题的行注明行号和全部原因，其余行显示为新增、更新或无变化；确认导入后才保存。".to_string(),
        "5. 新导入的学生须经生源审核后才能签约；修改手机号的学生须重新进行信息验证。".to_string(),
    ]);
    for (i, line) in lines.iter().enumerate() {
        help.write_string_with_format(1 + i as u32, 0, line, &wrap)?;
    }

    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::alloc;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// A file with the header in `headers` order and these rows (text cells; "" = no cell).
    fn file(headers: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn the_template_reads_back_as_a_roster_with_no_rows() {
        let bytes = roster_template(&names(&["计算机学院", "经济管理学院"])).unwrap();
        assert_eq!(parse_roster(&bytes).unwrap(), vec![]);
        let bytes = roster_template(&[]).unwrap();
        assert_eq!(parse_roster(&bytes).unwrap(), vec![]);
    }

    #[test]
    fn the_template_has_the_columns_in_order_and_its_dropdowns_read_by_calamine() {
        use calamine::Reader;
        let colleges = names(&["计算机学院", "经济管理学院"]);
        let bytes = roster_template(&colleges).unwrap();
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
        let sheets: Vec<String> = wb.sheet_names().to_vec();
        assert_eq!(sheets, vec!["生源信息", "选项", "填写说明"]);
        let range = wb.worksheet_range("生源信息").unwrap();
        let header: Vec<String> = (0..11).map(|c| range.get((0, c)).unwrap().to_string()).collect();
        assert_eq!(header, COLUMNS);
        let options = wb.worksheet_range("选项").unwrap();
        let listed: Vec<String> = options.rows().map(|r| r[0].to_string()).collect();
        assert_eq!(listed, colleges);
        // The drop-downs and text columns as written in the sheet's XML.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        for expected in [
            "<formula1>'选项'!$A$1:$A$2</formula1>",
            "<formula1>\"博士研究生,硕士研究生,本科,专科\"</formula1>",
            "<formula1>\"男,女\"</formula1>",
            "<formula1>\"非定向,定向,委培\"</formula1>",
            "sqref=\"A2:A10001\"",
        ] {
            assert!(xml.contains(expected), "{expected} missing from the sheet");
        }
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
        for col in ["7", "8"] {
            let at = xml.find(&format!("<col min=\"{col}\"")).expect("column element");
            let element = &xml[at..at + xml[at..].find("/>").unwrap()];
            assert!(
                element.contains("style="),
                "身份证号 and 手机号 columns carry a format: {element}"
            );
        }
        assert!(styles.contains("numFmtId=\"49\""), "the text format is defined");
    }

    #[test]
    fn rows_come_back_in_template_order_whatever_the_file_order_with_row_numbers() {
        let bytes = file(
            &[
                "姓名",
                "身份证号码",
                "学院名称",
                "专业",
                "学历",
                "毕业届",
                "性别",
                "手机号",
                "培养方式",
            ],
            &[
                vec![
                    "张明",
                    "420106200401011009",
                    "计算机学院",
                    "软件工程",
                    "本科",
                    "2027",
                    "女",
                    "13800271000",
                    "非定向",
                ],
                vec![],
                vec!["李静", "", "经济管理学院", "会计", "本科", "2027", "女", "", "定向"],
            ],
        );
        let rows = parse_roster(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 4, "the empty row is skipped, the numbers stay Excel's");
        assert_eq!(
            rows[0].cells,
            vec![
                "计算机学院",
                "软件工程",
                "本科",
                "2027",
                "张明",
                "女",
                "420106200401011009",
                "13800271000",
                "",
                "非定向",
                ""
            ]
        );
    }

    #[test]
    fn a_file_without_the_required_columns_or_with_one_twice_is_refused() {
        let err = parse_roster(&file(&["姓名", "身份证号"], &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "缺少列：学院、专业、学历、毕业届、性别、手机号、培养方式"
        );
        let err = parse_roster(&file(&["姓名", "姓名"], &[])).unwrap_err();
        assert_eq!(err, ImportError::DuplicateColumn("姓名"));
        assert_eq!(parse_roster(b"").unwrap_err(), ImportError::Empty);
        assert_eq!(parse_roster(b"not a workbook").unwrap_err(), ImportError::Unreadable);
    }

    #[test]
    fn an_id_number_typed_as_a_number_is_refused_and_a_numeric_phone_and_year_are_read_as_text() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in COLUMNS.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_number(1, 3, 2027.0).unwrap();
        ws.write_number(1, 6, 420106200401011009.0).unwrap();
        ws.write_number(1, 7, 13800271000.0).unwrap();
        ws.write_string(1, 4, "张明").unwrap();
        let rows = parse_roster(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(rows[0].cells[3], "2027");
        assert_eq!(rows[0].cells[7], "13800271000");
        assert_eq!(rows[0].cells[6], "");
        assert_eq!(
            domain::roster::describe(&rows[0].problems),
            "身份证号请以文本格式填写（数字格式会丢失末几位）"
        );
    }

    #[test]
    fn more_than_max_rows_is_refused() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in COLUMNS.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..=MAX_ROWS as u32 + 1 {
            ws.write_string(r, 4, "张明").unwrap();
        }
        assert_eq!(
            parse_roster(&wb.save_to_buffer().unwrap()).unwrap_err(),
            ImportError::TooManyRows
        );
    }

    #[test]
    fn a_hostile_file_is_refused_within_bounded_memory() {
        // Cells at A1 and XFD1048576: calamine's dense grid would abort the process.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "学院").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (result, peak) = alloc::peak_during(|| parse_roster(&bytes));
        assert_eq!(result.unwrap_err(), ImportError::SheetTooLarge);
        assert!(peak < 64 * 1024 * 1024, "peak allocation {peak} bytes");
    }
}
