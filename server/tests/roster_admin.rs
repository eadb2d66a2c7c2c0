//! 生源管理 over HTTP, as school and college admins use it: 新增 (waits for 生源审核), 生源审核
//! (only then do employers find the student), 限制签约 (then they do not), 修改 (a new phone
//! undoes 信息验证), the filters of the list, 导出 read back by calamine, and every endpoint
//! refused outside the caller's scope with nothing written.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use data::entity::{account, notification, process_log, student};
use reqwest::StatusCode;
use sea_orm::{prelude::*, ActiveValue::Set, IntoActiveModel, QueryOrder};
use serde_json::Value;

/// A valid 身份证号 born 2005-01-01, sequence `seq`, of a man or a woman (17th digit's parity).
fn id_number(seq: u32, male: bool) -> String {
    let first17 = format!("42010620050101{:03}", seq * 2 + u32::from(male));
    let check = domain::ids::id_check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// The form of a record (`record[…]`), in 江城大学's 计算机学院, 2026届 (the demo season).
fn record(name: &str, seq: u32, phone: &str) -> Vec<(String, String)> {
    [
        ("college", "计算机学院".to_owned()),
        ("major", "软件工程".to_owned()),
        ("degree", "本科".to_owned()),
        ("graduation_year", "2026".to_owned()),
        ("name", name.to_owned()),
        ("gender", "女".to_owned()),
        ("id_number", id_number(seq, false)),
        ("phone", phone.to_owned()),
        ("email", String::new()),
        ("training_mode", "非定向".to_owned()),
        ("origin", "湖北省武汉市".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("record[{k}]"), v))
    .collect()
}

fn with(mut form: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    let key = format!("record[{key}]");
    match form.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value.to_owned(),
        None => form.push((key, value.to_owned())),
    }
    form
}

fn message(body: &Value) -> String {
    serde_json::from_value::<domain::AppError>(body.clone())
        .map(|e| e.message())
        .unwrap_or_else(|_| body.to_string())
}

async fn add(app: &TestApp, admin: &Client, form: &[(String, String)]) -> i64 {
    let (status, body) = admin.post_owned("/api/admin/roster/add", form).await;
    assert_eq!(status, StatusCode::OK, "[{}] add: {body}", app.backend);
    body.as_i64().unwrap()
}

async fn detail(admin: &Client, id: i64) -> (StatusCode, Value) {
    admin
        .post("/api/admin/roster/record", &[("student_id", &id.to_string())])
        .await
}

