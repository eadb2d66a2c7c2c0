//! 修改密码, the same page for every role. An account whose password someone else set (the
//! first province admin, a reset) is sent here first and can use nothing else until it is done.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::{
    api::auth::{me, ChangePassword},
    components::{ErrorBox, Flash, Loading},
};

#[component]
pub fn PasswordPage() -> impl IntoView {
    let who = crate::resource::resource(|| (), |_| me());
    let change = ServerAction::<ChangePassword>::new();
    let navigate = use_navigate();
    let flash = Flash::get();
    Effect::new(move |_| {
        if let Some(Ok(m)) = change.value().get() {
            if let Some(f) = flash {
                f.set("密码已修改");
            }
            navigate(m.role.home_path(), Default::default());
        }
    });
    let error = move || change.value().get().and_then(|r| r.err()).map(|e| e.message());
    view! {
        <main class="home">
            <header class="home-header">
                <h1>"修改密码"</h1>
            </header>
            <div class="login-card">
                <Suspense fallback=|| view! { <Loading /> }>
                    {Suspend::new(async move {
                        match who.await {
                            Err(e) => view! {
                                <ErrorBox error=e />
                                <p class="hint"><a href="/">"返回登录"</a></p>
                            }
                            .into_any(),
                            Ok(m) => view! {
                                {m.must_change_password.then(|| view! {
                                    <p class="warning" role="status">
                                        "你的密码由管理员设置（首次登录或已重置），请先设置自己的新密码。"
                                    </p>
                                })}
                                <ActionForm action=change attr:class="login-form">
                                    <label>
                                        <span>"原密码"</span>
                                        <input name="old_password" type="password" autocomplete="current-password" required />
                                    </label>
                                    <label>
                                        <span>"新密码"</span>
                                        <input name="new_password" type="password" autocomplete="new-password" required minlength="8" aria-describedby="password-rule" />
                                    </label>
                                    <label>
                                        <span>"确认新密码"</span>
                                        <input name="new_password_again" type="password" autocomplete="new-password" required minlength="8" />
                                    </label>
                                    <p class="hint" id="password-rule">"至少8位，须同时包含字母和数字，不能与账号相同。"</p>
                                    {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                                    <button type="submit" class="primary" disabled=move || change.pending().get()>
                                        "确认修改"
                                    </button>
                                </ActionForm>
                                {(!m.must_change_password).then(|| view! {
                                    <p class="hint"><a href=m.role.home_path()>"返回用户中心"</a></p>
                                })}
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}
