//! 导出 of 生源管理's filtered list: the school's own roster, so 身份证号 and 手机号 are whole,
//! written as text cells (an 18-digit number would lose its last digits in Excel). The columns
//! are the 生源导入 template's, in its order, then 生源审核状态 and 限制签约: an exported file
//! can be corrected and imported again.

use domain::roster::{RosterRecord, COLUMNS};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

/// The sheet's name.
pub const SHEET: &str = "生源信息";
/// The columns after the template's.
pub const EXTRA_COLUMNS: [&str; 2] = ["生源审核状态", "限制签约"];

const WIDTHS: [f64; 13] = [
    18.0, 18.0, 12.0, 8.0, 10.0, 6.0, 22.0, 14.0, 24.0, 10.0, 16.0, 12.0, 10.0,
];

/// One .xlsx with a header row and a row per record: (record, 生源审核状态, 限制签约).
pub fn roster_export<'a>(
    rows: impl IntoIterator<Item = (&'a RosterRecord, &'a str, bool)>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin);
    // Number format "@" (text), Excel's built-in format 49: typed edits stay text too.
    let text = Format::new().set_num_format_index(49);
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    for (col, (title, width)) in COLUMNS.iter().chain(EXTRA_COLUMNS.iter()).zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, *title, &header)?;
    }
    sheet.set_column_format(6, &text)?;
    sheet.set_column_format(7, &text)?;
    sheet.set_freeze_panes(1, 0)?;
    let mut last = 0;
    for (i, (r, status, restricted)) in rows.into_iter().enumerate() {
        let row = 1 + i as u32;
        last = row;
        let cells: [&str; 11] = [
            &r.college,
            &r.major,
            &r.degree,
            "",
            &r.name,
            &r.gender,
            &r.id_number,
            &r.phone,
            &r.email,
            &r.training_mode,
            &r.origin,
        ];
        for (col, value) in cells.iter().enumerate() {
            let col = col as u16;
            match col {
                3 => {
                    sheet.write_number(row, col, f64::from(r.graduation_year))?;
                }
                6 | 7 => {
                    sheet.write_string_with_format(row, col, *value, &text)?;
                }
                _ if !value.is_empty() => {
                    sheet.write_string(row, col, *value)?;
                }
                _ => {}
            }
        }
        sheet.write_string(row, 11, status)?;
        sheet.write_string(row, 12, if restricted { "是" } else { "否" })?;
    }
    sheet.autofilter(0, 0, last, (COLUMNS.len() + EXTRA_COLUMNS.len() - 1) as u16)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn record(id_number: &str, phone: &str) -> RosterRecord {
        RosterRecord {
            college_id: 1,
            college: "计算机学院".into(),
            major: "软件工程".into(),
            degree: "本科".into(),
            graduation_year: 2027,
            name: "张明".into(),
            gender: "女".into(),
            id_number: id_number.into(),
            phone: phone.into(),
            email: String::new(),
            training_mode: "非定向".into(),
            origin: "湖北省武汉市".into(),
        }
    }

    #[test]
    fn calamine_reads_whole_id_numbers_and_phones_as_text_with_the_template_columns() {
        let a = record("420106200401011009", "13800271000");
        let b = record("42060220040820119X", "13900000001");
        let bytes = roster_export([(&a, "已审核", false), (&b, "待审核", true)]).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(SHEET).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        let expected: Vec<&str> = COLUMNS.iter().chain(EXTRA_COLUMNS.iter()).copied().collect();
        assert_eq!(header, expected);
        assert_eq!(rows[1][6], Data::String("420106200401011009".into()));
        assert_eq!(rows[1][7], Data::String("13800271000".into()));
        assert_eq!(rows[2][6], Data::String("42060220040820119X".into()));
        assert_eq!(rows[2][3], Data::Float(2027.0));
        assert_eq!(
            (rows[2][11].to_string(), rows[2][12].to_string()),
            ("待审核".into(), "是".into())
        );
        assert_eq!(rows.len(), 3);
    }

    /// LibreOffice (installed by the test setup, as for the template's tests) as the
    /// independent reader: the CSV it converts the file to shows every digit.
    #[test]
    fn libreoffice_reads_the_export_with_every_digit() {
        use std::process::Command;
        let dir = std::env::temp_dir().join(format!("roster-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home")).unwrap();
        let input = dir.join("export.xlsx");
        let a = record("420106200401011009", "13800271000");
        std::fs::write(&input, roster_export([(&a, "已审核", false)]).unwrap()).unwrap();
        let out = Command::new("libreoffice")
            .env("HOME", dir.join("home"))
            .arg("--headless")
            .arg("--convert-to")
            .arg("csv:Text - txt - csv (StarCalc):44,34,76,1")
            .arg("--outdir")
            .arg(dir.join("out"))
            .arg(&input)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "LibreOffice is needed for this test but `libreoffice` could not be run ({e}). \
                     Install it with `apt-get install -y --no-install-recommends libreoffice-calc`."
                )
            });
        let csv = std::fs::read_to_string(dir.join("out/export.csv"))
            .unwrap_or_else(|e| panic!("no CSV ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        let _ = std::fs::remove_dir_all(&dir);
        let text = csv.replace('"', "");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("学院,专业,学历,毕业届,姓名,性别,身份证号,手机号,邮箱,培养方式,生源地,生源审核状态,限制签约")
        );
        assert_eq!(
            lines.next(),
            Some("计算机学院,软件工程,本科,2027,张明,女,420106200401011009,13800271000,,非定向,湖北省武汉市,已审核,否")
        );
    }
}
