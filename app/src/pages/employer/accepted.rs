//! 数据管理 → 已应约: accepted invitations' agreements with their 签约审核状态, the detail and
//! the 电子协议书 download.

use domain::role::LoginKind;
use leptos::prelude::*;

use super::MENU;
use crate::{
    api::signing::accepted_agreements,
    components::{
        letter::{pdf_href, AgreementById},
        ErrorBox, Loading, Panel, RoleLayout,
    },
};

#[component]
pub fn AcceptedPage() -> impl IntoView {
    let list = crate::resource::resource(|| (), |_| accepted_agreements());
    view! {
        <RoleLayout kind=LoginKind::Employer title="已应约" menu=MENU>
            <Panel title="已应约">
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! { <p class="empty">"暂无已应约的学生。"</p> }.into_any(),
                            Ok(rows) => view! {
                                <div class="table-wrap">
                                    <table class="list" aria-label="已应约">
                                        <thead><tr><th>"协议编号"</th><th>"姓名"</th><th>"学校"</th><th>"学院"</th><th>"拟聘职位"</th><th>"签约时间"</th><th>"签约审核状态"</th><th>"操作"</th></tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td data-label="协议编号" class="mono">{r.agreement_no}</td><td data-label="姓名">{r.student_name}</td><td data-label="学校">{r.school}</td><td data-label="学院">{r.college}</td>
                                                    <td data-label="拟聘职位">{r.position}</td><td data-label="签约时间">{r.signed_at}</td><td data-label="签约审核状态"><span class="status">{r.status_label}</span></td>
                                                    <td data-label="操作">
                                                        <a class="button small" href=format!("/employer/agreements/{}", r.agreement_id)>"详情"</a>
                                                        " "
                                                        <a class="button small" href=pdf_href(r.agreement_id) download>"下载电子协议书"</a>
                                                    </td>
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
pub fn EmployerAgreementPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="签约详情" menu=MENU>
            <AgreementById />
        </RoleLayout>
    }
}
