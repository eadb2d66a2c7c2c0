//! The application's one error type. Every failure a user can meet ends up here, carries a
//! Chinese message meant for them, and maps to an HTTP status. Internal details (database
//! errors, I/O) are logged where they happen and reach the user only as `Internal`.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("请先登录")]
    NotLoggedIn,
    #[error("账号或密码错误")]
    BadCredentials,
    /// The student door's [`BadCredentials`](Self::BadCredentials): a student whose school made
    /// the account has no password yet, and the answer must not tell them apart.
    #[error("身份证号或密码错误。首次登录或忘记密码，请点击“首次登录 / 忘记密码”，用手机验证码设置密码")]
    BadStudentCredentials,
    #[error("登录失败次数过多，请{minutes}分钟后再试")]
    LockedOut { minutes: i64 },
    #[error("无权进行此操作")]
    Forbidden,
    /// The account's password was set by someone else (first account, reset): nothing but
    /// 修改密码 until its owner has chosen one.
    #[error("请先修改密码")]
    MustChangePassword,
    #[error("{0}不存在")]
    NotFound(String),
    /// Bad input; the message says what to fix.
    #[error("{0}")]
    Invalid(String),
    /// The request is valid but the current state does not allow it (a rule of SPEC.md).
    #[error("{0}")]
    Conflict(String),
    /// Too many requests of this kind at once (password checks): nothing was done.
    #[error("请求过多，请稍后再试")]
    Busy,
    /// The request body is larger than the server accepts.
    #[error("提交的内容过大（不能超过{max_kib} KB）")]
    TooLarge { max_kib: u64 },
    #[error("系统繁忙，请稍后再试")]
    Internal,
    /// The request never reached the server or its answer could not be read.
    #[error("网络异常，请稍后再试（{0}）")]
    Transport(String),
}

impl AppError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::Invalid(msg.into())
    }
    pub fn conflict(msg: impl Into<String>) -> Self {
        Self::Conflict(msg.into())
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::NotLoggedIn | Self::BadCredentials | Self::BadStudentCredentials => 401,
            Self::Forbidden | Self::MustChangePassword => 403,
            Self::NotFound(_) => 404,
            Self::Invalid(_) => 400,
            Self::Conflict(_) => 409,
            Self::LockedOut { .. } | Self::Busy => 429,
            Self::TooLarge { .. } => 413,
            Self::Internal => 500,
            Self::Transport(_) => 502,
        }
    }

    /// The message shown to the user.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed or missing arguments: the caller sent something we cannot read.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::Invalid("请求参数有误".into()),
            ServerFnErrorErr::ServerError(_) | ServerFnErrorErr::MiddlewareError(_) => Self::Internal,
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_chinese_message_and_a_client_or_server_status() {
        let all = [
            AppError::NotLoggedIn,
            AppError::BadCredentials,
            AppError::BadStudentCredentials,
            AppError::LockedOut { minutes: 5 },
            AppError::Forbidden,
            AppError::MustChangePassword,
            AppError::not_found("学生"),
            AppError::invalid("身份证号格式不正确"),
            AppError::conflict("该学生已有待应约的邀请"),
            AppError::Busy,
            AppError::TooLarge { max_kib: 2048 },
            AppError::Internal,
        ];
        for e in all {
            assert!(
                e.message().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{e:?}"
            );
            assert!((400..600).contains(&e.status()));
        }
        assert_eq!(AppError::not_found("学生").message(), "学生不存在");
        assert_eq!(
            AppError::LockedOut { minutes: 5 }.message(),
            "登录失败次数过多，请5分钟后再试"
        );
    }

    #[test]
    fn internal_errors_reveal_nothing() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError("db: relation foo".into()));
        assert_eq!(e, AppError::Internal);
        assert!(!e.message().contains("relation"));
    }
}
