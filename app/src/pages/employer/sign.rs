//! 签约中心 → 签约发送: 签约搜索 or 导入拟签约名单 to build the 签约发送列表, then 移出 or
//! 发送签约邀请 / 邀约 for the checked students.

use std::collections::BTreeSet;

use domain::{
    role::LoginKind,
    view::{ImportReport, ListedStudent, SearchQuery},
    AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::MENU;
use crate::{
    api::{
        dashboard::employer_dashboard,
        signing::{search_options, sign_list, AddToSignList, RemoveFromSignList, SearchStudent},
    },
    components::{ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn SignSendPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="签约发送" menu=MENU>
            <SignSend />
        </RoleLayout>
    }
}

/// The letter page for these students.
pub fn letter_href(ids: impl IntoIterator<Item = i64>) -> String {
    let ids: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    format!("/employer/letter?ids={}", ids.join(","))
}

#[component]
fn SignSend() -> impl IntoView {
    let tab = RwSignal::new(0u8);
    // Bumped whenever the list changes on the server.
    let version = RwSignal::new(0u32);
    let reload = move || version.update(|v| *v += 1);
    // Only an employer that a school approved may sign: say so before anything is filled in.
    let status = crate::resource::resource(|| (), |_| employer_dashboard());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            // A plain `Suspend`, built once (see `RoleLayout`): the parts below create resources.
            {Suspend::new(async move {
                // If the status cannot be read, the server still refuses what is not allowed.
                let approved = status.await.map(|d| d.approved).unwrap_or(true);
                view! {
                    {(!approved).then(|| view! {
                        <p class="notice" id="not-approved">
                            "贵单位的注册信息尚未通过任何学校审核，暂不能签约。签约搜索、导入拟签约名单和发送签约邀请将在学校审核通过后开放；审核状态见用户中心。"
                        </p>
                    })}
                    <div class="tabs page-tabs" role="tablist">
                        <button role="tab" class="tab" class:active=move || tab.get() == 0 aria-selected=move || (tab.get() == 0).to_string() on:click=move |_| tab.set(0)>"签约搜索"</button>
                        <button role="tab" class="tab" class:active=move || tab.get() == 1 aria-selected=move || (tab.get() == 1).to_string() on:click=move |_| tab.set(1)>"导入拟签约名单"</button>
                    </div>
                    <Show when=move || tab.get() == 0 fallback=move || view! { <Import approved on_done=reload /> }>
                        <Search approved on_added=reload />
                    </Show>
                    // Without approval there is no list to send from (the server refuses to read it).
                    {approved.then(|| view! { <SignList version=version on_change=reload /> })}
                }
            })}
        </Suspense>
    }
}

