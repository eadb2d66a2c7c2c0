//! Tests of the template and the import. LibreOffice (`libreoffice-calc`, installed by the test
//! setup) is the independent reader and writer of the `libreoffice` tests.

use std::io::{Cursor, Read, Write};

use rust_xlsxwriter::Workbook;
use zip::{write::SimpleFileOptions, ZipArchive, ZipWriter};

use super::*;
use crate::sheet::Value;

// ---------------------------------------------------------------------------------------------
// Memory accounting: the allocations of the current thread (parsing runs on the test's thread).

pub(crate) mod alloc {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        static NOW: Cell<usize> = const { Cell::new(0) };
        static PEAK: Cell<usize> = const { Cell::new(0) };
    }

    fn add(n: usize) {
        let _ = NOW.try_with(|now| {
            let v = now.get() + n;
            now.set(v);
            let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
        });
    }

    fn sub(n: usize) {
        let _ = NOW.try_with(|now| now.set(now.get().saturating_sub(n)));
    }

    pub struct Tracking;

    unsafe impl GlobalAlloc for Tracking {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                add(layout.size());
            }
            p
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                add(layout.size());
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            sub(layout.size());
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                sub(layout.size());
                add(new_size);
            }
            p
        }
    }

    /// Runs `f` and returns its result with the peak of this thread's extra heap use.
    pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
        let base = NOW.with(Cell::get);
        PEAK.with(|p| p.set(base));
        let out = f();
        (out, PEAK.with(Cell::get) - base)
    }
}

#[global_allocator]
static GLOBAL: alloc::Tracking = alloc::Tracking;

const MB: usize = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Builders.

const HEADER: [&str; 5] = ["学校名称", "毕业届", "姓名", "身份证号", "手机号"];

#[derive(Clone, Copy)]
enum V<'a> {
    S(&'a str),
    N(f64),
}

/// A plain .xlsx (sheet "Sheet1") with these rows from A1; "" = no cell.
fn xlsx(rows: &[Vec<V<'_>>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match *v {
                V::S("") => {}
                V::S(s) => {
                    sheet.write_string(r as u32, c as u16, s).unwrap();
                }
                V::N(n) => {
                    sheet.write_number(r as u32, c as u16, n).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// Header + text rows.
fn list(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut all = vec![HEADER.iter().map(|s| V::S(s)).collect::<Vec<_>>()];
    all.extend(rows.iter().map(|r| r.iter().map(|s| V::S(s)).collect()));
    xlsx(&all)
}

/// A valid 身份证号 built from 17 digits.
fn id(first17: &str) -> String {
    format!("{first17}{}", domain::ids::id_check_char(first17).unwrap())
}

/// Rewrites the parts of an .xlsx.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut src = ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut part = src.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        drop(part);
        let data = edit(&name, data);
        out.start_file(name, SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn replace(data: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(data).unwrap();
    assert!(s.contains(from), "{from} not in {s}");
    s.replacen(from, to, 1).into_bytes()
}

/// BIFF8 records and workbook streams for hand-made .xls files.
mod biff {
    pub fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }
    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }
    pub fn bof(dt: u16) -> Vec<u8> {
        rec(
            0x0809,
            &cat(&[
                &0x0600u16.to_le_bytes(),
                &dt.to_le_bytes(),
                &[0xBB, 0x0D, 0xCC, 0x07],
                &[0; 4],
                &[6, 0, 0, 0],
            ]),
        )
    }
    pub fn eof() -> Vec<u8> {
        rec(0x000A, &[])
    }
    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }
    fn rc(row: u16, col: u16) -> Vec<u8> {
        cat(&[&row.to_le_bytes(), &col.to_le_bytes(), &[0, 0]])
    }
    pub fn label(row: u16, col: u16, s: &str) -> Vec<u8> {
        let n = s.encode_utf16().count() as u16;
        rec(0x0204, &cat(&[&rc(row, col), &n.to_le_bytes(), &[1], &utf16(s)]))
    }
    pub fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
        rec(0x0203, &cat(&[&rc(row, col), &v.to_le_bytes()]))
    }
    /// An RK integer cell (calamine reads it as `Int`).
    pub fn rk_int(row: u16, col: u16, v: i32) -> Vec<u8> {
        rec(0x027E, &cat(&[&rc(row, col), &(((v << 2) | 2) as u32).to_le_bytes()]))
    }
    pub fn label_sst(row: u16, col: u16, index: u32) -> Vec<u8> {
        rec(0x00FD, &cat(&[&rc(row, col), &index.to_le_bytes()]))
    }
    pub fn dimensions(rf: u32, rl: u32, cf: u16, cl: u16) -> Vec<u8> {
        rec(
            0x0200,
            &cat(&[
                &rf.to_le_bytes(),
                &rl.to_le_bytes(),
                &cf.to_le_bytes(),
                &cl.to_le_bytes(),
                &[0, 0],
            ]),
        )
    }
    /// A FORMULA record with a cached number and the given token list.
    pub fn formula(row: u16, col: u16, cached: f64, rgce: &[u8]) -> Vec<u8> {
        let cce = rgce.len() as u16;
        rec(
            0x0006,
            &cat(&[
                &rc(row, col),
                &cached.to_le_bytes(),
                &[0, 0],
                &[0; 4],
                &cce.to_le_bytes(),
                rgce,
            ]),
        )
    }
    /// An SST record holding one string of `n` × 'a' (8-bit), continued over CONTINUE records.
    pub fn sst_one_long_string(n: u16) -> Vec<u8> {
        let mut first = cat(&[&1u32.to_le_bytes(), &1u32.to_le_bytes(), &n.to_le_bytes(), &[0]]);
        let mut left = n as usize;
        let take = left.min(8000);
        first.extend(std::iter::repeat_n(b'a', take));
        left -= take;
        let mut out = rec(0x00FC, &first);
        while left > 0 {
            let take = left.min(8000);
            let mut cont = vec![0u8]; // flags: 8-bit characters
            cont.extend(std::iter::repeat_n(b'a', take));
            out.extend(rec(0x003C, &cont));
            left -= take;
        }
        out
    }
    /// Globals (BOF, extra records, one BOUNDSHEET per sheet, EOF) followed by the sheets.
    /// `offsets` overrides a sheet's BOUNDSHEET offset (index into sheets) when `Some`.
    pub fn workbook_with(
        globals_extra: &[Vec<u8>],
        sheets: &[(&str, Vec<Vec<u8>>)],
        offsets: &[Option<u32>],
    ) -> Vec<u8> {
        let boundsheet = |pos: u32, name: &str| {
            let n = name.encode_utf16().count() as u8;
            rec(0x0085, &cat(&[&pos.to_le_bytes(), &[0, 0, n, 1], &utf16(name)]))
        };
        let bodies: Vec<Vec<u8>> = sheets
            .iter()
            .map(|(_, records)| cat(&[&bof(0x0010), &records.concat(), &eof()]))
            .collect();
        let globals_len = bof(0x0005).len()
            + globals_extra.iter().map(Vec::len).sum::<usize>()
            + sheets.iter().map(|(name, _)| boundsheet(0, name).len()).sum::<usize>()
            + eof().len();
        let mut pos = globals_len as u32;
        let mut out = bof(0x0005);
        for r in globals_extra {
            out.extend(r);
        }
        for (i, ((name, _), body)) in sheets.iter().zip(&bodies).enumerate() {
            let at = offsets.get(i).copied().flatten().unwrap_or(pos);
            out.extend(boundsheet(at, name));
            pos += body.len() as u32;
        }
        out.extend(eof());
        for b in &bodies {
            out.extend(b);
        }
        out
    }
    pub fn workbook(sheets: &[(&str, Vec<Vec<u8>>)]) -> Vec<u8> {
        workbook_with(&[], sheets, &[])
    }
    pub fn xls(stream: &[u8]) -> Vec<u8> {
        crate::cfb::single_stream("Workbook", stream).unwrap()
    }
    /// Header row + text rows as LABEL records.
    pub fn list(rows: &[[&str; 5]]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for (c, h) in super::HEADER.iter().enumerate() {
            out.push(label(0, c as u16, h));
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    out.push(label(r as u16 + 1, c as u16, v));
                }
            }
        }
        out
    }
}

