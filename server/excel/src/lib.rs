//! Excel files of the signing system: the 拟签约名单 (proposed-signing list) template and its
//! safe import.
//!
//! An employer downloads [`template`], fills in one student per row and uploads it;
//! [`parse_sign_list`] turns the upload into [`Row`]s. Matching the rows against the school
//! rosters happens later, in the data layer.
//!
//! # The template
//! Sheet `拟签约名单` with the header row 学校名称 | 毕业届 | 姓名 | 身份证号 | 手机号 (bold, frozen),
//! 身份证号 and 手机号 formatted as text for the whole column, 毕业届 a dropdown of the given
//! years, and a second sheet `填写说明` with the instructions.
//!
//! Row 2 is an example (grey italic, with a note): 江城大学 | 2026 | 张三 | 42010620040101009X |
//! 13800138000. **The import skips every row equal to the example in all five columns** (text
//! compared after trimming; 2026 and 13800138000 may be numbers or text). A row where the
//! employer changed any of the five values is a real row. The example's 身份证号 is well-formed
//! but fictitious, so no real student can be skipped by accident.
//!
//! # The import
//! - The format is detected from the content, never from a file name: a CFB container is read as
//!   .xls (BIFF5/8), a zip archive as .xlsx; anything else is [`ImportError::Unreadable`].
//! - The sheet named `拟签约名单` is read, or else the first worksheet.
//! - The header row is the first row (among the first 10 non-empty rows) naming a known column;
//!   columns are found by their header text, with all spaces (including full-width) ignored:
//!   学校名称 (学校, 毕业学校, 院校名称), 毕业届 (毕业年份, 毕业年度, 届别), 姓名 (学生姓名),
//!   身份证号 (身份证号码, 身份证), 手机号 (手机号码, 手机). Other columns are ignored. 学校名称,
//!   毕业届 and 姓名 are required, and 身份证号 or 手机号 (or both).
//! - Empty rows are skipped; so is the example row. More than [`MAX_ROWS`] remaining rows refuse
//!   the file.
//! - A problem of one row does not refuse the file: the row comes back with
//!   [`Row::problem`] set, so the employer sees every problem at once.
//!
//! # Safety against hostile files
//! The import never panics and its memory stays bounded whatever the bytes:
//! - uploads over [`MAX_BYTES`] are refused before anything is parsed;
//! - no dense cell grid is built from an .xlsx: cells are streamed (calamine's
//!   `worksheet_cells_reader`) and the sheet is refused at its declared dimension or at the first
//!   cell past row [`MAX_SHEET_ROWS`] or column [`MAX_SHEET_COLUMNS`] — a 5 KB file with cells at
//!   A1 and XFD1048576 is refused at once;
//! - an .xlsx package may declare at most 100 MB of parts, and no part can inflate past its
//!   declared size (zip bombs); forged shared-string counts are refused;
//! - an .xls is read through our own bounded container reader and checked record by record
//!   before calamine sees it (see `xls.rs`), since calamine parses .xls eagerly into dense grids.
//!   This is also why `open_workbook_auto_from_rs` is not used: on .xls (and .ods) bytes it runs
//!   that eager parse before we could check anything;
//! - calamine runs inside `catch_unwind` as a last line of defence.

mod cfb;
mod roster;
mod roster_export;
mod rows;
mod sheet;
mod template;
mod xls;
mod xlsx;

#[cfg(test)]
mod tests;

pub use roster_export::{roster_export, EXTRA_COLUMNS as ROSTER_EXPORT_EXTRA_COLUMNS, SHEET as ROSTER_EXPORT_SHEET};
pub use rust_xlsxwriter::XlsxError;

/// Largest upload accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Most students in one list (rows after skipping empty rows and the example row).
pub const MAX_ROWS: usize = 10_000;
/// A sheet may use Excel rows 1 to `MAX_SHEET_ROWS` only (room for the header, the example and
/// some empty rows); a cell or declared dimension further down refuses the file.
pub const MAX_SHEET_ROWS: u32 = MAX_ROWS as u32 + 50;
/// A sheet may use columns A to AX (50 columns) only.
pub const MAX_SHEET_COLUMNS: u32 = 50;

