//! The downloadable 拟签约名单 template.

use rust_xlsxwriter::{Color, DataValidation, Format, FormatBorder, Note, Workbook, XlsxError};

use crate::rows::{Column, EXAMPLE};
use crate::MAX_ROWS;

/// Name of the list sheet; the import reads the sheet of this name, else the first worksheet.
pub(crate) const SHEET: &str = "拟签约名单";
const HELP_SHEET: &str = "填写说明";

const WIDTHS: [f64; 5] = [28.0, 10.0, 14.0, 24.0, 16.0];

pub(crate) fn build(years: &[i32], extra_rows: &[[&str; 5]]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin);
    // Number format "@" (text), as Excel's built-in format 49.
    let text = Format::new().set_num_format_index(49);
    let example = Format::new().set_italic().set_font_color(Color::RGB(0x808080));
    let example_text = example.clone().set_num_format_index(49);

    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    for (col, (column, width)) in Column::ALL.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width)?;
        if matches!(column, Column::IdNumber | Column::Phone) {
            // Whole columns as text: typed 身份证号 and 手机号 stay text (no 15-digit rounding).
            sheet.set_column_format(col, &text)?;
        }
        sheet.write_string_with_format(0, col, column.title(), &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    // The example row (row 2): skipped by the import as long as it is unchanged.
    for (col, value) in EXAMPLE.iter().enumerate() {
        let col = col as u16;
        if col == 1 {
            sheet.write_number_with_format(1, col, value.parse::<f64>().unwrap_or(2026.0), &example)?;
        } else if col >= 3 {
            sheet.write_string_with_format(1, col, *value, &example_text)?;
        } else {
            sheet.write_string_with_format(1, col, *value, &example)?;
        }
    }
    sheet.insert_note(
        1,
        0,
        &Note::new("示例行：内容不修改时导入会自动忽略，可以直接删除，也可以覆盖为真实学生。").set_author("网签系统"),
    )?;

    for (i, row) in extra_rows.iter().enumerate() {
        let r = 2 + i as u32;
        for (col, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r, col as u16, *value)?;
            }
        }
    }

    // 毕业届: a dropdown of the open years (for the example row and MAX_ROWS rows below it).
    let years = year_list(years);
    if !years.is_empty() {
        let validation = DataValidation::new()
            .allow_list_strings(&years)?
            .set_input_title("毕业届")?
            .set_input_message("请从下拉列表中选择毕业年份")?
            .set_error_title("毕业届不正确")?
            .set_error_message(format!("请从下拉列表中选择：{}", years.join("、")))?;
        sheet.add_data_validation(1, 1, MAX_ROWS as u32 + 1, 1, &validation)?;
    }

    let help = book.add_worksheet();
    help.set_name(HELP_SHEET)?;
    help.set_column_width(0, 100)?;
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();
    help.write_string_with_format(0, 0, "拟签约名单填写说明", &title)?;
    for (i, line) in help_lines(&years).iter().enumerate() {
        help.write_string_with_format(1 + i as u32, 0, line, &wrap)?;
    }

    book.save_to_buffer()
}

/// The years for the dropdown: four-digit, distinct, ascending; at most the latest 40 (Excel
/// limits a list to 255 characters).
fn year_list(years: &[i32]) -> Vec<String> {
    let mut ys: Vec<i32> = years.iter().copied().filter(|y| (1000..=9999).contains(y)).collect();
    ys.sort_unstable();
    ys.dedup();
    let skip = ys.len().saturating_sub(40);
    ys[skip..].iter().map(i32::to_string).collect()
}

fn help_lines(years: &[String]) -> Vec<String> {
    let year_hint = if years.is_empty() {
        "毕业届：填写四位毕业年份，如 2026。".to_string()
    } else {
        format!("毕业届：从下拉列表中选择（可选：{}）。", years.join("、"))
    };
    vec![
        "1. 在“拟签约名单”工作表中每行填写一名学生，第1行的列名请不要修改；列的顺序可以调整，也可以增加“备注”等其他列（其他列不会导入）。".into(),
        "2. 第2行（灰色斜体）是示例：内容不修改时导入会自动忽略；可以删除它，也可以直接覆盖为真实学生。".into(),
        "3. 学校名称：填写学生毕业学校的全称，如“江城大学”。".into(),
        format!("4. {year_hint}"),
        "5. 姓名：学生的姓名。".into(),
        "6. 身份证号、手机号：至少填写一项，两项都填也可以。身份证号为18位，末位可以是X；手机号为11位数字。".into(),
        "7. 身份证号请以文本格式填写：模板中这两列已设为文本格式，直接输入即可；从其他表格复制时请使用“选择性粘贴—数值”，不要粘贴成数字（数字会丢失身份证号的末几位，这样的行会被退回）。".into(),
        "8. 同一名学生只填写一次；空行会被忽略。".into(),
        format!("9. 每个文件最多{MAX_ROWS}名学生，文件大小不超过5MB，支持 .xlsx 和 .xls 格式。"),
        "10. 导入后系统会逐行显示检查结果，有问题的行会注明原因，修改后可以重新导入。".into(),
    ]
}
