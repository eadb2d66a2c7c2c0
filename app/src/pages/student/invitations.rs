//! 电子签约: the invitations received, 查看邀请函, 同意 → 现在签约 or 拒绝, and the detail of
//! the agreement once signed.

use domain::role::LoginKind;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::MENU;
use crate::{
    api::student::{invitation_letter, received_invitations, AcceptInvitation, RejectInvitation},
    components::{
        letter::{AgreementById, EmployerFields, LetterFields},
        ErrorBox, Loading, Panel, RoleLayout,
    },
};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let list = crate::resource::resource(|| (), |_| received_invitations());
    view! {
        <RoleLayout kind=LoginKind::Student title="电子签约" menu=MENU>
            <Panel title="已收邀约">
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! { <p class="empty">"暂未收到签约邀请。"</p> }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap">
                                    <table class="list" aria-label="已收邀约">
                                        <thead><tr><th>"单位名称"</th><th>"拟聘职位"</th><th>"工作地点"</th><th>"月薪"</th><th>"发送时间"</th><th>"应约期限"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td data-label="单位名称">{r.employer_name}</td><td data-label="拟聘职位">{r.position}</td><td data-label="工作地点">{r.work_place}</td><td data-label="月薪">{r.salary}</td>
                                                    <td data-label="发送时间">{r.sent_at}</td><td data-label="应约期限">{r.deadline}</td><td data-label="状态"><span class="status">{r.status_label}</span></td>
                                                    <td data-label="操作"><a class="button small" href=format!("/student/invitations/{}", r.id)>"查看邀请函"</a></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
            </Panel>
        </RoleLayout>
    }
}

#[component]
pub fn LetterPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Student title="邀请函" menu=MENU>
            <Letter />
        </RoleLayout>
    }
}

#[component]
fn Letter() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .get()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let accept = ServerAction::<AcceptInvitation>::new();
    let reject = ServerAction::<RejectInvitation>::new();
    let letter = crate::resource::resource(
        move || (id(), accept.version().get(), reject.version().get()),
        |(id, _, _)| invitation_letter(id),
    );
    // 同意 asks a second time before signing (现在签约).
    let confirming = RwSignal::new(false);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match letter.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(l) => {
                        let id = l.id;
                        let intro = format!("{}诚邀你签订就业协议，请在应约期限 {} 前作出答复。", l.employer.name, l.deadline);
                        let ask = format!("确定与{}签约吗？签约后其他邀请函只能查看，不能再同意。", l.employer.name);
                        view! {
                            <Panel title="邀请函">
                                <p class="letter-intro">{format!("{}同学：", l.student_name)}</p>
                                <p class="letter-intro">{intro}</p>
                                <p>"状态：" <span class="status" data-testid="letter-status">{l.status_label.clone()}</span></p>
                                {l.view_only_reason.clone().map(|r| view! { <p class="hint-block" role="note">{r}</p> })}
                            </Panel>
                            <EmployerFields employer=l.employer.clone() />
                            <LetterFields letter=l.letter.clone() />
                            {move || accept.value().get().and_then(|r| r.err()).or_else(|| reject.value().get().and_then(|r| r.err()))
                                .map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                            {move || matches!(accept.value().get(), Some(Ok(_)))
                                .then(|| view! { <p class="success" role="status">"签约成功，等待学校签约审核。"</p> })}
                            {move || matches!(reject.value().get(), Some(Ok(_)))
                                .then(|| view! { <p class="success" role="status">"已拒绝该邀请。"</p> })}
                            <div class="actions">
                                {l.can_accept.then(|| view! { <button class="primary" on:click=move |_| confirming.set(true)>"同意"</button> })}
                                {l.can_reject.then(|| view! {
                                    <button class="danger" disabled=move || reject.pending().get()
                                        on:click=move |_| { reject.dispatch(RejectInvitation { invitation_id: id }); }>"拒绝"</button>
                                })}
                                {l.agreement_id.map(|a| view! { <a class="button" href=format!("/student/agreement/{a}")>"查看签约详情"</a> })}
                                <a class="button" href="/student/invitations">"返回"</a>
                            </div>
                            <Show when=move || confirming.get() && l.can_accept>
                                <div class="dialog-backdrop">
                                    <div class="dialog" role="dialog" aria-modal="true" aria-label="确认签约">
                                        <p>{ask.clone()}</p>
                                        <div class="actions">
                                            <button class="primary" disabled=move || accept.pending().get()
                                                on:click=move |_| { confirming.set(false); accept.dispatch(AcceptInvitation { invitation_id: id }); }>"现在签约"</button>
                                            <button on:click=move |_| confirming.set(false)>"取消"</button>
                                        </div>
                                    </div>
                                </div>
                            </Show>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn StudentAgreementPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Student title="签约详情" menu=MENU>
            <AgreementById />
        </RoleLayout>
    }
}
