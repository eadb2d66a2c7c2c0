//! What a browser's first and later visits receive: the built site's files precompressed and
//! cached by their hashed names, everything else revalidated, pages and JSON compressed on the
//! fly, and a favicon. The router serves a site root laid out as `make build` leaves it
//! (`wangqian.<md5>.wasm` with `.br` and `.gz` beside it, `public/`'s files at the top).

mod common;

use std::{io::Write, path::PathBuf};

use base64ct::{Base64UrlUnpadded, Encoding};
use common::{demo, TestApp};
use leptos::config::LeptosOptions;
use md5::{Digest, Md5};
use reqwest::{header, StatusCode};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A site root in a temp dir: the real `public/` files, and a pkg dir with a hashed WASM module
/// and its precompressed copies, plus a JS file whose name's hash is not its content's (as
/// cargo-leptos leaves a file it rewrites after naming it).
struct Site {
    root: PathBuf,
    wasm: String,
    wasm_bytes: Vec<u8>,
    stale_js: String,
}

impl Site {
    fn build() -> Site {
        let root = std::env::temp_dir().join(common::unique_name());
        let pkg = root.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let public = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public");
        for f in std::fs::read_dir(&public).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), root.join(f.file_name())).unwrap();
        }
        // A WASM header and a body that compresses, like a real module.
        let mut wasm_bytes = b"\0asm\x01\0\0\0".to_vec();
        wasm_bytes.extend(std::iter::repeat_n(b"hydrate_employer_pages ".as_slice(), 400).flatten());
        let wasm = format!(
            "wangqian.{}.wasm",
            Base64UrlUnpadded::encode_string(&Md5::digest(&wasm_bytes))
        );
        std::fs::write(pkg.join(&wasm), &wasm_bytes).unwrap();
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut wasm_bytes.as_slice(), &mut br, &Default::default()).unwrap();
        std::fs::write(pkg.join(format!("{wasm}.br")), br).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&wasm_bytes).unwrap();
        std::fs::write(pkg.join(format!("{wasm}.gz")), gz.finish().unwrap()).unwrap();
        let stale_js = "wangqian.AAAAAAAAAAAAAAAAAAAAAA.js".to_owned();
        std::fs::write(pkg.join(&stale_js), "export function hydrate() {}\n".repeat(20)).unwrap();
        Site {
            root,
            wasm,
            wasm_bytes,
            stale_js,
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

async fn start(site: &Site) -> (TestApp, PathBuf) {
    let db = std::env::temp_dir().join(format!("{}.sqlite", common::unique_name()));
    let options = LeptosOptions::builder()
        .output_name("wangqian")
        .site_root(site.root.to_string_lossy().into_owned())
        .build();
    let app = common::start_with_options(&format!("sqlite://{}?mode=rwc", db.display()), "sqlite", options).await;
    data::service::seed::load_demo(&app.data).await.unwrap();
    (app, db)
}

fn header_of(r: &reqwest::Response, name: header::HeaderName) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_hashed_wasm_module_goes_out_precompressed_and_is_cached_for_a_year() {
    let site = Site::build();
    let (app, _db) = start(&site).await;
    let http = reqwest::Client::new();
    let url = format!("{}/pkg/{}", app.base, site.wasm);

    let r = http
        .get(&url)
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header_of(&r, header::CONTENT_ENCODING), "br");
    assert_eq!(header_of(&r, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(header_of(&r, header::CACHE_CONTROL), IMMUTABLE);
    assert!(header_of(&r, header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    let body = r.bytes().await.unwrap();
    assert!(
        body.len() * 10 < site.wasm_bytes.len(),
        "{} bytes sent for {}",
        body.len(),
        site.wasm_bytes.len()
    );
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut body.as_ref(), &mut plain).unwrap();
    assert_eq!(plain, site.wasm_bytes, "the .br beside the file is what is sent");

    let r = http
        .get(&url)
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header_of(&r, header::CONTENT_ENCODING), "gzip");
    assert_eq!(header_of(&r, header::CACHE_CONTROL), IMMUTABLE);

    let r = http.get(&url).send().await.unwrap();
    assert_eq!(
        header_of(&r, header::CONTENT_ENCODING),
        "",
        "a client that accepts no encoding gets the plain file"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), site.wasm_bytes.as_slice());
    app.stop();
}

#[tokio::test]
async fn a_file_whose_name_does_not_hash_its_content_is_revalidated_not_kept_a_year() {
    let site = Site::build();
    let (app, _db) = start(&site).await;
    let r = reqwest::Client::new()
        .get(format!("{}/pkg/{}", app.base, site.stale_js))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header_of(&r, header::CACHE_CONTROL), "no-cache");
    assert!(!header_of(&r, header::LAST_MODIFIED).is_empty());
    app.stop();
}

