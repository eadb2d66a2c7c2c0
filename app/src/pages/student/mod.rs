//! 毕业生: 用户中心 with the first-login 信息验证, and 电子签约.

mod invitations;
mod terminations;
mod verify;

pub use invitations::{InvitationsPage, LetterPage, StudentAgreementPage};
pub use terminations::{TerminationPage, TerminationsPage};

use domain::role::LoginKind;
use leptos::prelude::*;

use crate::{
    api::{dashboard::student_dashboard, notice::notices},
    components::{Counter, ErrorBox, Field, Loading, MenuGroup, Notices, Panel, RoleLayout},
};

pub(crate) const MENU: &[MenuGroup] = &[MenuGroup {
    title: "签约中心",
    items: &[
        ("用户中心", Some("/student")),
        ("电子签约", Some("/student/invitations")),
        ("纸质签约", None),
        ("其他去向", None),
        ("解约办理", Some("/student/terminations")),
    ],
}];

#[component]
pub fn StudentHome() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Student title="毕业生用户中心" menu=MENU>
            <StudentDashboardView />
        </RoleLayout>
    }
}

#[component]
fn StudentDashboardView() -> impl IntoView {
    let verified = RwSignal::new(0u32);
    let data = crate::resource::resource(move || verified.get(), |_| student_dashboard());
    let notices = crate::resource::resource(|| (), |_| notices());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) if !d.verified => view! { <verify::Verify on_done=move || verified.update(|v| *v += 1) /> }.into_any(),
                    Ok(d) => {
                        let p = d.profile;
                        let agreement = d.agreement_id;
                        // Only after 信息验证 in this visit (0 on the server and while hydrating).
                        let just_verified = (verified.get_untracked() > 0)
                            .then(|| view! { <p class="success" role="status">"手机号验证通过，欢迎使用网签系统。"</p> });
                        let notice = d.sign_notice.map(|m| view! { <p class="warning" role="status">{m}</p> });
                        view! {
                            {just_verified}
                            {notice}
                            <div class="dashboard">
                                <Panel title="学生基本信息">
                                    <dl class="fields">
                                        <Field label="姓名" value=p.name />
                                        <Field label="性别" value=p.gender />
                                        <Field label="学校" value=p.school />
                                        <Field label="学院" value=p.college />
                                        <Field label="专业" value=p.major />
                                        <Field label="学历" value=p.degree />
                                        <Field label="毕业届" value=p.graduation_year.to_string() />
                                        <Field label="身份证号" value=p.id_number_masked />
                                        <Field label="手机号" value=p.phone_masked />
                                        <Field label="培养方式" value=p.training_mode />
                                        <Field label="当前就业情况" value=d.employment_status />
                                    </dl>
                                    {agreement.map(|a| view! { <a class="button" href=format!("/student/agreement/{a}")>"查看签约详情"</a> })}
                                </Panel>
                                <div class="counters">
                                    <Counter label="已收邀约" value=d.received_invitations href="/student/invitations" />
                                    <Counter label="解约待办" value=d.pending_terminations href="/student/terminations" />
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
        <Notices list=notices />
    }
}
