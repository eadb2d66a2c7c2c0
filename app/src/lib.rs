//! The Leptos application: the routes, the pages of each role, and the server functions
//! (`api`) they call. Server-only code sits behind the `ssr` feature; the WASM build
//! (`hydrate`) sees only the function signatures and the shared `domain` types.

pub mod api;
pub mod components;
pub mod pages;
pub mod resource;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/wangqian.css" />
        <Title text="网签系统 · 高校毕业生就业网签" />
        <Router>
            <Routes fallback=|| view! { <pages::NotFound /> }>
                <Route path=path!("") view=pages::home::HomePage />
                <Route path=path!("/verify") view=pages::verify::VerifyPage />
                <Route path=path!("/student") view=pages::student::StudentHome />
                <Route path=path!("/employer") view=pages::employer::EmployerHome />
                <Route path=path!("/admin") view=pages::admin::AdminHome />
                <Route path=path!("/admin/roster") view=pages::admin::RosterPage />
                <Route path=path!("/admin/agreements") view=pages::admin::ReviewQueuePage />
                <Route path=path!("/admin/agreements/:id") view=pages::admin::ReviewDetailPage />
                <Route path=path!("/employer/sign") view=pages::employer::SignSendPage />
                <Route path=path!("/employer/letter") view=pages::employer::LetterPage />
                <Route path=path!("/employer/invitations") view=pages::employer::InvitationsPage />
                <Route path=path!("/employer/accepted") view=pages::employer::AcceptedPage />
                <Route path=path!("/employer/agreements/:id") view=pages::employer::EmployerAgreementPage />
                <Route path=path!("/student/invitations") view=pages::student::InvitationsPage />
                <Route path=path!("/student/invitations/:id") view=pages::student::LetterPage />
                <Route path=path!("/student/agreement/:id") view=pages::student::StudentAgreementPage />
                <Route path=path!("/student/terminations") view=pages::student::TerminationsPage />
                <Route path=path!("/student/terminations/:id") view=pages::student::TerminationPage />
                <Route path=path!("/employer/terminations") view=pages::employer::TerminationsPage />
                <Route path=path!("/employer/terminations/:id") view=pages::employer::TerminationPage />
                <Route path=path!("/admin/terminations") view=pages::admin::TerminationQueuePage />
                <Route path=path!("/admin/terminations/:id") view=pages::admin::TerminationDetailPage />
            </Routes>
        </Router>
    }
}
