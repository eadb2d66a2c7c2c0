//! 系统管理 → 审核设置: the school's 审核方式 (学校审核, or 学院初审 + 学校复审), set by its school
//! admin and shown to its college admins and, for every school, to the province office; and the
//! caller's daily e-mail digest of their review queue (每日审核提醒, off by default).

use domain::{role::LoginKind, status::ReviewMode, view::ReviewSettings};
use leptos::prelude::*;

use super::MENU;
use crate::{
    api::review::{review_settings, SetReviewDigest, SetReviewMode},
    components::{ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn ReviewSettingsPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="审核设置" menu=MENU>
            <Settings />
        </RoleLayout>
    }
}

#[component]
fn Settings() -> impl IntoView {
    let mode = ServerAction::<SetReviewMode>::new();
    let digest = ServerAction::<SetReviewDigest>::new();
    let data = crate::resource::resource(
        move || (mode.version().get(), digest.version().get()),
        |_| review_settings(),
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) => view! { <Modes settings=s.clone() mode /> <Digest settings=s digest /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Modes(settings: ReviewSettings, mode: ServerAction<SetReviewMode>) -> impl IntoView {
    let can_set = settings.can_set_mode;
    let current = settings.schools.first().map(|s| s.mode.clone()).unwrap_or_default();
    view! {
        <Panel title="审核方式">
            <p class="hint-block">"学校审核：学院或学校管理员审核一次即通过。学院初审 + 学校复审：学院审核通过后进入“等待学校审核”，学校审核通过后生效；任一级审核不通过即结束。适用于签约审核和解约审核。"</p>
            <div class="table-wrap">
                <table class="list" aria-label="审核方式">
                    <thead><tr><th>"学校"</th><th>"审核方式"</th></tr></thead>
                    <tbody>
                        {settings.schools.into_iter().map(|s| view! {
                            <tr><td data-label="学校">{s.school}</td><td data-label="审核方式">{s.mode_label}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {can_set.then(|| view! {
                <ActionForm action=mode attr:class="form-grid inline-form">
                    <label>
                        <span>"本校审核方式"</span>
                        <select name="mode">
                            {ReviewMode::ALL.iter().map(|m| view! {
                                <option value=m.code() selected=current == m.code()>{m.label()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="primary" disabled=move || mode.pending().get()>"保存审核方式"</button>
                </ActionForm>
            })}
            {move || mode.value().get().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">"审核方式已保存"</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
        </Panel>
    }
}

#[component]
fn Digest(settings: ReviewSettings, digest: ServerAction<SetReviewDigest>) -> impl IntoView {
    let on = settings.digest;
    view! {
        <Panel title="每日审核提醒">
            <p class="hint-block">"开启后，每天一封邮件告知等待您审核的签约和解约条数（没有待审核时不发送）。新的待审核事项也会出现在消息通知中。"</p>
            <ActionForm action=digest attr:class="form-grid inline-form">
                <label>
                    <span>"每日审核提醒邮件"</span>
                    <select name="on">
                        <option value="false" selected=!on>"关闭"</option>
                        <option value="true" selected=on>"开启"</option>
                    </select>
                </label>
                <label><span>"接收邮箱"</span><input name="email" type="email" maxlength="100" value=settings.digest_email /></label>
                <button type="submit" class="primary" disabled=move || digest.pending().get()>"保存提醒设置"</button>
            </ActionForm>
            {move || digest.value().get().map(|r| match r {
                Ok(s) => view! { <p class="success" role="status">{if s.digest { "每日审核提醒已开启" } else { "每日审核提醒已关闭" }}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
        </Panel>
    }
}
