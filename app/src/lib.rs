//! The Leptos application: the routes, the pages of each role, and the server functions
//! (`api`) they call. Server-only code sits behind the `ssr` feature; the WASM build
//! (`hydrate`) sees only the function signatures and the shared `domain` types.

pub mod api;
pub mod components;
pub mod pages;
pub mod resource;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, ChooseView,
};
#[cfg(feature = "split")]
use leptos_router::{Lazy, LazyRoute};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // The hashed names come from hash.txt beside the server binary (`hash-files`).
                <HashedStylesheet options=options.clone() id="leptos" />
                <link rel="icon" href="/favicon.ico" sizes="32x32" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
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

/// Release builds split the WASM by area: with the `split` feature (`make build` runs `cargo
/// leptos build --release --split --features split`), the pages are lazy routes grouped by area,
/// and `cargo leptos --split` puts the code of each area (and what only some areas share) in its
/// own WASM chunk, so a student never downloads the employer's pages. The server names the chunks
/// of the page it renders, so the browser fetches them alongside the main module, and the client
/// hydrates with `hydrate_lazy` (frontend). A route's `data` loads nothing: the pages load their
/// own data, as before. Without the feature (`cargo leptos watch`, tests) each route shows its
/// page directly, in one WASM module.
macro_rules! lazy_areas {
    ($($area:ident, $preload:ident: $pages:ident { $($route:ident => $($page:ident)::+,)* })*) => {$(
        #[cfg(feature = "split")]
        #[derive(Clone, Copy)]
        #[allow(clippy::enum_variant_names)]
        enum $pages {
            $($route,)*
        }

        #[cfg(feature = "split")]
        #[leptos::lazy]
        fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$route => view! { <$($page)::+ /> }.into_any(),)*
            }
        }

        $(
            struct $route;

            impl $route {
                /// What the route shows: the area's lazy chunk, or the page itself.
                fn page() -> impl ChooseView {
                    #[cfg(feature = "split")]
                    return Lazy::<$route>::new();
                    #[cfg(not(feature = "split"))]
                    return $($page)::+;
                }
            }

            #[cfg(feature = "split")]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $area($pages::$route).await
                }

                // The router loads the chunk before it renders (or hydrates) the route.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    )*};
}

lazy_areas! {
    public_area, __preload_public_area: PublicPages {
        Home => pages::home::HomePage,
        Verify => pages::verify::VerifyPage,
        Password => pages::password::PasswordPage,
    }
    student_area, __preload_student_area: StudentPages {
        StudentHome => pages::student::StudentHome,
        StudentInvitations => pages::student::InvitationsPage,
        StudentLetter => pages::student::LetterPage,
        StudentAgreement => pages::student::StudentAgreementPage,
        StudentTerminations => pages::student::TerminationsPage,
        StudentTermination => pages::student::TerminationPage,
    }
    employer_area, __preload_employer_area: EmployerPages {
        EmployerHome => pages::employer::EmployerHome,
        EmployerSign => pages::employer::SignSendPage,
        EmployerLetter => pages::employer::LetterPage,
        EmployerInvitations => pages::employer::InvitationsPage,
        EmployerAccepted => pages::employer::AcceptedPage,
        EmployerAgreement => pages::employer::EmployerAgreementPage,
        EmployerTerminations => pages::employer::TerminationsPage,
        EmployerTermination => pages::employer::TerminationPage,
    }
    admin_area, __preload_admin_area: AdminPages {
        AdminHome => pages::admin::AdminHome,
        AdminRoster => pages::admin::RosterPage,
        AdminReviewQueue => pages::admin::ReviewQueuePage,
        AdminReviewDetail => pages::admin::ReviewDetailPage,
        AdminTerminationQueue => pages::admin::TerminationQueuePage,
        AdminTerminationDetail => pages::admin::TerminationDetailPage,
        AdminSchools => pages::admin::SchoolsPage,
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::Flash::provide();
    view! {
        <Title text="网签系统 · 高校毕业生就业网签" />
        <Router>
            <Routes fallback=|| view! { <pages::NotFound /> }>
                <Route path=path!("") view={Home::page()} />
                <Route path=path!("/verify") view={Verify::page()} />
                <Route path=path!("/password") view={Password::page()} />
                <Route path=path!("/student") view={StudentHome::page()} />
                <Route path=path!("/employer") view={EmployerHome::page()} />
                <Route path=path!("/admin") view={AdminHome::page()} />
                <Route path=path!("/admin/roster") view={AdminRoster::page()} />
                <Route path=path!("/admin/agreements") view={AdminReviewQueue::page()} />
                <Route path=path!("/admin/agreements/:id") view={AdminReviewDetail::page()} />
                <Route path=path!("/employer/sign") view={EmployerSign::page()} />
                <Route path=path!("/employer/letter") view={EmployerLetter::page()} />
                <Route path=path!("/employer/invitations") view={EmployerInvitations::page()} />
                <Route path=path!("/employer/accepted") view={EmployerAccepted::page()} />
                <Route path=path!("/employer/agreements/:id") view={EmployerAgreement::page()} />
                <Route path=path!("/student/invitations") view={StudentInvitations::page()} />
                <Route path=path!("/student/invitations/:id") view={StudentLetter::page()} />
                <Route path=path!("/student/agreement/:id") view={StudentAgreement::page()} />
                <Route path=path!("/student/terminations") view={StudentTerminations::page()} />
                <Route path=path!("/student/terminations/:id") view={StudentTermination::page()} />
                <Route path=path!("/employer/terminations") view={EmployerTerminations::page()} />
                <Route path=path!("/employer/terminations/:id") view={EmployerTermination::page()} />
                <Route path=path!("/admin/terminations") view={AdminTerminationQueue::page()} />
                <Route path=path!("/admin/terminations/:id") view={AdminTerminationDetail::page()} />
                <Route path=path!("/admin/schools") view={AdminSchools::page()} />
            </Routes>
        </Router>
    }
}
