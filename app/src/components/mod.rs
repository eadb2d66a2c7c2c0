//! Building blocks shared by every role's pages.

mod layout;
pub mod letter;
pub mod review;
pub mod termination;
pub use layout::{MenuGroup, RoleLayout};

use domain::{view::Notice, AppError};
use leptos::prelude::*;

use crate::resource::Json;

/// The confirmation of an action that ends on another page (同意解约 returns to the list): set
/// before navigating, shown once (role=status) by the next page's [`RoleLayout`], which takes it.
/// Provided by the app per render; the server never holds one across requests.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    pub fn provide() {
        provide_context(Flash(RwSignal::new(None)));
    }

    /// The app's flash (call in a component body).
    pub fn get() -> Option<Flash> {
        use_context::<Flash>()
    }

    pub fn set(self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }

    /// The message left by the previous page, if any; it is shown once.
    fn take() -> Option<String> {
        let flash = use_context::<Flash>()?;
        let message = flash.0.get_untracked();
        if message.is_some() {
            flash.0.set(None);
        }
        message
    }
}

/// A titled box on a 用户中心.
#[component]
pub fn Panel(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <section class="panel">
            <h2 class="panel-title">{title}</h2>
            <div class="panel-body">{children()}</div>
        </section>
    }
}

/// A to-do counter (签约待办, 已收邀约 …). With `href` the number links to the list.
#[component]
pub fn Counter(#[prop(into)] label: String, value: u64, #[prop(optional, into)] href: Option<String>) -> impl IntoView {
    let name = format!("{label} {value}");
    let number = match href {
        Some(h) => view! { <a class="counter-value" href=h aria-label=name>{value}</a> }.into_any(),
        None => view! { <span class="counter-value">{value}</span> }.into_any(),
    };
    let data_label = label.clone();
    view! {
        <div class="counter" data-label=data_label>
            {number}
            <span class="counter-label">{label}</span>
        </div>
    }
}

/// A label/value line in an info panel.
#[component]
pub fn Field(#[prop(into)] label: String, #[prop(into)] value: String) -> impl IntoView {
    view! {
        <div class="field">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// An error as the user reads it; a login link when the session is gone.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let relogin = matches!(error, AppError::NotLoggedIn);
    view! {
        <div class="error-box" role="alert">
            <p>{error.message()}</p>
            {relogin.then(|| view! { <a class="button" href="/">"返回登录"</a> })}
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading">"加载中…"</p> }
}

/// 消息通知: the account's latest notices on its 用户中心. The page creates the resource (see
/// [`RoleLayout`] on why nothing under a `Suspend` creates one).
#[component]
pub fn Notices(list: Resource<Result<Vec<Notice>, AppError>, Json>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rows = list.await.unwrap_or_default();
                (!rows.is_empty()).then(|| view! {
                    <Panel title="消息通知">
                        <ul class="notices">
                            {rows.into_iter().map(|n| view! {
                                <li class:unread=n.unread>
                                    <span class="notice-time">{n.at}</span>
                                    {if n.link.is_empty() {
                                        view! { <strong>{n.title}</strong> }.into_any()
                                    } else {
                                        view! { <a href=n.link><strong>{n.title}</strong></a> }.into_any()
                                    }}
                                    <span class="notice-body">{n.body}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </Panel>
                })
            })}
        </Suspense>
    }
}

/// 上一页 / 第 n / m 页 / 下一页 under a paged list; `link` gives the URL of a page.
#[component]
pub fn Pager(page: u64, total: u64, per_page: u64, link: impl Fn(u64) -> String + 'static) -> impl IntoView {
    let pages = total.div_ceil(per_page.max(1)).max(1);
    view! {
        <nav class="pager">
            {(page > 1).then(|| view! { <a href=link(page - 1)>"上一页"</a> })}
            <span>{format!("第 {page} / {pages} 页")}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1)>"下一页"</a> })}
        </nav>
    }
}
