//! The built site's static files (`LEPTOS_SITE_ROOT`, `target/site`): the WASM, JS and CSS
//! under `/pkg`, and `public/`'s files at the root (favicon, robots.txt).
//!
//! - Precompressed: `make build` (its site builder, server/site) writes a `.br` and a `.gz`
//!   beside every file; the one the browser accepts is sent as is, nothing is
//!   compressed per request.
//! - Cached: a file whose name carries the hash of its content (`hash-files`, e.g.
//!   `wangqian.<md5>.wasm`) can never change under that name, so it is cached for a year
//!   (`immutable`). Every other file is revalidated (`no-cache`): `Last-Modified` answers a
//!   conditional request with 304.

use std::{collections::HashSet, path::Path, sync::Arc};

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::Response,
};
use base64ct::{Base64UrlUnpadded, Encoding};
use md5::{Digest, Md5};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// A year: the longest lifetime caches honour.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Stored, but asked again every time (a 304 when unchanged).
pub const REVALIDATE: &str = "no-cache";

/// The name hash (cargo-leptos's, and server/site's): the MD5 of the content, base64url without
/// padding.
const HASH_LEN: usize = 22;

#[derive(Clone)]
pub struct Assets {
    files: ServeDir,
    /// URL paths (`/pkg/…`) whose name's hash matches their content.
    immutable: Arc<HashSet<String>>,
}

impl Assets {
    /// Serves `site_root`; reads `site_root/pkg_dir` once to find the hashed names.
    pub fn new(site_root: &Path, pkg_dir: &str) -> Assets {
        let mut immutable = HashSet::new();
        find_hashed(&site_root.join(pkg_dir), &format!("/{pkg_dir}"), &mut immutable);
        Assets {
            files: ServeDir::new(site_root).precompressed_br().precompressed_gzip(),
            immutable: Arc::new(immutable),
        }
    }

    /// The file a request names, with its caching headers; `None` when there is no such
    /// file (the caller renders the 404 page).
    pub async fn serve(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
        if !matches!(*method, Method::GET | Method::HEAD) {
            return None;
        }
        // ServeDir needs the conditional, range and Accept-Encoding headers; the body stays with
        // the caller, which may still need the request.
        let mut probe = Request::new(Body::empty());
        *probe.method_mut() = method.clone();
        *probe.uri_mut() = uri.clone();
        *probe.headers_mut() = headers.clone();
        let res = match self.files.clone().oneshot(probe).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
        let status = res.status();
        if !(status.is_success() || status == StatusCode::NOT_MODIFIED || status == StatusCode::RANGE_NOT_SATISFIABLE) {
            return None;
        }
        let mut res = res.map(Body::new);
        let headers = res.headers_mut();
        let policy = if self.immutable.contains(uri.path()) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        // The same URL answers br, gzip or plain bytes: shared caches must key on the header.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        Some(res)
    }
}

/// Adds `url/<name>` for every file under `dir` whose name holds a `.<hash>.` that is the hash
/// of its content. Checked rather than assumed: the main JS names the split loader, which names
/// the main JS, so one of the two cannot carry its content's hash (server/site names the main JS
/// before the loader's name is written into it; cargo-leptos, under `make dev`, leaves more such
/// files), and such a file must not be cached as if it could never change.
fn find_hashed(dir: &Path, url: &str, out: &mut HashSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() {
            find_hashed(&path, &format!("{url}/{name}"), out);
        } else if name_hash(&name).is_some_and(|hash| content_hash(&path).is_some_and(|c| c == hash)) {
            out.insert(format!("{url}/{name}"));
        }
    }
}

/// The `<hash>` of `stem.<hash>.ext`, if the name has one.
fn name_hash(name: &str) -> Option<&str> {
    let mut parts = name.split('.');
    parts.next()?;
    let mut inner: Vec<&str> = parts.collect();
    inner.pop()?; // the extension
    inner
        .into_iter()
        .find(|p| p.len() == HASH_LEN && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

fn content_hash(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(Base64UrlUnpadded::encode_string(&Md5::digest(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_hash_is_the_22_character_segment_before_the_extension() {
        assert_eq!(
            name_hash("wangqian.AAAAAAAAAAAAAAAAAAAAAA.wasm"),
            Some("AAAAAAAAAAAAAAAAAAAAAA")
        );
        assert_eq!(
            name_hash("__wasm_split.Zk3-_q9XyW0aBcDeFgHiJk.js"),
            Some("Zk3-_q9XyW0aBcDeFgHiJk")
        );
        assert_eq!(name_hash("wangqian.wasm"), None);
        assert_eq!(name_hash("favicon.ico"), None);
        assert_eq!(name_hash("AAAAAAAAAAAAAAAAAAAAAA.wasm"), None, "the stem is not a hash");
    }
}
