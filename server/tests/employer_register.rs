//! 用人单位注册 and 用人单位审核 (issue 16) over HTTP on SQLite and PostgreSQL: register, 营业执照,
//! the e-mail link, a school's decision (one or many at once, concurrently), SPEC rule 5, 单位信息维护
//! and the province's 冻结 / 解冻.

mod common;

use common::{demo, flow, on_each_backend, Client, TestApp, PASSWORD};
use data::entity::{employer, employer_approval, invitation, notification, outbox, process_log};
use domain::status::{ApprovalStatus, InvitationStatus};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

/// A small PNG (its signature is what counts).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

/// A valid credit code for `seq` (the demo employers use other prefixes).
fn credit_code(seq: u32) -> String {
    domain::ids::credit_code_with_check(&format!("9142010{seq:010}")).unwrap()
}

/// The registration form (`register[…]`) of employer `seq` applying to `schools`.
fn registration(seq: u32, schools: &[i64]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("name", format!("注册测试{seq}号有限公司")),
        ("credit_code", credit_code(seq)),
        ("nature", "其他企业".into()),
        ("industry", "制造业".into()),
        ("region", "湖北省武汉市".into()),
        ("address", "武汉市东湖高新区光谷大道1号".into()),
        ("contact_person", "王经理".into()),
        ("contact_phone", "027-87654321".into()),
        ("email", format!("hr{seq}@register.example.com")),
        ("login", format!("reg{seq}")),
        ("password", "Register2026".into()),
        ("password_again", "Register2026".into()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("register[{k}]"), v))
    .collect();
    f.extend(flow::ids("register[school_ids]", schools));
    f
}

async fn school_ids(app: &TestApp) -> (i64, i64) {
    (flow::school_of(&app.db, 0).await, flow::school_of(&app.db, 12).await)
}

/// The link's token in the last e-mail to `to`.
async fn mailed_token(app: &TestApp, to: &str) -> Option<String> {
    let m = outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(to))
        .order_by_desc(outbox::Column::Id)
        .one(&app.db)
        .await
        .unwrap()?;
    let at = m.body.find("token=")?;
    Some(m.body[at + 6..at + 6 + 64].to_owned())
}

