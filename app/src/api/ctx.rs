//! Server-side request context: the shared state, the session cookie, the caller, and the
//! mapping of errors to HTTP statuses. Every server function goes through [`run`] or
//! [`run_public`]; the file routes take the same [`Authenticated`] extractor. Both find the
//! caller in one place ([`authenticate`]) and hand on only the capability the endpoint asks
//! for (`domain::Capability`): a `StudentCaller`, `EmployerCaller`, `AdminCaller`, or any `Caller`.

use std::{future::Future, net::SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    response::{IntoResponse, Response},
    Json,
};
use data::Db;
use domain::{AppError, Capability};
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub const SESSION_COOKIE: &str = "wq_session";

/// What every request can reach: provided as Leptos context by the server for both the
/// server-function handler and server-side rendering.
#[derive(Clone)]
pub struct ServerState {
    /// Reads, and every write through `Db::write` (the SQLite writer lives as long as this).
    pub db: Db,
    /// Add `Secure` to cookies (when served over HTTPS).
    pub secure_cookies: bool,
    /// Sessions confirmed a moment ago (saves a statement per request).
    pub sessions: data::service::auth::Sessions,
    /// Bounds the password checks running at once (logins).
    pub hasher: data::service::auth::Hasher,
    /// Uploaded files (生源导入 waiting for its confirmation, 营业执照).
    pub uploads: data::uploads::Uploads,
    /// The site's address as users reach it (`PUBLIC_URL`), for links in e-mail; empty: the
    /// address a request was sent to.
    pub public_url: String,
}

impl ServerState {
    pub fn new(db: Db, secure_cookies: bool) -> Self {
        ServerState {
            db,
            secure_cookies,
            sessions: Default::default(),
            hasher: Default::default(),
            // The server sets the configured store (`with_uploads`); tools that start the app
            // themselves keep uploads in memory.
            uploads: data::uploads::Uploads::memory(),
            public_url: String::new(),
        }
    }

    /// The same state with links in e-mail addressed at `url` (`PUBLIC_URL`).
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = url.into();
        self
    }

    /// The same state with uploads kept in `uploads`.
    pub fn with_uploads(mut self, uploads: data::uploads::Uploads) -> Self {
        self.uploads = uploads;
        self
    }
}

pub fn state() -> Result<ServerState, AppError> {
    use_context::<ServerState>().ok_or_else(|| {
        tracing::error!("ServerState missing from context");
        AppError::Internal
    })
}

/// The site's address for a link in an e-mail: `PUBLIC_URL`, or else the scheme (by
/// `COOKIE_SECURE`) and `Host` of the request at hand.
pub fn public_base(state: &ServerState, headers: &http::HeaderMap) -> String {
    if !state.public_url.is_empty() {
        return state.public_url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("127.0.0.1");
    let scheme = if state.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// Reads the request's parts in place (`use_context` would clone every header and extension).
fn with_parts<R>(f: impl FnOnce(&Parts) -> Option<R>) -> Option<R> {
    with_context::<Parts, _>(f).flatten()
}

/// The session token the browser sent, if any.
pub fn session_token() -> Option<String> {
    with_parts(|p| token_in(&p.headers))
}

/// The session token in these request headers (also used by the plain file routes).
pub fn token_in(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_owned())
        })
}

pub fn client_ip() -> Option<String> {
    with_parts(|p| {
        p.extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
    })
}

pub fn set_session_cookie(token: &str, secure: bool) {
    let max_age = data::service::auth::SESSION_DAYS * 24 * 3600;
    let secure = if secure { "; Secure" } else { "" };
    append_cookie(format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ));
}

pub fn clear_session_cookie() {
    append_cookie(format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
}

fn append_cookie(value: String) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&value)) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// The caller behind a request's session token, as the capability `C`: 401 请先登录 without a
/// live session, 403 when the account's role does not give `C`. The only place a request is
/// tied to an account.
pub async fn authenticate<C: Capability>(state: &ServerState, token: Option<&str>) -> Result<C, AppError> {
    let token = token.ok_or(AppError::NotLoggedIn)?;
    let caller = state
        .sessions
        .caller(&state.db, token)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    C::from_caller(&caller)
}

/// The file routes' form of [`authenticate`]: `Authenticated(me): Authenticated<EmployerCaller>`.
pub struct Authenticated<C>(pub C);

impl<C: Capability + Send> FromRequestParts<ServerState> for Authenticated<C> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Self::Rejection> {
        Ok(Authenticated(
            authenticate(state, token_in(&parts.headers).as_deref()).await?,
        ))
    }
}

/// An error as the JSON `AppError` with its status: what the pages and scripts expect from
/// every route under `/api/`.
pub struct ApiError(pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

/// A plain HTML form post: the page's form was submitted before its WASM arrived (or without
/// JavaScript). Leptos answers it with a redirect back to the page, the error (if any) in the
/// URL, where the page shows it; the answer must stay that redirect.
pub fn is_form_post() -> bool {
    with_parts(|p| {
        p.headers
            .get(header::ACCEPT)?
            .to_str()
            .ok()
            .map(|v| v.contains("text/html"))
    })
    .unwrap_or(false)
}

/// Sets the response status from the error, so scripts see 4xx/5xx and not 200 (a plain form
/// post keeps its redirect: see [`is_form_post`]).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(e), false) = (&result, is_form_post()) {
        if let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
    result
}

/// Runs an endpoint for a logged-in caller who has the capability `C` (the closure's second
/// argument names it, e.g. `|s, me: EmployerCaller| …`).
pub async fn run<C, T, F, Fut>(f: F) -> Result<T, AppError>
where
    C: Capability,
    F: FnOnce(ServerState, C) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = async {
        let state = state()?;
        let me = authenticate::<C>(&state, session_token().as_deref()).await?;
        f(state, me).await
    }
    .await;
    finish(result)
}

/// Runs an endpoint that needs no login (login itself).
pub async fn run_public<T, F, Fut>(f: F) -> Result<T, AppError>
where
    F: FnOnce(ServerState) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = async { f(state()?).await }.await;
    finish(result)
}
