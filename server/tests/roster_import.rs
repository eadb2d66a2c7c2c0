//! 生源导入 over HTTP, on SQLite and PostgreSQL, with uploads in a local directory (the default
//! store): 下载模板, the preview (every bad row by its Excel row number with all its reasons, the
//! good rows as 新增 / 更新 / 无变化, nothing saved), and 确认导入 by token (the file judged again in
//! one transaction, the good rows saved, all or nothing; the token the uploader's alone).

mod common;

use common::{demo, on_each_database, start_with_uploads, Client, TestApp};
use data::{
    entity::{process_log, student},
    service::seed::{self, demo_student_ids},
    uploads::Uploads,
};
use domain::roster::COLUMNS;
use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use sea_orm::{prelude::*, QueryOrder};
use serde_json::Value;

const TEMPLATE: &str = "/api/admin/roster/template.xlsx";
const IMPORT: &str = "/api/admin/roster/import";
const CONFIRM: &str = "/api/admin/roster/import/confirm";

/// A new person's 身份证号 (born 2005; `n` < 400), a woman's (even 17th digit).
fn new_id(n: usize) -> String {
    let first17 = format!("420106200503{:02}{:03}", 1 + n % 28, 200 + 2 * n);
    let check = domain::ids::id_check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// The gender a 身份证号's 17th digit gives (odd: 男).
fn gender_of(id: &str) -> &'static str {
    if id.as_bytes()[16] % 2 == 1 {
        "男"
    } else {
        "女"
    }
}

/// A good row of 计算机学院 (江城大学), 毕业届 2027.
fn row(id: &str, name: &str, phone: &str) -> Vec<String> {
    [
        "计算机学院",
        "软件工程",
        "本科",
        "2027",
        name,
        "女",
        id,
        phone,
        "",
        "非定向",
        "湖北省武汉市",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

enum Cell {
    Text(String),
    Number(f64),
}

/// An .xlsx with the template's header and these rows (text cells, "" = no cell).
fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    workbook_cells(
        &rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::Text(c.clone())).collect())
            .collect::<Vec<_>>(),
    )
}

fn workbook_cells(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    ws.write_string(r as u32 + 1, c as u16, t).unwrap();
                }
                Cell::Number(n) => {
                    ws.write_number(r as u32 + 1, c as u16, *n).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Runs `test` on every backend with demo data and uploads in a fresh local directory.
async fn each<F, Fut>(test: F)
where
    F: Fn(TestApp, std::path::PathBuf) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    on_each_database(|url, backend| {
        let test = &test;
        async move {
            let dir = std::env::temp_dir().join(format!("uploads-{}", common::unique_name()));
            let app = start_with_uploads(&url, backend, Uploads::local(&dir).unwrap()).await;
            seed::load_demo(&app.data).await.unwrap();
            test(app, dir.clone()).await;
            let _ = std::fs::remove_dir_all(&dir);
        }
    })
    .await
}

/// The line of the preview or result for Excel row `n`.
fn line(lines: &Value, n: u64) -> Value {
    lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["line"] == n)
        .cloned()
        .unwrap_or(Value::Null)
}

fn reasons(l: &Value) -> String {
    l["reasons"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|x| x.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("；")
        })
        .unwrap_or_default()
}

async fn count_students(app: &TestApp) -> u64 {
    student::Entity::find().count(&app.db).await.unwrap()
}

async fn students_with(app: &TestApp, id: &str) -> Vec<student::Model> {
    student::Entity::find()
        .filter(student::Column::IdNumber.eq(id))
        .all(&app.db)
        .await
        .unwrap()
}

async fn confirm(c: &Client, token: &str) -> (StatusCode, Value) {
    c.post(CONFIRM, &[("token", token)]).await
}

