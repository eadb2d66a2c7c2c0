//! 单位管理 → 用人单位审核: the applications to the admin's school (every school for the
//! province) by 审核状态, searched by name or 统一社会信用代码, paged; 审核通过 / 审核不通过 of the
//! checked rows at once (school admins; each row's outcome is listed); the detail with the
//! 营业执照 inline, each school's decision, the 变更记录, and the province's 冻结 / 解冻.

use std::collections::BTreeSet;

use domain::{
    registration::{LicenceType, ReviewFilter, ReviewOutcome},
    role::LoginKind,
    status::ApprovalStatus,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::MENU;
use crate::{
    api::registration::{licence_url, review_detail, review_list, FreezeEmployer, ReviewEmployers},
    components::{ErrorBox, Field, Loading, Pager, Panel, RoleLayout},
};

const TABS: [(&str, &str); 4] = [
    ("pending", "待审核"),
    ("approved", "审核通过"),
    ("rejected", "审核不通过"),
    ("", "全部"),
];

#[component]
pub fn EmployersPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="用人单位审核" menu=MENU>
            <ReviewList />
        </RoleLayout>
    }
}

fn list_href(status: &str, q: &str, page: u64) -> String {
    let q: String = q
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/admin/employers?status={status}&q={q}&page={page}")
}

