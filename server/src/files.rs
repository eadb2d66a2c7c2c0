//! Routes that carry files rather than form arguments: the 拟签约名单 template and import, the
//! 生源导入 template and upload and 生源管理's 导出 (Excel), and the 电子协议书 (PDF). They check the
//! session like every server function and answer errors as the same JSON `AppError`.

use std::sync::OnceLock;

use agreement_pdf::AgreementFont;
pub use app::api::ctx::ApiError;
use app::api::ctx::{Authenticated, ServerState};
use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{header, HeaderValue},
    response::Response,
    routing::{get, post, MethodRouter},
    Json,
};
use data::{service::sign_list::ImportRow, uploads::Kind};
use domain::{roster_import::FileRow, view::RosterFilter, AdminCaller, AppError, Caller, EmployerCaller};

/// 生源导入's upload (the preview): a raw file body, like the 拟签约名单 import.
pub const ROSTER_IMPORT: &str = "/api/admin/roster/import";

/// Every route of this module with its handler: the router mounts exactly these, and the
/// authorization test checks its table against their paths.
pub fn routes() -> [(&'static str, MethodRouter<ServerState>); 9] {
    [
        ("/api/employer/sign-list/template.xlsx", get(sign_list_template)),
        ("/api/employer/sign-list/import", post(sign_list_import)),
        ("/api/admin/roster/template.xlsx", get(roster_template)),
        (ROSTER_IMPORT, post(roster_import)),
        ("/api/admin/roster/import/confirm", post(roster_import_confirm)),
        ("/api/agreements/{id}/pdf", get(agreement_pdf)),
        ("/api/admin/roster/export.xlsx", get(roster_export)),
        (app::api::registration::LICENCE_PATH, post(licence_upload)),
        ("/api/employers/{id}/licence", get(licence_file)),
    ]
}

fn attachment(content_type: &'static str, disposition: &str, filename: &str, bytes: Vec<u8>) -> Response {
    // RFC 5987: a UTF-8 file name, percent-encoded.
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut res = Response::new(Body::from(bytes));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename*=UTF-8''{encoded}")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

/// 下载excel模板 (employers): a blank form, which an employer may fill in while it waits for
/// its approval (the page offers it then too).
pub async fn sign_list_template(Authenticated(_): Authenticated<EmployerCaller>) -> Result<Response, ApiError> {
    let bytes = excel::template(&data::service::sign_list::graduation_years());
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment",
        "拟签约名单模板.xlsx",
        bytes,
    ))
}

/// 导入拟签约名单: the raw file as the body. Size is checked before parsing; parsing runs off
/// the async threads.
pub async fn sign_list_import(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<EmployerCaller>,
    body: Body,
) -> Result<Json<domain::view::ImportReport>, ApiError> {
    // Refused before the file is read and parsed; `import` checks again in its transaction.
    data::service::employer::ready_employer(&state.db, &me).await?;
    let bytes: Bytes = axum::body::to_bytes(body, excel::MAX_BYTES)
        .await
        .map_err(|_| AppError::invalid(excel::ImportError::TooLarge.to_string()))?;
    let rows = tokio::task::spawn_blocking(move || excel::parse_sign_list(&bytes))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sign-list parsing task failed");
            AppError::Internal
        })?
        .map_err(|e| AppError::invalid(e.to_string()))?;
    let rows = rows
        .into_iter()
        .map(|r| ImportRow {
            line: r.line,
            school: r.school,
            graduation_year: r.graduation_year,
            name: r.name,
            id_number: r.id_number,
            phone: r.phone,
            problem: r.problem,
        })
        .collect();
    Ok(Json(data::service::sign_list::import(&state.db, &me, rows).await?))
}

/// 导出 of 生源管理's list: the records the filters (the list's, as query parameters) select in
/// the caller's scope, whole (the school's own roster); school and college admins only.
pub async fn roster_export(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<AdminCaller>,
    filter: Result<axum::extract::Query<RosterFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    // axum's own answer to a bad parameter would be English text.
    let axum::extract::Query(filter) = filter.map_err(|_| AppError::invalid("请求参数有误"))?;
    let rows = data::service::roster_manage::export(&state.db, &me, &filter).await?;
    let bytes = tokio::task::spawn_blocking(move || {
        excel::roster_export(rows.iter().map(|r| (&r.record, r.status, r.restricted)))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "roster export task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "roster export failed");
        AppError::Internal
    })?;
    let name = format!(
        "生源信息-{}.xlsx",
        (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y%m%d")
    );
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment",
        &name,
        bytes,
    ))
}

/// 下载模板 of 生源导入 (school and college admins): the caller's colleges in the 学院 drop-down.
pub async fn roster_template(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<AdminCaller>,
) -> Result<Response, ApiError> {
    let editor = data::service::roster_admin::Editor::of(&me)?;
    let colleges: Vec<String> = data::service::roster_admin::colleges_for(&state.db, &editor)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let bytes = tokio::task::spawn_blocking(move || excel::roster_template(&colleges))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "roster template task failed");
            AppError::Internal
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "roster template");
            AppError::Internal
        })?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment",
        "生源信息导入模板.xlsx",
        bytes,
    ))
}

