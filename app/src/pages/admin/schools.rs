//! 学校管理 (province admin): the schools with their figures, 新增学校, and each school's
//! admin accounts (新增管理员, 禁用/启用, 重置密码). A one-time password is shown once, here.

use domain::role::LoginKind;
use leptos::prelude::*;

use super::{
    accounts::{one_time, AccountActions, AdminTable},
    MENU,
};
use crate::{
    api::schools::{schools, SaveSchool},
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

#[component]
fn Schools() -> impl IntoView {
    let save = ServerAction::<SaveSchool>::new();
    let accounts = AccountActions::new();
    let create = accounts.create;
    // The list is read again after a change that succeeded, not after a refusal: the forms
    // keep what was typed.
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        if save.value().get().is_some_and(|r| r.is_ok()) | accounts.succeeded() {
            changed.update(|n| *n += 1);
        }
    });
    let list = crate::resource::resource(move || changed.get(), |_| schools());
    // The school whose 新增学校管理员 form was sent last: its answer is shown in its panel.
    let created_for = accounts.created_for(false);
    view! {
        <Panel title="新增学校">
            <ActionForm action=save attr:class="form-grid inline-form">
                <label><span>"院校代码"</span><input name="code" required inputmode="numeric" pattern="[0-9]{5}" title="5位数字" /></label>
                <label><span>"学校名称"</span><input name="name" required maxlength="50" /></label>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"新增学校"</button>
            </ActionForm>
            {move || save.value().get().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">"学校已保存"</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
        </Panel>
        {accounts.answers()}
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
                                <AdminTable label=format!("{}的管理员账号", s.name) admins=s.admins actions=accounts />
                                <ActionForm action=create attr:class="form-grid inline-form">
                                    <input type="hidden" name="school_id" value=school_id.to_string() />
                                    <label><span>"管理员账号"</span><input name="login" required pattern="[A-Za-z0-9_]{3,32}" title="3至32位字母、数字或下划线" /></label>
                                    <label><span>"名称"</span><input name="display_name" required maxlength="50" placeholder=format!("{}就业指导中心", s.name) /></label>
                                    <button type="submit" disabled=move || create.pending().get()>"新增学校管理员"</button>
                                </ActionForm>
                                {move || (created_for.get() == Some(school_id)).then(|| create.value().get()).flatten().map(|r| match r {
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
