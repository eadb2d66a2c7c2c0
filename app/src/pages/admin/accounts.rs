//! Admin accounts, shared by 学校管理 (a school's admins) and 学院管理 (a college's admins):
//! the account table with 禁用/启用 and 重置密码, and the answers those actions give.

use domain::school::{AdminAccountRow, OneTimePassword};
use leptos::prelude::*;

use crate::api::schools::{CreateAdmin, DisableAdmin, ResetAdminPassword};

/// A one-time password, shown once where the account was made or reset.
pub(super) fn one_time(p: OneTimePassword) -> impl IntoView {
    view! {
        <p class="success" role="status">
            "账号 " <span class="mono">{p.login}</span> " 的一次性密码：" <strong class="mono">{p.password}</strong>
            "（只显示这一次，请告知本人；首次登录后须修改）"
        </p>
    }
}

/// 新增管理员, 禁用/启用 and 重置密码 on one page.
#[derive(Clone, Copy)]
pub(super) struct AccountActions {
    pub create: ServerAction<CreateAdmin>,
    pub disable: ServerAction<DisableAdmin>,
    pub reset: ServerAction<ResetAdminPassword>,
}

impl AccountActions {
    pub fn new() -> Self {
        Self {
            create: ServerAction::new(),
            disable: ServerAction::new(),
            reset: ServerAction::new(),
        }
    }

    /// Whether the last answer of any of them was a success (tracked: the page's list is read
    /// again then, not after a refusal, so that the forms keep what was typed).
    pub fn succeeded(&self) -> bool {
        self.create.value().get().is_some_and(|r| r.is_ok())
            || self.disable.value().get().is_some_and(|r| r.is_ok())
            || self.reset.value().get().is_some_and(|r| r.is_ok())
    }

    /// The answers of 禁用/启用 and 重置密码, shown above the list (their buttons are in its rows).
    pub fn answers(self) -> impl IntoView {
        let (disable, reset) = (self.disable, self.reset);
        view! {
            {move || {
                [disable.value().get().and_then(|r| r.err()), reset.value().get().and_then(|r| r.err())]
                    .into_iter()
                    .flatten()
                    .next()
                    .map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })
            }}
            {move || reset.value().get().and_then(|r| r.ok()).map(one_time)}
            {move || disable.value().get().and_then(|r| r.ok()).map(|a| view! {
                <p class="success" role="status">{format!("账号 {} 已{}", a.login, if a.disabled { "禁用" } else { "启用" })}</p>
            })}
        }
    }

    /// The school (or, with `college`, the college) whose 新增管理员 form was sent last. It is
    /// read from the sent arguments, not from a handler per row: a list read again re-uses its
    /// rows in place, and a handler given to a component is then added again rather than replaced.
    pub fn created_for(self, college: bool) -> ReadSignal<Option<i64>> {
        let (sent, set) = signal(None::<i64>);
        let create = self.create;
        Effect::new(move |_| {
            if let Some(a) = create.input().get() {
                set.set(if college { a.college_id } else { Some(a.school_id) });
            }
        });
        sent
    }
}

/// The admin accounts of a school or a college, with 禁用/启用 and 重置密码.
#[component]
pub(super) fn AdminTable(label: String, admins: Vec<AdminAccountRow>, actions: AccountActions) -> impl IntoView {
    if admins.is_empty() {
        return view! { <p class="empty">"尚无管理员账号。"</p> }.into_any();
    }
    let AccountActions { disable, reset, .. } = actions;
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
