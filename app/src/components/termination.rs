//! The 解约须知 dialog (applying for, or agreeing to, a termination) and the view of one
//! termination request, shared by students, employers and admins.

use domain::{flow::TERMINATION_TERMS, view::TerminationRow};
use leptos::prelude::*;

use super::{Field, Panel};

/// A modal with the 解约须知, its confirmation box and (when `with_reason`) a reason field.
/// `on_confirm` gets (accepted the terms, reason). The caller keeps the dialog open until the
/// action succeeds: a refusal (`error`) is shown inside it, and what was typed stays.
#[component]
pub fn TermsDialog(
    #[prop(into)] title: String,
    #[prop(into)] confirm_label: String,
    with_reason: bool,
    /// The refusal of the last attempt, shown in the dialog.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// True while the action runs: the confirm button waits.
    #[prop(into)]
    pending: Signal<bool>,
    on_confirm: impl Fn(bool, String) + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let accepted = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let label_text = title.clone();
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-label=label_text>
                <h3>{title}</h3>
                <div class="terms" aria-label="解约须知">
                    <h4>"解约须知"</h4>
                    {TERMINATION_TERMS.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}
                </div>
                <label class="check">
                    <input type="checkbox" on:change=move |ev| accepted.set(event_target_checked(&ev)) />
                    "我已阅读并同意解约须知"
                </label>
                {with_reason.then(|| view! {
                    <label>
                        <span>"解约原因"</span>
                        <textarea name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </label>
                })}
                {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="actions">
                    <button class="primary" disabled=move || pending.get()
                        on:click=move |_| on_confirm(accepted.get_untracked(), reason.get_untracked())>{confirm_label}</button>
                    <button on:click=move |_| on_cancel()>"取消"</button>
                </div>
            </div>
        </div>
    }
}

/// A modal asking for a reason (拒绝, 审核不通过, 撤回审核). Like [`TermsDialog`] it stays
/// open with the refusal inside it until the action succeeds.
#[component]
pub fn ReasonDialog(
    #[prop(into)] title: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    on_confirm: impl Fn(String) + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let label_text = title.clone();
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-label=label_text>
                <h3>{title}</h3>
                <label>
                    <span>{label}</span>
                    <textarea name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </label>
                {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="actions">
                    <button class="primary" disabled=move || pending.get()
                        on:click=move |_| on_confirm(reason.get_untracked())>"确定"</button>
                    <button on:click=move |_| on_cancel()>"取消"</button>
                </div>
            </div>
        </div>
    }
}

/// 解约申请 as both parties and the school read it.
#[component]
pub fn TerminationFields(t: TerminationRow) -> impl IntoView {
    view! {
        <Panel title="解约申请">
            <dl class="fields">
                <Field label="协议编号" value=t.agreement_no />
                <Field label="毕业生" value=t.student_name />
                <Field label="用人单位" value=t.employer_name />
                <Field label="申请方" value=t.initiator_label />
                <Field label="申请时间" value=t.applied_at />
                <Field label="解约原因" value=t.reason />
                {(!t.response_reason.is_empty()).then(|| view! { <Field label="对方拒绝原因" value=t.response_reason.clone() /> })}
                <Field label="解约审核状态" value=t.status_label />
                {(!t.review_reason.is_empty()).then(|| view! { <Field label="审核意见" value=t.review_reason.clone() /> })}
            </dl>
        </Panel>
    }
}

/// The request named in the path (`…/:id`) with what the caller may do: the other party's
/// 同意 (→ 解约须知 → 同意解约) / 拒绝, or the school's 解约审核通过 / 解约审核不通过.
/// After an action the page returns to `back`, which confirms what was done.
#[component]
pub fn TerminationById(back: &'static str) -> impl IntoView {
    use crate::{
        api::termination::{termination_detail, RespondTermination, ReviewTermination},
        components::{letter::AgreementDetailView, ErrorBox, Flash, Loading},
    };
    use leptos_router::hooks::{use_navigate, use_params_map};

    let params = use_params_map();
    let id = move || {
        params
            .get()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let respond = ServerAction::<RespondTermination>::new();
    let review = ServerAction::<ReviewTermination>::new();
    let detail = crate::resource::resource(id, termination_detail);
    // Which dialog is open: 1 同意, 2 拒绝, 3 审核不通过. It stays open until its action succeeds.
    let dialog = RwSignal::new(0u8);
    let navigate = use_navigate();
    let flash = Flash::get();
    Effect::new(move |_| {
        let done = if matches!(respond.value().get(), Some(Ok(_))) {
            Some(if dialog.get_untracked() == 1 {
                "已同意解约，等待学校解约审核。".to_owned()
            } else {
                "已拒绝解约申请。".to_owned()
            })
        } else if let Some(Ok(d)) = review.value().get() {
            // The new state: 解约审核通过 / 不通过, or 等待学校审核 after a 学院初审.
            Some(format!("已提交：{}。", d.termination.status_label))
        } else {
            None
        };
        if let Some(message) = done {
            if let Some(f) = flash {
                f.set(message);
            }
            dialog.set(0);
            navigate(back, Default::default());
        }
    });
    let error = move || {
        respond
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| review.value().get().and_then(|r| r.err()))
            .map(|e| e.message())
    };
    let pending = Signal::derive(move || respond.pending().get() || review.pending().get());
    let open = move |n: u8| {
        respond.value().set(None);
        review.value().set(None);
        dialog.set(n);
    };
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => {
                        let tid = d.termination.id;
                        let (can_respond, can_review) = (d.can_respond, d.can_review);
                        view! {
                            <TerminationFields t=d.termination />
                            // A dialog shows its own refusal; this one is for 解约审核通过, which has none.
                            {move || (dialog.get() == 0).then(error).flatten()
                                .map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                            <div class="actions">
                                {can_respond.then(|| view! {
                                    <button class="primary" on:click=move |_| open(1)>"同意"</button>
                                    <button class="danger" on:click=move |_| open(2)>"拒绝"</button>
                                })}
                                {can_review.then(|| view! {
                                    <button class="primary" disabled=move || pending.get()
                                        on:click=move |_| { review.dispatch(ReviewTermination { termination_id: tid, approve: true, reason: None }); }>"解约审核通过"</button>
                                    <button class="danger" on:click=move |_| open(3)>"解约审核不通过"</button>
                                })}
                                <a class="button" href=back>"返回"</a>
                            </div>
                            {move || match dialog.get() {
                                1 => view! {
                                    <TermsDialog title="同意解约" confirm_label="同意解约" with_reason=false error=Signal::derive(error) pending
                                        on_confirm=move |ok, _| { respond.dispatch(RespondTermination { termination_id: tid, agree: true, accept_terms: Some(ok), reason: None }); }
                                        on_cancel=move || dialog.set(0) />
                                }.into_any(),
                                2 => view! {
                                    <ReasonDialog title="拒绝解约" label="拒绝原因" error=Signal::derive(error) pending
                                        on_confirm=move |r| { respond.dispatch(RespondTermination { termination_id: tid, agree: false, accept_terms: None, reason: Some(r) }); }
                                        on_cancel=move || dialog.set(0) />
                                }.into_any(),
                                3 => view! {
                                    <ReasonDialog title="解约审核不通过" label="不通过原因" error=Signal::derive(error) pending
                                        on_confirm=move |r| { review.dispatch(ReviewTermination { termination_id: tid, approve: false, reason: Some(r) }); }
                                        on_cancel=move || dialog.set(0) />
                                }.into_any(),
                                _ => ().into_any(),
                            }}
                            <AgreementDetailView detail=d.agreement />
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
