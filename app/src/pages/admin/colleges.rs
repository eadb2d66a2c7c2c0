//! 学院管理 (school admin): the school's colleges (新增学院, 修改名称) and each college's admin
//! accounts (新增学院管理员, 禁用/启用, 重置密码). A one-time password is shown once, here.

use domain::{role::LoginKind, school::AdminAccountRow};
use leptos::prelude::*;

use super::{schools::one_time, MENU};
use crate::{
    api::{
        colleges::{colleges, SaveCollege},
        schools::{CreateAdmin, DisableAdmin, ResetAdminPassword},
    },
    components::{ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn CollegesPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="学院管理" menu=MENU>
            <Colleges />
        </RoleLayout>
    }
}

#[component]
fn Colleges() -> impl IntoView {
    let save = ServerAction::<SaveCollege>::new();
    let create = ServerAction::<CreateAdmin>::new();
    let disable = ServerAction::<DisableAdmin>::new();
    let reset = ServerAction::<ResetAdminPassword>::new();
    // Read the list again after a change that succeeded (a refusal keeps what was typed).
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = [
            save.value().get().is_some_and(|r| r.is_ok()),
            create.value().get().is_some_and(|r| r.is_ok()),
            disable.value().get().is_some_and(|r| r.is_ok()),
            reset.value().get().is_some_and(|r| r.is_ok()),
        ];
        if ok.contains(&true) {
            changed.update(|n| *n += 1);
        }
    });
    let list = crate::resource::resource(move || changed.get(), |_| colleges());
    // The college whose form (修改名称 or 新增学院管理员) was sent last: its answer shows there.
    let sent_for = RwSignal::new(None::<i64>);
    let error = move || {
        [
            disable.value().get().and_then(|r| r.err()),
            reset.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })
    };
    view! {
        <Panel title="新增学院">
            <ActionForm action=save attr:class="form-grid inline-form" on:submit=move |_| sent_for.set(None)>
                <label><span>"学院名称"</span><input name="name" required maxlength="50" /></label>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"新增学院"</button>
            </ActionForm>
            {move || (sent_for.get().is_none()).then(|| save.value().get()).flatten().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">"学院已保存"</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
        </Panel>
        {error}
        {move || reset.value().get().and_then(|r| r.ok()).map(one_time)}
        {move || disable.value().get().and_then(|r| r.ok()).map(|a| view! {
            <p class="success" role="status">{format!("账号 {} 已{}", a.login, if a.disabled { "禁用" } else { "启用" })}</p>
        })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(s) if s.colleges.is_empty() => view! { <p class="empty">"尚未添加学院。"</p> }.into_any(),
                    Ok(s) => {
                        let school_id = s.school_id;
                        s.colleges.into_iter().map(|c| {
                            let college_id = c.id;
                            let (title, value, label, placeholder) = (
                                c.name.clone(),
                                c.name.clone(),
                                format!("{}的管理员账号", c.name),
                                format!("{}就业办", c.name),
                            );
                            let sent_here = move || sent_for.get() == Some(college_id);
                            view! {
                                <Panel title=title>
                                    <p>{format!("毕业生 {} 人", c.students)}</p>
                                    <ActionForm action=save attr:class="form-grid inline-form" on:submit=move |_| sent_for.set(Some(college_id))>
                                        <input type="hidden" name="college_id" value=college_id.to_string() />
                                        <label><span>"学院名称"</span><input name="name" required maxlength="50" value=value /></label>
                                        <button type="submit" disabled=move || save.pending().get()>"修改名称"</button>
                                    </ActionForm>
                                    {move || sent_here().then(|| save.value().get()).flatten().map(|r| match r {
                                        Ok(_) => view! { <p class="success" role="status">"学院名称已修改"</p> }.into_any(),
                                        Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                                    })}
                                    <AdminTable label admins=c.admins disable reset />
                                    <ActionForm action=create attr:class="form-grid inline-form" on:submit=move |_| sent_for.set(Some(college_id))>
                                        <input type="hidden" name="school_id" value=school_id.to_string() />
                                        <input type="hidden" name="college_id" value=college_id.to_string() />
                                        <label><span>"管理员账号"</span><input name="login" required pattern="[A-Za-z0-9_]{3,32}" title="3至32位字母、数字或下划线" /></label>
                                        <label><span>"名称"</span><input name="display_name" required maxlength="50" placeholder=placeholder /></label>
                                        <button type="submit" disabled=move || create.pending().get()>"新增学院管理员"</button>
                                    </ActionForm>
                                    {move || sent_here().then(|| create.value().get()).flatten().map(|r| match r {
                                        Ok(p) => one_time(p).into_any(),
                                        Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                                    })}
                                </Panel>
                            }
                        }).collect_view().into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A college's admin accounts with 禁用/启用 and 重置密码.
#[component]
fn AdminTable(
    label: String,
    admins: Vec<AdminAccountRow>,
    disable: ServerAction<DisableAdmin>,
    reset: ServerAction<ResetAdminPassword>,
) -> impl IntoView {
    if admins.is_empty() {
        return view! { <p class="empty">"尚无学院管理员。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="list" aria-label=label>
                <thead><tr><th>"账号"</th><th>"名称"</th><th>"状态"</th><th>"最近登录"</th><th>"操作"</th></tr></thead>
                <tbody>
                    {admins.into_iter().map(|a| {
                        let (id, disabled) = (a.id, a.disabled);
                        let state = match (a.disabled, a.must_change_password) {
                            (true, _) => "已禁用",
                            (false, true) => "待修改初始密码",
                            (false, false) => "正常",
                        };
                        view! {
                            <tr>
                                <td data-label="账号" class="mono">{a.login}</td>
                                <td data-label="名称">{a.display_name}</td>
                                <td data-label="状态"><span class="status">{state}</span></td>
                                <td data-label="最近登录">{a.last_login_at.unwrap_or_else(|| "—".into())}</td>
                                <td data-label="操作" class="actions">
                                    <button class="small" on:click=move |_| { disable.dispatch(DisableAdmin { account_id: id, disabled: !disabled }); }>
                                        {if disabled { "启用" } else { "禁用" }}
                                    </button>
                                    <button class="small" on:click=move |_| { reset.dispatch(ResetAdminPassword { account_id: id }); }>"重置密码"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
