//! Pieces of the review queues (签约管理, 解约管理): the check boxes and 批量审核通过 with each
//! row's result.

use std::collections::BTreeSet;

use domain::view::BatchResult;
use leptos::prelude::*;

/// A row's check box (only rows waiting for review get one).
#[component]
pub fn RowCheck(id: i64, #[prop(into)] name: String, checked: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    view! {
        <input type="checkbox" aria-label=format!("选择{name}")
            prop:checked=move || checked.with(|c| c.contains(&id))
            on:change=move |ev| {
                let on = event_target_checked(&ev);
                checked.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
            } />
    }
}

/// The results of a 批量审核通过, one line per checked row.
#[component]
pub fn BatchResults(results: Vec<BatchResult>) -> impl IntoView {
    let done = results.iter().filter(|r| r.ok).count();
    let summary = format!("批量审核：{done} 条成功，{} 条未通过", results.len() - done);
    let summary_class = if done == results.len() { "success" } else { "form-error" };
    view! {
        <div class="batch-results" role="status">
            <p class=summary_class>{summary}</p>
            <ul aria-label="批量审核结果">
                {results.into_iter().map(|r| {
                    let who = if r.student_name.is_empty() { format!("编号 {}", r.id) } else { r.student_name };
                    let class = if r.ok { "ok" } else { "refused" };
                    view! { <li class=class>{format!("{who}：{}", r.message)}</li> }
                }).collect_view()}
            </ul>
        </div>
    }
}
