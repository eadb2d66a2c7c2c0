//! Test harness: the real router on a random local port, over a fresh database — SQLite
//! always, PostgreSQL too when `TEST_POSTGRES_URL` names a server (`make test` starts one).

#![allow(dead_code)]

use std::{collections::BTreeSet, future::Future, net::SocketAddr};

use app::api::ctx::ServerState;
use data::{service::seed, DatabaseConnection, Db};
use leptos::config::LeptosOptions;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

pub const PASSWORD: &str = seed::DEMO_PASSWORD;

pub struct TestApp {
    pub base: String,
    /// A connection of the test's own, outside the app, for arranging and inspecting rows as an
    /// operator's SQL console would (the app's own handle, `data`, cannot write outside `Db::write`).
    pub db: DatabaseConnection,
    /// The app's database handle (the one in its `ServerState`).
    pub data: Db,
    pub backend: &'static str,
    pub url: String,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// A new client (its own cookie jar: one browser).
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder().cookie_store(true).build().unwrap(),
        }
    }

    /// Logs in through the real endpoint and returns the client holding the session.
    pub async fn login(&self, kind: &str, login: &str) -> Client {
        let c = self.client();
        let (status, body) = c
            .post(
                "/api/login",
                &[("kind", kind), ("login", login), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] login {login}: {body}", self.backend);
        c
    }

    /// Stops this server instance (the database stays).
    pub fn stop(&self) {
        self.server.abort();
    }
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    /// POST a server function with form-encoded arguments; JSON answer.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

/// Starts the app on an existing database (e.g. to simulate a restart).
pub async fn start_on(url: &str, backend: &'static str) -> TestApp {
    start_with_options(url, backend, LeptosOptions::builder().output_name("wangqian").build()).await
}

/// Starts the app with these Leptos options (e.g. a site root holding built files).
pub async fn start_with_options(url: &str, backend: &'static str, options: LeptosOptions) -> TestApp {
    start_with(url, backend, options, None).await
}

/// Starts the app with its uploaded files in `uploads` (otherwise they stay in memory).
pub async fn start_with_uploads(url: &str, backend: &'static str, uploads: data::uploads::Uploads) -> TestApp {
    let options = LeptosOptions::builder().output_name("wangqian").build();
    start_with(url, backend, options, Some(uploads)).await
}

async fn start_with(
    url: &str,
    backend: &'static str,
    options: LeptosOptions,
    uploads: Option<data::uploads::Uploads>,
) -> TestApp {
    let data = data::connect(url).await.expect("connect + migrate");
    let db = Database::connect(url).await.expect("the test's own connection");
    let mut state = ServerState::new(data.clone(), false);
    if let Some(u) = uploads {
        state = state.with_uploads(u);
    }
    let router = server::router(state, options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .await
            .unwrap();
    });
    TestApp {
        base: format!("http://{addr}"),
        db,
        data,
        backend,
        url: url.to_owned(),
        server,
    }
}

/// Every `/api/…` path docs/API.md names.
pub fn documented_endpoints() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/API.md")).expect("docs/API.md");
    let mut found = BTreeSet::new();
    for (i, _) in doc.match_indices("`/api/").chain(doc.match_indices(" /api/")) {
        let rest = &doc[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "/_-.{}".contains(c)))
            .unwrap_or(rest.len());
        found.insert(rest[..end].to_owned());
    }
    found
}

pub fn unique_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "wq_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    )
}

/// Runs `test` against a fresh demo database on every configured backend.
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    on_each_database(|url, backend| {
        let test = &test;
        async move {
            let app = start_on(&url, backend).await;
            seed::load_demo(&app.data).await.unwrap();
            test(app).await;
        }
    })
    .await
}

/// Runs `test` with the URL of a fresh, empty database on every configured backend (and the
/// backend's name). SQLite is a file (not :memory:), so that several pools can share it.
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(String, &'static str) -> Fut,
    Fut: Future<Output = ()>,
{
    let path = std::env::temp_dir().join(format!("{}.sqlite", unique_name()));
    test(format!("sqlite://{}?mode=rwc", path.display()), "sqlite").await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }

    match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let name = unique_name();
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to TEST_POSTGRES_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
            test(format!("{base}/{name}"), "postgres").await;
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
        Err(_) if std::env::var("REQUIRE_POSTGRES").is_ok() => {
            panic!("REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not");
        }
        Err(_) => eprintln!("TEST_POSTGRES_URL not set: PostgreSQL part skipped"),
    }
}

