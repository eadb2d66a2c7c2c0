//! File uploads from the browser. The server takes the raw file as the request body (no
//! multipart: nothing to mis-parse, and the size limit applies before anything is read).

use domain::{view::ImportReport, AppError};

pub const IMPORT_PATH: &str = "/api/employer/sign-list/import";

/// 导入拟签约名单: sends the chosen Excel file, answers with each row's outcome.
#[cfg(feature = "hydrate")]
pub async fn import_sign_list(file: web_sys::File) -> Result<ImportReport, AppError> {
    use gloo_net::http::Request;
    let req = Request::post(IMPORT_PATH)
        .header("Content-Type", "application/octet-stream")
        .body(file)
        .map_err(|_| AppError::invalid("无法读取所选文件"))?;
    let res = req.send().await.map_err(|e| AppError::Transport(e.to_string()))?;
    if res.ok() {
        res.json::<ImportReport>()
            .await
            .map_err(|e| AppError::Transport(e.to_string()))
    } else {
        Err(res
            .json::<AppError>()
            .await
            .unwrap_or_else(|e| AppError::Transport(e.to_string())))
    }
}

/// Never called during server rendering (only from a click handler).
#[cfg(not(feature = "hydrate"))]
pub async fn import_sign_list(_file: web_sys::File) -> Result<ImportReport, AppError> {
    Err(AppError::Internal)
}

pub const ROSTER_IMPORT_PATH: &str = "/api/admin/roster/import";
pub const ROSTER_CONFIRM_PATH: &str = "/api/admin/roster/import/confirm";
pub const ROSTER_TEMPLATE_PATH: &str = "/api/admin/roster/template.xlsx";

/// 生源导入: sends the chosen file; answers the preview (nothing saved yet) and its token.
#[cfg(feature = "hydrate")]
pub async fn preview_roster(file: web_sys::File) -> Result<domain::roster_import::Preview, AppError> {
    use gloo_net::http::Request;
    let req = Request::post(ROSTER_IMPORT_PATH)
        .header("Content-Type", "application/octet-stream")
        .body(file)
        .map_err(|_| AppError::invalid("无法读取所选文件"))?;
    answer(req.send().await).await
}

/// 确认导入 of the preview named by `token`.
#[cfg(feature = "hydrate")]
pub async fn confirm_roster(token: String) -> Result<domain::roster_import::Imported, AppError> {
    use gloo_net::http::Request;
    let body = format!("token={token}");
    let req = Request::post(ROSTER_CONFIRM_PATH)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(|_| AppError::invalid("请求参数有误"))?;
    answer(req.send().await).await
}

#[cfg(feature = "hydrate")]
async fn answer<T: serde::de::DeserializeOwned>(
    res: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, AppError> {
    let res = res.map_err(|e| AppError::Transport(e.to_string()))?;
    if res.ok() {
        res.json::<T>().await.map_err(|e| AppError::Transport(e.to_string()))
    } else {
        Err(res
            .json::<AppError>()
            .await
            .unwrap_or_else(|e| AppError::Transport(e.to_string())))
    }
}

/// Never called during server rendering (only from a click handler).
#[cfg(not(feature = "hydrate"))]
pub async fn preview_roster(_file: web_sys::File) -> Result<domain::roster_import::Preview, AppError> {
    Err(AppError::Internal)
}

/// Never called during server rendering (only from a click handler).
#[cfg(not(feature = "hydrate"))]
pub async fn confirm_roster(_token: String) -> Result<domain::roster_import::Imported, AppError> {
    Err(AppError::Internal)
}
