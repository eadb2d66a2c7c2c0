//! 导入拟签约名单 and 下载excel模板 over HTTP, on SQLite and PostgreSQL: matching rows are added,
//! every other row is reported with its number and reason, and a bad file changes nothing.

mod common;

use common::{demo, flow, on_each_backend};
use data::service::{seed::demo_student_ids, sign_list::NOT_FOUND};
use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

const IMPORT: &str = "/api/employer/sign-list/import";

enum Cell<'a> {
    Text(&'a str),
    Number(f64),
}

/// An .xlsx with the template's header and these rows.
fn workbook(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["学校名称", "毕业届", "姓名", "身份证号", "手机号"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text("") => {}
                Cell::Text(t) => {
                    ws.write_string(r as u32 + 1, c as u16, *t).unwrap();
                }
                Cell::Number(n) => {
                    ws.write_number(r as u32 + 1, c as u16, *n).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn outcome(report: &Value, line: u64) -> String {
    report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["line"] == line)
        .map(|l| l["outcome"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_import_adds_the_matching_rows_and_reports_every_other_row_with_its_reason() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (id0, _, _) = demo_student_ids(0);
        let (_, phone1, _) = demo_student_ids(1);
        let (id5, _, _) = demo_student_ids(5);
        let (id2, _, _) = demo_student_ids(2);
        // A valid 身份证号 that no demo student has.
        let (unknown, _, _) = demo_student_ids(30);
        let bad_check = format!("{}{}", &id2[..17], if id2.ends_with('0') { '1' } else { '0' });
        use Cell::*;
        let file = workbook(&[
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(0)),
                Text(&id0),
                Text(""),
            ], // row 2: added
            vec![
                Text("江城大学"),
                Text("2026"),
                Text(flow::name(1)),
                Text(""),
                Text(&phone1),
            ], // row 3: added by phone
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(5)),
                Text(&id5),
                Text(""),
            ], // row 4: 定向
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text("查无此人"),
                Text(&unknown),
                Text(""),
            ], // row 5
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(2)),
                Number(420106200403031020.0),
                Text(""),
            ], // row 6
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(0)),
                Text(&id0),
                Text(""),
            ], // row 7: duplicate
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(2)),
                Text(&bad_check),
                Text(""),
            ], // row 8
        ]);
        let (status, report) = e.post_bytes(IMPORT, file).await;
        assert_eq!(status, StatusCode::OK, "[{}] {report}", app.backend);
        assert_eq!(report["added"], 2, "[{}] {report}", app.backend);
        assert_eq!(outcome(&report, 2), "已加入");
        assert_eq!(outcome(&report, 3), "已加入");
        assert_eq!(outcome(&report, 4), NOT_FOUND, "not eligible reads as not found");
        assert_eq!(outcome(&report, 5), NOT_FOUND);
        assert!(
            outcome(&report, 6).contains("请以文本格式填写身份证号"),
            "{}",
            outcome(&report, 6)
        );
        assert!(
            outcome(&report, 7).contains('2'),
            "duplicate names the first row: {}",
            outcome(&report, 7)
        );
        assert!(outcome(&report, 8).contains("校验"), "{}", outcome(&report, 8));
        let (_, list) = e.post("/api/employer/sign-list", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 2);

        // The same file again: both are already on the list.
        let again = workbook(&[vec![
            Text("江城大学"),
            Number(2026.0),
            Text(flow::name(0)),
            Text(&id0),
            Text(""),
        ]]);
        let (_, report) = e.post_bytes(IMPORT, again).await;
        assert_eq!(report["added"], 0);
        assert_eq!(outcome(&report, 2), "已在签约发送列表中");
    })
    .await;
}

/// Long lists are looked up in chunks (by 身份证号, phone-only rows by name); the answers must
/// not change with the length of the list.
#[tokio::test]
async fn a_long_list_matches_exactly_like_a_short_one() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (id0, _, _) = demo_student_ids(0);
        let (_, phone1, _) = demo_student_ids(1);
        let (id5, _, _) = demo_student_ids(5);
        let (id3, _, _) = demo_student_ids(3);
        let names: Vec<String> = (0..600).map(|i| format!("未登记{i}")).collect();
        let phones: Vec<String> = (0..600).map(|i| format!("1380000{i:04}")).collect();
        use Cell::*;
        let mut rows = vec![
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(0)),
                Text(&id0),
                Text(""),
            ], // row 2: added
            vec![
                Text("江城大学"),
                Text("2026"),
                Text(flow::name(1)),
                Text(""),
                Text(&phone1),
            ], // row 3: added by phone
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(5)),
                Text(&id5),
                Text(""),
            ], // row 4: 定向
            vec![
                Text("江城大学"),
                Number(2026.0),
                Text(flow::name(2)),
                Text(&id3),
                Text(""),
            ], // row 5: another's ID
        ];
        rows.extend(
            names
                .iter()
                .zip(&phones)
                .map(|(n, p)| vec![Text("江城大学"), Number(2026.0), Text(n), Text(""), Text(p)]),
        );
        let (status, report) = e.post_bytes(IMPORT, workbook(&rows)).await;
        assert_eq!(status, StatusCode::OK, "[{}] {report}", app.backend);
        assert_eq!(report["added"], 2, "[{}] {report}", app.backend);
        assert_eq!(outcome(&report, 2), "已加入");
        assert_eq!(outcome(&report, 3), "已加入");
        assert_eq!(outcome(&report, 4), NOT_FOUND, "not eligible reads as not found");
        assert_eq!(outcome(&report, 5), NOT_FOUND, "name and ID of different students");
        assert_eq!(outcome(&report, 605), NOT_FOUND);
        let (_, list) = e.post("/api/employer/sign-list", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_corrupt_or_oversize_file_is_refused_with_its_reason_and_changes_nothing() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (status, body) = e.post_bytes(IMPORT, b"PK\x03\x04 not really a workbook".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {body}", app.backend);
        assert_eq!(body["Invalid"], "无法读取文件，请上传Excel文件（.xlsx或.xls）");
        let (status, body) = e.post_bytes(IMPORT, vec![0u8; 6 * 1024 * 1024]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {body}", app.backend);
        assert_eq!(body["Invalid"], "文件不能超过5MB");
        let (_, list) = e.post("/api/employer/sign-list", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 0);
        // Not an employer: refused before reading.
        let s = app.login("student", &demo::student(0)).await;
        let (status, _) = s.post_bytes(IMPORT, vec![1, 2, 3]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_template_is_an_xlsx_that_imports_as_an_empty_list() {
    on_each_backend(|app| async move {
        let e = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (status, ct, bytes) = e.get_bytes("/api/employer/sign-list/template.xlsx").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ct.contains("spreadsheetml"), "{ct}");
        assert_eq!(
            excel::parse_sign_list(&bytes).unwrap().len(),
            0,
            "the example row is not a student"
        );
        let (status, _, _) = app.client().get_bytes("/api/employer/sign-list/template.xlsx").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}