async fn actions(app: &TestApp, admin: &Client, id: i64) -> Vec<(String, String)> {
    let (status, d) = detail(admin, id).await;
    assert_eq!(status, StatusCode::OK, "[{}] {d}", app.backend);
    d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap().to_owned(),
                h["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// 签约搜索 by name and 身份证号: found or not.
async fn employer_finds(app: &TestApp, name: &str, seq: u32) -> bool {
    let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
    let school = flow::school_of(&app.db, 0).await;
    let (status, body) = hz
        .post_owned(
            "/api/employer/search",
            &flow::query_with(school, 2026, name, &id_number(seq, false)),
        )
        .await;
    assert!(
        status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
        "[{}] {status} {body}",
        app.backend
    );
    status == StatusCode::OK
}

/// Every row of the students, accounts and history tables, to compare before and after.
async fn rows(app: &TestApp) -> (Vec<student::Model>, Vec<account::Model>, usize) {
    let s = student::Entity::find()
        .order_by_asc(student::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let a = account::Entity::find()
        .order_by_asc(account::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let l = process_log::Entity::find().count(&app.db).await.unwrap() as usize;
    (s, a, l)
}

#[tokio::test]
async fn a_new_record_waits_for_review_is_found_once_approved_and_not_while_restricted() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let school = app.login("admin", demo::school_admin(0)).await;
        let id = add(&app, &school, &record("陈新", 1, "13912340001")).await;
        let (_, d) = detail(&school, id).await;
        assert_eq!(d["roster_status"], "待审核", "[{b}] {d}");
        assert!(!employer_finds(&app, "陈新", 1).await, "[{b}] found before 生源审核");

        // The same person and 毕业届 again is refused, not a second record.
        let (status, body) = school
            .post_owned("/api/admin/roster/add", &record("陈新", 1, "13912340001"))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {body}");
        assert_eq!(message(&body), "该学生2026届的生源已登记，请在列表中查找后修改");

        // Approving one already approved is reported, not an error of the batch.
        let other = add(&app, &school, &record("陈旧", 2, "13912340002")).await;
        let ids = flow::ids("student_ids", &[id]);
        let (status, rep) = school.post_owned("/api/admin/roster/approve", &ids).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {rep}");
        assert_eq!(rep["approved"], serde_json::json!(["陈新"]), "[{b}] {rep}");
        let both = flow::ids("student_ids", &[id, other]);
        let (status, rep) = school.post_owned("/api/admin/roster/approve", &both).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {rep}");
        assert_eq!(
            (&rep["approved"], &rep["already"]),
            (&serde_json::json!(["陈旧"]), &serde_json::json!(["陈新"])),
            "[{b}] {rep}"
        );
        assert!(employer_finds(&app, "陈新", 1).await, "[{b}] not found once approved");

        // 限制签约 needs a reason; then the employer's search no longer finds the student, who
        // is told why in the app.
        let sid = id.to_string();
        let (status, body) = school
            .post(
                "/api/admin/roster/restrict",
                &[("student_id", &sid), ("restricted", "true"), ("reason", " ")],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {body}");
        assert_eq!(message(&body), "请填写限制原因");
        let (status, body) = school
            .post(
                "/api/admin/roster/restrict",
                &[("student_id", &sid), ("restricted", "true"), ("reason", "学费未缴清")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        assert!(!employer_finds(&app, "陈新", 1).await, "[{b}] found while restricted");
        let (_, d) = detail(&school, id).await;
        assert_eq!(
            (&d["restricted"], &d["restriction_reason"]),
            (&Value::Bool(true), &Value::from("学费未缴清")),
            "[{b}] {d}"
        );
        let acc = account::Entity::find()
            .filter(account::Column::StudentId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let notice = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(acc.id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the student is told");
        assert_eq!(notice.title, "学校已限制你签约", "[{b}]");
        assert!(notice.body.contains("学费未缴清"), "[{b}] {}", notice.body);

        let (status, body) = school
            .post(
                "/api/admin/roster/restrict",
                &[("student_id", &sid), ("restricted", "true"), ("reason", "再次")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] {body}");
        assert_eq!(message(&body), "该学生已被限制签约");
        let (status, body) = school
            .post(
                "/api/admin/roster/restrict",
                &[("student_id", &sid), ("restricted", "false"), ("reason", "已缴清")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        assert!(
            employer_finds(&app, "陈新", 1).await,
            "[{b}] not found once the restriction is lifted"
        );

        let actor = "学校管理员";
        let log = actions(&app, &school, id).await;
        assert_eq!(
            log,
            vec![
                ("新增生源信息".to_owned(), String::new()),
                ("生源审核通过".to_owned(), String::new()),
                ("限制签约".to_owned(), "学费未缴清".to_owned()),
                ("解除限制".to_owned(), "已缴清".to_owned()),
            ],
            "[{b}]"
        );
        let (_, d) = detail(&school, id).await;
        assert!(
            d["history"][0]["actor"].as_str().unwrap().starts_with(actor),
            "[{b}] {d}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_edit_keeps_to_the_rules_names_every_problem_and_a_new_phone_must_be_verified_again() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let school = app.login("admin", demo::school_admin(0)).await;
        let form = record("周敏", 3, "13912340003");
        let id = add(&app, &school, &form).await;
        let acc = account::Entity::find()
            .filter(account::Column::StudentId.eq(id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut verified = acc.clone().into_active_model();
        verified.phone_verified_at = Set(Some(chrono::Utc::now()));
        verified.update(&app.db).await.unwrap();

        // Every problem at once, in Chinese; nothing is written.
        let before = rows(&app).await;
        let mut bad = with(form.clone(), "id_number", "420106200501010060");
        bad = with(bad, "phone", "1391234");
        bad = with(bad, "degree", "大学");
        bad.push(("student_id".into(), id.to_string()));
        let (status, body) = school.post_owned("/api/admin/roster/edit", &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {body}");
        let msg = message(&body);
        for part in [
            "身份证号校验位不正确",
            "手机号应为11位数字",
            "学历：应为博士研究生、硕士研究生、本科、专科之一",
        ] {
            assert!(msg.contains(part), "[{b}] {msg}");
        }
        assert!(rows(&app).await == before, "[{b}] a refused edit wrote something");

        // A new phone, with a reason: saved, in the history, and 信息验证 is to be done again.
        let mut good = with(form, "phone", "13912349999");
        good.push(("student_id".into(), id.to_string()));
        good.push(("reason".into(), "学生更换手机号".into()));
        let (status, body) = school.post_owned("/api/admin/roster/edit", &good).await;
        assert_eq!((status, &body), (StatusCode::OK, &Value::Bool(true)), "[{b}]");
        let acc = account::Entity::find_by_id(acc.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(acc.phone_verified_at, None, "[{b}] the new phone must be verified");
        let log = actions(&app, &school, id).await;
        assert_eq!(
            log.last().unwrap(),
            &(
                "修改生源信息：手机号：139****0003 → 139****9999".to_owned(),
                "学生更换手机号".to_owned()
            ),
            "[{b}]"
        );
        let (status, body) = school.post_owned("/api/admin/roster/edit", &good).await;
        assert_eq!(
            (status, &body),
            (StatusCode::OK, &Value::Bool(false)),
            "[{b}] unchanged"
        );
    })
    .await;
}

#[tokio::test]
async fn every_roster_endpoint_refuses_callers_outside_its_scope_and_writes_nothing() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let school = app.login("admin", demo::school_admin(0)).await;
        let form = record("吴静", 4, "13912340004");
        let id = add(&app, &school, &form).await;
        let sid = id.to_string();
        let mut edit = with(form.clone(), "major", "网络工程");
        edit.push(("student_id".into(), sid.clone()));
        let restrict = [
            ("student_id".to_owned(), sid.clone()),
            ("restricted".to_owned(), "true".to_owned()),
            ("reason".to_owned(), "测试".to_owned()),
        ];
        let approve = flow::ids("student_ids", &[id]);

        let other_college = app.login("admin", demo::college_admin(0, 1)).await;
        let other_school = app.login("admin", demo::school_admin(1)).await;
        let employer = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let student = flow::student(&app, 0).await;
        let province = app.login("admin", demo::PROVINCE).await;
        let before = rows(&app).await;
        for (who, c, own_scope) in [
            (
                "学院管理员 of another college",
                &other_college,
                Some(StatusCode::NOT_FOUND),
            ),
            (
                "学校管理员 of another school",
                &other_school,
                Some(StatusCode::NOT_FOUND),
            ),
            ("用人单位", &employer, None),
            ("毕业生", &student, None),
        ] {
            // Admins of another scope: the record is not there; others: not their role.
            let refused = own_scope.unwrap_or(StatusCode::FORBIDDEN);
            for (path, args) in [
                ("/api/admin/roster/record", vec![("student_id".to_owned(), sid.clone())]),
                ("/api/admin/roster/edit", edit.clone()),
                ("/api/admin/roster/restrict", restrict.to_vec()),
            ] {
                let (status, body) = c.post_owned(path, &args).await;
                assert_eq!(status, refused, "[{b}] {who} {path}: {body}");
                assert!(
                    message(&body).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "[{b}] {body}"
                );
            }
            // A batch skips what is not the caller's; other roles are refused.
            let (status, body) = c.post_owned("/api/admin/roster/approve", &approve).await;
            match own_scope {
                Some(_) => assert_eq!(
                    (status, &body["approved"]),
                    (StatusCode::OK, &serde_json::json!([])),
                    "[{b}] {who}: {body}"
                ),
                None => assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {who}: {body}"),
            }
            // Adding to another college or school: 计算机学院 is not one the caller may use.
            let (status, body) = c
                .post_owned("/api/admin/roster/add", &record("他人", 5, "13912340005"))
                .await;
            assert!(
                status == StatusCode::BAD_REQUEST || status == StatusCode::FORBIDDEN,
                "[{b}] {who} add: {status} {body}"
            );
            let (status, _, _) = c.get_bytes("/api/admin/roster/export.xlsx").await;
            assert!(
                status == StatusCode::OK || own_scope.is_none(),
                "[{b}] {who} export of its own scope: {status}"
            );
            if own_scope.is_none() {
                assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] {who} export");
            }
        }

        // The province reads (numbers masked) but keeps no roster.
        let (status, d) = detail(&province, id).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {d}");
        assert_eq!(
            (d["record"]["id_number"].as_str().unwrap(), &d["may_edit"]),
            (
                domain::ids::mask_id_number(&id_number(4, false)).as_str(),
                &Value::Bool(false)
            ),
            "[{b}]"
        );
        for (path, args) in [
            ("/api/admin/roster/edit", edit.clone()),
            ("/api/admin/roster/restrict", restrict.to_vec()),
            ("/api/admin/roster/approve", approve.clone()),
            ("/api/admin/roster/add", record("省中心", 6, "13912340006")),
        ] {
            let (status, body) = province.post_owned(path, &args).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] province {path}: {body}");
        }
        let (status, _, _) = province.get_bytes("/api/admin/roster/export.xlsx").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] province export");
        assert!(rows(&app).await == before, "[{b}] a refused call wrote something");

        // The college admin of 计算机学院 is in scope.
        let own_college = app.login("admin", demo::college_admin(0, 0)).await;
        let (status, body) = own_college.post_owned("/api/admin/roster/edit", &edit).await;
        assert_eq!((status, &body), (StatusCode::OK, &Value::Bool(true)), "[{b}]");
    })
    .await;
}

#[tokio::test]
async fn the_list_narrows_by_each_filter_and_the_export_holds_the_same_records_whole() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let school = app.login("admin", demo::school_admin(0)).await;
        let a = add(&app, &school, &record("郑一", 7, "13912340007")).await;
        add(
            &app,
            &school,
            &with(record("郑二", 8, "13912340008"), "training_mode", "定向"),
        )
        .await;
        school
            .post(
                "/api/admin/roster/restrict",
                &[("student_id", &a.to_string()), ("restricted", "true"), ("reason", "x")],
            )
            .await;
        let total = |filter: Vec<(&'static str, String)>| {
            let school = &school;
            async move {
                let form: Vec<(String, String)> =
                    filter.into_iter().map(|(k, v)| (format!("filter[{k}]"), v)).collect();
                let (status, body) = school.post_owned("/api/admin/roster", &form).await;
                (status, body)
            }
        };
        let count = |r: &(StatusCode, Value)| {
            assert_eq!(r.0, StatusCode::OK, "[{b}] {}", r.1);
            r.1["total"].as_u64().unwrap()
        };
        // The demo's students of 江城大学 are approved; the two new ones wait.
        let school_id = flow::school_of(&app.db, 0).await;
        let in_db = |c: sea_orm::Condition| {
            let db = &app.db;
            async move {
                student::Entity::find()
                    .filter(student::Column::SchoolId.eq(school_id))
                    .filter(c)
                    .count(db)
                    .await
                    .unwrap()
            }
        };
        let all = in_db(sea_orm::Condition::all()).await;
        assert_eq!(count(&total(vec![]).await), all, "[{b}]");
        assert_eq!(count(&total(vec![("status", "pending".into())]).await), 2, "[{b}]");
        assert_eq!(count(&total(vec![("restricted", "true".into())]).await), 1, "[{b}]");
        let directed = in_db(sea_orm::Condition::all().add(student::Column::TrainingMode.eq("定向"))).await;
        assert_eq!(
            count(&total(vec![("training_mode", "定向".into())]).await),
            directed,
            "[{b}]"
        );
        assert!(directed >= 1, "[{b}]");
        assert_eq!(count(&total(vec![("keyword", "郑一".into())]).await), 1, "[{b}]");
        assert_eq!(
            count(&total(vec![("keyword", "郑".into())]).await),
            0,
            "[{b}] exact only"
        );
        let id8 = id_number(8, false).to_lowercase();
        assert_eq!(count(&total(vec![("keyword", id8)]).await), 1, "[{b}]");
        let software = in_db(sea_orm::Condition::all().add(student::Column::Major.eq("软件工程"))).await;
        assert_eq!(
            count(&total(vec![("major", "软件工程".into())]).await),
            software,
            "[{b}]"
        );
        assert!(software >= 2, "[{b}]");
        let (status, body) = total(vec![("status", "done".into())]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {body}");
        assert_eq!(message(&body), "生源审核状态应为待审核或已审核");
        let first = total(vec![]).await.1;
        assert_eq!(first["rows"].as_array().unwrap().len() as u64, all.min(20), "[{b}]");
        assert_eq!(first["may_edit"], true, "[{b}]");

        // 导出 of the pending records: what calamine reads is the list, numbers whole and text.
        let (status, ct, bytes) = school.get_bytes("/api/admin/roster/export.xlsx?status=pending").await;
        assert_eq!(status, StatusCode::OK, "[{b}] {}", String::from_utf8_lossy(&bytes));
        assert!(ct.contains("spreadsheetml"), "[{b}] {ct}");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(excel::ROSTER_EXPORT_SHEET).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), 3, "[{b}] header and two records");
        assert_eq!(rows[0][6], Data::String("身份证号".into()));
        assert_eq!(rows[1][4], Data::String("郑一".into()), "[{b}]");
        assert_eq!(rows[1][6], Data::String(id_number(7, false)), "[{b}]");
        assert_eq!(rows[1][7], Data::String("13912340007".into()), "[{b}]");
        assert_eq!(
            (rows[1][11].to_string(), rows[1][12].to_string()),
            ("待审核".into(), "是".into())
        );

        // A college admin exports only its college; a bad parameter is refused in Chinese.
        let economics = app.login("admin", demo::college_admin(0, 1)).await;
        let (status, _, bytes) = economics.get_bytes("/api/admin/roster/export.xlsx").await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(excel::ROSTER_EXPORT_SHEET).unwrap();
        let colleges: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
        assert_eq!(colleges, vec!["经济管理学院".to_owned(); 6], "[{b}]");
        let (status, _, bytes) = school.get_bytes("/api/admin/roster/export.xlsx?college_id=abc").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}]");
        let err: domain::AppError = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(err.message(), "请求参数有误");
    })
    .await;
}