fn problems(rows: &[Row]) -> Vec<(u32, Option<&str>)> {
    rows.iter().map(|r| (r.line, r.problem.as_deref())).collect()
}

// ---------------------------------------------------------------------------------------------
// The template.

#[test]
fn the_template_round_trips_through_the_import_with_the_example_row_skipped() {
    let bytes = template(&[2025, 2026]);
    assert_eq!(parse_sign_list(&bytes), Ok(vec![]));
}

#[test]
fn rows_added_to_the_template_are_imported_and_the_example_is_not() {
    let a = id("42010620040303012");
    let bytes = template::build(
        &[2026],
        &[
            ["江城大学", "2026", "李四", &a, "13900139000"],
            ["楚天理工学院", "2025", "王五", "", "13700137000"],
        ],
    )
    .unwrap();
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(
        rows,
        vec![
            Row {
                line: 3,
                school: "江城大学".into(),
                graduation_year: 2026,
                name: "李四".into(),
                id_number: Some(a.clone()),
                phone: Some("13900139000".into()),
                problem: None,
            },
            Row {
                line: 4,
                school: "楚天理工学院".into(),
                graduation_year: 2025,
                name: "王五".into(),
                id_number: None,
                phone: Some("13700137000".into()),
                problem: None,
            },
        ]
    );
}

#[test]
fn the_example_row_is_skipped_only_while_all_five_values_are_unchanged() {
    let [school, year, _, id_number, phone] = rows::EXAMPLE;
    let bytes = list(&[rows::EXAMPLE, [school, year, "张四", id_number, phone], rows::EXAMPLE]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].line, rows[0].name.as_str()), (3, "张四"));
    // Its 身份证号 is well-formed, so an edited example is a normal row.
    assert_eq!(rows[0].problem, None);
}

#[test]
fn the_template_has_text_columns_a_year_dropdown_a_frozen_header_and_instructions() {
    let bytes = template(&[2026, 2025, 2026, 12345]);
    let mut zip = ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = part("xl/workbook.xml");
    let list_at = workbook.find("name=\"拟签约名单\"").expect("sheet 拟签约名单");
    let help_at = workbook.find("name=\"填写说明\"").expect("sheet 填写说明");
    assert!(list_at < help_at, "拟签约名单 comes first");
    let sheet = part("xl/worksheets/sheet1.xml");
    assert!(sheet.contains("ySplit=\"1\""), "header row frozen: {sheet}");
    assert!(sheet.contains("type=\"list\""), "毕业届 dropdown");
    assert!(
        sheet.contains("<formula1>\"2025,2026\"</formula1>"),
        "years sorted, distinct, 4-digit: {sheet}"
    );
    assert!(sheet.contains(&format!("sqref=\"B2:B{}\"", MAX_ROWS + 2)), "{sheet}");
    // Columns D:E carry a style whose number format is text ("@", built-in id 49).
    let styles = part("xl/styles.xml");
    let col = sheet
        .split("<col ")
        .find(|c| c.contains("min=\"4\""))
        .expect("column D styled");
    let style: usize = col
        .split("style=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    assert!(xf.contains("numFmtId=\"49\""), "column D is text: {xf}");
    let strings = part("xl/sharedStrings.xml");
    for h in HEADER {
        assert!(strings.contains(h));
    }
    assert!(strings.contains("身份证号请以文本格式填写"));
}

