//! 学校管理 (province admin): the schools with their figures, 新增学校, and each school's
//! admin accounts (新增管理员, 禁用/启用, 重置密码). A one-time password is shown once, here.

use domain::{role::LoginKind, school::OneTimePassword};
use leptos::prelude::*;

use super::MENU;
use crate::{
    api::schools::{schools, CreateAdmin, DisableAdmin, ResetAdminPassword, SaveSchool},
    components::{ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn SchoolsPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="学校管理" menu=MENU>
            <Schools />
        </RoleLayout>
    }
}

pub(super) fn one_time(p: OneTimePassword) -> impl IntoView {
    view! {
        <p class="success" role="status">
            "账号 " <span class="mono">{p.login}</span> " 的一次性密码：" <strong class="mono">{p.password}</strong>
            "（只显示这一次，请告知本人；首次登录后须修改）"
        </p>
    }
}

#[component]
fn Schools() -> impl IntoView {
    let save = ServerAction::<SaveSchool>::new();
    let create = ServerAction::<CreateAdmin>::new();
    let disable = ServerAction::<DisableAdmin>::new();
    let reset = ServerAction::<ResetAdminPassword>::new();
    // The list is read again after a change that succeeded, not after a refusal: the forms
    // keep what was typed.
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
    let list = crate::resource::resource(move || changed.get(), |_| schools());
    // The school whose 新增学校管理员 form was sent last: its answer is shown in its panel.
    let sent_for = RwSignal::new(None::<i64>);
    let error = move || {
        [
            save.value().get().and_then(|r| r.err()),
            disable.value().get().and_then(|r| r.err()),
            reset.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })
    };
    view! {
        <Panel title="新增学校">
            <ActionForm action=save attr:class="form-grid inline-form">
                <label><span>"院校代码"</span><input name="code" required inputmode="numeric" pattern="[0-9]{5}" title="5位数字" /></label>
                <label><span>"学校名称"</span><input name="name" required maxlength="50" /></label>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"新增学校"</button>
            </ActionForm>
            {move || save.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="success" role="status">"学校已保存"</p> })}
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
                    Ok(rows) if rows.is_empty() => view! { <p class="empty">"尚未添加学校。"</p> }.into_any(),
                    Ok(rows) => rows.into_iter().map(|s| {
                        let school_id = s.id;
                        let figures = if s.agreements.is_empty() {
                            "暂无协议".to_owned()
                        } else {
                            s.agreements.iter().map(|(l, n)| format!("{l} {n}")).collect::<Vec<_>>().join("，")
                        };
                        view! {
                            <Panel title=format!("{} {}", s.code, s.name)>
                                <p>{format!("学院 {} 个，毕业生 {} 人；协议：{figures}", s.colleges, s.students)}</p>
                                <div class="table-wrap">
                                    <table class="list" aria-label=format!("{}的管理员账号", s.name)>
                                        <thead><tr><th>"账号"</th><th>"名称"</th><th>"状态"</th><th>"最近登录"</th><th>"操作"</th></tr></thead>
                                        <tbody>
                                            {s.admins.into_iter().map(|a| {
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
                                <ActionForm action=create attr:class="form-grid inline-form" on:submit=move |_| sent_for.set(Some(school_id))>
                                    <input type="hidden" name="school_id" value=school_id.to_string() />
                                    <label><span>"管理员账号"</span><input name="login" required pattern="[A-Za-z0-9_]{3,32}" title="3至32位字母、数字或下划线" /></label>
                                    <label><span>"名称"</span><input name="display_name" required maxlength="50" placeholder=format!("{}就业指导中心", s.name) /></label>
                                    <button type="submit" disabled=move || create.pending().get()>"新增学校管理员"</button>
                                </ActionForm>
                                {move || (sent_for.get() == Some(school_id)).then(|| create.value().get()).flatten().map(|r| match r {
                                    Ok(p) => one_time(p).into_any(),
                                    Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                                })}
                            </Panel>
                        }
                    }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}
