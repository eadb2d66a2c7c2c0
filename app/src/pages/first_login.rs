//! 首次登录 / 忘记密码 at the student door: 身份证号 and 姓名 → 获取验证码 (sent to the phone in
//! the roster) → the code and a new password twice → logged in. This is also the student's
//! 信息验证 (the code proves the phone).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::auth::{FirstLogin, SendFirstLoginCode};

#[component]
pub fn FirstLoginPage() -> impl IntoView {
    let send = ServerAction::<SendFirstLoginCode>::new();
    let set = ServerAction::<FirstLogin>::new();
    let id_number = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(r)) = set.value().get() {
            navigate(&r.redirect, Default::default());
        }
    });
    let get_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.dispatch(SendFirstLoginCode {
            id_number: id_number.get_untracked(),
            name: name.get_untracked(),
        });
    };
    view! {
        <main class="home">
            <header class="home-header">
                <h1>"首次登录 / 忘记密码"</h1>
                <p>"用学校生源信息中登记的手机号接收验证码，设置登录密码"</p>
            </header>
            <div class="login-card">
                <form class="login-form" on:submit=get_code>
                    <label>
                        <span>"身份证号"</span>
                        <input name="id_number" autocomplete="username" required maxlength="18"
                            on:input=move |ev| id_number.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        <span>"姓名"</span>
                        <input name="name" autocomplete="name" required maxlength="50"
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" disabled=move || send.pending().get()>"获取验证码"</button>
                    {move || send.value().get().map(|r| match r {
                        Ok(phone) => view! { <p class="success" role="status">{format!("验证码已发送至 {phone}，5分钟内有效")}</p> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                    })}
                </form>
                <ActionForm action=set attr:class="login-form">
                    <input type="hidden" name="id_number" prop:value=move || id_number.get() />
                    <label>
                        <span>"验证码"</span>
                        <input name="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code" required />
                    </label>
                    <label>
                        <span>"新密码"</span>
                        <input name="new_password" type="password" autocomplete="new-password" required minlength="8" aria-describedby="first-password-rule" />
                    </label>
                    <label>
                        <span>"确认新密码"</span>
                        <input name="new_password_again" type="password" autocomplete="new-password" required minlength="8" />
                    </label>
                    <p class="hint" id="first-password-rule">"至少8位，须同时包含字母和数字，不能与身份证号相同。"</p>
                    {move || set.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                    <button type="submit" class="primary" disabled=move || set.pending().get()>"设置密码并登录"</button>
                </ActionForm>
                <p class="hint">"收不到验证码？请联系学院辅导员或就业干事老师核对手机号。"</p>
                <p class="hint"><a href="/">"返回登录"</a></p>
            </div>
        </main>
    }
}
