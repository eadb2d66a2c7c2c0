//! 生源管理 (school and college admins; the province reads): the list with its filters (in the
//! URL), 新增, 生源审核 of the selected records, 导出 to Excel; a record's detail with 修改,
//! 生源审核通过, 限制签约 / 解除限制 and its 变更记录.

use domain::{
    role::LoginKind,
    roster::{RosterInput, COLUMNS, DEGREES, GENDERS, TRAINING_MODES},
    roster_manage::problems_by_field,
    status::RosterStatus,
    view::{RosterDetail, RosterFilter},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::MENU;
use crate::{
    api::roster::{
        admin_colleges, roster_list, roster_record, AddRosterRecord, ApproveRoster, EditRosterRecord, RestrictRoster,
    },
    components::{termination::ReasonDialog, ErrorBox, Field, Loading, Pager, Panel, RoleLayout},
};

const LIST: &str = "/admin/roster";

#[component]
pub fn RosterPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="生源管理" menu=MENU>
            <RosterView />
        </RoleLayout>
    }
}

/// The filters as the URL holds them (`?college=&major=&year=&mode=&status=&restricted=&q=&page=`).
fn filter_from(q: &leptos_router::params::ParamsMap) -> RosterFilter {
    let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
    RosterFilter {
        college_id: text("college").and_then(|v| v.parse().ok()),
        major: text("major").unwrap_or_default(),
        graduation_year: text("year").and_then(|v| v.parse().ok()),
        training_mode: text("mode").unwrap_or_default(),
        status: text("status").unwrap_or_default(),
        restricted: text("restricted").and_then(|v| v.parse().ok()),
        keyword: text("q").unwrap_or_default(),
        page: text("page").and_then(|v| v.parse().ok()).unwrap_or(1),
    }
}