/// Files left in the upload directory (stored previews).
fn stored(dir: &std::path::Path) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p)
            .map(|d| {
                d.flatten()
                    .map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(dir)
}

#[tokio::test]
async fn a_preview_lists_every_bad_row_by_number_with_all_reasons_and_confirm_saves_only_the_good_rows() {
    each(|app, dir| async move {
        let school = app.login("admin", demo::school_admin(0)).await;
        let (id0, phone0, _) = demo_student_ids(0);
        let (other_school, _, _) = demo_student_ids(12);
        let new = new_id(1);
        let mut bad_check = new_id(2);
        bad_check.replace_range(17.., if bad_check.ends_with('0') { "1" } else { "0" });
        let mut unknown_college = row(&new_id(3), "赵六", "13900000003");
        unknown_college[0] = "文学院".into();
        let mut two_reasons = row(&new_id(4), "孙七", "1390000");
        two_reasons[2] = "大学".into();
        // 张明 (demo 0) as the roster has the record, but a new phone: an update.
        let z = students_with(&app, &id0).await.remove(0);
        let zhang: Vec<String> = vec![
            "计算机学院".into(),
            z.major.clone(),
            z.degree.clone(),
            z.graduation_year.to_string(),
            z.name.clone(),
            gender_of(&z.id_number).into(),
            z.id_number.clone(),
            "13900000100".into(),
            z.email.clone(),
            z.training_mode.clone(),
            z.origin.clone(),
        ];
        let file = workbook(&[
            row(&new, "新同学", "13900000001"),     // 2: 新增
            row(&bad_check, "钱五", "13900000002"), // 3: check digit
            unknown_college,                        // 4: unknown 学院
            row(&new, "新同学", "13900000001"),     // 5: duplicate of 2
            {
                let mut r = row(&other_school, "周八", "13900000005");
                r[3] = "2026".into();
                r[5] = if other_school.as_bytes()[16] % 2 == 1 {
                    "男"
                } else {
                    "女"
                }
                .into();
                r
            }, // 6: 楚天理工学院's student
            zhang,                                  // 7: 更新
            two_reasons,                            // 8: 学历 and phone
        ]);
        let before = count_students(&app).await;
        let (status, preview) = school.post_bytes(IMPORT, file).await;
        assert_eq!(status, StatusCode::OK, "[{}] {preview}", app.backend);
        let lines = &preview["lines"];
        assert_eq!(line(lines, 2)["outcome"], "Added", "[{}] {preview}", app.backend);
        assert!(
            reasons(&line(lines, 3)).contains("身份证号校验位不正确"),
            "{}",
            line(lines, 3)
        );
        assert!(
            reasons(&line(lines, 4)).contains("本校没有学院“文学院”"),
            "{}",
            line(lines, 4)
        );
        assert_eq!(reasons(&line(lines, 5)), "与第2行重复（身份证号和毕业届相同）");
        assert_eq!(reasons(&line(lines, 6)), "该学生2026届的生源已在其他学校登记");
        assert_eq!(line(lines, 7)["outcome"], "Updated", "{}", line(lines, 7));
        let changed = reasons(&line(lines, 7));
        assert!(
            changed.contains(&format!("手机号：{} → 139****0100", domain::ids::mask_phone(&phone0))),
            "{changed}"
        );
        let eight = reasons(&line(lines, 8));
        assert!(
            eight.contains("学历：应为") && eight.contains("手机号"),
            "every reason: {eight}"
        );
        assert_eq!(
            preview["counts"],
            serde_json::json!({"added": 1, "updated": 1, "unchanged": 0, "bad": 5})
        );
        // A preview saves nothing; the file waits in the store.
        assert_eq!(count_students(&app).await, before);
        assert_eq!(stored(&dir), 1);

        let token = preview["token"].as_str().unwrap().to_owned();
        let (status, done) = confirm(&school, &token).await;
        assert_eq!(status, StatusCode::OK, "[{}] {done}", app.backend);
        assert_eq!(done["counts"]["added"], 1);
        assert_eq!(done["counts"]["updated"], 1);
        assert_eq!(done["skipped"].as_array().unwrap().len(), 5);
        assert_eq!(count_students(&app).await, before + 1);
        let saved = students_with(&app, &new).await;
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].roster_status, domain::status::RosterStatus::Pending);
        assert_eq!(students_with(&app, &id0).await[0].phone, "13900000100");
        assert!(students_with(&app, &bad_check).await.is_empty());
        let history: Vec<String> = process_log::Entity::find()
            .filter(process_log::Column::StudentId.eq(saved[0].id))
            .order_by_asc(process_log::Column::Id)
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.action)
            .collect();
        assert_eq!(history, vec!["导入生源信息（新增）"]);

        // The stored file is gone: the token cannot be used twice.
        assert_eq!(stored(&dir), 0);
        let (status, again) = confirm(&school, &token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{again}");
        assert_eq!(again["NotFound"], "导入文件");
    })
    .await;
}

