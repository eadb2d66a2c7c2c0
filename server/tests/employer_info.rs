//! The employer's first-login confirmation of 单位信息, 档案接收信息 and 户口接收信息.

mod common;

use common::{demo, on_each_backend};
use reqwest::StatusCode;
use serde_json::Value;

fn form(info: &Value, overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = info
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| *k != "confirmed")
        .map(|(k, v)| (format!("info[{k}]"), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    for (k, v) in overrides {
        f.retain(|(name, _)| name != &format!("info[{k}]"));
        f.push((format!("info[{k}]"), (*v).to_owned()));
    }
    f
}

async fn post_owned(c: &common::Client, path: &str, f: &[(String, String)]) -> (StatusCode, Value) {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(path, &pairs).await
}

const COMPLETE: &[(&str, &str)] = &[
    ("contact_person", "张经理"),
    ("contact_phone", "027-88886666"),
    ("archive_unit", "武汉市人才服务中心"),
    ("archive_address", "武汉市江岸区解放大道1000号"),
    ("archive_postcode", "430010"),
    ("archive_contact", "李老师"),
    ("archive_phone", "02782800000"),
    ("hukou_address", "武汉市江岸区解放大道1000号"),
    ("hukou_unit", "武汉市人才服务中心"),
];

#[tokio::test]
async fn an_employer_must_confirm_its_information_at_first_login() {
    on_each_backend(|app| async move {
        let c = app.login("employer", demo::EMPLOYER_PENDING).await;
        let (_, d) = c.post("/api/employer/dashboard", &[]).await;
        assert_eq!(d["info_confirmed"], false);
        let (status, info) = c.post("/api/employer/info", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(info["confirmed"], false);

        let (status, saved) = post_owned(&c, "/api/employer/confirm-info", &form(&info, COMPLETE)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["confirmed"], true);
        assert_eq!(saved["hukou_unit"], "武汉市人才服务中心");
        let (_, d) = c.post("/api/employer/dashboard", &[]).await;
        assert_eq!(d["info_confirmed"], true);
        assert_eq!(d["contact_person"], "张经理");
    })
    .await;
}

#[tokio::test]
async fn bad_employer_information_is_refused_with_its_reason_and_changes_nothing() {
    on_each_backend(|app| async move {
        let c = app.login("employer", demo::EMPLOYER_PENDING).await;
        let (_, info) = c.post("/api/employer/info", &[]).await;
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("credit_code", "91350100M000100Y44")], "统一社会信用代码校验位不正确"),
            (&[("archive_postcode", "43")], "档案接收邮编应为6位数字"),
            (&[("hukou_unit", "  ")], "请填写户口接收单位"),
        ];
        for (bad, message) in cases {
            let mut overrides = COMPLETE.to_vec();
            overrides.extend_from_slice(bad);
            let (status, body) = post_owned(&c, "/api/employer/confirm-info", &form(&info, &overrides)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(
                serde_json::from_value::<domain::AppError>(body).unwrap().message(),
                *message
            );
        }
        let (_, after) = c.post("/api/employer/info", &[]).await;
        assert_eq!(after, info, "nothing was saved");
    })
    .await;
}

#[tokio::test]
async fn a_credit_code_registered_by_another_employer_is_refused() {
    on_each_backend(|app| async move {
        let other = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let (_, theirs) = other.post("/api/employer/info", &[]).await;
        let c = app.login("employer", demo::EMPLOYER_PENDING).await;
        let (_, info) = c.post("/api/employer/info", &[]).await;
        let code = theirs["credit_code"].as_str().unwrap();
        let mut overrides = COMPLETE.to_vec();
        overrides.push(("credit_code", code));
        let (status, body) = post_owned(&c, "/api/employer/confirm-info", &form(&info, &overrides)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(
            serde_json::from_value::<domain::AppError>(body).unwrap().message(),
            "该统一社会信用代码已被其他单位注册"
        );
    })
    .await;
}

#[tokio::test]
async fn only_an_employer_can_read_or_confirm_employer_information() {
    on_each_backend(|app| async move {
        for (kind, login) in [
            ("student", demo::student(0)),
            ("admin", demo::school_admin(0).to_owned()),
        ] {
            let c = app.login(kind, &login).await;
            assert_eq!(c.post("/api/employer/info", &[]).await.0, StatusCode::FORBIDDEN);
            let f: Vec<(String, String)> = COMPLETE
                .iter()
                .map(|(k, v)| (format!("info[{k}]"), (*v).to_owned()))
                .collect();
            assert_eq!(
                post_owned(&c, "/api/employer/confirm-info", &f).await.0,
                StatusCode::FORBIDDEN
            );
        }
    })
    .await;
}
