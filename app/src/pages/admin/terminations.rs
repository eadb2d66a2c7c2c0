//! 就业管理 → 解约管理: the 解约审核 queue (解约审核状态, 学院, 毕业届, 姓名 in the URL, like
//! 签约管理; 批量审核通过 of the checked rows) and the detail with 解约审核通过 / 解约审核不通过.

use std::collections::BTreeSet;

use domain::{review::Stage, role::LoginKind, status::TerminationStatus, view::TerminationFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::MENU;
use crate::{
    api::{
        roster::admin_colleges,
        termination::{termination_queue, ApproveTerminations},
    },
    components::{
        review::{BatchResults, RowCheck},
        termination::TerminationById,
        ErrorBox, Loading, Pager, Panel, RoleLayout,
    },
};

const STATUSES: [TerminationStatus; 4] = [
    TerminationStatus::AwaitingReview,
    TerminationStatus::AwaitingSchoolReview,
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
            college_id: text("college").and_then(|v| v.parse().ok()),
            graduation_year: text("year").and_then(|v| v.parse().ok()),
            name: text("name").unwrap_or_default(),
            page: text("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        }
    };
    let approve = ServerAction::<ApproveTerminations>::new();
    let checked = RwSignal::new(BTreeSet::<i64>::new());
    let rows = crate::resource::resource(
        move || (filter(), approve.version().get()),
        |(f, _)| termination_queue(Some(f)),
    );
    let colleges = crate::resource::resource(|| (), |_| admin_colleges());
    Effect::new(move |_| {
        if matches!(approve.value().get(), Some(Ok(_))) {
            checked.set(BTreeSet::new());
        }
    });
    let approve_checked = move |_| {
        let ids: Vec<i64> = checked.get_untracked().into_iter().collect();
        approve.dispatch(ApproveTerminations { termination_ids: ids });
    };
    let page_link = move |page: u64| {
        let f = filter();
        format!(
            "/admin/terminations?status={}&college={}&year={}&name={}&page={page}",
            f.status,
            f.college_id.map(|c| c.to_string()).unwrap_or_default(),
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
                    <label>
                        "学院"
                        <select name="college">
                            <option value="">"全部"</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let selected = filter().college_id;
                                    colleges.await.unwrap_or_default().into_iter().map(|(id, name)| {
                                        view! { <option value=id.to_string() selected=selected == Some(id)>{name}</option> }
                                    }).collect_view()
                                })}
                            </Suspense>
                        </select>
                    </label>
                    <label>"毕业届" <input name="year" inputmode="numeric" prop:value=move || filter().graduation_year.map(|y| y.to_string()).unwrap_or_default() /></label>
                    <label>"姓名" <input name="name" prop:value=move || filter().name /></label>
                    <button type="submit">"查询"</button>
                </form>
                <div class="actions">
                    <button class="primary" disabled=move || approve.pending().get() on:click=approve_checked>"批量审核通过"</button>
                </div>
                {move || match approve.value().get() {
                    Some(Ok(results)) => view! { <BatchResults results /> }.into_any(),
                    Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                    None => ().into_any(),
                }}
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
                                            <thead><tr><th>"选择"</th><th>"姓名"</th><th>"学院"</th><th>"毕业届"</th><th>"单位名称"</th><th>"申请方"</th><th>"解约原因"</th><th>"解约审核状态"</th><th>"操作"</th></tr></thead>
                                            <tbody>
                                                {p.rows.into_iter().map(|t| {
                                                    // A row opens its detail on double-click, like 签约管理.
                                                    let href = format!("/admin/terminations/{}", t.id);
                                                    let go = { let navigate = navigate.clone(); let href = href.clone(); move |_| navigate(&href, Default::default()) };
                                                    // Only a request waiting for review can be checked.
                                                    let waiting = TerminationStatus::parse(&t.status).and_then(Stage::of_termination).is_some();
                                                    let (id, name) = (t.id, t.student_name.clone());
                                                    view! {
                                                    <tr on:dblclick=go>
                                                        <td data-label="选择">{waiting.then(|| view! { <RowCheck id name checked /> })}</td>
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
