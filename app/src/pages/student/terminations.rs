//! 解约办理 (student): the certified agreement with 解约申请, or 查看解约 when the employer
//! applied; then the school's 解约审核 result.

use domain::{role::LoginKind, view::SignedAgreement};
use leptos::prelude::*;

use super::MENU;
use crate::{
    api::termination::{student_terminations, ApplyTermination},
    components::{
        termination::{TerminationById, TermsDialog},
        ErrorBox, Loading, Panel, RoleLayout,
    },
};

#[component]
pub fn TerminationsPage() -> impl IntoView {
    let apply = ServerAction::<ApplyTermination>::new();
    let list = crate::resource::resource(move || apply.version().get(), |_| student_terminations());
    let applying = RwSignal::new(None::<i64>);
    // The dialog stays open, with the refusal inside it, until the application is accepted.
    Effect::new(move |_| {
        if matches!(apply.value().get(), Some(Ok(_))) {
            applying.set(None);
        }
    });
    let error = Signal::derive(move || apply.value().get().and_then(|r| r.err()).map(|e| e.message()));
    let pending = apply.pending();
    view! {
        <RoleLayout kind=LoginKind::Student title="解约办理" menu=MENU>
            <Panel title="解约办理">
                {move || match apply.value().get() {
                    Some(Ok(_)) => view! { <p class="success" role="status">"解约申请已提交，等待用人单位处理。"</p> }.into_any(),
                    _ => ().into_any(),
                }}
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! { <p class="empty">"暂无签约审核通过的协议。"</p> }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap">
                                    <table class="list" aria-label="解约办理">
                                        <thead><tr><th>"协议编号"</th><th>"单位名称"</th><th>"拟聘职位"</th><th>"签约审核状态"</th><th>"解约申请"</th><th>"操作"</th></tr></thead>
                                        <tbody>{rows.into_iter().map(|r| row(r, applying, apply)).collect_view()}</tbody>
                                    </table>
                                </div>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </Panel>
            {move || applying.get().map(|agreement_id| view! {
                <TermsDialog title="解约申请" confirm_label="提交" with_reason=true error pending
                    on_confirm=move |ok, reason| { apply.dispatch(ApplyTermination { agreement_id, reason, accept_terms: ok }); }
                    on_cancel=move || { apply.value().set(None); applying.set(None); } />
            })}
        </RoleLayout>
    }
}

fn row(r: SignedAgreement, applying: RwSignal<Option<i64>>, apply: ServerAction<ApplyTermination>) -> impl IntoView {
    let id = r.agreement.agreement_id;
    let t = r.termination.clone();
    let state = t
        .as_ref()
        .map(|t| format!("{}（{}提出）", t.status_label, t.initiator_label))
        .unwrap_or_else(|| "—".into());
    view! {
        <tr>
            <td data-label="协议编号" class="mono">{r.agreement.agreement_no}</td><td data-label="单位名称">{r.agreement.employer_name}</td><td data-label="拟聘职位">{r.agreement.position}</td>
            <td data-label="签约审核状态"><span class="status">{r.agreement.status_label}</span></td><td data-label="解约申请">{state}</td>
            <td data-label="操作">
                {r.can_apply.then(|| view! { <button class="small" on:click=move |_| { apply.value().set(None); applying.set(Some(id)); }>"解约申请"</button> })}
                {t.map(|t| {
                    let label = if r.can_respond { "查看解约" } else { "解约详情" };
                    view! { <a class="button small" href=format!("/student/terminations/{}", t.id)>{label}</a> }
                })}
            </td>
        </tr>
    }
}

#[component]
pub fn TerminationPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Student title="查看解约" menu=MENU>
            <TerminationById back="/student/terminations" />
        </RoleLayout>
    }
}