/// The outcomes of a (bulk) review, one line per employer.
fn outcomes(list: Vec<ReviewOutcome>) -> impl IntoView {
    view! {
        <ul class="outcomes" role="status" aria-label="审核结果">
            {list.into_iter().map(|o| {
                let name = if o.name.is_empty() { format!("单位 {}", o.employer_id) } else { o.name };
                match o.result {
                    Ok(s) => view! { <li class="success">{format!("{name}：{s}")}</li> }.into_any(),
                    Err(e) => view! { <li class="form-error">{format!("{name}：{e}")}</li> }.into_any(),
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn ReviewList() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.get();
        ReviewFilter {
            // The list opens on 待审核.
            status: q.get("status").unwrap_or_else(|| "pending".into()),
            q: q.get("q").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    };
    let review = ServerAction::<ReviewEmployers>::new();
    let rows = crate::resource::resource(
        move || (filter(), review.version().get()),
        |(f, _)| review_list(Some(f)),
    );
    let checked = RwSignal::new(BTreeSet::<i64>::new());
    let reason = RwSignal::new(String::new());
    let decide = move |approve: bool| {
        let ids: Vec<i64> = checked.get_untracked().into_iter().collect();
        review.dispatch(ReviewEmployers {
            employer_ids: ids,
            approve,
            reason: Some(reason.get_untracked()),
        });
        checked.set(BTreeSet::new());
    };
    view! {
        <Panel title="用人单位审核">
            <div class="tabs" role="tablist" aria-label="审核状态">
                {TABS.iter().map(|&(code, label)| view! {
                    <a role="tab" class="tab" href=move || list_href(code, &filter().q, 1)
                        class:active=move || filter().status == code
                        aria-selected=move || (filter().status == code).to_string()>{label}</a>
                }).collect_view()}
            </div>
            <form class="filters" method="get" action="/admin/employers">
                <input type="hidden" name="status" prop:value=move || filter().status />
                <label>"单位名称或统一社会信用代码" <input name="q" prop:value=move || filter().q /></label>
                <button type="submit">"查询"</button>
            </form>
            {move || review.value().get().map(|r| match r {
                Ok(list) => outcomes(list).into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(p) => {
                            let (page, total, per_page) = (p.page, p.total, p.per_page);
                            let any_decidable = p.rows.iter().any(|r| r.decidable);
                            let f = filter();
                            view! {
                                <p class="summary">{format!("共 {} 条", p.total)}</p>
                                <div class="table-wrap">
                                    <table class="list" aria-label="用人单位审核列表">
                                        <thead><tr><th>"选择"</th><th>"单位名称"</th><th>"统一社会信用代码"</th><th>"所在地区"</th><th>"申请学校"</th><th>"申请时间"</th><th>"审核状态"</th><th>"操作"</th></tr></thead>
                                        <tbody>
                                            {p.rows.into_iter().map(|r| {
                                                let id = r.employer_id;
                                                let label = format!("选择 {}", r.name);
                                                view! {
                                                    <tr>
                                                        <td data-label="选择">{r.decidable.then(|| view! {
                                                            <input type="checkbox" aria-label=label
                                                                prop:checked=move || checked.with(|c| c.contains(&id))
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    checked.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                                                } />
                                                        })}</td>
                                                        <td data-label="单位名称">{r.name}{r.frozen.then(|| view! { <span class="status">" 已冻结"</span> })}</td>
                                                        <td data-label="统一社会信用代码" class="mono">{r.credit_code}</td>
                                                        <td data-label="所在地区">{r.region}</td>
                                                        <td data-label="申请学校">{r.school}</td>
                                                        <td data-label="申请时间">{r.applied_at}</td>
                                                        <td data-label="审核状态"><span class="status">{r.status.label()}</span></td>
                                                        <td data-label="操作"><a class="button small" href=format!("/admin/employers/{id}")>"详情"</a></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {(p.total == 0).then(|| view! { <p class="empty">"没有符合条件的单位。"</p> })}
                                {any_decidable.then(|| view! {
                                    <div class="bulk-actions">
                                        <label>"审核不通过的原因" <input prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) maxlength="200" /></label>
                                        <button class="primary" disabled=move || review.pending().get() || checked.with(|c| c.is_empty())
                                            on:click=move |_| decide(true)>"审核通过所选单位"</button>
                                        <button disabled=move || review.pending().get() || checked.with(|c| c.is_empty())
                                            on:click=move |_| decide(false)>"审核不通过所选单位"</button>
                                    </div>
                                })}
                                <Pager page total per_page link=move |n| list_href(&f.status, &f.q, n) />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Panel>
    }
}

#[component]
pub fn EmployerDetailPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="用人单位详情" menu=MENU>
            <Detail />
        </RoleLayout>
    }
}

#[component]
fn Detail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let review = ServerAction::<ReviewEmployers>::new();
    let freeze = ServerAction::<FreezeEmployer>::new();
    let detail = crate::resource::resource(
        move || (id(), review.version().get(), freeze.version().get()),
        |(id, _, _)| review_detail(id),
    );
    let reason = RwSignal::new(String::new());
    let freeze_reason = RwSignal::new(String::new());
    view! {
        <p><a href="/admin/employers">"返回用人单位审核"</a></p>
        {move || review.value().get().map(|r| match r {
            Ok(list) => outcomes(list).into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
        })}
        {move || freeze.value().get().map(|r| match r {
            Ok(()) => view! { <p class="success" role="status">"已保存"</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
        })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => {
                        let eid = d.id;
                        let href = licence_url(eid);
                        let licence = match d.licence {
                            None => view! { <p class="empty">"未上传营业执照"</p> }.into_any(),
                            Some(LicenceType::Pdf) => view! {
                                <iframe class="licence" src=href.clone() title="营业执照"></iframe>
                                <p><a href=href target="_blank" rel="noopener">"在新窗口打开营业执照"</a></p>
                            }.into_any(),
                            Some(_) => view! {
                                <img class="licence" src=href.clone() alt=format!("{}的营业执照", d.name) />
                                <p><a href=href target="_blank" rel="noopener">"查看原图"</a></p>
                            }.into_any(),
                        };
                        let frozen = d.frozen.clone();
                        let frozen_note = d.frozen.clone();
                        let freezing = frozen.is_none();
                        view! {
                            <Panel title=d.name.clone()>
                                {frozen_note.map(|r| view! { <p class="warning" role="status">{format!("已冻结（原因：{r}）")}</p> })}
                                <dl class="fields">
                                    <Field label="单位名称" value=d.name.clone() />
                                    <Field label="统一社会信用代码" value=d.credit_code />
                                    <Field label="单位性质" value=d.nature />
                                    <Field label="所属行业" value=d.industry />
                                    <Field label="所在地区" value=d.region />
                                    <Field label="单位地址" value=d.address />
                                    <Field label="联系人" value=d.contact_person />
                                    <Field label="联系电话" value=d.contact_phone />
                                    <Field label="电子邮箱" value=d.email />
                                </dl>
                            </Panel>
                            <Panel title="营业执照">{licence}</Panel>
                            <Panel title="各学校审核结果">
                                <div class="table-wrap">
                                    <table class="list" aria-label="各学校审核结果">
                                        <thead><tr><th>"学校"</th><th>"审核状态"</th><th>"原因"</th><th>"审核时间"</th></tr></thead>
                                        <tbody>
                                            {d.approvals.into_iter().map(|a| view! {
                                                <tr>
                                                    <td data-label="学校">{a.school}</td>
                                                    <td data-label="审核状态"><span class="status">{a.status.label()}</span></td>
                                                    <td data-label="原因">{if a.reason.is_empty() { "—".to_owned() } else { a.reason }}</td>
                                                    <td data-label="审核时间">{a.reviewed_at.unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {d.decidable.then(|| view! {
                                    <div class="bulk-actions">
                                        <button class="primary" disabled=move || review.pending().get()
                                            on:click=move |_| { review.dispatch(ReviewEmployers { employer_ids: vec![eid], approve: true, reason: None }); }>
                                            {ApprovalStatus::Approved.label()}
                                        </button>
                                        <label>"审核不通过的原因" <input prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) maxlength="200" /></label>
                                        <button disabled=move || review.pending().get()
                                            on:click=move |_| { review.dispatch(ReviewEmployers { employer_ids: vec![eid], approve: false, reason: Some(reason.get_untracked()) }); }>
                                            {ApprovalStatus::Rejected.label()}
                                        </button>
                                    </div>
                                })}
                            </Panel>
                            {d.may_freeze.then(|| {
                                view! {
                                    <Panel title=if freezing { "冻结单位" } else { "解冻单位" }>
                                        <p class="hint-block">"冻结后该单位不能登录，未应约的签约邀请将撤回并通知学生，已签协议不受影响。"</p>
                                        <div class="bulk-actions">
                                            {freezing.then(|| view! {
                                                <label>"冻结原因" <input prop:value=move || freeze_reason.get() on:input=move |ev| freeze_reason.set(event_target_value(&ev)) maxlength="200" /></label>
                                            })}
                                            <button class=if freezing { "danger" } else { "primary" } disabled=move || freeze.pending().get()
                                                on:click=move |_| { freeze.dispatch(FreezeEmployer { employer_id: eid, freeze: freezing, reason: Some(freeze_reason.get_untracked()) }); }>
                                                {if freezing { "冻结" } else { "解冻" }}
                                            </button>
                                        </div>
                                    </Panel>
                                }
                            })}
                            <Panel title="变更记录">
                                <div class="table-wrap">
                                    <table class="list" aria-label="变更记录">
                                        <thead><tr><th>"时间"</th><th>"操作人"</th><th>"操作"</th><th>"说明"</th></tr></thead>
                                        <tbody>
                                            {d.log.into_iter().map(|(t, who, what, why)| view! {
                                                <tr><td data-label="时间">{t}</td><td data-label="操作人">{who}</td><td data-label="操作">{what}</td><td data-label="说明">{why}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </Panel>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
