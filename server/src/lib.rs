//! The axum server: router, shared state and background jobs. `main.rs` reads the
//! configuration and starts it; the integration tests build the same router.

pub mod assets;
pub mod config;
pub mod files;
pub mod jobs;
pub mod operator;
pub mod sms;

use app::{api::ctx::ServerState, shell, App};
use assets::Assets;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::{
        predicate::{NotForContentType, Predicate},
        CompressionLayer, DefaultPredicate,
    },
    limit::RequestBodyLimitLayer,
};

#[derive(Clone)]
struct RouterState {
    leptos_options: LeptosOptions,
    server: ServerState,
    assets: Assets,
}

impl axum::extract::FromRef<RouterState> for LeptosOptions {
    fn from_ref(s: &RouterState) -> Self {
        s.leptos_options.clone()
    }
}

/// Largest request body accepted on a route (the Excel import is the largest user of it).
const BODY_LIMIT: usize = 8 * 1024 * 1024;
/// The 营业执照 upload's (10 MB and room for nothing else): the one route above [`BODY_LIMIT`].
const LICENCE_LIMIT: usize = domain::registration::MAX_LICENCE_BYTES + 64 * 1024;
/// Largest body of a server function: its form-encoded arguments (the 其他约定 of a 邀请函,
/// the longest field, is 1,000 characters).
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;
/// The routes under `/api/` that take a file rather than form arguments (their own limits).
const RAW_BODY_ROUTES: [&str; 3] = [
    "/api/employer/sign-list/import",
    files::ROSTER_IMPORT,
    app::api::registration::LICENCE_PATH,
];

/// The whole application: `/healthz`, the server functions under `/api/` (registered by
/// `leptos_routes_with_context` at their fixed paths), the pages and the static files
/// ([`assets`]). The same `ServerState` goes to the server functions and to SSR. Dynamic
/// answers (pages, JSON) are compressed here; the static files come precompressed.
pub fn router(server: ServerState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let ctx = {
        let server = server.clone();
        move || provide_context(server.clone())
    };
    let assets = Assets::new(
        std::path::Path::new(&*leptos_options.site_root),
        &leptos_options.site_pkg_dir,
    );
    let state = RouterState {
        leptos_options: leptos_options.clone(),
        server,
        assets,
    };
    let files = files::routes()
        .into_iter()
        .fold(Router::new(), |r, (path, route)| r.route(path, route))
        .with_state(state.server.clone());
    Router::new()
        .route("/healthz", get(healthz))
        .merge(files)
        .leptos_routes_with_context(&state, routes, ctx, {
            let opts = leptos_options.clone();
            move || shell(opts.clone())
        })
        .fallback(static_file_or_not_found)
        .layer(axum::middleware::from_fn(api_error_status))
        .layer(axum::middleware::from_fn(pages_revalidate))
        // Each route's own limit is checked in `read_arguments`; this one stops every body.
        .layer(RequestBodyLimitLayer::new(LICENCE_LIMIT))
        .layer(axum::middleware::from_fn(read_arguments))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .no_deflate()
                .no_zstd()
                .compress_when(compressible()),
        )
        .with_state(state)
}

/// A client's unreadable request is its mistake: answered 413 or 400 with a Chinese `AppError`
/// here, before the server function machinery would turn it into a 5xx. A body announced over
/// the limit is refused unread; a server function's arguments are read whole (server_fn reads
/// them whole anyway) and must be UTF-8 text.
async fn read_arguments(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    let is_function =
        req.method() == http::Method::POST && path.starts_with("/api/") && !RAW_BODY_ROUTES.contains(&path);
    let limit = if is_function {
        FORM_LIMIT
    } else if path == app::api::registration::LICENCE_PATH {
        LICENCE_LIMIT
    } else {
        BODY_LIMIT
    };
    let announced = req
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return files::ApiError(too_large(limit)).into_response();
    }
    if !is_function {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The only error left is a body longer than announced (or not announced) passing the limit;
    // a client that went away mid-body reads no answer.
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return files::ApiError(too_large(limit)).into_response();
    };
    if std::str::from_utf8(&bytes).is_err() {
        return files::ApiError(domain::AppError::invalid("提交的内容不是有效的文本（须为 UTF-8 编码）"))
            .into_response();
    }
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

fn too_large(limit: usize) -> domain::AppError {
    domain::AppError::TooLarge {
        max_kib: (limit / 1024) as u64,
    }
}

/// What the compression layer compresses: text (pages, JSON, CSS, JS) on the fly. Not what is
/// compressed already: the precompressed static files carry `Content-Encoding` and are always
/// skipped; images; the .xlsx (a zip). Empty bodies (304) stay as they are (`SizeAbove`).
fn compressible() -> impl Predicate {
    DefaultPredicate::new().and(NotForContentType::const_new("application/vnd.openxmlformats"))
}

/// A static file of the built site, else the app's 404 page.
async fn static_file_or_not_found(State(s): State<RouterState>, req: Request) -> Response {
    if let Some(res) = s.assets.serve(req.method(), req.uri(), req.headers()).await {
        return res;
    }
    let server = s.server.clone();
    let options = s.leptos_options.clone();
    let render = leptos_axum::render_app_to_stream_in_order_with_context(
        move || provide_context(server.clone()),
        move || shell(options.clone()),
    );
    let mut res = render(req).await;
    // The page may have set its own status (a redirect); otherwise nothing is here.
    if res.status() == StatusCode::OK {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    res
}

/// Pages show the caller's own data and change with every action: a browser may keep one but
/// must ask again before showing it (`no-cache`), and no shared cache may keep it (`private`).
async fn pages_revalidate(req: Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if html && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    res
}

/// Errors raised before a server function runs (unreadable arguments) leave the response at
/// 500; give them the status their `AppError` carries, like every other error.
async fn api_error_status(req: Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(e) => {
            // The 500 stands, with an empty body; say why in the log.
            tracing::error!(error = %e, "server function error body unreadable");
            Default::default()
        }
    };
    let Ok(mut err) = serde_json::from_slice::<domain::AppError>(&bytes) else {
        return axum::response::Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    if let domain::AppError::Transport(detail) = &err {
        // On the server this only means the request could not be read: the client's mistake.
        tracing::warn!(detail = ?detail, "unreadable server function request");
        err = domain::AppError::invalid("请求参数有误");
    }
    parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(http::header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&err)
        .map(axum::body::Body::from)
        .unwrap_or_else(|_| axum::body::Body::from(bytes));
    axum::response::Response::from_parts(parts, body)
}

/// 200 when the database answers.
async fn healthz(State(s): State<RouterState>) -> impl IntoResponse {
    match s.server.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
