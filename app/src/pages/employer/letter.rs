//! The 邀请函: fill in (签约信息, 档案接收信息, 户口接收信息 pre-filled, 应约期限) → 发送 shows the
//! preview → 确认发送. The letter is checked with the same rules as on the server before the
//! preview, so mistakes show up while the form is still open.

use domain::{letter::Letter, role::LoginKind, view::ListedStudent};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::MENU;
use crate::{
    api::signing::{letter_template, sign_list, SendInvitations},
    components::{letter::LetterFields, ErrorBox, Loading, Panel, RoleLayout},
};

#[component]
pub fn LetterPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Employer title="邀请函" menu=MENU>
            <LetterLoader />
        </RoleLayout>
    }
}

#[component]
fn LetterLoader() -> impl IntoView {
    let query = use_query_map();
    let ids = move || -> Vec<i64> {
        query
            .get()
            .get("ids")
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    };
    let data = crate::resource::resource(
        || (),
        |_| async { Ok::<_, domain::AppError>((letter_template().await?, sign_list().await?)) },
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok((template, list)) => {
                        let ids = ids();
                        let students: Vec<ListedStudent> = list.into_iter().filter(|s| ids.contains(&s.student_id)).collect();
                        if students.is_empty() {
                            view! {
                                <p class="form-error" role="alert">"请先在签约发送列表中勾选学生。"</p>
                                <a class="button" href="/employer/sign">"返回签约发送"</a>
                            }
                            .into_any()
                        } else {
                            view! { <LetterFlow template students /> }.into_any()
                        }
                    }
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Edit,
    Preview,
}

#[component]
fn LetterFlow(template: Letter, students: Vec<ListedStudent>) -> impl IntoView {
    let letter = RwSignal::new(template);
    let step = RwSignal::new(Step::Edit);
    let error = RwSignal::new(None::<String>);
    let send = ServerAction::<SendInvitations>::new();
    let ids = StoredValue::new(students.iter().map(|s| s.student_id).collect::<Vec<i64>>());
    let names = students.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join("、");
    let to_preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match letter.get_untracked().validated() {
            Ok(l) => {
                letter.set(l);
                error.set(None);
                step.set(Step::Preview);
            }
            Err(e) => error.set(Some(e.message())),
        }
    };
    let confirm = move |_| {
        send.dispatch(SendInvitations {
            student_ids: ids.get_value(),
            letter: letter.get_untracked(),
        });
    };
    let names_preview = StoredValue::new(names.clone());
    view! {
        <Panel title="邀请函">
            <p class="recipients">"邀约学生：" <strong>{names}</strong></p>
        </Panel>
        {move || match (step.get(), send.value().get()) {
            (_, Some(Ok(report))) => view! {
                <Panel title="发送结果">
                    {(!report.sent.is_empty()).then(|| view! { <p class="success" role="status">{format!("邀约已发送：{}", report.sent.join("、"))}</p> })}
                    {(!report.refused.is_empty()).then(|| view! {
                        <ul class="form-error" role="alert">{report.refused.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                    })}
                    <div class="actions">
                        <a class="button" href="/employer/invitations">"查看签约列表"</a>
                        <a class="button" href="/employer/sign">"继续发送"</a>
                    </div>
                </Panel>
            }
            .into_any(),
            (Step::Edit, _) => view! { <LetterForm letter error on_submit=to_preview /> }.into_any(),
            (Step::Preview, result) => view! {
                <Panel title="确认邀请函">
                    <p class="hint-block">{format!("请确认邀请函内容。发送后，{} 将收到邮件通知，并须在 {} 天内应约。", names_preview.get_value(), letter.get_untracked().deadline_days)}</p>
                </Panel>
                <LetterFields letter=letter.get_untracked() />
                {result.and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                <div class="actions">
                    <button on:click=move |_| step.set(Step::Edit)>"返回修改"</button>
                    <button class="primary" on:click=confirm disabled=move || send.pending().get()>"确认发送"</button>
                </div>
            }
            .into_any(),
        }}
    }
}

/// One text input bound to a field of the letter.
fn input(
    label: &'static str,
    letter: RwSignal<Letter>,
    field: fn(&mut Letter) -> &mut String,
    required: bool,
) -> impl IntoView {
    view! {
        <label>
            <span>{label}{required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}</span>
            <input
                aria-label=label
                aria-required=required.then_some("true")
                prop:value=move || letter.with(|l| field(&mut l.clone()).clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    letter.update(|l| *field(l) = v);
                }
            />
        </label>
    }
}

#[component]
fn LetterForm(
    letter: RwSignal<Letter>,
    error: RwSignal<Option<String>>,
    on_submit: impl Fn(leptos::ev::SubmitEvent) + 'static,
) -> impl IntoView {
    view! {
        <form class="form-grid" on:submit=on_submit novalidate>
            <fieldset>
                <legend>"签约信息"</legend>
                {input("拟聘职位", letter, |l| &mut l.position, true)}
                {input("岗位类别", letter, |l| &mut l.job_category, true)}
                {input("工作地点", letter, |l| &mut l.work_place, true)}
                {input("月薪", letter, |l| &mut l.salary, true)}
                {input("合同期限", letter, |l| &mut l.contract_term, true)}
                {input("试用期", letter, |l| &mut l.probation, false)}
                <label class="wide">
                    <span>"其他约定"</span>
                    <textarea prop:value=move || letter.with(|l| l.other_terms.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); letter.update(|l| l.other_terms = v); }></textarea>
                </label>
            </fieldset>
            <fieldset>
                <legend>"档案接收信息"</legend>
                {input("档案接收单位", letter, |l| &mut l.archive_unit, true)}
                {input("档案接收地址", letter, |l| &mut l.archive_address, true)}
                {input("邮编", letter, |l| &mut l.archive_postcode, true)}
                {input("联系人", letter, |l| &mut l.archive_contact, false)}
                {input("联系电话", letter, |l| &mut l.archive_phone, false)}
            </fieldset>
            <fieldset>
                <legend>"户口接收信息"</legend>
                {input("户口迁移地址", letter, |l| &mut l.hukou_address, true)}
                {input("户口接收单位", letter, |l| &mut l.hukou_unit, true)}
            </fieldset>
            <fieldset>
                <legend>"应约期限"</legend>
                <label>
                    <span>"应约期限（天）"</span>
                    <input type="number" min="1" max="30" aria-label="应约期限（天）"
                        prop:value=move || letter.with(|l| l.deadline_days.to_string())
                        on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); letter.update(|l| l.deadline_days = v); } />
                </label>
            </fieldset>
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <button type="submit" class="primary">"发送"</button>
        </form>
    }
}