#[tokio::test]
async fn the_favicon_is_served_and_an_unchanged_file_answers_304() {
    let site = Site::build();
    let (app, _db) = start(&site).await;
    let http = reqwest::Client::new();
    let url = format!("{}/favicon.ico", app.base);
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header_of(&r, header::CONTENT_TYPE), "image/x-icon");
    assert_eq!(header_of(&r, header::CACHE_CONTROL), "no-cache");
    let modified = header_of(&r, header::LAST_MODIFIED);
    let icon = r.bytes().await.unwrap();
    assert_eq!(&icon[..4], b"\0\0\x01\0", "an ICO file");

    let r = http
        .get(&url)
        .header(header::IF_MODIFIED_SINCE, &modified)
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        header_of(&r, header::CONTENT_ENCODING),
        "",
        "a 304 has no body to encode"
    );
    assert!(r.bytes().await.unwrap().is_empty());

    let r = http
        .get(format!("{}/pkg/{}", app.base, site.wasm))
        .header(header::IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "the hashed files revalidate too");
    app.stop();
}

#[tokio::test]
async fn pages_and_json_are_compressed_on_the_fly_the_xlsx_is_not_and_pages_are_asked_for_again() {
    let site = Site::build();
    let (app, _db) = start(&site).await;
    let c = app.login("employer", demo::EMPLOYER_APPROVED).await;

    let r = c
        .http
        .get(format!("{}/", app.base))
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header_of(&r, header::CONTENT_ENCODING), "br");
    assert_eq!(header_of(&r, header::CACHE_CONTROL), "private, no-cache");
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut r.bytes().await.unwrap().as_ref(), &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains("网签系统") && html.contains(r#"href="/favicon.ico""#),
        "{html}"
    );

    let r = c
        .http
        .post(format!("{}/api/employer/dashboard", app.base))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header_of(&r, header::CONTENT_ENCODING), "gzip");
    let mut json = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(r.bytes().await.unwrap().as_ref()),
        &mut json,
    )
    .unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{json}");

    // The .xlsx template is a zip already: sent as it is.
    let r = c
        .http
        .get(format!("{}/api/employer/sign-list/template.xlsx", app.base))
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header_of(&r, header::CONTENT_ENCODING), "");
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    app.stop();
}

#[tokio::test]
async fn a_missing_file_or_unknown_path_gets_the_404_page() {
    let site = Site::build();
    let (app, _db) = start(&site).await;
    let http = reqwest::Client::new();
    for r in [
        http.get(format!("{}/pkg/wangqian.missing.js", app.base))
            .send()
            .await
            .unwrap(),
        http.get(format!("{}/pkg", app.base)).send().await.unwrap(),
        http.post(format!("{}/favicon.ico", app.base)).send().await.unwrap(),
        http.get(format!("{}/../Cargo.toml", app.base)).send().await.unwrap(),
    ] {
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{}", r.url());
        assert!(header_of(&r, header::CONTENT_TYPE).starts_with("text/html"));
    }
    app.stop();
}
