//! Figure 6: the bytes a browser receives on each role's first visit (nothing cached) — the
//! page's HTML and every CSS, JS and WASM file that page loads before it works: the files the
//! HTML names under `/pkg/` (stylesheet, main JS and WASM, the preloaded bundle of the WASM
//! chunks of the page's group) and what those JS files import statically. Chunks the loader fetches later, on
//! navigation, are not counted. Requested with `Accept-Encoding: br, gzip` as a browser does;
//! counted as sent: the (compressed) body plus the response headers.

use std::collections::BTreeSet;

use axum::http::header;

use crate::fixture::Res;

/// One role's first page.
pub struct Visit {
    pub who: &'static str,
    pub path: &'static str,
    pub html: usize,
    /// Each file the page loads: (URL path, bytes sent, its Content-Encoding).
    pub files: Vec<(String, usize, String)>,
}

impl Visit {
    pub fn total(&self) -> usize {
        self.html + self.files.iter().map(|(_, n, _)| n).sum::<usize>()
    }
}

/// A logged-in (or anonymous, `login: None`) first visit of `path`.
pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    who: &'static str,
    login: Option<(&str, &str)>,
    path: &'static str,
) -> Res<Visit> {
    let cookie = match login {
        Some((kind, name)) => Some(log_in(client, base, kind, name).await?),
        None => None,
    };
    let get = |url: String, encodings: &'static str| {
        let mut req = client.get(url).header(header::ACCEPT_ENCODING, encodings);
        if let Some(c) = &cookie {
            req = req.header(header::COOKIE, c);
        }
        req.send()
    };
    let sent = get(format!("{base}{path}"), "br, gzip")
        .await
        .map_err(|e| format!("GET {path}: {e}"))?;
    if sent.status() != reqwest::StatusCode::OK {
        return Err(format!("first visit: GET {path} as {who} answered {}", sent.status()));
    }
    let html = wire_size(sent).await?;
    // The same page, uncompressed, to read which files it names.
    let page = get(format!("{base}{path}"), "identity")
        .await
        .map_err(|e| format!("GET {path}: {e}"))?;
    let page = page.text().await.map_err(|e| format!("GET {path}: {e}"))?;

    let mut todo: Vec<String> = pkg_urls(&page).into_iter().collect();
    if !todo.iter().any(|u| u.ends_with(".wasm")) {
        return Err(format!(
            "first visit: {path} names no WASM module under /pkg/: {}",
            &page[..page.len().min(600)]
        ));
    }
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    while let Some(url) = todo.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let r = get(format!("{base}{url}"), "br, gzip")
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        if r.status() != reqwest::StatusCode::OK {
            return Err(format!(
                "first visit: {path} names {url}, which answers {} (built with `make build`?)",
                r.status()
            ));
        }
        let encoding = r
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none")
            .to_owned();
        let bytes = wire_size(r).await?;
        files.push((url.clone(), bytes, encoding));
        if url.ends_with(".js") {
            let text = client
                .get(format!("{base}{url}"))
                .send()
                .await
                .map_err(|e| format!("GET {url}: {e}"))?;
            let text = text.text().await.map_err(|e| format!("GET {url}: {e}"))?;
            todo.extend(static_imports(&url, &text));
        }
    }
    files.sort();
    Ok(Visit { who, path, html, files })
}

/// Logs in through `/api/login`; the `Cookie` header value of the session.
async fn log_in(client: &reqwest::Client, base: &str, kind: &str, login: &str) -> Res<String> {
    let r = client
        .post(format!("{base}/api/login"))
        .form(&[
            ("kind", kind),
            ("login", login),
            ("password", data::service::seed::DEMO_PASSWORD),
        ])
        .send()
        .await
        .map_err(|e| format!("login {login}: {e}"))?;
    let cookie = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(app::api::ctx::SESSION_COOKIE))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let status = r.status();
    cookie.ok_or_else(|| format!("login {kind} {login}: answered {status} without a session cookie"))
}

/// Bytes on the wire: the body as sent plus the status line and headers (HTTP/1.1).
async fn wire_size(r: reqwest::Response) -> Res<usize> {
    let headers: usize = r
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
        + "HTTP/1.1 200 OK\r\n\r\n".len();
    let url = r.url().path().to_owned();
    let body = r.bytes().await.map_err(|e| format!("GET {url}: {e}"))?;
    Ok(headers + body.len())
}

/// Every quoted `/pkg/…` URL in the page (links and the hydration script's arguments are
/// resolved by the same rule: the script names `pkg` and the file stems separately).
fn pkg_urls(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for piece in html.split('"').skip(1).step_by(2) {
        if piece.starts_with("/pkg/") && !piece.contains(['<', ' ']) {
            out.insert(piece.to_owned());
        }
    }
    // `(function (root, pkg_path, output_name, wasm_output_name, …) {…})("", "pkg", "a.H", "a.H2", …)`
    if let Some(args) = html.split("})(").nth(1).and_then(|a| a.split(')').next()) {
        let args: Vec<&str> = args.split(',').map(|a| a.trim().trim_matches('"')).collect();
        if let [root, pkg, js, wasm, ..] = args.as_slice() {
            out.insert(format!("{root}/{pkg}/{js}.js"));
            out.insert(format!("{root}/{pkg}/{wasm}.wasm"));
        }
    }
    out
}

/// The modules a JS file imports statically (`import … from "x"`, `import "x"`), resolved
/// against its URL; dynamic `import()` is lazy and not counted.
fn static_imports(url: &str, js: &str) -> Vec<String> {
    let dir = &url[..url.rfind('/').map_or(0, |i| i + 1)];
    let mut out = Vec::new();
    for marker in ["from", "import"] {
        for (at, _) in js.match_indices(marker) {
            let rest = js[at + marker.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(spec) = rest[1..].split(quote).next() else {
                continue;
            };
            let resolved = if let Some(rel) = spec.strip_prefix("./") {
                format!("{dir}{rel}")
            } else if spec.starts_with('/') {
                spec.to_owned()
            } else {
                continue;
            };
            if resolved.ends_with(".js") {
                out.push(resolved);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_a_page_names() {
        let html = r#"<link rel="stylesheet" id="leptos" href="/pkg/w.C.css"><link rel="modulepreload" href="/pkg/w.J.js" crossorigin=""><script type="module">(function (root, pkg_path, output_name, wasm_output_name, defer) { import(`${root}/${pkg_path}/${output_name}.js`) })("", "pkg", "w.J", "w.W", false);</script><link rel="preload" href="/pkg/chunk_1.K.wasm" as="fetch">"#;
        let urls: Vec<String> = pkg_urls(html).into_iter().collect();
        assert_eq!(
            urls,
            ["/pkg/chunk_1.K.wasm", "/pkg/w.C.css", "/pkg/w.J.js", "/pkg/w.W.wasm"]
        );
    }

    #[test]
    fn follows_static_imports_only() {
        let js = r#"import * as a from "./__wasm_split.S.js"; import { x } from '/pkg/w.J.js'; const m = import("./lazy.js"); import "./side.js";"#;
        let mut got = static_imports("/pkg/w.J.js", js);
        got.sort();
        assert_eq!(got, ["/pkg/__wasm_split.S.js", "/pkg/side.js", "/pkg/w.J.js"]);
    }
}
