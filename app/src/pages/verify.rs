//! 协议验证: a public page where anyone holding a printed 电子协议书 checks it with the
//! agreement number and 验证码 printed on it.

use leptos::prelude::*;

use crate::{api::notice::VerifyAgreement, components::Field};

#[component]
pub fn VerifyPage() -> impl IntoView {
    let check = ServerAction::<VerifyAgreement>::new();
    view! {
        <main class="home">
            <header class="home-header">
                <h1>"协议验证"</h1>
                <p>"输入电子协议书上的协议编号和验证码，核验协议真伪"</p>
            </header>
            <div class="login-card">
                <ActionForm action=check attr:class="login-form">
                    <label><span>"协议编号"</span><input name="agreement_no" required /></label>
                    <label><span>"验证码"</span><input name="verify_code" required /></label>
                    <button type="submit" class="primary">"验证"</button>
                </ActionForm>
                {move || check.value().get().map(|r| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                    Ok(v) => view! {
                        <div class="verified" role="status">
                            <p class=if v.in_force { "success" } else { "warning" }>{v.verdict}</p>
                            <dl class="fields">
                                <Field label="协议编号" value=v.agreement_no />
                                <Field label="毕业生" value=v.student />
                                <Field label="学校" value=v.school />
                                <Field label="用人单位" value=v.employer />
                                <Field label="签约审核状态" value=v.status_label />
                                <Field label="鉴证时间" value=v.certified_at.unwrap_or_else(|| "—".into()) />
                            </dl>
                        </div>
                    }
                    .into_any(),
                })}
                <p class="hint"><a href="/">"返回登录"</a></p>
            </div>
        </main>
    }
}