#[test]
fn the_template_is_built_for_any_year_list() {
    for years in [vec![], vec![-1, 0, 99_999], (1900..2200).collect::<Vec<_>>()] {
        assert_eq!(parse_sign_list(&template(&years)), Ok(vec![]), "{years:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Columns and rows.

#[test]
fn full_width_spaces_are_trimmed_from_headers_and_values() {
    let a = id("42010620040404023");
    let lower = a.to_lowercase();
    let bytes = xlsx(&[
        vec![
            V::S("\u{3000}学校名称 "),
            V::S("毕 业 届"),
            V::S("\u{3000}姓名\u{3000}"),
            V::S(" 身份证号"),
            V::S("手机号\u{3000}"),
        ],
        vec![
            V::S("\u{3000}江城大学\u{3000}"),
            V::S(" 2026\u{3000}"),
            V::S("\u{3000}李四 "),
            V::S(&format!("\u{3000}{lower} ")),
            V::S("\u{3000}13900139000"),
        ],
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(
        rows,
        vec![Row {
            line: 2,
            school: "江城大学".into(),
            graduation_year: 2026,
            name: "李四".into(),
            id_number: Some(a),
            phone: Some("13900139000".into()),
            problem: None,
        }]
    );
}

#[test]
fn columns_are_found_by_header_text_in_any_order_below_a_title() {
    let a = id("42010620040505034");
    let bytes = xlsx(&[
        vec![V::S("2026届拟签约名单")],
        vec![
            V::S("序号"),
            V::S("手机号码"),
            V::S("姓名*"),
            V::S("身份证号码"),
            V::S("毕业年份"),
            V::S("学校名称（必填）"),
            V::S("备注"),
        ],
        vec![
            V::N(1.0),
            V::S("13900139000"),
            V::S("李四"),
            V::S(&a),
            V::S("2026届"),
            V::S("江城大学"),
            V::S("随便"),
        ],
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r.line, r.school.as_str(), r.graduation_year, r.name.as_str()),
        (3, "江城大学", 2026, "李四")
    );
    assert_eq!(
        (r.id_number.as_deref(), r.phone.as_deref(), r.problem.as_deref()),
        (Some(a.as_str()), Some("13900139000"), None)
    );
}

#[test]
fn a_missing_column_is_named_in_the_error() {
    let no_name = xlsx(&[vec![V::S("学校名称"), V::S("毕业届"), V::S("身份证号"), V::S("手机号")]]);
    let err = parse_sign_list(&no_name).unwrap_err();
    assert_eq!(err.to_string(), "缺少列：姓名");

    let no_ids = xlsx(&[vec![V::S("学校名称"), V::S("毕业届"), V::S("姓名")]]);
    assert_eq!(
        parse_sign_list(&no_ids).unwrap_err().to_string(),
        "缺少列：身份证号或手机号"
    );

    // One of 身份证号 / 手机号 is enough.
    let id_only = xlsx(&[vec![V::S("学校名称"), V::S("毕业届"), V::S("姓名"), V::S("身份证号")]]);
    assert_eq!(parse_sign_list(&id_only), Ok(vec![]));

    let nothing = xlsx(&[vec![V::S("a"), V::S("b")], vec![V::S("c")]]);
    assert_eq!(
        parse_sign_list(&nothing).unwrap_err().to_string(),
        "缺少列：学校名称、毕业届、姓名、身份证号或手机号"
    );
    let empty_sheet = xlsx(&[]);
    assert!(matches!(
        parse_sign_list(&empty_sheet),
        Err(ImportError::MissingColumns(_))
    ));

    let twice = xlsx(&[vec![
        V::S("学校名称"),
        V::S("毕业届"),
        V::S("姓名"),
        V::S("手机号"),
        V::S("手机号码"),
    ]]);
    assert_eq!(parse_sign_list(&twice), Err(ImportError::DuplicateColumn("手机号")));
}

#[test]
fn an_id_number_typed_as_a_number_is_refused_for_that_row() {
    let bytes = xlsx(&[
        HEADER.iter().map(|h| V::S(h)).collect(),
        vec![
            V::S("江城大学"),
            V::N(2026.0),
            V::S("李四"),
            V::N(420106200401010000.0),
            V::S("13900139000"),
        ],
        vec![
            V::S("江城大学"),
            V::N(2026.0),
            V::S("王五"),
            V::N(420106200401010000.0),
            V::S(""),
        ],
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(rows[0].problem.as_deref(), Some("请以文本格式填写身份证号"));
    assert_eq!(rows[0].id_number, None);
    assert_eq!(rows[1].problem.as_deref(), Some("请以文本格式填写身份证号"));

    // .xls gives integers (RK) rather than floats: refused the same way.
    let stream = biff::workbook(&[(
        "Sheet1",
        [
            biff::list(&[]),
            vec![
                biff::label(1, 0, "江城大学"),
                biff::rk_int(1, 1, 2026),
                biff::label(1, 2, "李四"),
                biff::rk_int(1, 3, 420106),
                biff::label(1, 4, "13900139000"),
            ],
        ]
        .concat(),
    )]);
    let rows = parse_sign_list(&biff::xls(&stream)).unwrap();
    assert_eq!(problems(&rows), vec![(2, Some("请以文本格式填写身份证号"))]);
}

#[test]
fn a_phone_typed_as_a_whole_number_is_accepted() {
    let bytes = xlsx(&[
        HEADER.iter().map(|h| V::S(h)).collect(),
        vec![
            V::S("江城大学"),
            V::N(2026.0),
            V::S("李四"),
            V::S(""),
            V::N(13900139000.0),
        ],
        vec![
            V::S("江城大学"),
            V::N(2026.0),
            V::S("王五"),
            V::S(""),
            V::N(13900139000.5),
        ],
        vec![V::S("江城大学"), V::N(2026.0), V::S("赵六"), V::S(""), V::N(1.0e20)],
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(
        (rows[0].phone.as_deref(), rows[0].problem.as_deref()),
        (Some("13900139000"), None)
    );
    assert_eq!(rows[1].problem.as_deref(), Some("手机号应为11位数字"));
    assert_eq!(rows[2].problem.as_deref(), Some("手机号应为11位数字"));
}

#[test]
fn row_problems_are_reported_on_the_row_in_chinese() {
    let good = id("42010620040606045");
    let bad_check = {
        let mut s = good.clone();
        let last = if s.ends_with('1') { '2' } else { '1' };
        s.pop();
        s.push(last);
        s
    };
    let bytes = list(&[
        ["", "2026", "李四", &good, ""],                        // 2
        ["江城大学", "", "", "", ""],                           // 3
        ["江城大学", "2026", "王五", "", ""],                   // 4
        ["江城大学", "2026", "赵六", &bad_check, ""],           // 5
        ["江城大学", "2026", "钱七", "", "1390013900"],         // 6
        ["江城大学", "1999", "孙八", "", "13900139001"],        // 7
        ["江城大学", "二〇二六", "周九", "", "13900139002"],    // 8
        ["江城大学", "2026年", "吴十", "12345", "13900139003"], // 9
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(
        problems(&rows),
        vec![
            (2, Some("缺少学校名称")),
            (3, Some("缺少毕业届；缺少姓名；请填写身份证号或手机号")),
            (4, Some("请填写身份证号或手机号")),
            (5, Some("身份证号校验位不正确")),
            (6, Some("手机号应为11位数字")),
            (7, Some("毕业届应为四位年份，如2026")),
            (8, Some("毕业届应为四位年份，如2026")),
            (9, Some("身份证号应为18位")),
        ]
    );
    assert_eq!(
        rows[3].id_number.as_deref(),
        Some(bad_check.as_str()),
        "what was typed is kept for display"
    );
    assert_eq!(rows[7].graduation_year, 2026, "2026年 is a year");
}

#[test]
fn overlong_texts_are_refused_for_the_row() {
    let long_name = "名".repeat(51);
    let very_long = "校".repeat(5000);
    let bytes = list(&[
        ["江城大学", "2026", &long_name, "", "13900139000"],
        [&very_long, "2026", "李四", "", "13900139001"],
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(
        problems(&rows),
        vec![
            (2, Some("姓名过长（最多50字）")),
            (3, Some("学校名称过长（最多100字）"))
        ]
    );
}

#[test]
fn duplicate_rows_are_reported_with_the_first_row_number() {
    let a = id("42010620040707056");
    let bytes = list(&[
        ["江城大学", "2026", "李四", &a, "13900139000"], // 2
        ["江城大学", "2026", "王五", "", "13900139001"], // 3
        ["江城大学", "2026", "李四", &a, ""],            // 4: same 身份证号
        ["江城大学", "2026", "王五", "", "13900139001"], // 5: same 姓名 + 手机号
        ["江城大学", "2025", "王五", "", "13900139001"], // 6: another 毕业届
        ["江城大学", "2026", "王五", "", "13900139001"], // 7
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(
        problems(&rows),
        vec![
            (2, None),
            (3, None),
            (4, Some("与第2行重复")),
            (5, Some("与第3行重复")),
            (6, None),
            (7, Some("与第3行重复"))
        ]
    );
}

#[test]
fn empty_rows_are_skipped_and_lines_are_excel_row_numbers() {
    let bytes = xlsx(&[
        HEADER.iter().map(|h| V::S(h)).collect(),
        vec![],
        vec![V::S(" "), V::S("\u{3000}")],
        vec![
            V::S("江城大学"),
            V::S("2026"),
            V::S("李四"),
            V::S(""),
            V::S("13900139000"),
        ],
        vec![],
        vec![V::S(""), V::S(""), V::S(""), V::S(""), V::S(""), V::S("只有备注")],
        vec![
            V::S("江城大学"),
            V::S("2026"),
            V::S("王五"),
            V::S(""),
            V::S("13900139001"),
        ],
    ]);
    let rows = parse_sign_list(&bytes).unwrap();
    assert_eq!(problems(&rows), vec![(4, None), (7, None)]);
}

fn many_rows(n: usize) -> Vec<u8> {
    let phones: Vec<String> = (0..n).map(|i| format!("139{:08}", i)).collect();
    let names: Vec<String> = (0..n).map(|i| format!("学生{i}")).collect();
    let rows: Vec<[&str; 5]> = (0..n)
        .map(|i| ["江城大学", "2026", names[i].as_str(), "", phones[i].as_str()])
        .collect();
    template::build(&[2026], &rows).unwrap()
}

#[test]
fn ten_thousand_rows_are_accepted() {
    let rows = parse_sign_list(&many_rows(MAX_ROWS)).unwrap();
    assert_eq!(rows.len(), MAX_ROWS);
    assert!(rows.iter().all(|r| r.problem.is_none()));
    assert_eq!(rows.last().unwrap().line, MAX_ROWS as u32 + 2);
}

#[test]
fn more_than_ten_thousand_rows_are_refused() {
    let err = parse_sign_list(&many_rows(MAX_ROWS + 1)).unwrap_err();
    assert_eq!(err, ImportError::TooManyRows);
    assert_eq!(err.to_string(), "数据不能超过10000行");
}

// ---------------------------------------------------------------------------------------------
// File-level refusals.

#[test]
fn empty_and_oversize_uploads_are_refused_before_parsing() {
    assert_eq!(parse_sign_list(&[]), Err(ImportError::Empty));
    let mut big = template(&[2026]);
    big.resize(MAX_BYTES + 1, 0);
    let err = parse_sign_list(&big).unwrap_err();
    assert_eq!(err, ImportError::TooLarge);
    assert_eq!(err.to_string(), "文件不能超过5MB");
}

#[test]
fn corrupt_bytes_are_refused_as_unreadable() {
    let good = template(&[2026]);
    let mut flipped = good.clone();
    for b in flipped.iter_mut().skip(200).step_by(97) {
        *b ^= 0x5A;
    }
    let mut zip_without_workbook = ZipWriter::new(Cursor::new(Vec::new()));
    zip_without_workbook
        .start_file("hello.txt", SimpleFileOptions::default())
        .unwrap();
    zip_without_workbook.write_all(b"hello").unwrap();
    let zip_without_workbook = zip_without_workbook.finish().unwrap().into_inner();
    let mut cfb_garbage = cfb::SIGNATURE.to_vec();
    cfb_garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let cfb_without_workbook = cfb::with_streams(&[("Other", b"x")]);
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        (
            "random",
            (0..3000u32).map(|i| (i.wrapping_mul(40503) >> 7) as u8).collect(),
        ),
        ("truncated xlsx", good[..good.len() / 2].to_vec()),
        ("flipped xlsx", flipped),
        (
            "html",
            "<html><table><tr><td>学校名称</td></tr></table></html>"
                .as_bytes()
                .to_vec(),
        ),
        ("csv", "学校名称,毕业届,姓名,身份证号,手机号\n".as_bytes().to_vec()),
        ("zip without workbook", zip_without_workbook),
        ("cfb garbage", cfb_garbage),
        ("cfb without workbook", cfb_without_workbook),
        (
            "truncated xls",
            biff::xls(&biff::workbook(&[("Sheet1", biff::list(&[]))]))[..700].to_vec(),
        ),
    ];
    for (what, bytes) in inputs {
        let err = parse_sign_list(&bytes).unwrap_err();
        assert_eq!(err, ImportError::Unreadable, "{what}");
        assert_eq!(err.to_string(), "无法读取文件，请上传Excel文件（.xlsx或.xls）");
    }
}

#[test]
fn a_sparse_xlsx_reaching_xfd1048576_is_refused_without_a_large_allocation() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "学校名称").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000, "a small file: {} bytes", bytes.len());
    let (result, peak) = alloc::peak_during(|| parse_sign_list(&bytes));
    assert_eq!(result, Err(ImportError::SheetTooLarge));
    assert!(peak < 16 * MB, "peak allocation {peak} bytes");
}

#[test]
fn a_cell_past_the_allowed_area_is_refused_even_if_the_declared_dimension_is_small() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(MAX_SHEET_ROWS, 0, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let lying = rezip(&bytes, |name, data| {
        if name == "xl/worksheets/sheet1.xml" {
            replace(
                data,
                &format!("<dimension ref=\"A1:E{}\"/>", MAX_SHEET_ROWS + 1),
                "<dimension ref=\"A1:E1\"/>",
            )
        } else {
            data
        }
    });
    let (result, peak) = alloc::peak_during(|| parse_sign_list(&lying));
    assert_eq!(result, Err(ImportError::SheetTooLarge));
    assert!(peak < 16 * MB, "peak allocation {peak} bytes");

    // The last allowed row and column are fine.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet
        .write_string(MAX_SHEET_ROWS - 1, MAX_SHEET_COLUMNS as u16 - 1, "备注")
        .unwrap();
    assert_eq!(parse_sign_list(&book.save_to_buffer().unwrap()), Ok(vec![]));

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, MAX_SHEET_COLUMNS as u16, "x").unwrap();
    assert_eq!(
        parse_sign_list(&book.save_to_buffer().unwrap()),
        Err(ImportError::SheetTooLarge)
    );
}

#[test]
fn a_declared_dimension_past_the_allowed_area_is_refused() {
    let bytes = list(&[["江城大学", "2026", "李四", "", "13900139000"]]);
    let declared = rezip(&bytes, |name, data| {
        if name == "xl/worksheets/sheet1.xml" {
            replace(data, "<dimension ref=\"A1:E2\"/>", "<dimension ref=\"A1:XFD1048576\"/>")
        } else {
            data
        }
    });
    let err = parse_sign_list(&declared).unwrap_err();
    assert_eq!(err, ImportError::SheetTooLarge);
    assert!(err.to_string().starts_with("表格范围过大"));
}

#[test]
fn a_forged_shared_string_count_is_refused_without_a_large_allocation() {
    let bytes = list(&[["江城大学", "2026", "李四", "", "13900139000"]]);
    for forged in ["99999999999999", "0000000000000000000099999999", "1e9", "-1"] {
        let forged_bytes = rezip(&bytes, |name, data| {
            if name == "xl/sharedStrings.xml" {
                let s = String::from_utf8(data).unwrap();
                let at = s.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
                let end = at + s[at..].find('"').unwrap();
                format!("{}{forged}{}", &s[..at], &s[end..]).into_bytes()
            } else {
                data
            }
        });
        let (result, peak) = alloc::peak_during(|| parse_sign_list(&forged_bytes));
        assert!(result.is_err(), "{forged}");
        assert!(peak < 16 * MB, "{forged}: peak allocation {peak} bytes");
    }
}

#[test]
fn a_package_inflating_past_the_limit_is_refused() {
    let bytes = list(&[["江城大学", "2026", "李四", "", "13900139000"]]);
    let padded = rezip(&bytes, |name, data| {
        if name == "docProps/app.xml" {
            let mut d = data;
            d.extend(std::iter::repeat_n(b' ', 3 * MB));
            d
        } else {
            data
        }
    });
    assert!(padded.len() < 100_000, "compresses well: {}", padded.len());
    assert_eq!(
        xlsx::check_package_within(&padded, 2 * MB as u64),
        Err(ImportError::ContentTooLarge)
    );
    assert_eq!(xlsx::check_package_within(&padded, 4 * MB as u64), Ok(()));
    assert_eq!(parse_sign_list(&padded).map(|r| r.len()), Ok(1));
}

#[test]
fn an_encrypted_workbook_is_refused_with_a_password_message() {
    let encrypted_xlsx = cfb::with_streams(&[("EncryptionInfo", b"x"), ("EncryptedPackage", b"y")]);
    let err = parse_sign_list(&encrypted_xlsx).unwrap_err();
    assert_eq!(err, ImportError::Encrypted);
    assert!(err.to_string().contains("密码"));

    let filepass = biff::rec(0x002F, &[1, 0, 0, 0]);
    let stream = biff::workbook_with(&[filepass], &[("Sheet1", biff::list(&[]))], &[]);
    assert_eq!(parse_sign_list(&biff::xls(&stream)), Err(ImportError::Encrypted));
}

// ---------------------------------------------------------------------------------------------
// .xls specifics (hand-made BIFF8).

#[test]
fn an_xls_file_imports_like_an_xlsx() {
    let a = id("42010620040808067");
    let stream = biff::workbook(&[
        ("填写说明", vec![biff::label(0, 0, "说明")]),
        (
            "拟签约名单",
            [
                biff::list(&[rows::EXAMPLE, ["江城大学", "", "李四", &a, ""]]),
                vec![
                    biff::number(2, 1, 2026.0),
                    biff::label(3, 0, "楚天理工学院"),
                    biff::rk_int(3, 1, 2025),
                    biff::label(3, 2, "王五"),
                    biff::number(3, 4, 13900139000.0),
                ],
            ]
            .concat(),
        ),
    ]);
    let rows = parse_sign_list(&biff::xls(&stream)).unwrap();
    assert_eq!(
        rows,
        vec![
            Row {
                line: 3,
                school: "江城大学".into(),
                graduation_year: 2026,
                name: "李四".into(),
                id_number: Some(a),
                phone: None,
                problem: None
            },
            Row {
                line: 4,
                school: "楚天理工学院".into(),
                graduation_year: 2025,
                name: "王五".into(),
                id_number: None,
                phone: Some("13900139000".into()),
                problem: None
            },
        ],
        "the sheet named 拟签约名单 is read, whatever its position"
    );
}

#[test]
fn an_xls_with_cells_far_apart_is_refused_without_a_large_allocation() {
    let stream = biff::workbook(&[("Sheet1", vec![biff::number(0, 0, 1.0), biff::number(65_535, 255, 1.0)])]);
    let bytes = biff::xls(&stream);
    let (result, peak) = alloc::peak_during(|| parse_sign_list(&bytes));
    assert_eq!(result, Err(ImportError::SheetTooLarge));
    assert!(peak < 16 * MB, "peak allocation {peak} bytes");
}

#[test]
fn an_xls_with_a_forged_dimensions_record_is_refused() {
    for dims in [
        biff::dimensions(0, u32::MAX, 0, 255),
        biff::dimensions(5, 3, 0, 5),
        biff::dimensions(0, 10, 0, 60_000),
    ] {
        let stream = biff::workbook(&[("Sheet1", [vec![dims.clone()], biff::list(&[])].concat())]);
        let (result, peak) = alloc::peak_during(|| parse_sign_list(&biff::xls(&stream)));
        assert_eq!(result, Err(ImportError::SheetTooLarge));
        assert!(peak < 16 * MB, "peak allocation {peak} bytes");
    }
    let fine = biff::workbook(&[("Sheet1", [vec![biff::dimensions(0, 1, 0, 5)], biff::list(&[])].concat())]);
    assert_eq!(parse_sign_list(&biff::xls(&fine)), Ok(vec![]));
}

#[test]
fn an_xls_whose_sheets_together_are_too_large_is_refused() {
    // Each sheet is within the limits, but 64 BOUNDSHEETs point at the same large sheet.
    let big = vec![
        biff::number(0, 0, 1.0),
        biff::number(MAX_SHEET_ROWS as u16 - 1, MAX_SHEET_COLUMNS as u16 - 1, 1.0),
    ];
    let names: Vec<String> = (0..8).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, Vec<Vec<u8>>)> = names.iter().map(|n| (n.as_str(), big.clone())).collect();
    let stream = biff::workbook(&sheets);
    let (result, peak) = alloc::peak_during(|| parse_sign_list(&biff::xls(&stream)));
    assert_eq!(result, Err(ImportError::ContentTooLarge));
    assert!(peak < 16 * MB, "peak allocation {peak} bytes");

    let names: Vec<String> = (0..65).map(|i| format!("S{i}")).collect();
    let sheets: Vec<(&str, Vec<Vec<u8>>)> = names.iter().map(|n| (n.as_str(), vec![])).collect();
    assert_eq!(
        parse_sign_list(&biff::xls(&biff::workbook(&sheets))),
        Err(ImportError::ContentTooLarge)
    );
}

#[test]
fn an_xls_copying_a_long_shared_string_into_many_cells_is_refused() {
    let sst = biff::sst_one_long_string(60_000);
    let cells: Vec<Vec<u8>> = (0..200).map(|r| biff::label_sst(r, 0, 0)).collect();
    let stream = biff::workbook_with(std::slice::from_ref(&sst), &[("Sheet1", cells)], &[]);
    let (result, peak) = alloc::peak_during(|| parse_sign_list(&biff::xls(&stream)));
    assert_eq!(result, Err(ImportError::ContentTooLarge));
    assert!(peak < 16 * MB, "peak allocation {peak} bytes");

    // A few copies are fine (and too long for a cell of the list).
    let cells = [
        biff::list(&[]),
        vec![
            biff::label_sst(1, 0, 0),
            biff::label(1, 1, "2026"),
            biff::label(1, 2, "李四"),
            biff::label(1, 4, "13900139000"),
        ],
    ]
    .concat();
    let stream = biff::workbook_with(&[sst], &[("Sheet1", cells)], &[]);
    let rows = parse_sign_list(&biff::xls(&stream)).unwrap();
    assert_eq!(problems(&rows), vec![(2, Some("学校名称过长（最多100字）"))]);
}

#[test]
fn xls_formula_cells_import_their_cached_values() {
    // The token list: a big PtgInt chain (operands only; it is never rendered).
    let mut rgce = Vec::new();
    for _ in 0..1000 {
        rgce.extend([0x1E, 0x01, 0x00]);
    }
    let cells = [
        biff::list(&[]),
        vec![
            biff::label(1, 0, "江城大学"),
            biff::formula(1, 1, 2026.0, &rgce),
            biff::label(1, 2, "李四"),
            biff::label(1, 4, "13900139000"),
        ],
    ]
    .concat();
    let rows = parse_sign_list(&biff::xls(&biff::workbook(&[("Sheet1", cells)]))).unwrap();
    assert_eq!((rows[0].graduation_year, rows[0].problem.as_deref()), (2026, None));
}

#[test]
fn hostile_xls_containers_and_offsets_are_refused() {
    let good = biff::xls(&biff::workbook(&[("Sheet1", biff::list(&[]))]));
    assert_eq!(parse_sign_list(&good), Ok(vec![]));
    let fat_entry = |bytes: &mut Vec<u8>, sector: usize, value: u32| {
        let at = 512 + 4 * sector;
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    };
    // The directory chain (sector 1) points at itself.
    let mut cyclic_dir = good.clone();
    fat_entry(&mut cyclic_dir, 1, 1);
    // The stream's last sector points back to its first.
    let mut cyclic_stream = good.clone();
    let sectors = good.len() / 512 - 1;
    fat_entry(&mut cyclic_stream, sectors - 1, 2);
    let size_at = 512 * 2 + 128 + 120; // directory sector, entry 1, size
    let stream_size = u32::from_le_bytes(good[size_at..size_at + 4].try_into().unwrap());
    cyclic_stream[size_at..size_at + 4].copy_from_slice(&(stream_size + 4096).to_le_bytes());
    // A FAT entry far outside the FAT.
    let mut wild = good.clone();
    fat_entry(&mut wild, 2, 0x00FF_FFFF);
    for (what, bytes) in [
        ("cyclic directory", cyclic_dir),
        ("cyclic stream", cyclic_stream),
        ("wild fat entry", wild),
    ] {
        let (result, peak) = alloc::peak_during(|| parse_sign_list(&bytes));
        assert_eq!(result, Err(ImportError::Unreadable), "{what}");
        assert!(peak < 16 * MB, "{what}: peak allocation {peak} bytes");
    }
    // A BOUNDSHEET offset past the end of the stream.
    let stream = biff::workbook_with(&[], &[("Sheet1", biff::list(&[]))], &[Some(1_000_000)]);
    assert_eq!(parse_sign_list(&biff::xls(&stream)), Err(ImportError::Unreadable));
}

#[test]
fn an_xls_whose_workbook_stream_sits_in_the_mini_stream_is_read() {
    let stream = biff::workbook(&[("Sheet1", biff::list(&[["江城大学", "2026", "李四", "", "13900139000"]]))]);
    assert!(stream.len() < 4096);
    let rows = parse_sign_list(&cfb::with_mini_stream("Workbook", &stream)).unwrap();
    assert_eq!(problems(&rows), vec![(2, None)]);
    // BIFF5 files name the stream "Book".
    let rows = parse_sign_list(&cfb::with_mini_stream("Book", &stream)).unwrap();
    assert_eq!(problems(&rows), vec![(2, None)]);
}

#[test]
fn mutated_files_never_panic() {
    let a = id("42010620040909078");
    let xls = biff::xls(&biff::workbook(&[(
        "Sheet1",
        [
            biff::list(&[["江城大学", "2026", "李四", &a, "13900139000"]]),
            vec![biff::number(2, 1, 2026.0), biff::formula(3, 1, 1.0, &[0x1E, 1, 0])],
        ]
        .concat(),
    )]));
    let xlsx = list(&[["江城大学", "2026", "李四", &a, "13900139000"]]);
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for original in [xls, xlsx] {
        for _ in 0..300 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            let (_, peak) = alloc::peak_during(|| parse_sign_list(&bytes));
            assert!(peak < 64 * MB, "peak allocation {peak} bytes");
        }
    }
}

#[test]
fn header_and_value_helpers() {
    assert_eq!(Value::text("\u{3000} a \u{3000}"), Some(Value::Text("a".into())));
    assert_eq!(Value::text("\u{3000}"), None);
    assert_eq!(Value::text(&"x".repeat(101)), Some(Value::TooLong));
    assert_eq!(
        pick_sheet(
            &[("a".into(), false), ("b".into(), true), ("拟签约名单 ".into(), true)],
            "拟签约名单"
        ),
        Some("拟签约名单 ".into())
    );
    assert_eq!(
        pick_sheet(&[("a".into(), false), ("b".into(), true)], "拟签约名单"),
        Some("b".into())
    );
    assert_eq!(pick_sheet(&[("a".into(), false)], "拟签约名单"), None);
}

// ---------------------------------------------------------------------------------------------
// LibreOffice as the independent reader and writer.

mod libreoffice {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A scratch directory removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(tag: &str) -> Scratch {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "excel-test-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("home")).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Converts `input` with LibreOffice (own HOME, so parallel tests do not share a profile).
    fn convert(dir: &Scratch, input: &Path, to: &str, infilter: Option<&str>) -> PathBuf {
        let mut cmd = Command::new("libreoffice");
        cmd.env("HOME", dir.0.join("home")).arg("--headless");
        if let Some(f) = infilter {
            cmd.arg(format!("--infilter={f}"));
        }
        cmd.arg("--convert-to")
            .arg(to)
            .arg("--outdir")
            .arg(dir.0.join("out"))
            .arg(input);
        let out = match cmd.output() {
            Ok(out) => out,
            Err(e) => panic!(
                "LibreOffice is needed for this test but `libreoffice` could not be run ({e}). \
                 Install it with `apt-get install -y --no-install-recommends libreoffice-calc` \
                 (the Makefile's test setup does this)."
            ),
        };
        let ext = to.split(':').next().unwrap();
        let produced = dir.0.join("out").join(input.file_stem().unwrap()).with_extension(ext);
        assert!(
            produced.exists(),
            "LibreOffice did not produce {}: status {}, stdout {}, stderr {}",
            produced.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        produced
    }

    #[test]
    fn libreoffice_reads_the_template_headers_and_example() {
        let dir = Scratch::new("template");
        let input = dir.0.join("template.xlsx");
        std::fs::write(&input, template(&[2025, 2026])).unwrap();
        // UTF-8 CSV of the first sheet.
        let csv = convert(&dir, &input, "csv:Text - txt - csv (StarCalc):44,34,76,1", None);
        // (LibreOffice may quote text cells.)
        let text = std::fs::read_to_string(csv).unwrap().replace('"', "");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("学校名称,毕业届,姓名,身份证号,手机号"));
        assert_eq!(lines.next(), Some("江城大学,2026,张三,42010620040101009X,13800138000"));
    }

    #[test]
    fn files_saved_by_libreoffice_as_xlsx_and_xls_import_correctly() {
        let dir = Scratch::new("saved");
        let csv = dir.0.join("list.csv");
        let a = id("42010620040202002");
        let b = id("42010620040202010");
        std::fs::write(
            &csv,
            format!(
                "学校名称,毕业届,姓名,身份证号码,手机号码\n\
                 江城大学,2026,\u{3000}李四\u{3000},{a},13900139000\n\
                 楚天理工学院,2025,王五,,13700137000\n\
                 ,,,,\n\
                 江城大学,2026,赵六,{},\n",
                b.to_lowercase()
            ),
        )
        .unwrap();
        // Columns 1, 3 and 4 as text, 2 and 5 standard (numbers).
        let infilter = "CSV:44,34,76,1,1/2/2/1/3/2/4/2/5/1";
        let expected = vec![
            Row {
                line: 2,
                school: "江城大学".into(),
                graduation_year: 2026,
                name: "李四".into(),
                id_number: Some(a.clone()),
                phone: Some("13900139000".into()),
                problem: None,
            },
            Row {
                line: 3,
                school: "楚天理工学院".into(),
                graduation_year: 2025,
                name: "王五".into(),
                id_number: None,
                phone: Some("13700137000".into()),
                problem: None,
            },
            Row {
                line: 5,
                school: "江城大学".into(),
                graduation_year: 2026,
                name: "赵六".into(),
                id_number: Some(b.clone()),
                phone: None,
                problem: None,
            },
        ];
        for to in ["xlsx", "xls:MS Excel 97"] {
            let file = convert(&dir, &csv, to, Some(infilter));
            let bytes = std::fs::read(&file).unwrap();
            assert_eq!(parse_sign_list(&bytes).as_ref(), Ok(&expected), "{to}");
            // Renamed files are still read by content.
            let renamed = dir.0.join("renamed.xlsx");
            std::fs::write(&renamed, &bytes).unwrap();
            assert_eq!(
                parse_sign_list(&std::fs::read(renamed).unwrap()).as_ref(),
                Ok(&expected),
                "{to} renamed"
            );
        }
    }

    #[test]
    fn the_template_saved_again_by_libreoffice_still_skips_the_example() {
        let dir = Scratch::new("resaved");
        let input = dir.0.join("template.xlsx");
        std::fs::write(&input, template(&[2026])).unwrap();
        for to in ["xls:MS Excel 97", "xlsx:Calc MS Excel 2007 XML"] {
            let out_dir = Scratch::new("resaved-out");
            let file = convert(&out_dir, &input, to, None);
            let bytes = std::fs::read(file).unwrap();
            assert_eq!(parse_sign_list(&bytes), Ok(vec![]), "{to}");
        }
    }

    #[test]
    fn libreoffice_reads_the_roster_template_header_and_a_roster_it_saved_as_xls_imports() {
        let dir = Scratch::new("roster");
        let input = dir.0.join("roster.xlsx");
        std::fs::write(&input, crate::roster_template(&["计算机学院".to_string()]).unwrap()).unwrap();
        let csv = convert(&dir, &input, "csv:Text - txt - csv (StarCalc):44,34,76,1", None);
        let text = std::fs::read_to_string(csv).unwrap().replace('"', "");
        assert_eq!(text.lines().next(), Some(domain::roster::COLUMNS.join(",").as_str()));

        // A filled roster typed in LibreOffice (ID and phone columns as text), saved as .xls.
        let filled = dir.0.join("filled.csv");
        let a = id("42010620040202002");
        std::fs::write(
            &filled,
            format!(
                "{}\n计算机学院,软件工程,本科,2027,李四,女,{a},13900139000,,非定向,湖北省\n",
                domain::roster::COLUMNS.join(",")
            ),
        )
        .unwrap();
        let infilter = "CSV:44,34,76,1,1/2/2/2/3/2/4/1/5/2/6/2/7/2/8/2/9/2/10/2/11/2";
        for to in ["xls:MS Excel 97", "xlsx"] {
            let file = convert(&dir, &filled, to, Some(infilter));
            let rows = crate::parse_roster(&std::fs::read(&file).unwrap()).unwrap();
            assert_eq!(rows.len(), 1, "{to}");
            assert_eq!(rows[0].line, 2);
            assert_eq!(rows[0].cells[6], a, "{to}");
            assert_eq!(rows[0].cells[3], "2027", "{to}");
            assert!(rows[0].problems.is_empty(), "{to}: {:?}", rows[0].problems);
        }
    }
}