#[tokio::test]
async fn a_reimport_updates_the_same_record_and_never_duplicates_it() {
    each(|app, _| async move {
        let school = app.login("admin", demo::school_admin(0)).await;
        let id = new_id(7);
        for (phone, expected) in [
            ("13900000007", "Added"),
            ("13900000007", "Unchanged"),
            ("13900000077", "Updated"),
        ] {
            let (status, preview) = school.post_bytes(IMPORT, workbook(&[row(&id, "吴九", phone)])).await;
            assert_eq!(status, StatusCode::OK, "[{}] {preview}", app.backend);
            assert_eq!(line(&preview["lines"], 2)["outcome"], expected, "{preview}");
            if expected == "Unchanged" {
                // Nothing to save: 确认导入 says so and writes nothing.
                continue;
            }
            let (status, done) = confirm(&school, preview["token"].as_str().unwrap()).await;
            assert_eq!(status, StatusCode::OK, "{done}");
        }
        let saved = students_with(&app, &id).await;
        assert_eq!(saved.len(), 1, "one record for one person and class");
        assert_eq!(saved[0].phone, "13900000077");
    })
    .await;
}

#[tokio::test]
async fn a_refused_import_writes_nothing() {
    each(|app, dir| async move {
        let school = app.login("admin", demo::school_admin(0)).await;
        let before = count_students(&app).await;

        // A file that is not a workbook, one too large, one without the columns: refused whole.
        let (status, body) = school.post_bytes(IMPORT, b"PK\x03\x04 not really".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {body}", app.backend);
        assert_eq!(body["Invalid"], "无法读取文件，请上传Excel文件（.xlsx或.xls）");
        let (status, body) = school.post_bytes(IMPORT, vec![0u8; 6 * 1024 * 1024]).await;
        assert_eq!(
            (status, body["Invalid"].as_str()),
            (StatusCode::BAD_REQUEST, Some("文件不能超过5MB"))
        );
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "姓名").unwrap();
        let (status, body) = school.post_bytes(IMPORT, wb.save_to_buffer().unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["Invalid"].as_str().unwrap().starts_with("缺少列：学院、专业"),
            "{body}"
        );
        assert_eq!(stored(&dir), 0, "a refused file is not kept");

        // Only bad rows: 确认导入 is refused.
        let mut numeric = vec![];
        for (i, c) in row("", "郑十", "13900000010").into_iter().enumerate() {
            numeric.push(if i == 6 {
                Cell::Number(420106200503012000.0)
            } else {
                Cell::Text(c)
            });
        }
        let (_, preview) = school.post_bytes(IMPORT, workbook_cells(&[numeric])).await;
        assert_eq!(
            reasons(&line(&preview["lines"], 2)),
            "身份证号请以文本格式填写（数字格式会丢失末几位）"
        );
        let (status, body) = confirm(&school, preview["token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

        // A save that fails part-way undoes the whole import: row 3's 身份证号 is taken as the
        // login of another account, so row 2 (saved first) is undone too.
        let (first, blocked) = (new_id(11), new_id(12));
        let (_, preview) = school
            .post_bytes(
                IMPORT,
                workbook(&[row(&first, "甲", "13900000011"), row(&blocked, "乙", "13900000012")]),
            )
            .await;
        assert_eq!(preview["counts"]["added"], 2, "{preview}");
        app.db
            .execute_unprepared(&format!(
                "UPDATE accounts SET login = '{blocked}' WHERE login = '{}'",
                demo::EMPLOYER_PENDING
            ))
            .await
            .unwrap();
        let (status, body) = confirm(&school, preview["token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::CONFLICT, "[{}] {body}", app.backend);
        assert!(body["Conflict"].as_str().unwrap().starts_with("第3行："), "{body}");
        assert!(students_with(&app, &first).await.is_empty(), "all or nothing");
        assert_eq!(count_students(&app).await, before);
    })
    .await;
}

#[tokio::test]
async fn confirm_judges_the_file_again_another_schools_registration_since_the_preview_is_skipped() {
    each(|app, _| async move {
        let a = app.login("admin", demo::school_admin(0)).await;
        let b = app.login("admin", demo::school_admin(1)).await;
        let (both, only_a) = (new_id(20), new_id(21));
        let (_, preview_a) = a
            .post_bytes(
                IMPORT,
                workbook(&[row(&both, "甲", "13900000020"), row(&only_a, "乙", "13900000021")]),
            )
            .await;
        assert_eq!(preview_a["counts"]["added"], 2);
        // 楚天理工学院 registers the same person for 2027 first.
        let mut theirs = row(&both, "甲", "13900000020");
        theirs[0] = "机械工程学院".into();
        let (_, preview_b) = b.post_bytes(IMPORT, workbook(&[theirs])).await;
        let (status, _) = confirm(&b, preview_b["token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK);

        let (status, done) = confirm(&a, preview_a["token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "[{}] {done}", app.backend);
        assert_eq!(done["counts"]["added"], 1);
        assert_eq!(
            reasons(&line(&done["skipped"], 2)),
            "该学生2027届的生源已在其他学校登记"
        );
        let saved = students_with(&app, &both).await;
        assert_eq!(saved.len(), 1);
        assert_ne!(saved[0].school_id, common::flow::school_of(&app.db, 0).await);
    })
    .await;
}

#[tokio::test]
async fn each_admin_imports_only_within_their_scope_and_a_token_is_the_uploaders_alone() {
    each(|app, _| async move {
        let school_a = app.login("admin", demo::school_admin(0)).await;
        let school_b = app.login("admin", demo::school_admin(1)).await;
        let college_cs = app.login("admin", demo::college_admin(0, 0)).await;
        let college_em = app.login("admin", demo::college_admin(0, 1)).await;
        let province = app.login("admin", demo::PROVINCE).await;
        let employer = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let student = app.login("student", &demo::student(0)).await;

        // The template: admins of a school or college, each with their own colleges.
        for (who, colleges) in [(&school_a, 2), (&college_em, 1)] {
            let (status, ct, bytes) = who.get_bytes(TEMPLATE).await;
            assert_eq!(status, StatusCode::OK);
            assert!(ct.contains("spreadsheetml"));
            assert_eq!(excel::parse_roster(&bytes).unwrap(), vec![]);
            let xml = sheet_xml(&bytes, "xl/worksheets/sheet2.xml");
            assert_eq!(xml.matches("<c ").count(), colleges, "{xml}");
        }
        let (_, _, em) = college_em.get_bytes(TEMPLATE).await;
        assert!(sheet_xml(&em, "xl/sharedStrings.xml").contains("经济管理学院"));
        assert!(!sheet_xml(&em, "xl/sharedStrings.xml").contains("计算机学院"));
        for (who, status) in [
            (&province, StatusCode::FORBIDDEN),
            (&employer, StatusCode::FORBIDDEN),
            (&student, StatusCode::FORBIDDEN),
            (&app.client(), StatusCode::UNAUTHORIZED),
        ] {
            assert_eq!(who.get_bytes(TEMPLATE).await.0, status);
            let (got, body) = who
                .post_bytes(IMPORT, workbook(&[row(&new_id(30), "甲", "13900000030")]))
                .await;
            assert_eq!(got, status, "{body}");
            assert_eq!(confirm(who, &"a".repeat(32)).await.0, status);
        }

        // A college admin: only their college, new or existing.
        // 经济管理学院's demo student 7, moved to 计算机学院 by the 计算机学院 admin.
        let s7 = students_with(&app, &demo_student_ids(7).0).await.remove(0);
        let existing_em: Vec<String> = vec![
            "计算机学院".into(),
            s7.major.clone(),
            s7.degree.clone(),
            s7.graduation_year.to_string(),
            s7.name.clone(),
            gender_of(&s7.id_number).into(),
            s7.id_number.clone(),
            s7.phone.clone(),
            s7.email.clone(),
            s7.training_mode.clone(),
            s7.origin.clone(),
        ];
        let mut em_row = row(&new_id(31), "丙", "13900000032");
        em_row[0] = "经济管理学院".into();
        let (_, preview) = college_cs
            .post_bytes(
                IMPORT,
                workbook(&[em_row, existing_em, row(&new_id(32), "丁", "13900000033")]),
            )
            .await;
        assert_eq!(
            reasons(&line(&preview["lines"], 2)),
            "学院：只能导入本学院（计算机学院）的学生"
        );
        assert_eq!(
            reasons(&line(&preview["lines"], 3)),
            "该学生属于本校其他学院，请联系学校管理员修改"
        );
        assert_eq!(line(&preview["lines"], 4)["outcome"], "Added");
        let cs_token = preview["token"].as_str().unwrap().to_owned();

        // Another school's admin: a student of 江城大学 is refused.
        let z = students_with(&app, &demo_student_ids(0).0).await.remove(0);
        let mut r = row(&z.id_number, &z.name, "13900000034");
        r[0] = "机械工程学院".into();
        r[3] = "2026".into();
        r[5] = gender_of(&z.id_number).into();
        let (_, preview) = school_b.post_bytes(IMPORT, workbook(&[r])).await;
        assert_eq!(
            reasons(&line(&preview["lines"], 2)),
            "该学生2026届的生源已在其他学校登记"
        );

        // The token is the uploader's: the school's own admin, another college, another school
        // all get 404, exactly as for a token never issued.
        for who in [&school_a, &college_em, &school_b] {
            let (status, body) = confirm(who, &cs_token).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
            assert_eq!((status, body.clone()), confirm(who, &"0".repeat(32)).await);
            assert_eq!(confirm(who, "../../etc/passwd").await.0, StatusCode::NOT_FOUND);
        }
        let (status, done) = confirm(&college_cs, &cs_token).await;
        assert_eq!(status, StatusCode::OK, "[{}] {done}", app.backend);
        assert_eq!(done["counts"]["added"], 1);
    })
    .await;
}

/// One part of an .xlsx as text.
fn sheet_xml(bytes: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut text).unwrap();
    text
}

#[tokio::test]
async fn an_upload_expires_and_expired_files_are_purged() {
    let dir = std::env::temp_dir().join(format!("uploads-{}", common::unique_name()));
    let live = Uploads::local(&dir).unwrap();
    let expired = Uploads::local(&dir).unwrap().with_ttl(std::time::Duration::ZERO);
    let kind = data::uploads::Kind::Roster;
    let token = live.put(kind, 7, b"file".to_vec()).await.unwrap();
    assert_eq!(live.get(kind, 7, &token).await.unwrap(), b"file");
    assert_eq!(
        live.get(kind, 8, &token).await.unwrap_err().status(),
        404,
        "another owner"
    );
    assert_eq!(live.purge_expired().await.unwrap(), 0);
    assert_eq!(expired.get(kind, 7, &token).await.unwrap_err().status(), 404, "expired");
    assert_eq!(
        live.get(kind, 7, &token).await.unwrap_err().status(),
        404,
        "and deleted"
    );
    live.put(kind, 7, b"other".to_vec()).await.unwrap();
    assert_eq!(expired.purge_expired().await.unwrap(), 1);
    assert_eq!(stored(&dir), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The 身份证号 of the `n`th person of a large file (born 2006, a woman).
fn many_id(n: usize) -> String {
    let first17 = format!(
        "4201062006{:02}{:02}{:03}",
        1 + (n / 28) % 12,
        1 + n % 28,
        100 + 2 * (n / 336)
    );
    let check = domain::ids::id_check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// New records are saved many per statement: past the first thousand, each still gets its
/// account (login 身份证号, no password) and its history entry, and a person listed for two
/// 毕业届 gets one account, which follows the later one.
#[tokio::test]
async fn a_large_import_gives_every_new_record_its_account_and_history() {
    each(|app, _| async move {
        let school = app.login("admin", demo::school_admin(0)).await;
        let mut rows: Vec<Vec<String>> = (0..1001)
            .map(|n| row(&many_id(n), "新生", &format!("139{:08}", 10_000 + n)))
            .collect();
        let twice = new_id(13);
        rows.push(row(&twice, "两届", "13900000013"));
        let mut later = row(&twice, "两届", "13900000013");
        later[3] = "2028".into();
        rows.push(later);
        let before = count_students(&app).await;
        let (status, preview) = school.post_bytes(IMPORT, workbook(&rows)).await;
        assert_eq!(status, StatusCode::OK, "[{}] {preview}", app.backend);
        assert_eq!(preview["counts"]["added"], 1003, "{}", preview["counts"]);
        let (status, done) = confirm(&school, preview["token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "[{}] {done}", app.backend);
        assert_eq!(count_students(&app).await, before + 1003);

        for id in [many_id(0), many_id(999), many_id(1000), twice.clone()] {
            let records = students_with(&app, &id).await;
            let newest = records.iter().max_by_key(|s| s.graduation_year).unwrap();
            let acc = data::entity::account::Entity::find()
                .filter(data::entity::account::Column::Login.eq(id.as_str()))
                .all(&app.db)
                .await
                .unwrap();
            assert_eq!(acc.len(), 1, "[{}] one account for {id}", app.backend);
            assert_eq!(
                acc[0].student_id,
                Some(newest.id),
                "the account follows the latest 毕业届"
            );
            assert_eq!(acc[0].role, domain::Role::Student);
            assert_eq!(acc[0].password_hash, "", "the student sets a password at 首次登录");
            for s in &records {
                let history: Vec<String> = process_log::Entity::find()
                    .filter(process_log::Column::StudentId.eq(s.id))
                    .all(&app.db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|l| l.action)
                    .collect();
                assert_eq!(history, vec!["导入生源信息（新增）"], "{id} {}", s.graduation_year);
            }
        }
        assert_eq!(students_with(&app, &twice).await.len(), 2);
    })
    .await;
}
