//! The axum server: router, shared state and background jobs. `main.rs` reads the
//! configuration and starts it; the integration tests build the same router.

pub mod config;
pub mod files;
pub mod jobs;

use app::{api::ctx::ServerState, shell, App};
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;

#[derive(Clone)]
struct RouterState {
    leptos_options: LeptosOptions,
    server: ServerState,
}

impl axum::extract::FromRef<RouterState> for LeptosOptions {
    fn from_ref(s: &RouterState) -> Self {
        s.leptos_options.clone()
    }
}

/// Largest request body accepted (uploads come later with their own limits).
const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// The whole application: `/healthz`, the server functions under `/api/` (registered by
/// `leptos_routes_with_context` at their fixed paths), the pages and the static files. The
/// same `ServerState` goes to the server functions and to SSR.
pub fn router(server: ServerState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let ctx = {
        let server = server.clone();
        move || provide_context(server.clone())
    };
    let state = RouterState { leptos_options: leptos_options.clone(), server };
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
        .fallback(leptos_axum::file_and_error_handler::<RouterState, _>(shell))
        .layer(axum::middleware::from_fn(api_error_status))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .with_state(state)
}

/// Errors raised before a server function runs (unreadable arguments) leave the response at
/// 500; give them the status their `AppError` carries, like every other error.
async fn api_error_status(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<domain::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
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
