//! Pages, grouped by role.

pub mod admin;
pub mod employer;
pub mod first_login;
pub mod home;
pub mod password;
pub mod register;
pub mod student;
pub mod verify;

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="error-page">
            <h1>"页面不存在"</h1>
            <a class="button" href="/">"返回首页"</a>
        </main>
    }
}
