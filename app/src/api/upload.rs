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
