//! 生源导入 (school and college admins): 下载模板, upload a filled file, see every row's outcome
//! (bad rows by Excel row number with all their reasons; the others as 新增, 更新 or 无变化),
//! then 确认导入. Nothing is saved before 确认导入; a refused file leaves the page as it was.

use domain::{
    role::LoginKind,
    roster_import::{Counts, Imported, Line, Preview},
    AppError,
};
use leptos::prelude::*;

use super::MENU;
use crate::api::upload::{confirm_roster, preview_roster, ROSTER_TEMPLATE_PATH};
use crate::components::{Panel, RoleLayout};

/// Good rows listed in the preview (all are counted and all are saved).
const LISTED_GOOD: usize = 500;

#[component]
pub fn RosterImportPage() -> impl IntoView {
    view! {
        <RoleLayout kind=LoginKind::Admin title="生源导入" menu=MENU>
            <RosterImport />
        </RoleLayout>
    }
}

#[component]
fn RosterImport() -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let preview = RwSignal::new(None::<Preview>);
    let imported = RwSignal::new(None::<Imported>);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let upload = move |_| {
        let Some(input) = file_input.get() else { return };
        imported.set(None);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            error.set(Some(AppError::invalid("请选择要导入的Excel文件")));
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match preview_roster(file).await {
                Ok(p) => preview.set(Some(p)),
                Err(e) => {
                    preview.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let confirm = move |_| {
        let Some(token) = preview.with_untracked(|p| p.as_ref().map(|p| p.token.clone())) else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match confirm_roster(token).await {
                Ok(done) => {
                    preview.set(None);
                    imported.set(Some(done));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Panel title="生源导入">
            <p class="hint-block">
                "请先下载模板，按模板填写学院、专业、学历、毕业届、姓名、性别、身份证号、手机号、邮箱、培养方式和生源地"
                "（身份证号和手机号请以文本格式填写），再上传。上传后先显示预览，确认导入后才保存。"
                "文件不超过5MB、10000行；同一学生（身份证号 + 毕业届）再次导入时更新其信息，不会重复登记。"
            </p>
            <div class="actions">
                <a class="button" href=ROSTER_TEMPLATE_PATH download="生源信息导入模板.xlsx">"下载模板"</a>
                <input type="file" accept=".xlsx,.xls" node_ref=file_input aria-label="选择Excel文件" />
                <button class="primary" on:click=upload disabled=move || busy.get()>"上传预览"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
            {move || imported.get().map(|done| view! { <ImportedView done /> })}
            {move || preview.get().map(|p| {
                let can_confirm = p.counts.added + p.counts.updated > 0;
                view! {
                    <PreviewView counts=p.counts lines=p.lines />
                    <div class="actions">
                        <button class="primary" on:click=confirm disabled=move || busy.get() || !can_confirm>"确认导入"</button>
                        {(!can_confirm).then(|| view! { <span class="hint">"没有需要保存的行。"</span> })}
                    </div>
                }
            })}
        </Panel>
    }
}

fn summary(c: &Counts) -> String {
    format!(
        "新增 {} 人，更新 {} 人，无变化 {} 人，有误 {} 行",
        c.added, c.updated, c.unchanged, c.bad
    )
}

#[component]
fn PreviewView(counts: Counts, lines: Vec<Line>) -> impl IntoView {
    let (bad, good): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.outcome.is_none());
    let more = good.len().saturating_sub(LISTED_GOOD);
    view! {
        <p class="summary" role="status">{format!("预览（尚未保存）：{}", summary(&counts))}</p>
        {(!bad.is_empty()).then(|| view! {
            <h3>"有误的行（不会导入，请修改后重新上传）"</h3>
            <BadRows lines=bad />
        })}
        {(!good.is_empty()).then(|| view! {
            <h3>"将导入的行"</h3>
            <div class="table-wrap">
                <table class="list" aria-label="将导入的行">
                    <thead><tr><th>"行号"</th><th>"姓名"</th><th>"身份证号"</th><th>"学院"</th><th>"结果"</th><th>"变更"</th></tr></thead>
                    <tbody>
                        {good.into_iter().take(LISTED_GOOD).map(|l| view! {
                            <tr>
                                <td data-label="行号">{l.line}</td>
                                <td data-label="姓名">{l.name}</td>
                                <td data-label="身份证号" class="mono">{l.id_number_masked}</td>
                                <td data-label="学院">{l.college}</td>
                                <td data-label="结果">{l.outcome.map(|o| o.label()).unwrap_or_default()}</td>
                                <td data-label="变更">{l.reasons.join("；")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p class="hint">{format!("另有 {more} 行未列出（已计入上面的人数）。")}</p> })}
        })}
    }
}

#[component]
fn BadRows(lines: Vec<Line>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="list" aria-label="有误的行">
                <thead><tr><th>"行号"</th><th>"姓名"</th><th>"原因"</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr class="bad">
                            <td data-label="行号">{l.line}</td>
                            <td data-label="姓名">{l.name}</td>
                            <td data-label="原因">{l.reasons.join("；")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ImportedView(done: Imported) -> impl IntoView {
    view! {
        <p class="success" role="status">{format!("导入完成：{}", summary(&done.counts))}</p>
        {(!done.skipped.is_empty()).then(|| view! {
            <h3>"未导入的行"</h3>
            <BadRows lines=done.skipped />
        })}
        <p><a href="/admin/roster">"查看生源信息"</a></p>
    }
}
