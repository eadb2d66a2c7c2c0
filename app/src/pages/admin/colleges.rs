//! 学院管理 (school admin): the school's colleges (新增学院, 修改名称) and each college's admin
//! accounts (新增学院管理员, 禁用/启用, 重置密码). A one-time password is shown once, here.

use domain::role::LoginKind;
use leptos::prelude::*;

use super::{
    accounts::{one_time, AccountActions, AdminTable},
    MENU,
};
use crate::{
    api::colleges::{colleges, SaveCollege},
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
    let accounts = AccountActions::new();
    let create = accounts.create;
    // Read the list again after a change that succeeded (a refusal keeps what was typed).
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        if save.value().get().is_some_and(|r| r.is_ok()) | accounts.succeeded() {
            changed.update(|n| *n += 1);
        }
    });
    let list = crate::resource::resource(move || changed.get(), |_| colleges());
    // Where each answer shows: the college its form was for (None: 新增学院), from the sent
    // arguments (see `AccountActions::created_for`).
    let (saved_for, set_saved_for) = signal(None::<i64>);
    Effect::new(move |_| {
        if let Some(a) = save.input().get() {
            set_saved_for.set(a.college_id);
        }
    });
    let created_for = accounts.created_for(true);
    view! {
        <Panel title="新增学院">
            <ActionForm action=save attr:class="form-grid inline-form">
                <label><span>"学院名称"</span><input name="name" required maxlength="50" /></label>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"新增学院"</button>
            </ActionForm>
            {move || (saved_for.get().is_none()).then(|| save.value().get()).flatten().map(|r| match r {
                Ok(_) => view! { <p class="success" role="status">"学院已保存"</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
            })}
        </Panel>
        {accounts.answers()}
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
                            view! {
                                <Panel title=title>
                                    <p>{format!("毕业生 {} 人", c.students)}</p>
                                    <ActionForm action=save attr:class="form-grid inline-form">
                                        <input type="hidden" name="college_id" value=college_id.to_string() />
                                        <label><span>"学院名称"</span><input name="name" required maxlength="50" value=value /></label>
                                        <button type="submit" disabled=move || save.pending().get()>"修改名称"</button>
                                    </ActionForm>
                                    {move || (saved_for.get() == Some(college_id)).then(|| save.value().get()).flatten().map(|r| match r {
                                        Ok(_) => view! { <p class="success" role="status">"学院名称已修改"</p> }.into_any(),
                                        Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                                    })}
                                    <AdminTable label admins=c.admins actions=accounts />
                                    <ActionForm action=create attr:class="form-grid inline-form">
                                        <input type="hidden" name="school_id" value=school_id.to_string() />
                                        <input type="hidden" name="college_id" value=college_id.to_string() />
                                        <label><span>"管理员账号"</span><input name="login" required pattern="[A-Za-z0-9_]{3,32}" title="3至32位字母、数字或下划线" /></label>
                                        <label><span>"名称"</span><input name="display_name" required maxlength="50" placeholder=placeholder /></label>
                                        <button type="submit" disabled=move || create.pending().get()>"新增学院管理员"</button>
                                    </ActionForm>
                                    {move || (created_for.get() == Some(college_id)).then(|| create.value().get()).flatten().map(|r| match r {
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