/// `key=value` pairs of the filters that are set, percent-encoded.
fn filter_pairs(f: &RosterFilter, keys: [&str; 7]) -> String {
    let values = [
        f.college_id.map(|c| c.to_string()).unwrap_or_default(),
        f.major.clone(),
        f.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
        f.training_mode.clone(),
        f.status.clone(),
        f.restricted.map(|r| r.to_string()).unwrap_or_default(),
        f.keyword.clone(),
    ];
    keys.iter()
        .zip(values)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const URL_KEYS: [&str; 7] = ["college", "major", "year", "mode", "status", "restricted", "q"];
/// The export route takes the filter's own field names.
const EXPORT_KEYS: [&str; 7] = [
    "college_id",
    "major",
    "graduation_year",
    "training_mode",
    "status",
    "restricted",
    "keyword",
];

#[component]
fn RosterView() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.with(filter_from);
    // Read again after a change that succeeded.
    let changed = RwSignal::new(0u32);
    let rows = crate::resource::resource(move || (filter(), changed.get()), |(f, _)| roster_list(Some(f)));
    let colleges = crate::resource::resource(|| (), |_| admin_colleges());
    let selected = RwSignal::new(Vec::<i64>::new());
    let approve = ServerAction::<ApproveRoster>::new();
    let adding = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = approve.value().get() {
            selected.set(Vec::new());
            changed.update(|n| *n += 1);
        }
    });
    let page_link = move |page: u64| {
        let pairs = filter_pairs(&filter(), URL_KEYS);
        format!("{LIST}?{pairs}{}page={page}", if pairs.is_empty() { "" } else { "&" })
    };
    let export_href = move || format!("/api/admin/roster/export.xlsx?{}", filter_pairs(&filter(), EXPORT_KEYS));
    let approve_report = move || {
        approve.value().get().map(|r| match r {
            Ok(rep) => {
                let mut text = format!("已审核通过 {} 条", rep.approved.len());
                if !rep.already.is_empty() {
                    text.push_str(&format!("；以下记录此前已审核：{}", rep.already.join("、")));
                }
                view! { <p class="success" role="status">{text}</p> }.into_any()
            }
            Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
        })
    };
    view! {
        <Panel title="生源管理">
            <form class="filters" method="get" action=LIST>
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
                <label>"专业" <input name="major" prop:value=move || filter().major /></label>
                <label>"毕业届" <input name="year" inputmode="numeric" prop:value=move || filter().graduation_year.map(|y| y.to_string()).unwrap_or_default() /></label>
                <label>
                    "培养方式"
                    <select name="mode">
                        <option value="">"全部"</option>
                        {move || { let current = filter().training_mode; TRAINING_MODES.iter().map(|m| view! { <option value=*m selected=current == *m>{*m}</option> }).collect_view() }}
                    </select>
                </label>
                <label>
                    "生源审核状态"
                    <select name="status">
                        <option value="">"全部"</option>
                        {move || { let current = filter().status; RosterStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=current == s.code()>{s.label()}</option> }).collect_view() }}
                    </select>
                </label>
                <label>
                    "限制签约"
                    <select name="restricted">
                        <option value="">"全部"</option>
                        {move || { let current = filter().restricted; [(true, "是"), (false, "否")].into_iter().map(|(v, l)| view! { <option value=v.to_string() selected=current == Some(v)>{l}</option> }).collect_view() }}
                    </select>
                </label>
                <label>"姓名或身份证号" <input name="q" prop:value=move || filter().keyword /></label>
                <button type="submit">"查询"</button>
            </form>
            {approve_report}
            {move || added.get().map(|m| view! { <p class="success" role="status">{m}</p> })}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) => {
                            let may_edit = list.may_edit;
                            let p = list.page;
                            let (page, total, per_page) = (p.page, p.total, p.per_page);
                            view! {
                                {may_edit.then(|| view! {
                                    <div class="actions">
                                        <button class="primary" on:click=move |_| { added.set(None); adding.set(true); }>"新增"</button>
                                        <button disabled=move || selected.with(Vec::is_empty) || approve.pending().get()
                                            on:click=move |_| { approve.dispatch(ApproveRoster { student_ids: selected.get_untracked() }); }>
                                            {move || format!("审核通过（已选 {} 条）", selected.with(Vec::len))}
                                        </button>
                                        <a class="button" href=export_href download>"导出Excel"</a>
                                    </div>
                                })}
                                <p class="summary">{format!("共 {} 人", p.total)}</p>
                                <div class="table-wrap">
                                    <table class="list" aria-label="生源信息列表">
                                        <thead>
                                            <tr>
                                                {may_edit.then(|| view! { <th><span class="visually-hidden">"选择"</span></th> })}
                                                <th>"姓名"</th><th>"学院"</th><th>"专业"</th><th>"学历"</th><th>"毕业届"</th><th>"身份证号"</th><th>"培养方式"</th><th>"生源审核状态"</th><th>"操作"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.rows.into_iter().map(|r| {
                                                let id = r.id;
                                                let href = format!("{LIST}/{id}");
                                                let name = r.name.clone();
                                                let detail_label = format!("{}的详情", r.name);
                                                view! {
                                                    <tr>
                                                        {may_edit.then(|| view! {
                                                            <td data-label="选择">
                                                                <input type="checkbox" aria-label=format!("选择{name}")
                                                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                                                    on:change=move |ev| {
                                                                        let on = event_target_checked(&ev);
                                                                        selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id); } });
                                                                    } />
                                                            </td>
                                                        })}
                                                        <td data-label="姓名"><a href=href.clone()>{r.name}</a></td>
                                                        <td data-label="学院">{r.college}</td>
                                                        <td data-label="专业">{r.major}</td>
                                                        <td data-label="学历">{r.degree}</td>
                                                        <td data-label="毕业届">{r.graduation_year}</td>
                                                        <td data-label="身份证号" class="mono">{r.id_number_masked}</td>
                                                        <td data-label="培养方式">{r.training_mode}</td>
                                                        <td data-label="生源审核状态">
                                                            <span class="status">{r.roster_status}</span>
                                                            {r.restricted.then(|| view! { " " <span class="status restricted">"限制签约"</span> })}
                                                        </td>
                                                        <td data-label="操作"><a class="button small" href=href aria-label=detail_label>"详情"</a></td>
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
                })}
            </Suspense>
        </Panel>
        <Show when=move || adding.get()>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let colleges = colleges.await.unwrap_or_default();
                    let initial = RosterInput {
                        college: if colleges.len() == 1 { colleges[0].1.clone() } else { String::new() },
                        training_mode: TRAINING_MODES[0].into(),
                        ..Default::default()
                    };
                    view! {
                        <RecordDialog title="新增生源" initial colleges student_id=None
                            on_done=move |m| { adding.set(false); added.set(Some(m)); changed.update(|n| *n += 1); }
                            on_cancel=move || adding.set(false) />
                    }
                })}
            </Suspense>
        </Show>
    }
}

