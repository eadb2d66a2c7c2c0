//! 就业管理 → 解约管理: the 解约审核 queue (解约审核状态, filters in the URL) and the detail with
//! 解约审核通过 / 解约审核不通过.

use domain::{role::LoginKind, status::TerminationStatus, view::TerminationFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::MENU;
use crate::{
    api::termination::termination_queue,
    components::{termination::TerminationById, ErrorBox, Loading, Pager, Panel, RoleLayout},
};

const STATUSES: [TerminationStatus; 3] = [
    TerminationStatus::AwaitingReview,
    TerminationStatus::Approved,
    TerminationStatus::ReviewRejected,
];

#[component]
pub fn TerminationQueuePage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.get();
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        TerminationFilter {
            status: text("status").unwrap_or_default(),
            college_id: None,
            graduation_year: text("year").and_then(|v| v.parse().ok()),
            name: text("name").unwrap_or_default(),
            page: text("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        }
    };
    let rows = crate::resource::resource(filter, |f| termination_queue(Some(f)));
    let page_link = move |page: u64| {
        let f = filter();
        format!(
            "/admin/terminations?status={}&year={}&name={}&page={page}",
            f.status,
            f.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
            f.name
        )
    };
    view! {
        <RoleLayout kind=LoginKind::Admin title="解约管理" menu=MENU>
            <Panel title="解约管理">
                <form class="filters" method="get" action="/admin/terminations">
                    <label>
                        "解约审核状态"
                        <select name="status">
                            <option value="">"全部"</option>
                            {move || {
                                let current = filter().status;
                                STATUSES.iter().map(|s| view! { <option value=s.code() selected=current == s.code()>{s.label()}</option> }).collect_view()
                            }}
                        </select>
                    </label>
                    <label>"毕业届" <input name="year" inputmode="numeric" prop:value=move || filter().graduation_year.map(|y| y.to_string()).unwrap_or_default() /></label>
                    <label>"姓名" <input name="name" prop:value=move || filter().name /></label>
                    <button type="submit">"查询"</button>
                </form>
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || {
                        let navigate = use_navigate();
                        Suspend::new(async move {
                        match rows.await {
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            Ok(p) => {
                            let (page, total, per_page) = (p.page, p.total, p.per_page);
                                view! {
                                    <p class="summary">{format!("共 {} 条", p.total)}</p>
                                    <div class="table-wrap">
                                        <table class="list clickable" aria-label="解约审核列表">
                                            <thead><tr><th>"姓名"</th><th>"学院"</th><th>"毕业届"</th><th>"单位名称"</th><th>"申请方"</th><th>"解约原因"</th><th>"解约审核状态"</th><th>"操作"</th></tr></thead>
                                            <tbody>
                                                {p.rows.into_iter().map(|t| {
                                                    // A row opens its detail on double-click, like 签约管理.
                                                    let href = format!("/admin/terminations/{}", t.id);
                                                    let go = { let navigate = navigate.clone(); let href = href.clone(); move |_| navigate(&href, Default::default()) };
                                                    view! {
                                                    <tr on:dblclick=go>
                                                        <td data-label="姓名">{t.student_name}</td><td data-label="学院">{t.college}</td><td data-label="毕业届">{t.graduation_year}</td><td data-label="单位名称">{t.employer_name}</td>
                                                        <td data-label="申请方">{t.initiator_label}</td><td data-label="解约原因">{t.reason}</td><td data-label="解约审核状态"><span class="status">{t.status_label}</span></td>
                                                        <td data-label="操作"><a class="button small" href=href>"详情"</a></td>
                                                    </tr>
                                                }}).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pager page total per_page link=page_link />
                                }
                                .into_any()
                            }
                        }
                    })}}
                </Suspense>
            </Panel>
        </RoleLayout>
    }
}

#[component]
pub fn TerminationDetailPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="解约详情" menu=MENU>
            <TerminationById back="/admin/terminations" />
        </RoleLayout>
    }
}
