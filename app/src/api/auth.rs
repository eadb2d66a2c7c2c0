//! Login, logout and who am I.

use domain::{view, AppError};
use leptos::prelude::*;

/// `kind`: student | employer | admin (the three login doors). Students log in with their
/// 身份证号. Sets the HttpOnly session cookie; a new session id every time.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(kind: String, login: String, password: String) -> Result<view::LoginResult, AppError> {
    use super::ctx;
    use domain::role::LoginKind;
    ctx::run_public(|state| async move {
        let kind = LoginKind::parse(&kind).ok_or_else(|| AppError::invalid("请选择登录身份"))?;
        let previous = ctx::session_token();
        let done = data::service::auth::login(
            &state.db,
            &state.hasher,
            kind,
            &login,
            &password,
            ctx::client_ip(),
            previous.as_deref(),
        )
        .await?;
        if let Some(prev) = &previous {
            state.sessions.forget(prev); // login ended it
        }
        ctx::set_session_cookie(&done.token, state.secure_cookies);
        let redirect = if done.caller.must_change_password {
            domain::role::PASSWORD_PATH
        } else {
            done.caller.role.home_path()
        };
        if ctx::is_form_post() {
            leptos_axum::redirect(redirect); // the page navigates itself once it runs
        }
        Ok(view::LoginResult {
            role: done.caller.role,
            redirect: redirect.to_owned(),
        })
    })
    .await
}

/// 退出: ends the session and clears the cookie.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx;
    ctx::run_public(|state| async move {
        if let Some(token) = ctx::session_token() {
            state.sessions.logout(&state.db, &token).await?;
        }
        ctx::clear_session_cookie();
        Ok(())
    })
    .await
}

/// The logged-in account; 401 when there is none. Also answers an account that must change
/// its password first (the pages send it to 修改密码).
#[server(prefix = "/api", endpoint = "me")]
pub async fn me() -> Result<view::Me, AppError> {
    super::ctx::run(|_, domain::SessionCaller(caller)| async move {
        Ok(view::Me {
            role: caller.role,
            display_name: caller.display_name,
            must_change_password: caller.must_change_password,
        })
    })
    .await
}

/// 修改密码 (every role): the old password and the new one twice. The account's other sessions
/// end; this one stays. Open to an account that must change its password (and to nothing else).
#[server(prefix = "/api", endpoint = "password")]
pub async fn change_password(
    old_password: String,
    new_password: String,
    new_password_again: String,
) -> Result<view::Me, AppError> {
    use super::ctx;
    ctx::run(|state, domain::SessionCaller(caller)| async move {
        let token = ctx::session_token().ok_or(AppError::NotLoggedIn)?;
        data::service::auth::change_password(
            &state.db,
            &state.hasher,
            &caller,
            &token,
            &old_password,
            &new_password,
            &new_password_again,
        )
        .await?;
        state.sessions.forget(&token); // re-read: no longer must change
        if ctx::is_form_post() {
            leptos_axum::redirect(caller.role.home_path());
        }
        Ok(view::Me {
            role: caller.role,
            display_name: caller.display_name,
            must_change_password: false,
        })
    })
    .await
}

/// 首次登录 / 忘记密码, step 1 (no session needed): sends a code to the roster phone of the
/// student with this 身份证号 and 姓名; answers the masked number. One answer for every pair that
/// leads to no student; tries per 身份证号 are throttled.
#[server(prefix = "/api", endpoint = "login/first/send")]
pub async fn send_first_login_code(id_number: String, name: String) -> Result<String, AppError> {
    super::ctx::run_public(
        |state| async move { data::service::first_login::send_code(&state.db, &id_number, &name).await },
    )
    .await
}

/// 首次登录 / 忘记密码, step 2: the code and the new password twice. Sets the password,
/// completes 信息验证, ends the account's other sessions and logs the student in.
#[server(prefix = "/api", endpoint = "login/first")]
pub async fn first_login(
    id_number: String,
    code: String,
    new_password: String,
    new_password_again: String,
) -> Result<view::LoginResult, AppError> {
    use super::ctx;
    use data::service::first_login::{self, SetPassword};
    ctx::run_public(|state| async move {
        let previous = ctx::session_token();
        let form = SetPassword {
            id_number: &id_number,
            code: &code,
            new_password: &new_password,
            new_password_again: &new_password_again,
        };
        let done =
            first_login::set_password(&state.db, &state.hasher, &form, ctx::client_ip(), previous.as_deref()).await?;
        if let Some(prev) = &previous {
            state.sessions.forget(prev);
        }
        ctx::set_session_cookie(&done.token, state.secure_cookies);
        let redirect = done.caller.role.home_path();
        if ctx::is_form_post() {
            leptos_axum::redirect(redirect);
        }
        Ok(view::LoginResult {
            role: done.caller.role,
            redirect: redirect.to_owned(),
        })
    })
    .await
}
