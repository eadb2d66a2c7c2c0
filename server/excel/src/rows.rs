//! From cells to validated rows: the header row, column mapping, per-row checks, duplicates.

use domain::ids;
use rustc_hash::FxHashMap;

use crate::sheet::{whole, Cell, Value};
use crate::{ImportError, Row, MAX_ROWS};

/// The columns of the list, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    School,
    Year,
    Name,
    IdNumber,
    Phone,
}

impl Column {
    pub(crate) const ALL: [Column; 5] = [
        Column::School,
        Column::Year,
        Column::Name,
        Column::IdNumber,
        Column::Phone,
    ];

    /// The header text in the template.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Column::School => "学校名称",
            Column::Year => "毕业届",
            Column::Name => "姓名",
            Column::IdNumber => "身份证号",
            Column::Phone => "手机号",
        }
    }

    /// Header texts accepted for the column (after [`header_key`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::School => &["学校名称", "学校", "毕业学校", "院校名称"],
            Column::Year => &["毕业届", "毕业年份", "毕业年度", "届别"],
            Column::Name => &["姓名", "学生姓名"],
            Column::IdNumber => &["身份证号", "身份证号码", "身份证"],
            Column::Phone => &["手机号", "手机号码", "手机"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The example row the template carries (学校名称, 毕业届, 姓名, 身份证号, 手机号). A row equal to
/// it in all five columns is skipped by the import.
pub(crate) const EXAMPLE: [&str; 5] = ["江城大学", "2026", "张三", "42010620040101009X", "13800138000"];

/// How far down the header row may be (non-empty rows before it are ignored, e.g. a title).
const HEADER_SEARCH_ROWS: usize = 10;
const MAX_SCHOOL_CHARS: usize = 100;
const MAX_NAME_CHARS: usize = 50;

/// A header text reduced for matching: all spaces (ASCII, full-width, no-break) removed, and the
/// usual decorations dropped: `*` markers, `（必填）` / `(选填)` suffixes.
fn header_key(text: &str) -> String {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{a0}' && *c != '*' && *c != '＊')
        .collect();
    for suffix in ["（必填）", "(必填)", "（选填）", "(选填)"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.to_string();
        }
    }
    s
}

fn column_of_header(text: &str) -> Option<Column> {
    let key = header_key(text);
    Column::ALL.into_iter().find(|c| c.aliases().contains(&key.as_str()))
}

/// Groups sorted cells into rows: (0-based row, cells of the row).
fn group(cells: &[Cell]) -> Vec<(u32, &[Cell])> {
    let mut rows = Vec::new();
    let mut start = 0;
    for i in 1..=cells.len() {
        if i == cells.len() || cells[i].row != cells[start].row {
            rows.push((cells[start].row, &cells[start..i]));
            start = i;
        }
    }
    rows
}

/// Finds the header row: its 0-based row number and the sheet column of each [`Column`].
fn header(cells: &[Cell]) -> Result<(u32, [Option<u32>; 5]), ImportError> {
    let rows = group(cells);

    // The header row: the first row naming at least one known column.
    let header_at = rows.iter().take(HEADER_SEARCH_ROWS).position(|(_, row)| {
        row.iter()
            .any(|c| matches!(&c.value, Value::Text(t) if column_of_header(t).is_some()))
    });
    let Some(header_at) = header_at else {
        return Err(ImportError::MissingColumns(missing(&[None; 5])));
    };
    let mut columns: [Option<u32>; 5] = [None; 5];
    for cell in rows[header_at].1 {
        if let Value::Text(t) = &cell.value {
            if let Some(column) = column_of_header(t) {
                if columns[column.index()].is_some() {
                    return Err(ImportError::DuplicateColumn(column.title()));
                }
                columns[column.index()] = Some(cell.col);
            }
        }
    }
    let lacking = missing(&columns);
    if !lacking.is_empty() {
        return Err(ImportError::MissingColumns(lacking));
    }
    Ok((rows[header_at].0, columns))
}

/// Builds the rows from the cells of the sheet (sorted by position). The cells are consumed so
/// that their texts move into the rows instead of being copied.
pub(crate) fn build(cells: Vec<Cell>) -> Result<Vec<Row>, ImportError> {
    let (header_row, columns) = header(&cells)?;

    let mut out = Vec::new();
    let mut cells = cells.into_iter().skip_while(|c| c.row <= header_row).peekable();
    while let Some(row) = cells.peek().map(|c| c.row) {
        // The row's cells in the mapped columns (columns are distinct; positions are unique).
        let mut values: [Option<Value>; 5] = Default::default();
        while let Some(cell) = cells.next_if(|c| c.row == row) {
            if let Some(slot) = columns.iter().position(|&col| col == Some(cell.col)) {
                values[slot] = Some(cell.value);
            }
        }
        if values.iter().all(Option::is_none) || is_example(&values) {
            continue;
        }
        if out.len() == MAX_ROWS {
            return Err(ImportError::TooManyRows);
        }
        out.push(check_row(row + 1, values));
    }
    mark_duplicates(&mut out);
    Ok(out)
}

/// The missing columns, in template order; 身份证号 and 手机号 are missing only together.
fn missing(columns: &[Option<u32>; 5]) -> Vec<&'static str> {
    let mut lacking: Vec<&'static str> = [Column::School, Column::Year, Column::Name]
        .into_iter()
        .filter(|c| columns[c.index()].is_none())
        .map(Column::title)
        .collect();
    if columns[Column::IdNumber.index()].is_none() && columns[Column::Phone.index()].is_none() {
        lacking.push("身份证号或手机号");
    }
    lacking
}