/// The form of a record's 11 fields in a dialog: 新增 (no `student_id`) or 修改 (with an
/// optional 原因). A refusal keeps the dialog open with what was typed, each problem beside its
/// field; `on_done` gets the confirmation once saved.
#[component]
fn RecordDialog(
    title: &'static str,
    initial: RosterInput,
    colleges: Vec<(i64, String)>,
    student_id: Option<i64>,
    on_done: impl Fn(String) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let add = ServerAction::<AddRosterRecord>::new();
    let edit = ServerAction::<EditRosterRecord>::new();
    let record = RwSignal::new(initial);
    let reason = RwSignal::new(String::new());
    let pending = move || add.pending().get() || edit.pending().get();
    {
        let on_done = on_done.clone();
        Effect::new(move |_| {
            if let Some(Ok(_)) = add.value().get() {
                on_done("已新增，待生源审核".into());
            }
            if let Some(Ok(changed)) = edit.value().get() {
                on_done(
                    if changed {
                        "已保存修改"
                    } else {
                        "没有需要保存的修改"
                    }
                    .into(),
                );
            }
        });
    }
    let refusal = Memo::new(move |_| {
        let err = match student_id {
            None => add.value().get().and_then(|r| r.err()),
            Some(_) => edit.value().get().and_then(|r| r.err()),
        };
        err.map(|e| {
            problems_by_field(&e.message())
                .into_iter()
                .map(|(f, t)| (f.map(str::to_owned), t))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let general = move || {
        let rest: Vec<String> =
            refusal.with(|p| p.iter().filter(|(f, _)| f.is_none()).map(|(_, t)| t.clone()).collect());
        (!rest.is_empty()).then(|| view! { <p class="form-error" role="alert">{rest.join("；")}</p> })
    };
    let any_field_problem = move || refusal.with(|p| p.iter().any(|(f, _)| f.is_some()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rec = record.get_untracked();
        match student_id {
            None => {
                add.dispatch(AddRosterRecord { record: rec });
            }
            Some(id) => {
                let r = reason.get_untracked();
                edit.dispatch(EditRosterRecord {
                    student_id: id,
                    record: rec,
                    reason: (!r.trim().is_empty()).then_some(r),
                });
            }
        }
    };
    let college_names: Vec<String> = colleges.into_iter().map(|(_, n)| n).collect();
    let fields = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let label = *label;
            let problem = move || {
                refusal.with(|p| {
                    p.iter()
                        .filter(|(f, _)| f.as_deref() == Some(label))
                        .map(|(_, t)| t.clone())
                        .collect::<Vec<_>>()
                        .join("；")
                })
            };
            let err_id = format!("roster-field-{i}-error");
            let value = move || record.with(|r| domain::roster_manage::cells(r)[i].to_owned());
            let set = move |v: String| record.update(|r| set_cell(r, i, v));
            let options: Option<Vec<String>> = match i {
                0 => Some(college_names.clone()),
                2 => Some(DEGREES.iter().map(|s| s.to_string()).collect()),
                5 => Some(GENDERS.iter().map(|s| s.to_string()).collect()),
                9 => Some(TRAINING_MODES.iter().map(|s| s.to_string()).collect()),
                _ => None,
            };
            let invalid = move || !problem().is_empty();
            let described = err_id.clone();
            let control = match options {
                Some(opts) => view! {
                    <select name=label aria-invalid=move || invalid().to_string() aria-describedby=described.clone()
                        on:change=move |ev| set(event_target_value(&ev))>
                        <option value="" selected=move || value().is_empty()>"请选择"</option>
                        {opts.into_iter().map(|o| {
                            let (v, shown) = (o.clone(), o.clone());
                            view! { <option value=o selected=move || value() == v>{shown}</option> }
                        }).collect_view()}
                    </select>
                }
                .into_any(),
                None => {
                    let mode = match i {
                        3 | 6 | 7 => "numeric",
                        8 => "email",
                        _ => "text",
                    };
                    view! {
                        <input name=label inputmode=mode class:mono=matches!(i, 6 | 7)
                            aria-invalid=move || invalid().to_string() aria-describedby=described.clone()
                            prop:value=value on:input=move |ev| set(event_target_value(&ev)) />
                    }
                    .into_any()
                }
            };
            let required = !matches!(i, 8 | 10);
            view! {
                <label>
                    <span>{label}{required.then_some(" *")}</span>
                    {control}
                    <span class="field-error" id=err_id>{problem}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="dialog-backdrop">
            <div class="dialog wide" role="dialog" aria-modal="true" aria-label=title>
                <h2 class="dialog-title">{title}</h2>
                <form class="form-grid" on:submit=submit>
                    <fieldset>
                        <legend>"生源信息"</legend>
                        {fields}
                        {student_id.map(|_| view! {
                            <label class="wide">
                                <span>"修改原因（选填）"</span>
                                <textarea name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            </label>
                        })}
                    </fieldset>
                    {general}
                    {move || any_field_problem().then(|| view! { <p class="form-error" role="alert">"请按提示修改标出的项目"</p> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=pending>"保存"</button>
                        <button type="button" on:click=move |_| on_cancel()>"取消"</button>
                    </div>
                </form>
            </div>
        </div>
    }
}

/// Sets field `i` (in `COLUMNS` order) of a record.
fn set_cell(r: &mut RosterInput, i: usize, v: String) {
    let slot = match i {
        0 => &mut r.college,
        1 => &mut r.major,
        2 => &mut r.degree,
        3 => &mut r.graduation_year,
        4 => &mut r.name,
        5 => &mut r.gender,
        6 => &mut r.id_number,
        7 => &mut r.phone,
        8 => &mut r.email,
        9 => &mut r.training_mode,
        _ => &mut r.origin,
    };
    *slot = v;
}

#[component]
pub fn RosterDetailPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="生源详情" menu=MENU>
            <RosterDetailView />
        </RoleLayout>
    }
}

#[component]
fn RosterDetailView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default());
    let changed = RwSignal::new(0u32);
    let detail = crate::resource::resource(move || (id(), changed.get()), |(id, _)| roster_record(id));
    let colleges = crate::resource::resource(|| (), |_| admin_colleges());
    let approve = ServerAction::<ApproveRoster>::new();
    let restrict = ServerAction::<RestrictRoster>::new();
    let editing = RwSignal::new(false);
    let restricting = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(rep)) = approve.value().get() {
            done.set(Some(
                if rep.approved.is_empty() {
                    "该记录此前已审核"
                } else {
                    "已审核通过"
                }
                .into(),
            ));
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = restrict.value().get() {
            restricting.set(false);
            done.set(Some("已保存".into()));
            changed.update(|n| *n += 1);
        }
    });
    let restrict_error = Signal::derive(move || restrict.value().get().and_then(|r| r.err()).map(|e| e.message()));
    let restrict_pending = restrict.pending();
    view! {
        {move || done.get().map(|m| view! { <p class="success" role="status">{m}</p> })}
        {move || approve.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let colleges = colleges.await.unwrap_or_default();
                match detail.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => detail_view(d, colleges, approve, restrict, editing, restricting, restrict_error, restrict_pending, done, changed).into_any(),
                }
            })}
        </Suspense>
    }
}

