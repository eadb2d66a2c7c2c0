//! 学校管理: the province admin adds schools and their admin accounts, 禁用/启用 and 重置密码;
//! nobody else may, and a new or reset account must choose its own password first.

mod common;

use common::{demo, on_each_backend, Client, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

fn message(body: &Value) -> String {
    ["Invalid", "Conflict", "NotFound"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string())
}

async fn login(app: &TestApp, login: &str, password: &str) -> (StatusCode, Value, Client) {
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
async fn the_province_adds_a_school_and_its_admin_who_must_set_a_password_then_sees_only_that_school() {
    on_each_backend(|app| async move {
        let province = app.login("admin", demo::PROVINCE).await;
        let (status, body) = province
            .post("/api/province/schools/save", &[("code", "10486"), ("name", "武汉大学")])
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        let school_id = body.as_i64().unwrap().to_string();
        // The same 院校代码 or name again is refused, and so is a bad code.
        let (status, body) = province
            .post("/api/province/schools/save", &[("code", "10486"), ("name", "另一所")])
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{}] {body}", app.backend);
        let (status, body) = province
            .post("/api/province/schools/save", &[("code", "1048"), ("name", "某大学")])
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::BAD_REQUEST, "院校代码应为5位数字".into())
        );

        let (status, otp) = province
            .post(
                "/api/admin/accounts/create",
                &[
                    ("school_id", &school_id),
                    ("login", "whu_admin"),
                    ("display_name", "武汉大学就业指导中心"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {otp}", app.backend);
        let password = otp["password"].as_str().unwrap().to_owned();
        let (status, body) = province
            .post(
                "/api/admin/accounts/create",
                &[
                    ("school_id", &school_id),
                    ("login", "whu_admin"),
                    ("display_name", "重复"),
                ],
            )
            .await;
        assert_eq!(
            (status, message(&body)),
            (StatusCode::CONFLICT, "账号 whu_admin 已存在".into())
        );

        let (_, list) = province.post("/api/province/schools", &[]).await;
        let whu = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == "10486")
            .unwrap()
            .clone();
        assert_eq!(whu["students"], 0);
        assert_eq!(whu["admins"][0]["login"], "whu_admin");
        assert_eq!(whu["admins"][0]["must_change_password"], true);
        let jcdx = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "江城大学")
            .unwrap()
            .clone();
        assert_eq!(
            jcdx["students"], 12,
            "[{}] the figures count the roster: {jcdx}",
            app.backend
        );

        let (status, body, whu_admin) = login(&app, "whu_admin", &password).await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        assert_eq!(body["redirect"], "/password");
        let (status, _) = whu_admin
            .post(
                "/api/password",
                &[
                    ("old_password", &password),
                    ("new_password", "Wuhan2027"),
                    ("new_password_again", "Wuhan2027"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, dash) = whu_admin.post("/api/admin/dashboard", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{}] {dash}", app.backend);
        assert_eq!(dash["scope_label"], "武汉大学");
        assert_eq!(
            dash["students"], 0,
            "[{}] a new school's admin sees only its school",
            app.backend
        );
        // A school admin does not manage schools or other schools' admins.
        let (status, _) = whu_admin.post("/api/province/schools", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = whu_admin
            .post(
                "/api/province/schools/save",
                &[("code", "10487"), ("name", "华中科技大学")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn disabling_or_resetting_an_admin_ends_its_sessions_and_only_the_province_may_do_it() {
    on_each_backend(|app| async move {
        let province = app.login("admin", demo::PROVINCE).await;
        let school = app.login("admin", demo::school_admin(0)).await;
        let (_, list) = province.post("/api/province/schools", &[]).await;
        let jcdx = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "江城大学")
            .unwrap()
            .clone();
        let account_id = jcdx["admins"][0]["id"].as_i64().unwrap().to_string();

        // Only the province manages school admins: the school admin itself, a college admin
        // and the other school's admin are told the account does not exist or may not.
        for other in [
            app.login("admin", demo::school_admin(1)).await,
            app.login("admin", demo::college_admin(0, 0)).await,
        ] {
            let (status, _) = other
                .post("/api/admin/accounts/reset-password", &[("account_id", &account_id)])
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{}]", app.backend);
        }

        let (status, row) = province
            .post(
                "/api/admin/accounts/disable",
                &[("account_id", &account_id), ("disabled", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {row}", app.backend);
        assert_eq!(row["disabled"], true);
        let (status, _) = school.post("/api/admin/dashboard", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "[{}] the session ended", app.backend);
        let (status, _, _) = login(&app, demo::school_admin(0), data::service::seed::DEMO_PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{}] a disabled account cannot log in",
            app.backend
        );

        province
            .post(
                "/api/admin/accounts/disable",
                &[("account_id", &account_id), ("disabled", "false")],
            )
            .await;
        let (status, _, again) = login(&app, demo::school_admin(0), data::service::seed::DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "[{}] 启用", app.backend);

        let (status, otp) = province
            .post("/api/admin/accounts/reset-password", &[("account_id", &account_id)])
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] {otp}", app.backend);
        let (status, _) = again.post("/api/admin/dashboard", &[]).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{}] a reset ends the sessions",
            app.backend
        );
        let (status, _, _) = login(&app, demo::school_admin(0), data::service::seed::DEMO_PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "[{}] the old password is gone",
            app.backend
        );
        let (status, body, c) = login(&app, demo::school_admin(0), otp["password"].as_str().unwrap()).await;
        assert_eq!(
            (status, body["redirect"].clone()),
            (StatusCode::OK, Value::from("/password"))
        );
        let (status, _) = c.post("/api/admin/agreements", &[]).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{}] nothing before 修改密码",
            app.backend
        );

        // The province cannot disable itself or another province admin this way.
        let (_, me) = province.post("/api/admin/dashboard", &[]).await;
        assert_eq!(me["role"], "ProvinceAdmin");
        let province_id = common::account_id(&app.db, demo::PROVINCE).await.to_string();
        let (status, _) = province
            .post(
                "/api/admin/accounts/disable",
                &[("account_id", &province_id), ("disabled", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "[{}]", app.backend);
    })
    .await;
}