pub async fn student_id(db: &DatabaseConnection, i: usize) -> i64 {
    use data::entity::student;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    student::Entity::find()
        .filter(student::Column::IdNumber.eq(demo::student(i)))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Database id of the demo employer with this login (its e-mail carries the login).
pub async fn employer_id(db: &DatabaseConnection, login: &str) -> i64 {
    use sea_orm::EntityTrait;
    data::entity::employer::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.email.contains(login))
        .unwrap()
        .id
}

/// The id of the account with this login.
pub async fn account_id(db: &DatabaseConnection, login: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    data::entity::account::Entity::find()
        .filter(data::entity::account::Column::Login.eq(login))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Demo logins (see the README).
pub mod demo {
    use data::service::seed::{demo_student_ids, SCHOOLS};

    /// 身份证号 of demo student `i`: 0–5 江城大学计算机学院, 6–11 经济管理学院,
    /// 12–17 楚天理工学院机械工程学院, 18–23 外国语学院.
    pub fn student(i: usize) -> String {
        demo_student_ids(i).0
    }
    pub const PROVINCE: &str = "province";
    pub fn school_admin(s: usize) -> &'static str {
        SCHOOLS[s].admin_login
    }
    pub fn college_admin(s: usize, c: usize) -> &'static str {
        SCHOOLS[s].colleges[c].1
    }
    pub const EMPLOYER_APPROVED: &str = "hzsz";
    pub const EMPLOYER_OTHER: &str = "cjxcl";
    pub const EMPLOYER_PENDING: &str = "hswh";
}

impl Client {
    /// POST with owned form pairs (built programmatically).
    pub async fn post_owned(&self, path: &str, form: &[(String, String)]) -> (StatusCode, Value) {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(path, &pairs).await
    }
}

/// The online signing flow, step by step through the real endpoints.
pub mod flow {
    use super::*;
    use data::{
        entity::{outbox, school},
        service::seed::{GRADUATION_YEAR, NAMES},
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    pub fn name(i: usize) -> &'static str {
        NAMES[i]
    }

