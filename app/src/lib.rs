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

/// Release builds split the WASM: with the `split` feature (`make build` builds the WASM with
/// `--features split`, and its site builder `server/site` splits it), every page is a lazy route,
/// and the pages of one group share a split point: the splitter puts the code only that group
/// uses in the group's module, and code several groups share in chunks named by the set of
/// groups that use it. A page loads the main module and its group's modules; the server names
/// the group's bundle of them in the page's head, so the browser fetches it alongside the main
/// module, and the client hydrates with `hydrate_from_async` (frontend). A route's `data` loads
/// nothing: the pages load their own data. Without the feature (`cargo leptos watch`, tests)
/// each route shows its page directly, in one WASM module.
///
/// What a group costs a first visit is bytes: `server/site` bundles each group's chunks into one
/// file (`bundle_<group>.wasm`), so every first page loads five files (CSS, main JS, main
/// module, split loader, its group's bundle) however the pages are grouped, and everything in
/// the page's group is downloaded before the page works. On the slow network of `make bench`'s
/// figure 8 each 1 KB (brotli) costs 5.6 ms before the first click (docs/perf.md, "Time to a
/// working click"). The rule, simple on purpose:
/// - one group per role's first page and the pages it opens most (`public_area`, `student_area`,
///   `employer_area`, `admin_area`), checked by `make bench` (figure 7: each ≤ 400 KB);
/// - every other page goes to `later`: pages that are never the first page after a login
///   (the employer's 签约发送 and 解约, 修改密码 except on a first login, 学校管理 and every new
///   admin system page: 学院管理, 生源管理, 生源导入, 单位注册 and its review, settings, …). Their code
///   then stays off every role's first visit.
///
/// Do not add a group for a new page, and do not put a new page in a role's first group: both
/// add to every first visit of that role (a group of its own also splits the shared code into
/// more chunks, which later navigations fetch one file each).
macro_rules! lazy_pages {
    ($($group:ident { $($route:ident, $chunk:ident => $($page:ident)::+,)* })*) => {$($(
        /// The page behind the group's split point (what `#[leptos::lazy(group)]` would write, but
        /// several functions share one split module, which `#[lazy]`'s preload names cannot).
        #[cfg(feature = "split")]
        mod $chunk {
            use crate::pages;
            use leptos::prelude::*;

            #[cfg(feature = "hydrate")]
            #[leptos::wasm_split::wasm_split(
                $group,
                wasm_split_path = ::leptos::wasm_split,
                preload(#[doc(hidden)] preload)
            )]
            pub fn $chunk() -> AnyView {
                view! { <$($page)::+ /> }.into_any()
            }

            /// On the server: the page names its group's chunks for the browser to preload.
            #[cfg(not(feature = "hydrate"))]
            pub async fn $chunk() -> AnyView {
                leptos::prefetch_lazy_fn_on_server(stringify!($group));
                view! { <$($page)::+ /> }.into_any()
            }
        }

        struct $route;

        impl $route {
            /// What the route shows: the page's lazy chunk, or the page itself.
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
                $chunk::$chunk().await
            }

            // The router loads the chunk before it renders (or hydrates) the route.
            async fn preload() {
                #[cfg(feature = "hydrate")]
                $chunk::preload().await;
            }
        }
    )*)*};
}

lazy_pages! {
    public_area {
        Home, home_page => pages::home::HomePage,
        Verify, verify_page => pages::verify::VerifyPage,
        FirstLogin, first_login_page => pages::first_login::FirstLoginPage,
    }
    student_area {
        StudentHome, student_home => pages::student::StudentHome,
        StudentInvitations, student_invitations => pages::student::InvitationsPage,
        StudentLetter, student_letter => pages::student::LetterPage,
        StudentAgreement, student_agreement => pages::student::StudentAgreementPage,
        StudentTerminations, student_terminations => pages::student::TerminationsPage,
        StudentTermination, student_termination => pages::student::TerminationPage,
    }
    employer_area {
        EmployerHome, employer_home => pages::employer::EmployerHome,
        EmployerInvitations, employer_invitations => pages::employer::InvitationsPage,
        EmployerAccepted, employer_accepted => pages::employer::AcceptedPage,
        EmployerAgreement, employer_agreement => pages::employer::EmployerAgreementPage,
    }
    admin_area {
        AdminHome, admin_home => pages::admin::AdminHome,
        AdminReviewQueue, admin_review_queue => pages::admin::ReviewQueuePage,
        AdminReviewDetail, admin_review_detail => pages::admin::ReviewDetailPage,
        AdminTerminationQueue, admin_termination_queue => pages::admin::TerminationQueuePage,
        AdminTerminationDetail, admin_termination_detail => pages::admin::TerminationDetailPage,
    }
    // Never a role's first page (see above): new admin system pages go here too.
    later {
        EmployerSign, employer_sign => pages::employer::SignSendPage,
        EmployerLetter, employer_letter => pages::employer::LetterPage,
        EmployerTerminations, employer_terminations => pages::employer::TerminationsPage,
        EmployerTermination, employer_termination => pages::employer::TerminationPage,
        Password, password_page => pages::password::PasswordPage,
        AdminSchools, admin_schools => pages::admin::SchoolsPage,
        AdminColleges, admin_colleges => pages::admin::CollegesPage,
        AdminRoster, admin_roster => pages::admin::RosterPage,
        AdminRosterDetail, admin_roster_detail => pages::admin::RosterDetailPage,
        AdminRosterImport, admin_roster_import => pages::admin::RosterImportPage,
        Register, register_page => pages::register::RegisterPage,
        RegisterConfirm, confirm_email_page => pages::register::ConfirmEmailPage,
        EmployerRegistration, employer_registration => pages::employer::RegistrationPage,
        EmployerInfoEdit, employer_info_page => pages::employer::InfoPage,
        AdminEmployers, admin_employers => pages::admin::EmployersPage,
        AdminEmployerDetail, admin_employer_detail => pages::admin::EmployerDetailPage,
        AdminReviewSettings, admin_review_settings => pages::admin::ReviewSettingsPage,
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
                <Route path=path!("/admin/roster/import") view={AdminRosterImport::page()} />
                <Route path=path!("/admin/roster/:id") view={AdminRosterDetail::page()} />
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
                <Route path=path!("/admin/colleges") view={AdminColleges::page()} />
                <Route path=path!("/admin/review-settings") view={AdminReviewSettings::page()} />
                <Route path=path!("/first-login") view={FirstLogin::page()} />
                <Route path=path!("/register") view={Register::page()} />
                <Route path=path!("/register/confirm") view={RegisterConfirm::page()} />
                <Route path=path!("/employer/registration") view={EmployerRegistration::page()} />
                <Route path=path!("/employer/info") view={EmployerInfoEdit::page()} />
                <Route path=path!("/admin/employers") view={AdminEmployers::page()} />
                <Route path=path!("/admin/employers/:id") view={AdminEmployerDetail::page()} />
            </Routes>
        </Router>
    }
}
