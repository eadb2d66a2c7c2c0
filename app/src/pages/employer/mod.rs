//! 用人单位: 用户中心 with the first-login confirmation, 签约中心 (签约发送, 签约列表) and
//! 数据管理 (已应约).

mod accepted;
mod invitations;
mod letter;
mod registration;
mod sign;
mod terminations;

pub use accepted::{AcceptedPage, EmployerAgreementPage};
pub use invitations::InvitationsPage;
pub use letter::LetterPage;
pub use registration::{InfoPage, RegistrationPage};
pub use sign::SignSendPage;
pub use terminations::{TerminationPage, TerminationsPage};

use domain::role::LoginKind;
use leptos::prelude::*;

use domain::{employer::EmployerInfo, view::EmployerDashboard};

use crate::{
    api::{
        dashboard::{employer_dashboard, ConfirmEmployerInfo},
        notice::notices,
    },
    components::{Counter, ErrorBox, Field, Loading, MenuGroup, Notices, Panel, RoleLayout},
};

pub(crate) const MENU: &[MenuGroup] = &[
    MenuGroup {
        title: "签约中心",
        items: &[
            ("用户中心", Some("/employer")),
            ("签约发送", Some("/employer/sign")),
            ("签约列表", Some("/employer/invitations")),
        ],
    },
    MenuGroup {
        title: "解约中心",
        items: &[("解约办理", Some("/employer/terminations"))],
    },
    MenuGroup {
        title: "数据管理",
        items: &[("已应约", Some("/employer/accepted"))],
    },
    MenuGroup {
        title: "单位管理",
        items: &[
            ("注册审核", Some("/employer/registration")),
            ("单位信息维护", Some("/employer/info")),
        ],
    },
];

#[component]
pub fn EmployerHome() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="用人单位用户中心" menu=MENU>
            <EmployerDashboardView />
        </RoleLayout>
    }
}

#[component]
fn EmployerDashboardView() -> impl IntoView {
    let confirm = ServerAction::<ConfirmEmployerInfo>::new();
    // Re-read the dashboard once the information is saved; a refused attempt keeps the form
    // (and what the user typed) in place.
    let saved = move || matches!(confirm.value().get(), Some(Ok(_)));
    let data = crate::resource::resource(saved, |_| employer_dashboard());
    let notices = crate::resource::resource(|| (), |_| notices());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(EmployerDashboard { info: Some(info), .. }) => view! { <ConfirmInfo action=confirm info /> }.into_any(),
                    Ok(d) => {
                        let confirmed = saved().then(|| view! { <p class="success" role="status">"签约信息已确认，将自动填入邀请函。"</p> });
                        let approval = if d.approved {
                            format!("已审核（{}）", d.approved_schools.join("、"))
                        } else {
                            "待学校审核（审核通过后方可签约）".to_owned()
                        };
                        view! {
                            {confirmed}
                            <div class="dashboard">
                                <Panel title="单位基本信息">
                                    <dl class="fields">
                                        <Field label="单位名称" value=d.name />
                                        <Field label="统一社会信用代码" value=d.credit_code />
                                        <Field label="联系人" value=d.contact_person />
                                        <Field label="联系电话" value=d.contact_phone />
                                        <Field label="单位地址" value=d.address />
                                        <Field label="审核状态" value=approval />
                                        <Field label="最近登录时间" value=d.last_login_at.unwrap_or_else(|| "—".into()) />
                                        <Field label="登录IP" value=d.last_login_ip.unwrap_or_else(|| "—".into()) />
                                    </dl>
                                </Panel>
                                <div class="counters">
                                    <Counter label="签约待办" value=d.pending_invitations href="/employer/invitations" />
                                    <Counter label="解约待办" value=d.pending_terminations href="/employer/terminations" />
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

/// First login: the employer confirms 单位基本信息, 档案接收信息 and 户口接收信息 before anything
/// else; these values pre-fill every 邀请函.
#[component]
fn ConfirmInfo(action: ServerAction<ConfirmEmployerInfo>, info: EmployerInfo) -> impl IntoView {
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| e.message());
    {
        let input = |label: &'static str, name: &'static str, value: String, required: bool| {
            view! {
                <label>
                    <span>{label}{required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}</span>
                    <input name=format!("info[{name}]") value=value required=required />
                </label>
            }
        };
        let EmployerInfo {
            name,
            credit_code,
            contact_person,
            contact_phone,
            email,
            address,
            nature,
            industry,
            archive_unit,
            archive_address,
            archive_postcode,
            archive_contact,
            archive_phone,
            hukou_address,
            hukou_unit,
            ..
        } = info;
        view! {
                            <Panel title="确认签约信息">
                                <p class="hint-block">"首次登录网签系统，请确认单位基本信息、档案接收信息与户口接收信息。这些信息将自动填入邀请函。"</p>
                                <ActionForm action=action attr:class="form-grid">
                                    <fieldset>
                                        <legend>"单位基本信息"</legend>
                                        {input("单位名称", "name", name, true)}
                                        {input("统一社会信用代码", "credit_code", credit_code, true)}
                                        {input("联系人", "contact_person", contact_person, true)}
                                        {input("联系电话", "contact_phone", contact_phone, true)}
                                        {input("电子邮箱", "email", email, false)}
                                        {input("单位地址", "address", address, true)}
                                        {input("单位性质", "nature", nature, false)}
                                        {input("所属行业", "industry", industry, false)}
                                    </fieldset>
                                    <fieldset>
                                        <legend>"档案接收信息"</legend>
                                        {input("档案接收单位", "archive_unit", archive_unit, true)}
                                        {input("档案接收地址", "archive_address", archive_address, true)}
                                        {input("邮编", "archive_postcode", archive_postcode, true)}
                                        {input("联系人", "archive_contact", archive_contact, true)}
                                        {input("联系电话", "archive_phone", archive_phone, true)}
                                    </fieldset>
                                    <fieldset>
                                        <legend>"户口接收信息"</legend>
                                        {input("户口迁移地址", "hukou_address", hukou_address, true)}
                                        {input("户口接收单位", "hukou_unit", hukou_unit, true)}
                                    </fieldset>
                                    {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                                    <button type="submit" class="primary" disabled=move || action.pending().get()>"确认信息"</button>
                                </ActionForm>
                            </Panel>
                        }
                            .into_any()
    }
}
