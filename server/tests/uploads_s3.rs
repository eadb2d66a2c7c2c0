//! The upload store on an S3-compatible bucket (`UPLOAD_STORE=s3`): moto's S3 server, started
//! by this test on a free loopback port (installed by `.ci/install-tools.sh test` in a venv under
//! TOOLS_DIR; `MOTO_SERVER` may name another binary). The same rules as the local directory:
//! a file is its uploader's, expires, and 生源导入 previews and confirms through it.

mod common;

use std::{
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use common::{demo, on_each_database, start_with_uploads};
use data::uploads::{Kind, S3Settings, Uploads};
use reqwest::StatusCode;

/// moto's server, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_binary() -> PathBuf {
    if let Ok(p) = std::env::var("MOTO_SERVER") {
        return p.into();
    }
    let tools = std::env::var("TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/wangqian-tools"));
    tools.join("moto/bin/moto_server")
}

/// Starts moto and creates `bucket` in it.
async fn moto(bucket: &str) -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin = moto_binary();
    let child = Command::new(&bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "moto's S3 server is needed for this test but {} could not be run ({e}). \
                 Install it with `.ci/install-tools.sh test` (or set MOTO_SERVER).",
                bin.display()
            )
        });
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "moto did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", moto.endpoint))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "create bucket: {}", created.status());
    moto
}

fn settings(m: &Moto, bucket: &str) -> S3Settings {
    S3Settings {
        bucket: bucket.into(),
        endpoint: m.endpoint.clone(),
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
        allow_http: true,
    }
}

#[tokio::test]
async fn an_s3_bucket_keeps_an_upload_for_its_owner_until_it_is_confirmed_or_expires() {
    let m = moto("uploads").await;
    let store = Uploads::s3(&settings(&m, "uploads")).unwrap();
    let token = store.put(Kind::Roster, 7, b"roster file".to_vec()).await.unwrap();
    assert_eq!(store.get(Kind::Roster, 7, &token).await.unwrap(), b"roster file");
    assert_eq!(store.get(Kind::Roster, 8, &token).await.unwrap_err().status(), 404);
    store.delete(Kind::Roster, 7, &token).await.unwrap();
    assert_eq!(store.get(Kind::Roster, 7, &token).await.unwrap_err().status(), 404);

    let expired = Uploads::s3(&settings(&m, "uploads")).unwrap().with_ttl(Duration::ZERO);
    let token = store.put(Kind::Roster, 7, b"old".to_vec()).await.unwrap();
    assert_eq!(store.purge_expired().await.unwrap(), 0);
    assert_eq!(expired.purge_expired().await.unwrap(), 1);
    assert_eq!(store.get(Kind::Roster, 7, &token).await.unwrap_err().status(), 404);
}

#[tokio::test]
async fn a_roster_import_previews_and_confirms_through_an_s3_bucket() {
    let m = moto("roster").await;
    on_each_database(|url, backend| {
        let s = settings(&m, "roster");
        async move {
            let app = start_with_uploads(&url, backend, Uploads::s3(&s).unwrap()).await;
            data::service::seed::load_demo(&app.data).await.unwrap();
            let admin = app.login("admin", demo::school_admin(0)).await;
            let first17 = "42010620050315290";
            let id = format!("{first17}{}", domain::ids::id_check_char(first17).unwrap());
            let cells = [
                "计算机学院",
                "软件工程",
                "本科",
                "2027",
                "陈同学",
                "女",
                &id,
                "13900000090",
                "",
                "非定向",
                "",
            ];
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for (c, (h, v)) in domain::roster::COLUMNS.iter().zip(cells).enumerate() {
                ws.write_string(0, c as u16, *h).unwrap();
                ws.write_string(1, c as u16, v).unwrap();
            }
            let (status, preview) = admin
                .post_bytes("/api/admin/roster/import", wb.save_to_buffer().unwrap())
                .await;
            assert_eq!(status, StatusCode::OK, "[{backend}] {preview}");
            let token = preview["token"].as_str().unwrap().to_owned();
            let (status, done) = admin
                .post("/api/admin/roster/import/confirm", &[("token", &token)])
                .await;
            assert_eq!(status, StatusCode::OK, "[{backend}] {done}");
            assert_eq!(done["counts"]["added"], 1);
            let (status, _) = admin
                .post("/api/admin/roster/import/confirm", &[("token", &token)])
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "the file is deleted once saved");
        }
    })
    .await;
}