    /// `n` more approved employers, copies of the demo's 华中数智 (logins `{tag}0`, `{tag}1`, …),
    /// each approved by `schools` and logged in.
    pub async fn approved_employers(app: &TestApp, tag: &str, n: usize, schools: &[i64]) -> Vec<Client> {
        use data::entity::{account, employer, employer_approval};
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
        let hz = employer::Entity::find()
            .filter(employer::Column::Email.contains("hzsz"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let hz_account = account::Entity::find()
            .filter(account::Column::EmployerId.eq(hz.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut clients = Vec::new();
        for k in 0..n {
            let login = format!("{tag}{k}");
            let e = employer::ActiveModel {
                id: sea_orm::NotSet,
                name: Set(format!("{tag}科技{k}号有限公司")),
                credit_code: Set(format!("{}{k:014}", tag.to_uppercase())),
                email: Set(format!("hr@{login}.example.com")),
                ..hz.clone().into_active_model()
            }
            .insert(&app.db)
            .await
            .unwrap();
            for &school in schools {
                employer_approval::ActiveModel {
                    id: sea_orm::NotSet,
                    employer_id: Set(e.id),
                    school_id: Set(school),
                    status: Set(domain::status::ApprovalStatus::Approved),
                    reason: Set(String::new()),
                    reviewed_by: Set(None),
                    reviewed_at: Set(None),
                    created_at: Set(chrono::Utc::now()),
                }
                .insert(&app.db)
                .await
                .unwrap();
            }
            account::ActiveModel {
                id: sea_orm::NotSet,
                login: Set(login.clone()),
                employer_id: Set(Some(e.id)),
                display_name: Set(e.name.clone()),
                ..hz_account.clone().into_active_model()
            }
            .insert(&app.db)
            .await
            .unwrap();
            clients.push(app.login("employer", &login).await);
        }
        clients
    }

    /// Demo student `i`'s school (0–11 江城大学, 12–23 楚天理工学院).
    pub async fn school_of(db: &DatabaseConnection, i: usize) -> i64 {
        let code = if i < 12 { "10001" } else { "10002" };
        school::Entity::find()
            .filter(school::Column::Code.eq(code))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    /// 签约搜索 form for demo student `i`, found by 身份证号.
    pub async fn query(db: &DatabaseConnection, i: usize) -> Vec<(String, String)> {
        query_with(school_of(db, i).await, GRADUATION_YEAR, name(i), &demo::student(i))
    }

    pub fn query_with(school_id: i64, year: i32, name: &str, key: &str) -> Vec<(String, String)> {
        vec![
            ("query[school_id]".into(), school_id.to_string()),
            ("query[graduation_year]".into(), year.to_string()),
            ("query[name]".into(), name.into()),
            ("query[id_or_phone]".into(), key.into()),
        ]
    }

    pub fn letter(position: &str) -> Vec<(String, String)> {
        [
            ("position", position),
            ("job_category", "专业技术人员"),
            ("work_place", "湖北省武汉市"),
            ("salary", "12000"),
            ("contract_term", "3年"),
            ("probation", "3个月"),
            ("other_terms", "五险一金"),
            ("archive_unit", "武汉市人才服务中心"),
            ("archive_address", "武汉市江岸区解放大道1000号"),
            ("archive_postcode", "430010"),
            ("archive_contact", "李老师"),
            ("archive_phone", "02782800000"),
            ("hukou_address", "武汉市江岸区解放大道1000号"),
            ("hukou_unit", "武汉市人才服务中心"),
            ("deadline_days", "5"),
        ]
        .iter()
        .map(|(k, v)| (format!("letter[{k}]"), (*v).to_owned()))
        .collect()
    }

    pub fn ids(key: &str, ids: &[i64]) -> Vec<(String, String)> {
        ids.iter()
            .enumerate()
            .map(|(n, id)| (format!("{key}[{n}]"), id.to_string()))
            .collect()
    }

    /// 加入 demo student `i` to the employer's list; returns their student id.
    pub async fn add(app: &TestApp, employer: &Client, i: usize) -> i64 {
        let (status, body) = employer
            .post_owned("/api/employer/sign-list/add", &query(&app.db, i).await)
            .await;
        assert_eq!(status, StatusCode::OK, "[{}] add {i}: {body}", app.backend);
        body["student_id"].as_i64().unwrap()
    }

    /// Sends the letter to these students; returns the report.
    pub async fn send(employer: &Client, student_ids: &[i64], position: &str) -> (StatusCode, Value) {
        let mut form = ids("student_ids", student_ids);
        form.extend(letter(position));
        employer.post_owned("/api/employer/invitations/send", &form).await
    }

    /// Adds and invites demo student `i`; returns the invitation id.
    pub async fn invite(app: &TestApp, employer: &Client, i: usize) -> i64 {
        let sid = add(app, employer, i).await;
        let (status, body) = send(employer, &[sid], "软件工程师").await;
        assert_eq!(status, StatusCode::OK, "[{}] send: {body}", app.backend);
        assert_eq!(
            body["sent"].as_array().unwrap().len(),
            1,
            "[{}] send: {body}",
            app.backend
        );
        let (_, list) = employer.post("/api/employer/invitations", &[]).await;
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["student_name"] == name(i))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// The last SMS text sent to this phone (the default SMS sender writes to the outbox).
    pub async fn last_sms(db: &DatabaseConnection, phone: &str) -> Option<String> {
        outbox::Entity::find()
            .filter(outbox::Column::Channel.eq("sms"))
            .filter(outbox::Column::Recipient.eq(phone))
            .order_by_desc(outbox::Column::Id)
            .one(db)
            .await
            .unwrap()
            .map(|m| m.body)
    }

    pub fn code_in(sms: &str) -> String {
        sms.chars().filter(|c| c.is_ascii_digit()).take(6).collect()
    }

    /// Logs in demo student `i` and passes 信息验证 with the code from the outbox.
    pub async fn student(app: &TestApp, i: usize) -> Client {
        let c = app.login("student", &demo::student(i)).await;
        let (status, body) = c.post("/api/student/verify/send", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{}] send code: {body}", app.backend);
        let phone = data::service::seed::demo_student_ids(i).1;
        let code = code_in(&last_sms(&app.db, &phone).await.expect("code in the outbox"));
        let (status, body) = c.post("/api/student/verify", &[("code", &code)]).await;
        assert_eq!(status, StatusCode::OK, "[{}] verify: {body}", app.backend);
        c
    }
}

impl Client {
    /// POST a raw body (file uploads); JSON answer.
    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/octet-stream")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// GET a file: status, content type and bytes.
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = r.status();
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (status, ct, r.bytes().await.unwrap().to_vec())
    }
}