async fn employer_by_seq(app: &TestApp, seq: u32) -> employer::Model {
    employer::Entity::find()
        .filter(employer::Column::CreditCode.eq(credit_code(seq)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Registers employer `seq`, uploads its licence and confirms its address: ready for review.
async fn registered(app: &TestApp, seq: u32, schools: &[i64]) -> (Client, i64) {
    let c = app.client();
    let (status, body) = c.post_owned("/api/register", &registration(seq, schools)).await;
    assert_eq!(status, StatusCode::OK, "[{}] register: {body}", app.backend);
    let (status, body) = c.post_bytes("/api/employer/licence", PNG.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "[{}] licence: {body}", app.backend);
    let token = mailed_token(app, &format!("hr{seq}@register.example.com"))
        .await
        .unwrap();
    let (status, body) = app.client().post("/api/register/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::OK, "[{}] confirm: {body}", app.backend);
    (c, employer_by_seq(app, seq).await.id)
}

async fn review(admin: &Client, ids: &[i64], approve: bool, reason: &str) -> (StatusCode, Value) {
    let mut f = flow::ids("employer_ids", ids);
    f.push(("approve".into(), approve.to_string()));
    f.push(("reason".into(), reason.into()));
    admin.post_owned("/api/admin/employers/review", &f).await
}

fn names_in(list: &Value) -> Vec<String> {
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_registered_employer_approved_by_one_school_invites_a_student_of_another_school() {
    on_each_backend(|app| async move {
        let (school_a, school_b) = school_ids(&app).await;
        let c = app.client();
        let (status, body) = c.post_owned("/api/register", &registration(1, &[school_b])).await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        let (_, state) = c.post("/api/employer/registration", &[]).await;
        assert_eq!(state["licence"], Value::Null, "[{}] {state}", app.backend);
        assert_eq!(state["approvals"][0]["status"], "Pending");

        // Not confirmed: no school sees it yet, and its licence is nobody else's to read.
        let admin_b = app.login("admin", demo::school_admin(1)).await;
        let name = "注册测试1号有限公司";
        let (_, list) = admin_b.post("/api/admin/employers", &[]).await;
        assert!(!names_in(&list).contains(&name.to_owned()), "[{}] {list}", app.backend);

        // A file that is not an image or PDF is refused by its content.
        let (status, body) = c
            .post_bytes("/api/employer/licence", b"<html>licence</html>".to_vec())
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["Invalid"], "营业执照：只接受 JPEG、PNG 图片或 PDF 文件");
        let (status, body) = c.post_bytes("/api/employer/licence", PNG.to_vec()).await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        assert_eq!(body["licence"], "Png");
        let token = mailed_token(&app, "hr1@register.example.com").await.unwrap();
        let (_, list) = admin_b.post("/api/admin/employers", &[]).await;
        assert!(!names_in(&list).contains(&name.to_owned()));

        let (status, body) = app.client().post("/api/register/confirm", &[("token", &token)]).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, Some(name)));
        let (status, _) = app.client().post("/api/register/confirm", &[("token", &token)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "a link works once");

        // Now 楚天理工学院 (applied to) lists it as 待审核; 江城大学 does not.
        let (_, list) = admin_b
            .post("/api/admin/employers", &[("filter[status]", "pending")])
            .await;
        assert!(names_in(&list).contains(&name.to_owned()), "[{}] {list}", app.backend);
        let (_, list) = admin_b
            .post("/api/admin/employers", &[("filter[q]", &credit_code(1))])
            .await;
        assert_eq!(names_in(&list), vec![name.to_owned()]);
        let admin_a = app.login("admin", demo::school_admin(0)).await;
        let (_, list) = admin_a.post("/api/admin/employers", &[]).await;
        assert!(!names_in(&list).contains(&name.to_owned()));
        let (_, d) = admin_b.post("/api/admin/dashboard", &[]).await;
        assert_eq!(d["employers_awaiting_approval"], 1, "[{}] {d}", app.backend);

        // The licence: the employer and the school applied to read it; another school does not.
        let id = employer_by_seq(&app, 1).await.id;
        let path = format!("/api/employers/{id}/licence");
        let (status, ct, bytes) = admin_b.get_bytes(&path).await;
        assert_eq!(
            (status, ct.as_str(), bytes.as_slice()),
            (StatusCode::OK, "image/png", PNG)
        );
        assert_eq!(c.get_bytes(&path).await.0, StatusCode::OK);
        assert_eq!(admin_a.get_bytes(&path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.client().get_bytes(&path).await.0, StatusCode::UNAUTHORIZED);

        // Not approved yet: no signing.
        let (status, _) = c
            .post_owned("/api/employer/sign-list/add", &flow::query(&app.db, 0).await)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, outcomes) = review(&admin_b, &[id], true, "").await;
        assert_eq!(status, StatusCode::OK, "[{}] {outcomes}", app.backend);
        assert_eq!(outcomes[0]["result"]["Ok"], "审核通过");
        let account = common::account_id(&app.db, "reg1").await;
        let notices = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(notices, 1, "the employer is told in-app");
        let mails = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq("hr1@register.example.com"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(mails, 2, "the confirmation, then the decision");

        // First-login confirmation, then rule 5: a student of 江城大学, which never reviewed it.
        let (_, info) = c.post("/api/employer/info", &[]).await;
        let mut form: Vec<(String, String)> = info
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| *k != "confirmed")
            .map(|(k, v)| (format!("info[{k}]"), v.as_str().unwrap_or_default().to_owned()))
            .collect();
        form.retain(|(k, _)| !k.starts_with("info[archive") && !k.starts_with("info[hukou"));
        for (k, v) in [
            ("archive_unit", "武汉市人才服务中心"),
            ("archive_address", "武汉市江岸区解放大道1000号"),
            ("archive_postcode", "430010"),
            ("archive_contact", "李老师"),
            ("archive_phone", "02782800000"),
            ("hukou_address", "武汉市江岸区解放大道1000号"),
            ("hukou_unit", "武汉市人才服务中心"),
        ] {
            form.push((format!("info[{k}]"), v.into()));
        }
        let (status, body) = c.post_owned("/api/employer/confirm-info", &form).await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", app.backend);
        let invitation = flow::invite(&app, &c, 0).await;
        assert!(invitation > 0);
        let _ = school_a;
    })
    .await;
}

#[tokio::test]
async fn a_registration_with_bad_or_taken_fields_is_refused_at_each_field_and_writes_nothing() {
    on_each_backend(|app| async move {
        let (school_a, _) = school_ids(&app).await;
        let count = || async { employer::Entity::find().count(&app.db).await.unwrap() };
        let before = count().await;
        let c = app.client();
        let mut bad = registration(2, &[school_a]);
        bad.retain(|(k, _)| k != "register[credit_code]" && k != "register[email]");
        bad.push(("register[credit_code]".into(), "91350100M000100Y44".into()));
        bad.push(("register[email]".into(), "不是邮箱".into()));
        let (status, body) = c.post_owned("/api/register", &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["Invalid"], "统一社会信用代码：校验位不正确；电子邮箱：格式不正确",
            "[{}]",
            app.backend
        );

        // A credit code or login someone has already: refused at its field.
        let hzsz = employer::Entity::find_by_id(common::employer_id(&app.db, demo::EMPLOYER_APPROVED).await)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut taken = registration(2, &[school_a]);
        taken.retain(|(k, _)| k != "register[credit_code]");
        taken.push(("register[credit_code]".into(), hzsz.credit_code.clone()));
        let (status, body) = c.post_owned("/api/register", &taken).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["Conflict"], "统一社会信用代码：该代码已注册，请用已有账号登录");
        let mut taken = registration(2, &[school_a]);
        taken.retain(|(k, _)| k != "register[login]");
        taken.push(("register[login]".into(), demo::EMPLOYER_APPROVED.into()));
        let (status, body) = c.post_owned("/api/register", &taken).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["Conflict"], "登录账号：该账号已被使用，请换一个");
        let (status, body) = c.post_owned("/api/register", &registration(2, &[999_999])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["Invalid"], "申请审核的学校：所选学校不存在");
        assert_eq!(count().await, before, "[{}] nothing was written", app.backend);
        // Nobody got a session from a refusal.
        assert_eq!(c.post("/api/me", &[]).await.0, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn a_bulk_review_decides_each_row_in_its_own_scope_and_state_and_lists_every_outcome() {
    on_each_backend(|app| async move {
        let (school_a, school_b) = school_ids(&app).await;
        let (_, valid1) = registered(&app, 11, &[school_a]).await;
        let (_, valid2) = registered(&app, 12, &[school_a, school_b]).await;
        let (_, foreign) = registered(&app, 13, &[school_b]).await;
        let decided = common::employer_id(&app.db, demo::EMPLOYER_APPROVED).await;
        let admin = app.login("admin", demo::school_admin(0)).await;

        // Who may decide: the school admin only.
        for who in [demo::college_admin(0, 0), demo::PROVINCE] {
            let other = app.login("admin", who).await;
            assert_eq!(review(&other, &[valid1], true, "").await.0, StatusCode::FORBIDDEN);
        }
        // A rejection without a reason changes nothing.
        let (status, body) = review(&admin, &[valid1, valid2], false, " ").await;
        assert_eq!(
            (status, body["Invalid"].as_str()),
            (StatusCode::BAD_REQUEST, Some("请填写审核不通过的原因"))
        );

        let (status, out) = review(&admin, &[valid1, foreign, decided, valid2, 999_999], true, "").await;
        assert_eq!(status, StatusCode::OK, "[{}] {out}", app.backend);
        let results: Vec<(i64, Value)> = out
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["employer_id"].as_i64().unwrap(), o["result"].clone()))
            .collect();
        assert_eq!(results[0], (valid1, serde_json::json!({"Ok": "审核通过"})));
        assert_eq!(
            results[1],
            (foreign, serde_json::json!({"Err": "该单位未向本校申请审核"}))
        );
        assert_eq!(
            results[2],
            (decided, serde_json::json!({"Err": "该单位已审核通过，不能重复审核"}))
        );
        assert_eq!(results[3], (valid2, serde_json::json!({"Ok": "审核通过"})));
        assert_eq!(
            results[4],
            (999_999, serde_json::json!({"Err": "该单位未向本校申请审核"}))
        );

        let status_of = |e: i64, s: i64| {
            let db = app.db.clone();
            async move {
                employer_approval::Entity::find()
                    .filter(employer_approval::Column::EmployerId.eq(e))
                    .filter(employer_approval::Column::SchoolId.eq(s))
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .status
            }
        };
        assert_eq!(status_of(valid2, school_a).await, ApprovalStatus::Approved);
        assert_eq!(
            status_of(valid2, school_b).await,
            ApprovalStatus::Pending,
            "another school's stays"
        );
        assert_eq!(status_of(foreign, school_b).await, ApprovalStatus::Pending);

        // 审核不通过 with its reason, shown to the employer; applying again reopens it.
        let (c3, e3) = registered(&app, 14, &[school_a]).await;
        let (_, out) = review(&admin, &[e3], false, "营业执照不清晰").await;
        assert_eq!(out[0]["result"]["Ok"], "审核不通过");
        let (_, state) = c3.post("/api/employer/registration", &[]).await;
        assert_eq!(state["approvals"][0]["reason"], "营业执照不清晰");
        let mut f = flow::ids("school_ids", &[school_a]);
        f.push(("_".into(), String::new()));
        let (status, state) = c3.post_owned("/api/employer/registration/apply", &f).await;
        assert_eq!(status, StatusCode::OK, "[{}] {state}", app.backend);
        assert_eq!(state["approvals"][0]["status"], "Pending");
    })
    .await;
}

#[tokio::test]
async fn two_admins_approving_the_same_employer_at_once_make_exactly_one_decision() {
    on_each_backend(|app| async move {
        let (school_a, _) = school_ids(&app).await;
        let (_, id) = registered(&app, 21, &[school_a]).await;
        // A second admin of 江城大学.
        let hash = data::service::auth::hash_password(PASSWORD);
        data::service::auth::create_account(
            &app.db,
            "jcdx_admin2",
            &hash,
            domain::Role::SchoolAdmin,
            "江城大学就业办2",
            data::service::auth::AccountScope {
                school_id: Some(school_a),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let one = app.login("admin", demo::school_admin(0)).await;
        let two = app.login("admin", "jcdx_admin2").await;
        let ids = [id];
        let (a, b) = tokio::join!(review(&one, &ids, true, ""), review(&two, &ids, false, "资料不全"));
        assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK));
        let oks = [&a.1, &b.1]
            .iter()
            .filter(|o| o[0]["result"].get("Ok").is_some())
            .count();
        assert_eq!(oks, 1, "[{}] {} / {}", app.backend, a.1, b.1);
        let loser = if a.1[0]["result"].get("Ok").is_some() {
            &b.1
        } else {
            &a.1
        };
        assert!(loser[0]["result"]["Err"].as_str().unwrap().contains("审核"), "{loser}");
        let decisions = process_log::Entity::find()
            .filter(process_log::Column::EmployerId.eq(id))
            .filter(process_log::Column::Action.starts_with("江城大学"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(decisions, 1, "[{}] one decision logged", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_new_name_sends_the_employer_back_to_review_at_every_school_and_every_change_is_logged() {
    on_each_backend(|app| async move {
        let c = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let id = common::employer_id(&app.db, demo::EMPLOYER_APPROVED).await;
        let (_, info) = c.post("/api/employer/info", &[]).await;
        let form = |name: &str, phone: &str| -> Vec<(String, String)> {
            info.as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "confirmed")
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "name" => name.to_owned(),
                        "contact_phone" => phone.to_owned(),
                        _ => v.as_str().unwrap_or_default().to_owned(),
                    };
                    (format!("info[{k}]"), v)
                })
                .collect()
        };
        let name = info["name"].as_str().unwrap().to_owned();
        // Another phone: logged, still approved.
        let (status, _) = c
            .post_owned("/api/employer/confirm-info", &form(&name, "027-11112222"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let approved = || async {
            employer_approval::Entity::find()
                .filter(employer_approval::Column::EmployerId.eq(id))
                .filter(employer_approval::Column::Status.eq(ApprovalStatus::Approved))
                .count(&app.db)
                .await
                .unwrap()
        };
        assert_eq!(approved().await, 1);
        // A new name: every school reviews again; no signing meanwhile.
        let (status, _) = c
            .post_owned(
                "/api/employer/confirm-info",
                &form("华中数智集团有限公司", "027-11112222"),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(approved().await, 0, "[{}]", app.backend);
        let (status, _) = c
            .post_owned("/api/employer/sign-list/add", &flow::query(&app.db, 1).await)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let log: Vec<(String, String)> = process_log::Entity::find()
            .filter(process_log::Column::EmployerId.eq(id))
            .order_by_asc(process_log::Column::Id)
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|l| (l.action, l.reason))
            .collect();
        assert_eq!(
            log,
            vec![
                ("单位信息维护".to_owned(), "联系电话".to_owned()),
                ("单位信息维护".to_owned(), "单位名称".to_owned()),
                ("单位名称或统一社会信用代码变更，各校重新审核".to_owned(), String::new()),
            ],
            "[{}]",
            app.backend
        );
        // The school sees it pending again.
        let admin = app.login("admin", demo::school_admin(0)).await;
        let (_, list) = admin
            .post("/api/admin/employers", &[("filter[status]", "pending")])
            .await;
        assert!(names_in(&list).contains(&"华中数智集团有限公司".to_owned()), "{list}");
    })
    .await;
}

#[tokio::test]
async fn a_frozen_employer_cannot_log_in_and_its_pending_invitations_are_withdrawn() {
    on_each_backend(|app| async move {
        let c = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let inv = flow::invite(&app, &c, 1).await;
        let id = common::employer_id(&app.db, demo::EMPLOYER_APPROVED).await;
        let province = app.login("admin", demo::PROVINCE).await;
        let school = app.login("admin", demo::school_admin(0)).await;
        let freeze = |who: &Client, reason: &str, on: bool| {
            let f = vec![
                ("employer_id".to_owned(), id.to_string()),
                ("freeze".to_owned(), on.to_string()),
                ("reason".to_owned(), reason.to_owned()),
            ];
            let who = who.http.clone();
            let base = app.base.clone();
            async move {
                let r = who
                    .post(format!("{base}/api/province/employers/freeze"))
                    .form(&f)
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        assert_eq!(freeze(&school, "虚假招聘", true).await.0, StatusCode::FORBIDDEN);
        let (status, body) = freeze(&province, "", true).await;
        assert_eq!(
            (status, body["Invalid"].as_str()),
            (StatusCode::BAD_REQUEST, Some("请填写冻结原因"))
        );
        assert_eq!(freeze(&province, "虚假招聘", true).await.0, StatusCode::OK);

        let status = invitation::Entity::find_by_id(inv)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .status;
        assert_eq!(status, InvitationStatus::Withdrawn, "[{}]", app.backend);
        let student = common::account_id(&app.db, &demo::student(1)).await;
        let told = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(student))
            .filter(notification::Column::Title.contains("撤回"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(told, 1);

        let (status, body) = app
            .client()
            .post(
                "/api/login",
                &[
                    ("kind", "employer"),
                    ("login", demo::EMPLOYER_APPROVED),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body["Conflict"].as_str().unwrap().contains("冻结"), "{body}");
        assert_eq!(freeze(&province, "再次", true).await.0, StatusCode::CONFLICT);

        assert_eq!(freeze(&province, "", false).await.0, StatusCode::OK);
        app.login("employer", demo::EMPLOYER_APPROVED).await;
    })
    .await;
}