/// 签约搜索: all four fields must match exactly.
#[component]
fn Search(approved: bool, on_added: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let options = crate::resource::resource(|| (), |_| search_options());
    let query = RwSignal::new(SearchQuery::default());
    let search = ServerAction::<SearchStudent>::new();
    let add = ServerAction::<AddToSignList>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            on_added();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.value().set(None);
        search.dispatch(SearchStudent {
            query: query.get_untracked(),
        });
    };
    view! {
        <Panel title="签约搜索">
            <p class="hint-block">"请输入毕业学校、毕业届、姓名和身份证号/手机号，四项全部正确才能搜索到学生。"</p>
            <form class="filters" on:submit=submit>
                <fieldset class="plain" disabled=!approved aria-describedby=(!approved).then_some("not-approved")>
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        let (schools, years) = options.await.unwrap_or_default();
                        if query.with_untracked(|q| q.school_id == 0) {
                            if let Some(first) = schools.first() {
                                query.update(|q| q.school_id = first.id);
                            }
                            let default_year = years.get(1).copied().unwrap_or_default();
                            query.update(|q| q.graduation_year = default_year);
                        }
                        view! {
                            <label>
                                "毕业学校"
                                <select name="school" on:change=move |ev| {
                                    let v = event_target_value(&ev).parse().unwrap_or_default();
                                    query.update(|q| q.school_id = v);
                                }>
                                    {schools.into_iter().map(|s| {
                                        let selected = query.with_untracked(|q| q.school_id == s.id);
                                        view! { <option value=s.id.to_string() selected=selected>{s.name}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>
                                "毕业届"
                                <select name="year" on:change=move |ev| {
                                    let v = event_target_value(&ev).parse().unwrap_or_default();
                                    query.update(|q| q.graduation_year = v);
                                }>
                                    {years.into_iter().map(|y| {
                                        let selected = query.with_untracked(|q| q.graduation_year == y);
                                        view! { <option value=y.to_string() selected=selected>{y}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    })}
                </Suspense>
                <label>"姓名" <input name="name" required on:input=move |ev| query.update(|q| q.name = event_target_value(&ev)) /></label>
                <label>"身份证号/手机号" <input name="id_or_phone" required on:input=move |ev| query.update(|q| q.id_or_phone = event_target_value(&ev)) /></label>
                <button type="submit" class="primary js-only" disabled=move || search.pending().get()>"搜索"</button>
                </fieldset>
            </form>
            {move || match search.value().get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(s)) => {
                    let added = move || matches!(add.value().get(), Some(Ok(_)));
                    let on_list = s.on_list;
                    view! {
                        <div class="table-wrap">
                            <table class="list">
                                <thead><tr><th>"姓名"</th><th>"性别"</th><th>"学校"</th><th>"学院"</th><th>"专业"</th><th>"学历"</th><th>"毕业届"</th><th>"身份证号"</th><th>"操作"</th></tr></thead>
                                <tbody>
                                    <tr>
                                        <td data-label="姓名">{s.name}</td><td data-label="性别">{s.gender}</td><td data-label="学校">{s.school}</td><td data-label="学院">{s.college}</td><td data-label="专业">{s.major}</td>
                                        <td data-label="学历">{s.degree}</td><td data-label="毕业届">{s.graduation_year}</td><td data-label="身份证号" class="mono">{s.id_number_masked}</td>
                                        <td data-label="操作">
                                            {move || if on_list || added() {
                                                view! { <span class="tag">"已加入"</span> }.into_any()
                                            } else {
                                                view! {
                                                    <button class="primary" disabled=move || add.pending().get()
                                                        on:click=move |_| { add.dispatch(AddToSignList { query: query.get_untracked() }); }>"加入"</button>
                                                }.into_any()
                                            }}
                                        </td>
                                    </tr>
                                </tbody>
                            </table>
                        </div>
                        {move || add.value().get().map(|r| match r {
                            Ok(_) => view! { <p class="success" role="status">"已加入签约发送列表。"</p> }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                        })}
                    }
                    .into_any()
                }
            }}
        </Panel>
    }
}

/// 导入拟签约名单: 下载excel模板, then upload the filled file; every row's outcome is shown.
#[component]
fn Import(approved: bool, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<Result<ImportReport, AppError>>);
    let busy = RwSignal::new(false);
    let upload = move |_| {
        let Some(input) = file_input.get() else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            report.set(Some(Err(AppError::invalid("请选择要导入的Excel文件"))));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = crate::api::upload::import_sign_list(file).await;
            if matches!(r, Ok(ref rep) if rep.added > 0) {
                on_done();
            }
            report.set(Some(r));
            busy.set(false);
        });
    };
    view! {
        <Panel title="导入拟签约名单">
            <p class="hint-block">"请先下载Excel模板，按模板填写学校名称、毕业届、姓名和身份证号/手机号（身份证号请以文本格式填写），再上传导入。文件不超过5MB、10000行。"</p>
            <div class="actions">
                <a class="button" href="/api/employer/sign-list/template.xlsx" download="拟签约名单模板.xlsx">"下载excel模板"</a>
                <input type="file" accept=".xlsx,.xls" node_ref=file_input aria-label="选择Excel文件" disabled=!approved />
                <button class="primary" on:click=upload disabled=move || !approved || busy.get()
                    aria-describedby=(!approved).then_some("not-approved")>"导入"</button>
            </div>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                Ok(rep) => {
                    let bad = rep.lines.iter().filter(|l| !l.added).count();
                    view! {
                        <p class="summary" role="status">{format!("成功加入 {} 人，未加入 {} 行", rep.added, bad)}</p>
                        <div class="table-wrap">
                            <table class="list">
                                <thead><tr><th>"行号"</th><th>"姓名"</th><th>"结果"</th></tr></thead>
                                <tbody>
                                    {rep.lines.into_iter().map(|l| view! {
                                        <tr class:bad=!l.added><td data-label="行号">{l.line}</td><td data-label="姓名">{l.name}</td><td data-label="结果">{l.outcome}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
            })}
        </Panel>
    }
}

/// The 签约发送列表 with its check boxes.
#[component]
fn SignList(version: RwSignal<u32>, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let list = crate::resource::resource(move || version.get(), |_| sign_list());
    let checked = RwSignal::new(BTreeSet::<i64>::new());
    let remove = ServerAction::<RemoveFromSignList>::new();
    let message = RwSignal::new(None::<String>);
    // How many were checked when 移出 was sent, for its confirmation.
    let removed = RwSignal::new(0usize);
    Effect::new(move |_| {
        if let Some(Ok(_)) = remove.value().get() {
            checked.set(BTreeSet::new());
            on_change();
        }
    });
    let navigate = use_navigate();
    let send = move |_| {
        let ids = checked.get_untracked();
        if ids.is_empty() {
            message.set(Some("请先勾选学生".into()));
        } else {
            navigate(&letter_href(ids), Default::default());
        }
    };
    let remove_checked = move |_| {
        let ids: Vec<i64> = checked.get_untracked().into_iter().collect();
        if ids.is_empty() {
            remove.value().set(None);
            message.set(Some("请先勾选学生".into()));
        } else {
            message.set(None);
            removed.set(ids.len());
            remove.dispatch(RemoveFromSignList { student_ids: ids });
        }
    };
    view! {
        <Panel title="签约发送列表">
            <div class="actions">
                <button on:click=remove_checked disabled=move || remove.pending().get()>"移出签约发送列表"</button>
                <button class="primary" on:click=send>"发送签约邀请"</button>
                <span class="hint">"请勾选拟聘职位相同的学生一起发送。"</span>
            </div>
            {move || message.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {move || remove.value().get().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">{format!("已移出签约发送列表：{} 人", removed.get_untracked())}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"签约发送列表为空，请先搜索或导入学生。"</p> }.into_any(),
                        Ok(rows) => view! {
                            <div class="table-wrap">
                                <table class="list" aria-label="签约发送列表">
                                    <thead><tr><th>"选择"</th><th>"姓名"</th><th>"性别"</th><th>"学校"</th><th>"学院"</th><th>"专业"</th><th>"毕业届"</th><th>"身份证号"</th><th>"手机号"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                                    <tbody>{rows.into_iter().map(|s| row(s, checked)).collect_view()}</tbody>
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

fn row(s: ListedStudent, checked: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let id = s.student_id;
    let name = s.name.clone();
    view! {
        <tr>
            <td data-label="选择">
                <input type="checkbox" aria-label=format!("选择{name}")
                    prop:checked=move || checked.with(|c| c.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        checked.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                    } />
            </td>
            <td data-label="姓名">{s.name}</td><td data-label="性别">{s.gender}</td><td data-label="学校">{s.school}</td><td data-label="学院">{s.college}</td><td data-label="专业">{s.major}</td>
            <td data-label="毕业届">{s.graduation_year}</td><td data-label="身份证号" class="mono">{s.id_number_masked}</td><td data-label="手机号" class="mono">{s.phone_masked}</td>
            <td data-label="状态">{if s.pending_invitation { "待应约" } else { "未邀约" }}</td>
            <td data-label="操作"><a class="button small" href=letter_href([id])>"邀约"</a></td>
        </tr>
    }
}
