//! The axum server: router, shared state and background jobs. `main.rs` reads the
//! configuration and starts it; the integration tests build the same router.

pub mod config;
pub mod jobs;

use app::{api::ctx::ServerState, shell, App};
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
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

/// The whole application: `/healthz`, the server functions under `/api/`, the pages and the
/// static files. The same `ServerState` goes to the server functions and to SSR.
pub fn router(server: ServerState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let ctx = {
        let server = server.clone();
        move || provide_context(server.clone())
    };
    let state = RouterState { leptos_options: leptos_options.clone(), server };
    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/api/{*fn_name}",
            axum::routing::post({
                let ctx = ctx.clone();
                move |req| handle_server_fns_with_context(ctx.clone(), req)
            })
            .get({
                let ctx = ctx.clone();
                move |req| handle_server_fns_with_context(ctx.clone(), req)
            }),
        )
        .leptos_routes_with_context(&state, routes, ctx, {
            let opts = leptos_options.clone();
            move || shell(opts.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<RouterState, _>(shell))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .with_state(state)
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
