//! 签约中心 → 签约列表: every invitation sent with its status; 撤回 a pending one.

use domain::role::LoginKind;
use leptos::prelude::*;

use super::MENU;
use crate::{
    api::signing::{sent_invitations, WithdrawInvitation},
    components::{ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="签约列表" menu=MENU>
            <Invitations />
        </RoleLayout>
    }
}

#[component]
fn Invitations() -> impl IntoView {
    let withdraw = ServerAction::<WithdrawInvitation>::new();
    let list = crate::resource::resource(move || withdraw.version().get(), |_| sent_invitations());
    view! {
        <Panel title="签约列表">
            {move || withdraw.value().get().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">"已撤回签约邀请。"</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"尚未发送签约邀请。"</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap">
                                <table class="list" aria-label="签约列表">
                                    <thead><tr><th>"姓名"</th><th>"学校"</th><th>"身份证号"</th><th>"拟聘职位"</th><th>"发送时间"</th><th>"应约期限"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| {
                                            let id = r.id;
                                            view! {
                                                <tr>
                                                    <td data-label="姓名">{r.student_name}</td><td data-label="学校">{r.school}</td><td data-label="身份证号" class="mono">{r.id_number_masked}</td>
                                                    <td data-label="拟聘职位">{r.position}</td><td data-label="发送时间">{r.sent_at}</td><td data-label="应约期限">{r.deadline}</td>
                                                    <td data-label="状态"><span class="status">{r.status_label}</span></td>
                                                    <td data-label="操作">{r.can_withdraw.then(|| view! {
                                                        <button class="small" on:click=move |_| { withdraw.dispatch(WithdrawInvitation { invitation_id: id }); }>"撤回"</button>
                                                    })}</td>
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
        </Panel>
    }
}
