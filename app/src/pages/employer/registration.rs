//! 单位管理 of a registered employer: 注册审核 (the 营业执照, the e-mail confirmation, each
//! school's decision, 申请更多学校审核) and 单位信息维护 (the information after its first
//! confirmation; a new name or credit code is reviewed again by every school).

use domain::{
    registration::{LicenceType, RegistrationState},
    role::LoginKind,
};
use leptos::prelude::*;

use super::{ConfirmInfo, MENU};
use crate::{
    api::{
        dashboard::{employer_info, ConfirmEmployerInfo},
        registration::{licence_url, my_registration, register_schools, ApplySchools},
    },
    components::{ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn RegistrationPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="注册审核" menu=MENU>
            <Registration />
        </RoleLayout>
    }
}

#[component]
fn Registration() -> impl IntoView {
    let apply = ServerAction::<ApplySchools>::new();
    let uploaded = RwSignal::new(0u32);
    let upload_error = RwSignal::new(None::<String>);
    let uploading = RwSignal::new(false);
    let state = crate::resource::resource(move || (uploaded.get(), apply.version().get()), |_| my_registration());
    let schools = crate::resource::resource(|| (), |_| register_schools());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let chosen = RwSignal::new(Vec::<i64>::new());
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = file_input
                .get_untracked()
                .and_then(|i| i.files())
                .and_then(|l| l.get(0))
            else {
                upload_error.set(Some("请选择营业执照文件".into()));
                return;
            };
            uploading.set(true);
            upload_error.set(None);
            leptos::task::spawn_local(async move {
                match crate::api::registration::upload_licence(file).await {
                    Ok(_) => uploaded.update(|n| *n += 1),
                    Err(e) => upload_error.set(Some(e.message())),
                }
                uploading.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, upload_error, uploading, uploaded);
    };
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match state.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) => view! { <StateView s=s.clone() /> }.into_any(),
                }
            })}
        </Suspense>
        <Panel title="营业执照">
            <form class="form-grid inline-form" on:submit=upload>
                <label for="licence-file">
                    <span>"营业执照（JPEG、PNG 图片或 PDF，不超过10 MB）"</span>
                    <input id="licence-file" type="file" accept="image/jpeg,image/png,application/pdf" node_ref=file_input required />
                </label>
                <button type="submit" disabled=move || uploading.get()>"上传营业执照"</button>
            </form>
            <p class="hint-block">"尚未确认邮箱时，上传后将向注册邮箱重新发送确认邮件。"</p>
            {move || upload_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </Panel>
        <Panel title="申请更多学校审核">
            <p class="hint-block">"任一学校审核通过后即可向各校毕业生发出签约邀请；审核不通过的学校可以重新申请。"</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match schools.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) => view! {
                            <div class="checkbox-list">
                                {list.into_iter().map(|s| {
                                    let id = s.id;
                                    view! {
                                        <label class="checkbox">
                                            <input type="checkbox" value=id.to_string()
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                                                } />
                                            <span>{s.name}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <button class="primary" disabled=move || apply.pending().get()
                on:click=move |_| { apply.dispatch(ApplySchools { school_ids: chosen.get_untracked() }); }>"提交申请"</button>
            {move || apply.value().get().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">"已提交申请"</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message().trim_start_matches("申请审核的学校：").to_owned()}</p> }.into_any(),
            })}
        </Panel>
    }
}

#[component]
fn StateView(s: RegistrationState) -> impl IntoView {
    let todo = if let Some(reason) = &s.frozen {
        Some(format!("你单位的账号已被省中心冻结（原因：{reason}）。"))
    } else if s.licence.is_none() {
        Some("请上传营业执照，上传后系统将向注册邮箱发送确认邮件。".to_owned())
    } else if !s.email_confirmed {
        Some(format!(
            "确认邮件已发送至 {}，请打开邮件中的链接确认邮箱。确认后学校方可审核。",
            s.email
        ))
    } else {
        None
    };
    let licence = s.licence.map(|t| match t {
        LicenceType::Pdf => "PDF 文件",
        _ => "图片",
    });
    view! {
        <Panel title="注册审核">
            {todo.map(|t| view! { <p class="warning" role="status">{t}</p> })}
            <dl class="fields">
                <div><dt>"单位名称"</dt><dd>{s.name}</dd></div>
                <div><dt>"注册邮箱"</dt><dd>{s.email}{if s.email_confirmed { "（已确认）" } else { "（未确认）" }}</dd></div>
                <div><dt>"营业执照"</dt><dd>{match licence {
                    Some(kind) => view! { <a href=licence_url(s.employer_id) target="_blank" rel="noopener">{format!("已上传（{kind}，查看）")}</a> }.into_any(),
                    None => view! { <span>"未上传"</span> }.into_any(),
                }}</dd></div>
            </dl>
            <div class="table-wrap">
                <table class="list" aria-label="各学校审核结果">
                    <thead><tr><th>"学校"</th><th>"审核状态"</th><th>"原因"</th><th>"审核时间"</th></tr></thead>
                    <tbody>
                        {s.approvals.into_iter().map(|a| view! {
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
        </Panel>
    }
}

#[component]
pub fn InfoPage() -> impl IntoView {
    let save = ServerAction::<ConfirmEmployerInfo>::new();
    let info = crate::resource::resource(|| (), |_| employer_info());
    view! {
        <RoleLayout kind=LoginKind::Employer title="单位信息维护" menu=MENU>
            <p class="hint-block">"修改单位名称或统一社会信用代码后，各学校将重新审核你单位的注册信息，审核通过前不能签约。每次修改都会记录。"</p>
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="success" role="status">"单位信息已保存"</p> })}
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(i) => view! { <ConfirmInfo action=save info=i /> }.into_any(),
                    }
                })}
            </Suspense>
        </RoleLayout>
    }
}
