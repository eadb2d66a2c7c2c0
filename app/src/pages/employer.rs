//! 用人单位用户中心.

use domain::role::LoginKind;
use leptos::prelude::*;

use crate::{
    api::dashboard::employer_dashboard,
    components::{Counter, ErrorBox, Field, Loading, MenuGroup, Panel, RoleLayout},
};

const MENU: &[MenuGroup] = &[
    MenuGroup { title: "签约中心", items: &[("签约发送", None), ("签约列表", None)] },
    MenuGroup { title: "解约中心", items: &[("解约办理", None)] },
    MenuGroup { title: "数据管理", items: &[("已应约", None)] },
];

#[component]
pub fn EmployerHome() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="用人单位用户中心" menu=MENU>
            <EmployerDashboardView />
        </RoleLayout>
    }
}

#[component]
fn EmployerDashboardView() -> impl IntoView {
    let data = Resource::new(|| (), |_| employer_dashboard());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => {
                        let approval = if d.approved {
                            format!("已审核（{}）", d.approved_schools.join("、"))
                        } else {
                            "待学校审核（审核通过后方可签约）".to_owned()
                        };
                        view! {
                            <div class="dashboard">
                                <Panel title="单位基本信息">
                                    <dl class="fields">
                                        <Field label="单位名称" value=d.name />
                                        <Field label="统一社会信用代码" value=d.credit_code />
                                        <Field label="联系人" value=d.contact_person />
                                        <Field label="联系电话" value=d.contact_phone />
                                        <Field label="单位地址" value=d.address />
                                        <Field label="审核状态" value=approval />
                                        <Field label="最近登录时间" value=d.last_login_at.unwrap_or_else(|| "—".into()) />
                                        <Field label="登录IP" value=d.last_login_ip.unwrap_or_else(|| "—".into()) />
                                    </dl>
                                </Panel>
                                <div class="counters">
                                    <Counter label="签约待办" value=d.pending_invitations />
                                    <Counter label="解约待办" value=d.pending_terminations />
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