#[allow(clippy::too_many_arguments)]
fn detail_view(
    d: RosterDetail,
    colleges: Vec<(i64, String)>,
    approve: ServerAction<ApproveRoster>,
    restrict: ServerAction<RestrictRoster>,
    editing: RwSignal<bool>,
    restricting: RwSignal<bool>,
    restrict_error: Signal<Option<String>>,
    restrict_pending: Memo<bool>,
    done: RwSignal<Option<String>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let id = d.id;
    let restricted = d.restricted;
    let r = d.record.clone();
    let initial = d.record.clone();
    let state = if d.restricted {
        format!("{}，限制签约", d.roster_status)
    } else {
        d.roster_status.clone()
    };
    view! {
        <Panel title=format!("生源信息：{}", r.name)>
            <dl class="fields">
                <Field label="学校" value=d.school.clone() />
                <Field label="学院" value=r.college />
                <Field label="专业" value=r.major />
                <Field label="学历" value=r.degree />
                <Field label="毕业届" value=r.graduation_year />
                <Field label="姓名" value=r.name />
                <Field label="性别" value=r.gender />
                <Field label="身份证号" value=r.id_number />
                <Field label="手机号" value=format!("{}（{}）", r.phone, if d.phone_verified { "已验证" } else { "未验证" }) />
                <Field label="邮箱" value=if r.email.is_empty() { "—".to_owned() } else { r.email } />
                <Field label="培养方式" value=r.training_mode />
                <Field label="生源地" value=if r.origin.is_empty() { "—".to_owned() } else { r.origin } />
                <Field label="生源审核状态" value=state />
                {restricted.then(|| view! { <Field label="限制原因" value=d.restriction_reason.clone() /> })}
            </dl>
            {d.may_edit.then(|| view! {
                <div class="actions">
                    <button class="primary" on:click=move |_| { done.set(None); editing.set(true); }>"修改"</button>
                    {(!d.approved).then(|| view! {
                        <button disabled=move || approve.pending().get()
                            on:click=move |_| { done.set(None); approve.dispatch(ApproveRoster { student_ids: vec![id] }); }>"生源审核通过"</button>
                    })}
                    <button class="danger" on:click=move |_| { done.set(None); restrict.value().set(None); restricting.set(true); }>
                        {if restricted { "解除限制" } else { "限制签约" }}
                    </button>
                </div>
            })}
            <a class="button" href=LIST>"返回列表"</a>
        </Panel>
        <Panel title="变更记录">
            {if d.history.is_empty() {
                view! { <p class="empty">"暂无记录"</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="list" aria-label="变更记录">
                            <thead><tr><th>"时间"</th><th>"操作人"</th><th>"操作"</th><th>"原因"</th></tr></thead>
                            <tbody>
                                {d.history.into_iter().map(|h| view! {
                                    <tr>
                                        <td data-label="时间">{h.at}</td>
                                        <td data-label="操作人">{h.actor}</td>
                                        <td data-label="操作" class="wrap">{h.action}</td>
                                        <td data-label="原因" class="wrap">{if h.reason.is_empty() { "—".to_owned() } else { h.reason }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </Panel>
        <Show when=move || editing.get()>
            <RecordDialog title="修改生源信息" initial=initial.clone() colleges=colleges.clone() student_id=Some(id)
                on_done=move |m| { editing.set(false); done.set(Some(m)); changed.update(|n| *n += 1); }
                on_cancel=move || editing.set(false) />
        </Show>
        <Show when=move || restricting.get()>
            <ReasonDialog title=if restricted { "解除限制" } else { "限制签约" } label=if restricted { "解除原因" } else { "限制原因" }
                error=restrict_error pending=restrict_pending
                on_confirm=move |reason| { restrict.dispatch(RestrictRoster { student_id: id, restricted: !restricted, reason }); }
                on_cancel=move || restricting.set(false) />
        </Show>
    }
}