/// Reads a roster file off the async threads: its rows, or why the whole file is refused.
pub async fn read_roster(bytes: Vec<u8>) -> Result<Vec<FileRow>, AppError> {
    let rows = tokio::task::spawn_blocking(move || excel::parse_roster(&bytes))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "roster parsing task failed");
            AppError::Internal
        })?
        .map_err(|e| AppError::invalid(e.to_string()))?;
    Ok(rows
        .into_iter()
        .map(|r| FileRow {
            line: r.line,
            cells: r.cells,
            problems: r.problems,
        })
        .collect())
}

/// 生源导入's upload: the file is read and every row judged (nothing is saved), then kept in the
/// upload store for 确认导入 under a token that only this admin can use.
pub async fn roster_import(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<AdminCaller>,
    body: Body,
) -> Result<Json<domain::roster_import::Preview>, ApiError> {
    // The province keeps no roster: refused before the file is read.
    data::service::roster_admin::Editor::of(&me)?;
    let bytes: Bytes = axum::body::to_bytes(body, excel::MAX_BYTES)
        .await
        .map_err(|_| AppError::invalid(excel::ImportError::TooLarge.to_string()))?;
    let bytes = bytes.to_vec();
    let rows = read_roster(bytes.clone()).await?;
    let (counts, lines) = data::service::roster_import::preview(&state.db, &me, rows).await?;
    let token = state.uploads.put(Kind::Roster, me.account_id(), bytes).await?;
    Ok(Json(domain::roster_import::Preview { token, counts, lines }))
}

#[derive(serde::Deserialize)]
pub struct ConfirmArgs {
    token: String,
}

/// 确认导入: the admin's own stored file (anyone else's token: not found), read and judged again
/// and its good rows saved in one transaction; the file is deleted once saved.
pub async fn roster_import_confirm(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<AdminCaller>,
    args: Result<axum::Form<ConfirmArgs>, axum::extract::rejection::FormRejection>,
) -> Result<Json<domain::roster_import::Imported>, ApiError> {
    data::service::roster_admin::Editor::of(&me)?;
    let axum::Form(ConfirmArgs { token }) = args.map_err(|_| AppError::invalid("请求参数有误"))?;
    let bytes = state.uploads.get(Kind::Roster, me.account_id(), &token).await?;
    let rows = read_roster(bytes).await?;
    let imported = data::service::roster_import::confirm(&state.db, &me, rows).await?;
    if state
        .uploads
        .delete(Kind::Roster, me.account_id(), &token)
        .await
        .is_err()
    {
        // Saved all the same; the hourly purge removes the file when it expires.
        tracing::warn!("roster import saved, but its uploaded file could not be deleted yet");
    }
    Ok(Json(imported))
}

/// The CJK font, loaded once (see `agreement_pdf::AgreementFont::load`).
fn font() -> Result<&'static AgreementFont, AppError> {
    static FONT: OnceLock<Result<AgreementFont, agreement_pdf::PdfError>> = OnceLock::new();
    FONT.get_or_init(|| AgreementFont::load(None)).as_ref().map_err(|e| {
        tracing::error!(error = %e, "agreement font unavailable");
        AppError::Internal
    })
}

/// The 电子协议书 of an agreement: its student, its employer and scoped admins; 404 for others.
pub async fn agreement_pdf(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated<Caller>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    // axum's own answer to a bad id would be English text.
    let Path(id) = id.map_err(|_| AppError::invalid("请求参数有误"))?;
    let doc = data::service::agreement::document(&state.db, &caller, id).await?;
    let font = font()?;
    let name = format!("电子协议书-{}.pdf", doc.agreement_no);
    let bytes = tokio::task::spawn_blocking(move || agreement_pdf::render(&doc, font))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "agreement PDF task failed");
            AppError::Internal
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "agreement PDF failed");
            AppError::Internal
        })?;
    Ok(attachment("application/pdf", "inline", &name, bytes))
}

/// 上传营业执照 (the registering employer): the raw file, at most 10 MB, a JPEG, PNG or PDF by
/// its content. While the e-mail address is unconfirmed, the confirmation link goes out with
/// it, addressed at `PUBLIC_URL` (or, unset, the address this request was sent to).
pub async fn licence_upload(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<EmployerCaller>,
    headers: http::HeaderMap,
    body: Body,
) -> Result<Json<domain::registration::RegistrationState>, ApiError> {
    let bytes: Bytes = axum::body::to_bytes(body, domain::registration::MAX_LICENCE_BYTES)
        .await
        .map_err(|_| AppError::invalid("营业执照：文件不能超过10 MB"))?;
    let base = app::api::ctx::public_base(&state, &headers);
    Ok(Json(
        data::service::registration::store_licence(&state.db, &state.uploads, &me, bytes.to_vec(), &base).await?,
    ))
}

/// An employer's 营业执照, shown inline: to the employer itself and the admins who may read its
/// registration; to anyone else it does not exist.
pub async fn licence_file(
    State(state): State<ServerState>,
    Authenticated(me): Authenticated<Caller>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|_| AppError::invalid("请求参数有误"))?;
    let (kind, bytes) = data::service::registration::licence(&state.db, &state.uploads, &me, id).await?;
    let name = format!("营业执照.{}", kind.as_str());
    let mut res = attachment(kind.content_type(), "inline", &name, bytes);
    // The type checked at upload, never a guess of the browser's.
    res.headers_mut()
        .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(res)
}
