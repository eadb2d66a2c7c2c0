//! 管理员 (college, school and province admins): 用户中心, 签约管理, 解约管理, 生源管理, 学校管理
//! and 审核设置.

mod accounts;
mod colleges;
mod employers;
mod review;
mod review_settings;
mod roster;
mod roster_import;
mod schools;
mod terminations;

pub use colleges::CollegesPage;
pub use employers::{EmployerDetailPage, EmployersPage};
pub use review::{ReviewDetailPage, ReviewQueuePage};
pub use review_settings::ReviewSettingsPage;
pub use roster::{RosterDetailPage, RosterPage};
pub use roster_import::RosterImportPage;
pub use schools::SchoolsPage;
pub use terminations::{TerminationDetailPage, TerminationQueuePage};

use domain::role::LoginKind;
use leptos::prelude::*;

use crate::{
    api::dashboard::admin_dashboard,
    components::{Counter, ErrorBox, Field, Loading, MenuGroup, Panel, RoleLayout},
};

pub(crate) const MENU: &[MenuGroup] = &[
    MenuGroup {
        title: "就业管理",
        items: &[
            ("用户中心", Some("/admin")),
            ("签约管理", Some("/admin/agreements")),
            ("解约管理", Some("/admin/terminations")),
            ("生源管理", Some("/admin/roster")),
            ("生源导入", Some("/admin/roster/import")),
        ],
    },
    MenuGroup {
        title: "单位管理",
        items: &[("用人单位审核", Some("/admin/employers"))],
    },
    MenuGroup {
        title: "统计分析",
        items: &[("签约统计", None)],
    },
    MenuGroup {
        title: "系统管理",
        items: &[
            ("学校管理", Some("/admin/schools")),
            ("学院管理", Some("/admin/colleges")),
            ("审核设置", Some("/admin/review-settings")),
        ],
    },
];

#[component]
pub fn AdminHome() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="管理员用户中心" menu=MENU>
            <AdminDashboardView />
        </RoleLayout>
    }
}

#[component]
fn AdminDashboardView() -> impl IntoView {
    let data = crate::resource::resource(|| (), |_| admin_dashboard());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => view! {
                        <div class="dashboard">
                            <Panel title="管理员信息">
                                <dl class="fields">
                                    <Field label="账号" value=d.display_name />
                                    <Field label="角色" value=d.role.label() />
                                    <Field label="管理范围" value=d.scope_label />
                                    <Field label="最近登录时间" value=d.last_login_at.unwrap_or_else(|| "—".into()) />
                                </dl>
                            </Panel>
                            <div class="counters">
                                <Counter label="等待签约审核" value=d.awaiting_signing_review href=format!("/admin/agreements?status={}", d.review_status) />
                                <Counter label="等待解约审核" value=d.awaiting_termination_review href=format!("/admin/terminations?status={}", d.review_status) />
                                <Counter label="待审核单位" value=d.employers_awaiting_approval href="/admin/employers?status=pending".to_owned() />
                                <Counter label="毕业生人数" value=d.students href="/admin/roster" />
                            </div>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
