//! 就业管理 → 签约管理: the review queue (签约审核状态, filters in the URL, paging, 批量审核通过 of
//! the checked rows), the 协议书 from the first column, and the detail with 签约审核通过 /
//! 签约审核不通过.

use std::collections::BTreeSet;

use domain::{review::Stage, role::LoginKind, status::AgreementStatus, view::ReviewFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::MENU;
use crate::{
    api::{
        agreement::{agreement_detail, review_queue, ApproveAgreements, ReviewAgreement},
        roster::admin_colleges,
        termination::RevokeCertification,
    },
    components::{
        letter::{pdf_href, AgreementDetailView},
        review::{BatchResults, RowCheck},
        termination::ReasonDialog,
        ErrorBox, Flash, Loading, Pager, Panel, RoleLayout,
    },
};

/// The statuses an admin filters by, in the manual's words.
const STATUSES: [AgreementStatus; 4] = [
    AgreementStatus::AwaitingReview,
    AgreementStatus::AwaitingSchoolReview,
    AgreementStatus::Certified,
    AgreementStatus::ReviewRejected,
];

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="签约管理" menu=MENU>
            <Queue />
        </RoleLayout>
    }
}

#[component]
fn Queue() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.get();
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        ReviewFilter {
            status: text("status").unwrap_or_default(),
            college_id: text("college").and_then(|v| v.parse().ok()),
            graduation_year: text("year").and_then(|v| v.parse().ok()),
            name: text("name").unwrap_or_default(),
            page: text("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        }
    };
    let approve = ServerAction::<ApproveAgreements>::new();
    let checked = RwSignal::new(BTreeSet::<i64>::new());
    let rows = crate::resource::resource(
        move || (filter(), approve.version().get()),
        |(f, _)| review_queue(Some(f)),
    );
    Effect::new(move |_| {
        if matches!(approve.value().get(), Some(Ok(_))) {
            checked.set(BTreeSet::new());
        }
    });
    let approve_checked = move |_| {
        let ids: Vec<i64> = checked.get_untracked().into_iter().collect();
        approve.dispatch(ApproveAgreements { agreement_ids: ids });
    };
    let colleges = crate::resource::resource(|| (), |_| admin_colleges());
    let page_link = move |page: u64| {
        let f = filter();
        format!(
            "/admin/agreements?status={}&college={}&year={}&name={}&page={page}",
            f.status,
            f.college_id.map(|c| c.to_string()).unwrap_or_default(),
            f.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
            f.name
        )
    };
    let navigate = use_navigate();
    view! {
        <Panel title="签约管理">
            <form class="filters" method="get" action="/admin/agreements">
                <label>
                    "签约审核状态"
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
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(p) => {
                            let (page, total, per_page) = (p.page, p.total, p.per_page);
                            view! {
                                <p class="summary">{format!("共 {} 条", p.total)}</p>
                                <div class="table-wrap">
                                    <table class="list clickable" aria-label="签约审核列表">
                                        <thead><tr><th>"选择"</th><th>"协议书"</th><th>"姓名"</th><th>"学院"</th><th>"毕业届"</th><th>"身份证号"</th><th>"单位名称"</th><th>"拟聘职位"</th><th>"签约时间"</th><th>"签约审核状态"</th><th>"操作"</th></tr></thead>
                                        <tbody>
                                            {p.rows.into_iter().map(|r| {
                                                let href = format!("/admin/agreements/{}", r.agreement_id);
                                                let go = { let navigate = navigate.clone(); let href = href.clone(); move |_| navigate(&href, Default::default()) };
                                                // Only a row waiting for review can be checked.
                                                let waiting = AgreementStatus::parse(&r.status).and_then(Stage::of_agreement).is_some();
                                                let (id, name) = (r.agreement_id, r.student_name.clone());
                                                view! {
                                                    <tr on:dblclick=go>
                                                        <td data-label="选择">{waiting.then(|| view! { <RowCheck id name checked /> })}</td>
                                                        <td data-label="协议书"><a href=pdf_href(r.agreement_id) target="_blank" rel="noopener">"查看协议书"</a></td>
                                                        <td data-label="姓名">{r.student_name}</td><td data-label="学院">{r.college}</td><td data-label="毕业届">{r.graduation_year}</td>
                                                        <td data-label="身份证号" class="mono">{r.id_number_masked}</td><td data-label="单位名称">{r.employer_name}</td><td data-label="拟聘职位">{r.position}</td>
                                                        <td data-label="签约时间">{r.signed_at}</td><td data-label="签约审核状态"><span class="status">{r.status_label}</span></td>
                                                        <td data-label="操作"><a class="button small" href=href>"详情"</a></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
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
    }
}

#[component]
pub fn ReviewDetailPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="签约详情" menu=MENU>
            <Detail />
        </RoleLayout>
    }
}

#[component]
fn Detail() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .get()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let review = ServerAction::<ReviewAgreement>::new();
    let revoke = ServerAction::<RevokeCertification>::new();
    let revoking = RwSignal::new(false);
    let detail = crate::resource::resource(move || (id(), revoke.version().get()), |(id, _)| agreement_detail(id));
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let navigate = use_navigate();
    let flash = Flash::get();
    // Manual: after a decision the program returns to the review list, which confirms it.
    Effect::new(move |_| {
        if let Some(Ok(d)) = review.value().get() {
            if let Some(f) = flash {
                // The new state: 签约审核通过 / 不通过, or 等待学校审核 after a 学院初审.
                f.set(format!("已提交：{}。", d.doc.status_label));
            }
            rejecting.set(false);
            navigate("/admin/agreements", Default::default());
        }
    });
    // 撤回审核 stays on the detail, which is read again; its dialog closes once it succeeded.
    let revoked = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = revoke.value().get() {
            revoking.set(false);
            revoked.set(true);
        }
    });
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(|r| r.err()).map(|e| e.message()));
    let revoke_pending = revoke.pending();
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => {
                        let can_review = d.can_review;
                        let can_revoke = d.can_revoke;
                        let agreement_id = d.id;
                        view! {
                            <AgreementDetailView detail=d />
                            {move || (!rejecting.get()).then(|| review.value().get().and_then(|r| r.err())).flatten()
                                .map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                            {move || revoked.get().then(|| view! { <p class="success" role="status">"已撤回审核，协议重新等待签约审核。"</p> })}
                            <div class="actions">
                                {can_review.then(|| view! {
                                    <button class="primary" disabled=move || review.pending().get()
                                        on:click=move |_| { review.dispatch(ReviewAgreement { agreement_id, approve: true, reason: None }); }>"签约审核通过"</button>
                                    <button class="danger" on:click=move |_| { review.value().set(None); rejecting.set(true); }>"签约审核不通过"</button>
                                })}
                                {can_revoke.then(|| view! { <button class="danger" on:click=move |_| { revoke.value().set(None); revoking.set(true); }>"撤回审核"</button> })}
                                <a class="button" href="/admin/agreements">"返回列表"</a>
                            </div>
                            <Show when=move || revoking.get()>
                                <ReasonDialog title="撤回审核" label="撤回原因" error=revoke_error pending=revoke_pending
                                    on_confirm=move |r| { revoke.dispatch(RevokeCertification { agreement_id, reason: r }); }
                                    on_cancel=move || revoking.set(false) />
                            </Show>
                            <Show when=move || rejecting.get()>
                                <div class="dialog-backdrop">
                                    <div class="dialog" role="dialog" aria-modal="true" aria-label="签约审核不通过">
                                        <label>
                                            <span>"不通过原因"</span>
                                            <textarea name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                                        </label>
                                        {move || review.value().get().and_then(|r| r.err())
                                            .map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                                        <div class="actions">
                                            <button class="danger" disabled=move || review.pending().get()
                                                on:click=move |_| {
                                                    review.dispatch(ReviewAgreement { agreement_id, approve: false, reason: Some(reason.get_untracked()) });
                                                }>"确定"</button>
                                            <button on:click=move |_| { review.value().set(None); rejecting.set(false); }>"取消"</button>
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
