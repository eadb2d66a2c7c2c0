//! Read-only views of a 邀请函 and of an agreement's detail, shared by the three roles.

use domain::{
    letter::Letter,
    view::{AgreementDetail, DocEmployer, DocStudent},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{ErrorBox, Field, Loading, Panel};
use crate::api::agreement::agreement_detail;

/// 签约信息, 档案接收信息 and 户口接收信息 of a letter or agreement.
#[component]
pub fn LetterFields(letter: Letter) -> impl IntoView {
    let Letter {
        position,
        job_category,
        work_place,
        salary,
        contract_term,
        probation,
        other_terms,
        archive_unit,
        archive_address,
        archive_postcode,
        archive_contact,
        archive_phone,
        hukou_address,
        hukou_unit,
        ..
    } = letter;
    let or_dash = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    view! {
        <Panel title="签约信息">
            <dl class="fields">
                <Field label="拟聘职位" value=position />
                <Field label="岗位类别" value=job_category />
                <Field label="工作地点" value=work_place />
                <Field label="月薪" value=salary />
                <Field label="合同期限" value=contract_term />
                <Field label="试用期" value=or_dash(probation) />
                <Field label="其他约定" value=or_dash(other_terms) />
            </dl>
        </Panel>
        <Panel title="档案接收信息">
            <dl class="fields">
                <Field label="档案接收单位" value=archive_unit />
                <Field label="档案接收地址" value=archive_address />
                <Field label="邮编" value=archive_postcode />
                <Field label="联系人" value=or_dash(archive_contact) />
                <Field label="联系电话" value=or_dash(archive_phone) />
            </dl>
        </Panel>
        <Panel title="户口接收信息">
            <dl class="fields">
                <Field label="户口迁移地址" value=hukou_address />
                <Field label="户口接收单位" value=hukou_unit />
            </dl>
        </Panel>
    }
}

#[component]
pub fn EmployerFields(employer: DocEmployer) -> impl IntoView {
    view! {
        <Panel title="单位信息">
            <dl class="fields">
                <Field label="单位名称" value=employer.name />
                <Field label="统一社会信用代码" value=employer.credit_code />
                <Field label="单位性质" value=employer.nature />
                <Field label="所属行业" value=employer.industry />
                <Field label="联系人" value=employer.contact_person />
                <Field label="联系电话" value=employer.contact_phone />
                <Field label="单位地址" value=employer.address />
            </dl>
        </Panel>
    }
}

#[component]
pub fn StudentFields(student: DocStudent) -> impl IntoView {
    view! {
        <Panel title="学生信息">
            <dl class="fields">
                <Field label="姓名" value=student.name />
                <Field label="性别" value=student.gender />
                <Field label="学校" value=student.school />
                <Field label="学院" value=student.college />
                <Field label="专业" value=student.major />
                <Field label="学历" value=student.degree />
                <Field label="毕业届" value=student.graduation_year.to_string() />
                <Field label="身份证号" value=domain::ids::mask_id_number(&student.id_number) />
                <Field label="手机号" value=domain::ids::mask_phone(&student.phone) />
            </dl>
        </Panel>
    }
}

/// The PDF of an agreement (served to its parties and scoped admins only).
pub fn pdf_href(agreement_id: i64) -> String {
    format!("/api/agreements/{agreement_id}/pdf")
}

/// 详情: student, employer, 签约信息, 档案信息, 户口信息, 就业证明 and the 签约过程记录.
#[component]
pub fn AgreementDetailView(detail: AgreementDetail) -> impl IntoView {
    let AgreementDetail {
        id,
        doc,
        review_reason,
        log,
        ..
    } = detail;
    let cert = doc
        .certification
        .clone()
        .map(|c| format!("签约审核通过（{}，{}）", c.by, c.at));
    view! {
        <div class="detail">
            <Panel title="协议概况">
                <dl class="fields">
                    <Field label="协议编号" value=doc.agreement_no.clone() />
                    <Field label="签约审核状态" value=doc.status_label.clone() />
                    <Field label="签约时间" value=doc.signed_at.clone() />
                    {cert.map(|c| view! { <Field label="鉴证" value=c /> })}
                    {(!review_reason.is_empty()).then(|| view! { <Field label="审核意见" value=review_reason.clone() /> })}
                </dl>
            </Panel>
            <StudentFields student=doc.student />
            <EmployerFields employer=doc.employer />
            <LetterFields letter=doc.letter />
            <Panel title="就业证明">
                <p>
                    <a class="button" href=pdf_href(id) target="_blank" rel="noopener">"电子协议书（PDF）"</a>
                    <span class="hint">{format!(" 验证码：{}", doc.verify_code)}</span>
                </p>
            </Panel>
            <Panel title="签约过程记录">
                <div class="table-wrap">
                    <table class="list">
                        <thead><tr><th>"时间"</th><th>"操作人"</th><th>"操作"</th><th>"说明"</th></tr></thead>
                        <tbody>
                            {log.into_iter().map(|s| view! {
                                <tr><td data-label="时间">{s.at}</td><td data-label="操作人">{s.actor}</td><td data-label="操作">{s.action}</td><td data-label="说明">{s.reason}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Panel>
        </div>
    }
}

/// The detail of the agreement named in the path (`…/:id`), for any role allowed to read it.
#[component]
pub fn AgreementById() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .get()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let detail = crate::resource::resource(id, agreement_detail);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(d) => view! { <AgreementDetailView detail=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