/// One student row of an imported list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Excel row number, 1-based as the user sees it.
    pub line: u32,
    /// 学校名称, trimmed ("" if missing).
    pub school: String,
    /// 毕业届 (0 if missing or not a year).
    pub graduation_year: i32,
    /// 姓名, trimmed ("" if missing).
    pub name: String,
    /// 身份证号, normalised (upper-case X). Validated only when `problem` is `None`; on a bad
    /// number it holds what was typed (trimmed, upper-case) so that it can be shown.
    pub id_number: Option<String>,
    /// 手机号 (11 digits). Validated only when `problem` is `None`, like `id_number`.
    pub phone: Option<String>,
    /// Why this row cannot be used (Chinese, several reasons joined by "；"); `None` = valid.
    pub problem: Option<String>,
}

/// Why a whole file is refused. `Display` gives the Chinese message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("文件为空，请选择要上传的Excel文件")]
    Empty,
    #[error("文件不能超过5MB")]
    TooLarge,
    #[error("无法读取文件，请上传Excel文件（.xlsx或.xls）")]
    Unreadable,
    #[error("文件设有打开密码，请取消密码后重新上传")]
    Encrypted,
    #[error("文件中没有工作表")]
    NoSheet,
    /// The header row lacks these columns (in template order).
    #[error("缺少列：{}", .0.join("、"))]
    MissingColumns(Vec<&'static str>),
    /// The header row names this column twice.
    #[error("列“{0}”出现了多次，请只保留一列")]
    DuplicateColumn(&'static str),
    /// More than [`MAX_ROWS`] student rows.
    #[error("数据不能超过10000行")]
    TooManyRows,
    /// A declared dimension or a cell lies past [`MAX_SHEET_ROWS`] / [`MAX_SHEET_COLUMNS`].
    #[error("表格范围过大：最多{MAX_SHEET_ROWS}行、{MAX_SHEET_COLUMNS}列，请删除多余的行和列（包括只设置了格式的空行空列）后重新上传")]
    SheetTooLarge,
    /// The file holds far more than a list could (huge hidden content, a zip bomb).
    #[error("文件内容过多，请只保留名单数据后重新上传")]
    ContentTooLarge,
}

/// The 拟签约名单 template (.xlsx) with a 毕业届 dropdown of `years` (four-digit years; duplicates
/// and others are dropped; no dropdown if none is left).
pub fn template(years: &[i32]) -> Vec<u8> {
    template::build(years, &[]).expect("the template is fixed apart from the sanitised years")
}

/// Reads an uploaded 拟签约名单 (.xlsx or .xls, detected from the content).
///
/// `Err` refuses the whole file; otherwise every non-empty row other than the example comes back
/// in sheet order, each with its own [`Row::problem`] if it cannot be used.
pub fn parse_sign_list(bytes: &[u8]) -> Result<Vec<Row>, ImportError> {
    rows::build(read_cells(bytes, template::SHEET)?)
}

pub use roster::{parse_roster, roster_template, RosterRow, TemplateError, ROSTER_SHEET};

/// The cells of the upload's sheet named `sheet` (else its first worksheet), with every guard
/// of the module doc applied: size, format from the content, bounded reading.
fn read_cells(bytes: &[u8], sheet: &str) -> Result<Vec<sheet::Cell>, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge);
    }
    if bytes.starts_with(&cfb::SIGNATURE) {
        xls::read(bytes, sheet)
    } else if xlsx::is_zip(bytes) {
        xlsx::read(bytes, sheet)
    } else {
        Err(ImportError::Unreadable)
    }
}

/// The sheet to read: the one named `preferred`, else the first worksheet.
/// `sheets` = (name, is a worksheet) in workbook order.
fn pick_sheet(sheets: &[(String, bool)], preferred: &str) -> Option<String> {
    sheets
        .iter()
        .find(|(name, is_ws)| *is_ws && domain::ids::normalize(name) == preferred)
        .or_else(|| sheets.iter().find(|(_, is_ws)| *is_ws))
        .map(|(name, _)| name.clone())
}
