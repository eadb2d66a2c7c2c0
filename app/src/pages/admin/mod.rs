//! 管理员 (college, school and province admins): 用户中心, 签约管理 and the 生源信息 list.

mod review;
mod roster_import;
mod schools;
mod terminations;

pub use review::{ReviewDetailPage, ReviewQueuePage};
pub use roster_import::RosterImportPage;
pub use schools::SchoolsPage;
pub use terminations::{TerminationDetailPage, TerminationQueuePage};

use domain::role::LoginKind;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        dashboard::admin_dashboard,
        roster::{admin_colleges, roster_list},
    },
    components::{Counter, ErrorBox, Field, Loading, MenuGroup, Pager, Panel, RoleLayout},
};

pub(crate) const MENU: &[MenuGroup] = &[
    MenuGroup {
        title: "就业管理",
        items: &[
            ("用户中心", Some("/admin")),
            ("签约管理", Some("/admin/agreements")),
            ("解约管理", Some("/admin/terminations")),
            ("生源信息", Some("/admin/roster")),
            ("生源导入", Some("/admin/roster/import")),
        ],
    },
    MenuGroup {
        title: "单位管理",
        items: &[("用人单位审核", None)],
    },
    MenuGroup {
        title: "统计分析",
        items: &[("签约统计", None)],
    },
    MenuGroup {
        title: "系统管理",
        items: &[("学校管理", Some("/admin/schools"))],
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
                                <Counter label="等待签约审核" value=d.awaiting_signing_review href="/admin/agreements?status=awaiting_review" />
                                <Counter label="等待解约审核" value=d.awaiting_termination_review href="/admin/terminations?status=awaiting_review" />
                                <Counter label="待审核单位" value=d.employers_awaiting_approval />
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

#[component]
pub fn RosterPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="生源信息" menu=MENU>
            <RosterView />
        </RoleLayout>
    }
}

/// Filters live in the URL (`?name=&college=&year=&page=`), so a list can be bookmarked and
/// the back button works.
#[component]
fn RosterView() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.get();
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (
            text("name"),
            text("college").and_then(|v| v.parse::<i64>().ok()),
            text("year").and_then(|v| v.parse::<i32>().ok()),
            text("page").and_then(|v| v.parse::<u64>().ok()).unwrap_or(1),
        )
    };
    let rows = crate::resource::resource(args, |(name, college, year, page)| {
        roster_list(name, college, year, Some(page))
    });
    let colleges = crate::resource::resource(|| (), |_| admin_colleges());
    let page_link = move |page: u64| {
        let (name, college, year, _) = args();
        format!(
            "/admin/roster?name={}&college={}&year={}&page={page}",
            name.unwrap_or_default(),
            college.map(|c| c.to_string()).unwrap_or_default(),
            year.map(|y| y.to_string()).unwrap_or_default()
        )
    };
    view! {
        <Panel title="生源信息">
            <form class="filters" method="get" action="/admin/roster">
                <label>"姓名" <input name="name" prop:value=move || args().0.unwrap_or_default() /></label>
                <label>
                    "学院"
                    <select name="college">
                        <option value="">"全部"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let selected = args().1;
                                colleges.await.unwrap_or_default().into_iter().map(|(id, name)| {
                                    view! { <option value=id.to_string() selected=selected == Some(id)>{name}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </label>
                <label>"毕业届" <input name="year" inputmode="numeric" prop:value=move || args().2.map(|y| y.to_string()).unwrap_or_default() /></label>
                <button type="submit">"查询"</button>
            </form>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(p) => {
                            let (page, total, per_page) = (p.page, p.total, p.per_page);
                            view! {
                                <p class="summary">{format!("共 {} 人", p.total)}</p>
                                <div class="table-wrap">
                                    <table class="list">
                                        <thead>
                                            <tr><th>"姓名"</th><th>"学院"</th><th>"专业"</th><th>"毕业届"</th><th>"身份证号"</th><th>"培养方式"</th><th>"生源审核"</th></tr>
                                        </thead>
                                        <tbody>
                                            {p.rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td data-label="姓名">{r.name}</td><td data-label="学院">{r.college}</td><td data-label="专业">{r.major}</td>
                                                    <td data-label="毕业届">{r.graduation_year}</td><td data-label="身份证号" class="mono">{r.id_number_masked}</td>
                                                    <td data-label="培养方式">{r.training_mode}</td>
                                                    <td data-label="生源审核">{r.roster_status}{r.restricted.then_some("（限制签约）")}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager page total per_page link=page_link />
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </Panel>
    }
}