/// The cell as text the way a user sees it: whole numbers without a decimal point. A text cell's
/// string is moved, not copied.
fn display(v: Value) -> Option<String> {
    match v {
        Value::Text(s) => Some(s),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(whole(f).map_or_else(|| f.to_string(), |i| i.to_string())),
        Value::Bool(b) => Some(if b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Date | Value::Error | Value::TooLong => None,
    }
}

fn is_example(values: &[Option<Value>; 5]) -> bool {
    values.iter().zip(EXAMPLE).all(|(v, example)| match v {
        // Text is compared in place: most rows differ at once, with no copy made.
        Some(Value::Text(text)) => text.eq_ignore_ascii_case(example),
        v => v
            .clone()
            .and_then(display)
            .is_some_and(|text| text.eq_ignore_ascii_case(example)),
    })
}

/// Validates one row (`line` = Excel row number).
fn check_row(line: u32, values: [Option<Value>; 5]) -> Row {
    let mut problems: Vec<String> = Vec::new();
    let [school, year, name, id, phone] = values;
    let neither_id_nor_phone = id.is_none() && phone.is_none();

    let school = text_field(school, "学校名称", MAX_SCHOOL_CHARS, &mut problems);

    let graduation_year = match &year {
        None => {
            problems.push("缺少毕业届".into());
            0
        }
        Some(v) => match parse_year(v) {
            Some(y) => y,
            None => {
                problems.push("毕业届应为四位年份，如2026".into());
                0
            }
        },
    };

    let name = text_field(name, "姓名", MAX_NAME_CHARS, &mut problems);

    let id_number = match id {
        None => None,
        // Digits typed into a General cell: Excel keeps 15 significant digits and the rest is
        // already lost, so no number is ever taken as a 身份证号.
        Some(Value::Int(_) | Value::Float(_)) => {
            problems.push("请以文本格式填写身份证号".into());
            None
        }
        Some(Value::TooLong) => {
            problems.push("身份证号应为18位".into());
            None
        }
        Some(v) => match display(v) {
            Some(raw) => match ids::validate_id_number(&raw) {
                Ok(id) => Some(id),
                Err(msg) => {
                    problems.push(msg.into());
                    Some(raw.to_ascii_uppercase())
                }
            },
            None => {
                problems.push("身份证号格式不正确".into());
                None
            }
        },
    };

    let phone = match phone {
        None => None,
        Some(v) => {
            let raw = match v {
                Value::Text(s) => Some(s),
                Value::Int(i) if i >= 0 => Some(i.to_string()),
                Value::Float(f) => whole(f).filter(|i| *i >= 0).map(|i| i.to_string()),
                _ => None,
            };
            match raw.as_deref().map(ids::validate_phone) {
                Some(Ok(p)) => Some(p),
                Some(Err(msg)) => {
                    problems.push(msg.into());
                    raw
                }
                None => {
                    problems.push("手机号应为11位数字".into());
                    None
                }
            }
        }
    };

    if neither_id_nor_phone {
        problems.push("请填写身份证号或手机号".into());
    }

    Row {
        line,
        school,
        graduation_year,
        name,
        id_number,
        phone,
        problem: (!problems.is_empty()).then(|| problems.join("；")),
    }
}

/// A required text column (学校名称, 姓名).
fn text_field(v: Option<Value>, label: &str, max: usize, problems: &mut Vec<String>) -> String {
    let too_long = || format!("{label}过长（最多{max}字）");
    match v {
        None => problems.push(format!("缺少{label}")),
        Some(Value::TooLong) => problems.push(too_long()),
        Some(v) => match display(v) {
            Some(s) if s.chars().count() <= max => return s,
            Some(_) => problems.push(too_long()),
            None => problems.push(format!("{label}格式不正确")),
        },
    }
    String::new()
}

/// 毕业届: a whole number or text such as `2026`, `2026届`, `2026年`, within 2000–2099.
fn parse_year(v: &Value) -> Option<i32> {
    let y = match v {
        Value::Int(i) => *i,
        Value::Float(f) => whole(*f)?,
        Value::Text(s) => {
            let s = s.strip_suffix('届').or_else(|| s.strip_suffix('年')).unwrap_or(s);
            let s = domain::ids::normalize(s);
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()?
        }
        _ => return None,
    };
    (2000..=2099).contains(&y).then_some(y as i32)
}

/// Marks each valid row that repeats an earlier valid row as a duplicate of it: the same 学校名称
/// and 毕业届 with the same 身份证号, or with the same 姓名 and 手机号. A row marked here does not
/// count as "earlier" for later rows. The keys borrow the rows' text (no copies) and use a fast
/// hash (the keys are the uploader's own data, compared within one file).
fn mark_duplicates(rows: &mut [Row]) {
    let mut duplicates: Vec<(usize, u32)> = Vec::new();
    {
        let mut by_id: FxHashMap<(&str, i32, &str), u32> = FxHashMap::default();
        let mut by_phone: FxHashMap<(&str, i32, &str, &str), u32> = FxHashMap::default();
        for (k, row) in rows.iter().enumerate() {
            if row.problem.is_some() {
                continue;
            }
            let (school, year) = (row.school.as_str(), row.graduation_year);
            let id_key = row.id_number.as_deref().map(|id| (school, year, id));
            let phone_key = row.phone.as_deref().map(|p| (school, year, row.name.as_str(), p));
            let earlier = id_key
                .and_then(|k| by_id.get(&k))
                .or_else(|| phone_key.and_then(|k| by_phone.get(&k)))
                .copied();
            if let Some(first) = earlier {
                duplicates.push((k, first));
                continue;
            }
            if let Some(k) = id_key {
                by_id.insert(k, row.line);
            }
            if let Some(k) = phone_key {
                by_phone.insert(k, row.line);
            }
        }
    }
    for (k, first) in duplicates {
        rows[k].problem = Some(format!("与第{first}行重复"));
    }
}
