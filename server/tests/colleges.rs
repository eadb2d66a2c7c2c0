//! 学院管理: a school admin adds and renames the colleges of its own school (a name once per
//! school, held by a unique index) and keeps their admin accounts (新增 with a one-time password,
//! 禁用/启用, 重置密码); a college admin, the province and another school's admin may not.

mod common;

use common::{demo, on_each_backend, Client, TestApp};
use data::entity::college;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::Value;

fn message(body: &Value) -> String {
    serde_json::from_value::<domain::AppError>(body.clone())
        .map(|e| e.message())
        .unwrap_or_else(|_| body.to_string())
}

async fn colleges(c: &Client) -> Value {
    let (status, body) = c.post("/api/school/colleges", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn college<'a>(list: &'a Value, name: &str) -> Option<&'a Value> {
    list["colleges"].as_array().unwrap().iter().find(|c| c["name"] == name)
}

async fn admin_login(app: &TestApp, login: &str, password: &str) -> (StatusCode, Value, Client) {
    let c = app.client();
    let (status, body) = c
        .post(
            "/api/login",
            &[("kind", "admin"), ("login", login), ("password", password)],
        )
        .await;
    (status, body, c)
}

#[tokio::test]
async fn a_school_admin_adds_and_renames_its_colleges_once_per_name_and_sees_only_its_own() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let jcdx = app.login("admin", demo::school_admin(0)).await;
        let ctlg = app.login("admin", demo::school_admin(1)).await;

        let list = colleges(&jcdx).await;
        assert_eq!(list["school_name"], "江城大学");
        let cs = college(&list, "计算机学院").expect("its college").clone();
        assert_eq!(cs["students"], 6, "[{b}] {cs}");
        assert_eq!(cs["admins"][0]["login"], demo::college_admin(0, 0));
        assert!(
            college(&list, "机械工程学院").is_none(),
            "[{b}] another school's college"
        );

        let (status, law) = jcdx.post("/api/school/colleges/save", &[("name", " 法学院 ")]).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {law}");
        let law = law.as_i64().unwrap().to_string();
        let (status, body) = jcdx.post("/api/school/colleges/save", &[("name", "法学院")]).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "学院 法学院 已存在".into()),
            "[{b}]"
        );
        let (status, body) = jcdx
            .post(
                "/api/school/colleges/save",
                &[("college_id", &law), ("name", "计算机学院")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] renamed onto another: {body}");
        let (status, body) = jcdx.post("/api/school/colleges/save", &[("name", "")]).await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "请填写学院名称".into()),
            "[{b}]"
        );
        // Another school may have a college of the same name.
        let (status, body) = ctlg.post("/api/school/colleges/save", &[("name", "法学院")]).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        // …but not rename this school's.
        let (status, body) = ctlg
            .post(
                "/api/school/colleges/save",
                &[("college_id", &law), ("name", "楚天法学院")],
            )
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::NOT_FOUND, "学院不存在".into()),
            "[{b}]"
        );
        let (status, _) = jcdx
            .post(
                "/api/school/colleges/save",
                &[("college_id", &law), ("name", "法学院（新）")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        assert!(college(&colleges(&jcdx).await, "法学院（新）").is_some());
        assert!(college(&colleges(&ctlg).await, "法学院（新）").is_none());

        // Colleges are the school's: a college admin and the province may not.
        let cs_admin = app.login("admin", demo::college_admin(0, 0)).await;
        let province = app.login("admin", demo::PROVINCE).await;
        for other in [&cs_admin, &province] {
            let (status, _) = other.post("/api/school/colleges", &[]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
            let (status, _) = other.post("/api/school/colleges/save", &[("name", "新学院")]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        }
    })
    .await;
}

#[tokio::test]
async fn the_database_keeps_a_college_name_once_per_school() {
    on_each_backend(|app| async move {
        let school_id = common::flow::school_of(&app.db, 0).await;
        let twice = college::ActiveModel {
            id: sea_orm::NotSet,
            school_id: Set(school_id),
            name: Set("计算机学院".into()),
        }
        .insert(&app.db)
        .await;
        assert!(twice.is_err(), "[{}] a second 计算机学院 in 江城大学", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_school_admin_keeps_its_college_admins_and_nobody_else_does() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let jcdx = app.login("admin", demo::school_admin(0)).await;
        let school_a = common::flow::school_of(&app.db, 0).await.to_string();
        let school_b = common::flow::school_of(&app.db, 12).await.to_string();
        let (_, law) = jcdx.post("/api/school/colleges/save", &[("name", "法学院")]).await;
        let law = law.as_i64().unwrap().to_string();
        let create = |school: &str, college: &str, login: &str| {
            vec![
                ("school_id".to_owned(), school.to_owned()),
                ("college_id".to_owned(), college.to_owned()),
                ("login".to_owned(), login.to_owned()),
                ("display_name".to_owned(), "法学院就业办".to_owned()),
            ]
        };

        // Another school's admin, a college admin and the province may not make it.
        let ctlg = app.login("admin", demo::school_admin(1)).await;
        let (status, _) = ctlg
            .post_owned("/api/admin/accounts/create", &create(&school_a, &law, "jcdx_law"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] another school");
        let (status, body) = ctlg
            .post_owned("/api/admin/accounts/create", &create(&school_b, &law, "jcdx_law"))
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::NOT_FOUND, "学院不存在".into()),
            "[{b}] another school's college under its own"
        );
        for other in [
            app.login("admin", demo::college_admin(0, 0)).await,
            app.login("admin", demo::PROVINCE).await,
        ] {
            let (status, _) = other
                .post_owned("/api/admin/accounts/create", &create(&school_a, &law, "jcdx_law"))
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "[{b}]");
        }

        let (status, otp) = jcdx
            .post_owned("/api/admin/accounts/create", &create(&school_a, &law, "jcdx_law"))
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {otp}");
        let password = otp["password"].as_str().unwrap().to_owned();
        let list = colleges(&jcdx).await;
        let row = college(&list, "法学院").unwrap()["admins"][0].clone();
        assert_eq!(
            (row["login"].as_str(), row["must_change_password"].as_bool()),
            (Some("jcdx_law"), Some(true))
        );
        let account_id = row["id"].as_i64().unwrap().to_string();

        // The new college admin must set a password, then sees its (empty) college only.
        let (status, body, law_admin) = admin_login(&app, "jcdx_law", &password).await;
        assert_eq!(
            (status, body["redirect"].clone()),
            (StatusCode::OK, Value::from("/password"))
        );
        let (status, _) = law_admin
            .post(
                "/api/password",
                &[
                    ("old_password", &password),
                    ("new_password", "Faxue2027"),
                    ("new_password_again", "Faxue2027"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let (_, dash) = law_admin.post("/api/admin/dashboard", &[]).await;
        assert_eq!(dash["students"], 0, "[{b}] {dash}");
        assert!(dash["scope_label"].as_str().unwrap().contains("法学院"), "[{b}] {dash}");
        let (status, _) = law_admin.post("/api/school/colleges", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] 学院管理 is the school's");

        // Another school's admin and a college admin cannot disable or reset it.
        for other in [&ctlg, &app.login("admin", demo::college_admin(0, 0)).await] {
            let (status, _) = other
                .post(
                    "/api/admin/accounts/disable",
                    &[("account_id", &account_id), ("disabled", "true")],
                )
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
            let (status, _) = other
                .post("/api/admin/accounts/reset-password", &[("account_id", &account_id)])
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
        }

        // 禁用 ends the session and the login; 启用 lets it in again. (A fresh session: one this
        // server confirmed a moment ago is trusted for a few seconds, `auth::Sessions`.)
        let (_, _, law_admin) = admin_login(&app, "jcdx_law", "Faxue2027").await;
        let (status, row) = jcdx
            .post(
                "/api/admin/accounts/disable",
                &[("account_id", &account_id), ("disabled", "true")],
            )
            .await;
        assert_eq!((status, row["disabled"].clone()), (StatusCode::OK, Value::from(true)));
        let (status, _) = law_admin.post("/api/admin/dashboard", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] the session ended");
        let (status, _, _) = admin_login(&app, "jcdx_law", "Faxue2027").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{b}] a disabled account cannot log in"
        );
        jcdx.post(
            "/api/admin/accounts/disable",
            &[("account_id", &account_id), ("disabled", "false")],
        )
        .await;
        let (status, _, again) = admin_login(&app, "jcdx_law", "Faxue2027").await;
        assert_eq!(status, StatusCode::OK, "[{b}] 启用");

        // 重置密码: a new one-time password; sessions end; it must be changed at the next login.
        let (status, otp) = jcdx
            .post("/api/admin/accounts/reset-password", &[("account_id", &account_id)])
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {otp}");
        let (status, _) = again.post("/api/admin/dashboard", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] the reset ended the session");
        let (status, _, _) = admin_login(&app, "jcdx_law", "Faxue2027").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{b}] the old password is gone");
        let (status, body, c) = admin_login(&app, "jcdx_law", otp["password"].as_str().unwrap()).await;
        assert_eq!(
            (status, body["redirect"].clone()),
            (StatusCode::OK, Value::from("/password"))
        );
        let (status, _) = c.post("/api/admin/roster", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "[{b}] nothing before 修改密码");

        // A school admin cannot make or touch a school admin (its own included).
        let own = common::account_id(&app.db, demo::school_admin(0)).await.to_string();
        let (status, _) = jcdx
            .post("/api/admin/accounts/reset-password", &[("account_id", &own)])
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{b}]");
    })
    .await;
}
