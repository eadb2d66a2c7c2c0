//! 信息验证 at first login: a 6-digit code to the roster phone.

use leptos::prelude::*;

use crate::{
    api::student::{SendVerificationCode, VerifyPhone},
    components::Panel,
};

#[component]
pub fn Verify(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let send = ServerAction::<SendVerificationCode>::new();
    let verify = ServerAction::<VerifyPhone>::new();
    let code = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = verify.value().get() {
            on_done();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        verify.dispatch(VerifyPhone {
            code: code.get_untracked(),
        });
    };
    view! {
        <Panel title="信息验证">
            <p class="hint-block">"首次登录网签系统，请验证学籍信息中登记的手机号。验证通过后即可正常使用。"</p>
            <form class="form-grid" on:submit=submit>
                <div class="actions">
                    <button type="button" disabled=move || send.pending().get()
                        on:click=move |_| { send.dispatch(SendVerificationCode {}); }>"获取验证码"</button>
                    {move || match send.value().get() {
                        Some(Ok(phone)) => view! { <span class="success" role="status">{format!("验证码已发送至 {phone}，5分钟内有效")}</span> }.into_any(),
                        Some(Err(e)) => view! { <span class="form-error" role="alert">{e.message()}</span> }.into_any(),
                        None => ().into_any(),
                    }}
                </div>
                <label>
                    <span>"验证码"</span>
                    <input name="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code"
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                </label>
                {move || verify.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                <button type="submit" class="primary" disabled=move || verify.pending().get()>"验证"</button>
            </form>
        </Panel>
    }
}
