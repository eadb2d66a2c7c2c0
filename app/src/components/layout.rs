//! The frame of every signed-in page: header with the account and 退出, the role's menu
//! (核心功能菜单), and the page. Pages of another role's area answer 无权访问.
//!
//! Hydration rule for every page: a resource or a `Suspense` is created only where a component
//! runs once -- in a page component's body -- never inside a `move || Suspend::new(..)`
//! closure. The server runs such a closure again whenever a resource it awaits changes state,
//! the browser runs it once, and the serialization ids of whatever it creates would differ.

use domain::{role::LoginKind, view::Me, AppError};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{ErrorBox, Flash, Loading};
use crate::api::auth::{me, Logout};

/// A menu section: title and (label, link) items; items without a link are not open yet.
#[derive(Clone, Copy)]
pub struct MenuGroup {
    pub title: &'static str,
    pub items: &'static [(&'static str, Option<&'static str>)],
}

#[component]
pub fn RoleLayout(
    /// Who may see this area.
    kind: LoginKind,
    #[prop(into)] title: String,
    menu: &'static [MenuGroup],
    children: ChildrenFn,
) -> impl IntoView {
    let who = crate::resource::resource(|| (), |_| me());
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            navigate("/", Default::default());
        }
    });
    let children = StoredValue::new(children);
    // Only set in the browser, by the page that navigated here; never during hydration.
    let flash = Flash::take();
    view! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href=kind.home_path()>"网签系统"</a>
                <h1 class="area">{title}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        who.await.ok().map(|m: Me| view! { <span class="who">{m.display_name}</span> })
                    })}
                </Suspense>
                <a class="account-link" href=domain::role::PASSWORD_PATH>"修改密码"</a>
                <button class="logout" on:click=move |_| { logout.dispatch(Logout {}); }>"退出"</button>
            </header>
            <div class="frame">
                <nav class="menu" aria-label="核心功能菜单">
                    <h2 class="menu-title">"核心功能菜单"</h2>
                    {menu
                        .iter()
                        .map(|g| {
                            view! {
                                <div class="menu-group">
                                    <h3>{g.title}</h3>
                                    <ul>
                                        {g
                                            .items
                                            .iter()
                                            .map(|(label, href)| match href {
                                                Some(h) => view! { <li><a href=*h>{*label}</a></li> }.into_any(),
                                                None => view! { <li class="soon" title="即将开放">{*label}</li> }.into_any(),
                                            })
                                            .collect_view()}
                                    </ul>
                                </div>
                            }
                        })
                        .collect_view()}
                </nav>
                <main class="content">
                    {flash.map(|m| view! { <p class="success flash" role="status">{m}</p> })}
                    <Suspense fallback=|| view! { <Loading /> }>
                        // Not `move || Suspend`: a closure re-runs on the server each time `who`
                        // changes state, and every run would build the page again, whose
                        // resources and `Suspense`s then take serialization ids the browser never
                        // takes -- it would read one resource's data as another's and fail to
                        // hydrate. The page is built exactly once, here, on both sides.
                        {Suspend::new(async move {
                            match who.await {
                                Ok(m) if m.must_change_password => view! {
                                    <p class="warning" role="alert">
                                        "你的密码由管理员设置，请先"
                                        <a href=domain::role::PASSWORD_PATH>"修改密码"</a>
                                        "，然后才能使用其他功能。"
                                    </p>
                                }
                                .into_any(),
                                Ok(m) if m.role.login_kind() == kind => children.with_value(|c| c()).into_any(),
                                Ok(_) => view! { <ErrorBox error=AppError::Forbidden /> }.into_any(),
                                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                            }
                        })}
                    </Suspense>
                </main>
            </div>
        </div>
    }
}
