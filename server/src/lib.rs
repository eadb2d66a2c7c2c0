//! The axum server: router, shared state and background jobs. `main.rs` reads the
//! configuration and starts it; the integration tests build the same router.

pub mod assets;
pub mod config;
pub mod files;
pub mod jobs;

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

/// Largest request body accepted (uploads come later with their own limits).
const BODY_LIMIT: usize = 8 * 1024 * 1024;

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
    let assets = Assets::new(std::path::Path::new(&*leptos_options.site_root), &leptos_options.site_pkg_dir);
    let state = RouterState { leptos_options: leptos_options.clone(), server, assets };
    let files = Router::new()
        .route("/api/employer/sign-list/template.xlsx", get(files::sign_list_template))
        .route("/api/employer/sign-list/import", axum::routing::post(files::sign_list_import))
        .route("/api/agreements/{id}/pdf", get(files::agreement_pdf))
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
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(CompressionLayer::new().br(true).gzip(true).no_deflate().no_zstd().compress_when(compressible()))
        .with_state(state)
}

/// What the compression layer compresses: text (pages, JSON, CSS, JS) on the fly. Not what is
/// compressed already: the precompressed static files carry `Content-Encoding` and are always
/// skipped; images; the .xlsx (a zip). Empty bodies (304) stay as they are (`SizeAbove`).
fn compressible() -> impl Predicate {
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/vnd.openxmlformats"))
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
    let html = res.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if html && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
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
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<domain::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
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
