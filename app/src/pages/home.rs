//! 首页: the three login doors (毕业生, 用人单位, 管理员) of the unified account system.

use domain::role::LoginKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::auth::Login;

/// The door is in the URL (`/?kind=employer`), so the tabs are plain links and the form posts
/// the right `kind` even before the page's WASM has arrived: without it, the browser posts the
/// form, and the server redirects to the 用户中心, or back here with the error in the URL.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let kind = Memo::new(move |_| {
        query
            .with(|q| q.get("kind").and_then(|k| LoginKind::parse(&k)))
            .unwrap_or(LoginKind::Student)
    });
    let login = ServerAction::<Login>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(r)) = login.value().get() {
            navigate(&r.redirect, Default::default());
        }
    });
    let error = move || login.value().get().and_then(|r| r.err()).map(|e| e.message());
    let tab = move |k: LoginKind| {
        view! {
            <a
                href=format!("/?kind={}", k.as_str())
                role="tab"
                class="tab"
                class:active=move || kind.get() == k
                aria-selected=move || (kind.get() == k).to_string()
                on:click=move |_| login.value().set(None)
            >
                {k.label()}
                "登录"
            </a>
        }
    };
    let account_label = move || match kind.get() {
        LoginKind::Student => "身份证号",
        LoginKind::Employer => "单位账号",
        LoginKind::Admin => "管理员账号",
    };
    view! {
        <main class="home">
            <header class="home-header">
                <h1>"网签系统"</h1>
                <p>"高校毕业生就业智能网络服务平台 · 签约上报系统"</p>
            </header>
            <div class="login-card">
                <div class="tabs" role="tablist">
                    {tab(LoginKind::Student)} {tab(LoginKind::Employer)} {tab(LoginKind::Admin)}
                </div>
                <ActionForm action=login attr:class="login-form">
                    <input type="hidden" name="kind" value=move || kind.get().as_str() />
                    <label>
                        <span>{account_label}</span>
                        <input name="login" autocomplete="username" required placeholder=account_label />
                    </label>
                    <label>
                        <span>"密码"</span>
                        <input name="password" type="password" autocomplete="current-password" required placeholder="密码" />
                    </label>
                    {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                    <button type="submit" class="primary" disabled=move || login.pending().get()>
                        "登录"
                    </button>
                </ActionForm>
                {move || (kind.get() == LoginKind::Student).then(|| view! {
                    <p class="hint"><a href="/first-login">"首次登录 / 忘记密码"</a></p>
                })}
                {move || (kind.get() == LoginKind::Employer).then(|| view! {
                    <p class="hint"><a href="/register">"用人单位注册"</a></p>
                })}
                <p class="hint">"统一账户体系：在高校就业网络联盟注册的账号可直接登录。"</p>
                <p class="hint"><a href="/verify">"协议验证"</a></p>
            </div>
        </main>
    }
}
