//! 解约中心 → 解约办理 (employer): 学生提出解约待办理列表 (查看解约申请), 已签约成功学生列表
//! (申请解约 for the checked students) and the 解约记录.

use std::collections::BTreeSet;

use domain::{role::LoginKind, view::TerminationRow};
use leptos::prelude::*;

use super::MENU;
use crate::{
    api::termination::{employer_signed, employer_termination_requests, employer_terminations, ApplyTerminations},
    components::{
        termination::{TerminationById, TermsDialog},
        ErrorBox, Loading, Panel, RoleLayout,
    },
};

#[component]
pub fn TerminationsPage() -> impl IntoView {
    let tab = RwSignal::new(0u8);
    let tab_button = move |n: u8, label: &'static str| {
        view! {
            <button role="tab" class="tab" class:active=move || tab.get() == n aria-selected=move || (tab.get() == n).to_string()
                on:click=move |_| tab.set(n)>{label}</button>
        }
    };
    view! {
        <RoleLayout kind=LoginKind::Employer title="解约办理" menu=MENU>
            <div class="tabs page-tabs three" role="tablist">
                {tab_button(0, "学生提出解约待办理列表")}
                {tab_button(1, "已签约成功学生列表")}
                {tab_button(2, "解约记录")}
            </div>
            {move || match tab.get() {
                0 => view! { <Requests /> }.into_any(),
                1 => view! { <Signed /> }.into_any(),
                _ => view! { <History /> }.into_any(),
            }}
        </RoleLayout>
    }
}

fn table(label: &'static str, rows: Vec<TerminationRow>, link: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="list" aria-label=label>
                <thead><tr><th>"姓名"</th><th>"学校"</th><th>"协议编号"</th><th>"申请方"</th><th>"解约原因"</th><th>"申请时间"</th><th>"解约审核状态"</th><th>"操作"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|t| view! {
                        <tr>
                            <td data-label="姓名">{t.student_name}</td><td data-label="学校">{t.school}</td><td data-label="协议编号" class="mono">{t.agreement_no}</td><td data-label="申请方">{t.initiator_label}</td>
                            <td data-label="解约原因">{t.reason}</td><td data-label="申请时间">{t.applied_at}</td><td data-label="解约审核状态"><span class="status">{t.status_label}</span></td>
                            <td data-label="操作"><a class="button small" href=format!("/employer/terminations/{}", t.id)>{if link { "查看解约申请" } else { "详情" }}</a></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Requests() -> impl IntoView {
    let list = crate::resource::resource(|| (), |_| employer_termination_requests());
    view! {
        <Panel title="学生提出解约待办理列表">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"暂无待办理的解约申请。"</p> }.into_any(),
                        Ok(rows) => table("学生提出解约待办理列表", rows, true).into_any(),
                    }
                })}
            </Suspense>
        </Panel>
    }
}

#[component]
fn Signed() -> impl IntoView {
    let apply = ServerAction::<ApplyTerminations>::new();
    let list = crate::resource::resource(move || apply.version().get(), |_| employer_signed());
    let checked = RwSignal::new(BTreeSet::<i64>::new());
    let dialog = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let open = move |_| {
        if checked.with_untracked(|c| c.is_empty()) {
            message.set(Some("请先勾选学生".into()));
        } else {
            message.set(None);
            apply.value().set(None);
            dialog.set(true);
        }
    };
    // The dialog stays open, with the refusal inside it, until the applications are sent.
    Effect::new(move |_| {
        if matches!(apply.value().get(), Some(Ok(_))) {
            dialog.set(false);
            checked.set(BTreeSet::new());
        }
    });
    let error = Signal::derive(move || apply.value().get().and_then(|r| r.err()).map(|e| e.message()));
    let pending = apply.pending();
    view! {
        <Panel title="已签约成功学生列表">
            <div class="actions"><button class="primary" on:click=open>"申请解约"</button></div>
            {move || message.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {move || match apply.value().get() {
                Some(Ok(r)) => view! {
                    {(!r.applied.is_empty()).then(|| view! { <p class="success" role="status">{format!("已向 {} 发出解约申请", r.applied.join("、"))}</p> })}
                    {(!r.refused.is_empty()).then(|| view! { <ul class="form-error" role="alert">{r.refused.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul> })}
                }.into_any(),
                _ => ().into_any(),
            }}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"暂无签约成功的学生。"</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap">
                                <table class="list" aria-label="已签约成功学生列表">
                                    <thead><tr><th>"选择"</th><th>"姓名"</th><th>"学校"</th><th>"学院"</th><th>"协议编号"</th><th>"拟聘职位"</th><th>"鉴证时间"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| {
                                            let id = r.agreement.agreement_id;
                                            let name = r.agreement.student_name.clone();
                                            view! {
                                                <tr>
                                                    <td data-label="选择"><input type="checkbox" aria-label=format!("选择{name}")
                                                        prop:checked=move || checked.with(|c| c.contains(&id))
                                                        on:change=move |ev| { let on = event_target_checked(&ev); checked.update(|c| { if on { c.insert(id); } else { c.remove(&id); } }); } /></td>
                                                    <td data-label="姓名">{r.agreement.student_name}</td><td data-label="学校">{r.agreement.school}</td><td data-label="学院">{r.agreement.college}</td>
                                                    <td data-label="协议编号" class="mono">{r.agreement.agreement_no}</td><td data-label="拟聘职位">{r.agreement.position}</td>
                                                    <td data-label="鉴证时间">{r.agreement.certified_at.unwrap_or_default()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
            <Show when=move || dialog.get()>
                <TermsDialog title="申请解约" confirm_label="确认" with_reason=true error pending
                    on_confirm=move |ok, reason| {
                        let ids: Vec<i64> = checked.get_untracked().into_iter().collect();
                        apply.dispatch(ApplyTerminations { agreement_ids: ids, reason, accept_terms: ok });
                    }
                    on_cancel=move || { apply.value().set(None); dialog.set(false); } />
            </Show>
        </Panel>
    }
}

#[component]
fn History() -> impl IntoView {
    let list = crate::resource::resource(|| (), |_| employer_terminations());
    view! {
        <Panel title="解约记录">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"暂无解约记录。"</p> }.into_any(),
                        Ok(rows) => table("解约记录", rows, false).into_any(),
                    }
                })}
            </Suspense>
        </Panel>
    }
}

#[component]
pub fn TerminationPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="查看解约申请" menu=MENU>
            <TerminationById back="/employer/terminations" />
        </RoleLayout>
    }
}
