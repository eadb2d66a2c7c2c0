//! 用人单位注册 (public, linked from the home page's 用人单位 door) and the page the
//! confirmation e-mail's link opens. The form is sent by the page itself: the registration
//! first (a refusal shows each problem at its field and keeps what was typed), then the
//! 营业执照 as the new account; the employer continues on its 注册审核 page.

use domain::registration::{Registration, NATURES};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::registration::{register_schools, ConfirmEmail};

/// The form's text inputs: (key, label, input type, autocomplete).
const INPUTS: [(&str, &str, &str, &str); 11] = [
    ("name", "单位名称", "text", "organization"),
    ("credit_code", "统一社会信用代码", "text", "off"),
    ("industry", "所属行业", "text", "off"),
    ("region", "所在地区", "text", "address-level2"),
    ("address", "单位地址", "text", "street-address"),
    ("contact_person", "联系人", "text", "name"),
    ("contact_phone", "联系电话", "tel", "tel"),
    ("email", "电子邮箱", "email", "email"),
    ("login", "登录账号", "text", "username"),
    ("password", "登录密码", "password", "new-password"),
    ("password_again", "确认密码", "password", "new-password"),
];

fn set_field(r: &mut Registration, key: &str, v: String) {
    match key {
        "name" => r.name = v,
        "credit_code" => r.credit_code = v,
        "nature" => r.nature = v,
        "industry" => r.industry = v,
        "region" => r.region = v,
        "address" => r.address = v,
        "contact_person" => r.contact_person = v,
        "contact_phone" => r.contact_phone = v,
        "email" => r.email = v,
        "login" => r.login = v,
        "password" => r.password = v,
        "password_again" => r.password_again = v,
        _ => {}
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let form = RwSignal::new(Registration::default());
    // (field key or none, problem) of the last refusal.
    let problems = RwSignal::new(Vec::<(Option<&'static str>, String)>::new());
    let licence_problem = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let schools = crate::resource::resource(|| (), |_| register_schools());
    let problem_at = move |key: &'static str| {
        problems.with(|p| {
            p.iter()
                .filter(|(k, _)| *k == Some(key))
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join("；")
        })
    };
    let general = move || {
        problems.with(|p| {
            p.iter()
                .filter(|(k, _)| k.is_none())
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join("；")
        })
    };
    let field = move |key: &'static str, label: &'static str, kind: &'static str, auto: &'static str| {
        let id = format!("reg-{key}");
        let label_for = id.clone();
        let err_id = format!("reg-{key}-error");
        view! {
            <div class="reg-field">
                <label for=label_for>{label}<span class="required-mark" aria-hidden="true">" *"</span></label>
                <input
                    id=id
                    name=key
                    type=kind
                    autocomplete=auto
                    required
                    aria-invalid=move || (!problem_at(key).is_empty()).to_string()
                    aria-describedby=err_id.clone()
                    on:input=move |ev| form.update(|f| set_field(f, key, event_target_value(&ev)))
                />
                <span class="field-error" id=err_id>{move || problem_at(key)}</span>
            </div>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            let file = file_input
                .get_untracked()
                .and_then(|i| i.files())
                .and_then(|l| l.get(0));
            let Some(file) = file else {
                licence_problem.set(Some("请选择营业执照文件".into()));
                return;
            };
            if file.size() > domain::registration::MAX_LICENCE_BYTES as f64 {
                licence_problem.set(Some("文件不能超过10 MB".into()));
                return;
            }
            licence_problem.set(None);
            problems.set(Vec::new());
            sending.set(true);
            let reg = form.get_untracked();
            leptos::task::spawn_local(async move {
                match crate::api::registration::register(reg).await {
                    Err(e) => {
                        problems.set(domain::registration::problems_by_field(&e.message()));
                        sending.set(false);
                    }
                    Ok(()) => match crate::api::registration::upload_licence(file).await {
                        Ok(_) => {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_href("/employer/registration");
                            }
                        }
                        Err(e) => {
                            licence_problem.set(Some(format!(
                                "{}。账号已创建，请在“注册审核”页重新上传营业执照。",
                                e.message().trim_start_matches("营业执照：")
                            )));
                            sending.set(false);
                        }
                    },
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = file_input;
    };
    let (first, rest) = INPUTS.split_at(2);
    view! {
        <main class="home register">
            <header class="home-header">
                <h1>"用人单位注册"</h1>
                <p>"注册并确认邮箱后，所选学校审核你单位的注册信息；任一学校审核通过，即可向各校毕业生发出签约邀请。"</p>
            </header>
            <div class="login-card wide">
                <form class="form-grid" on:submit=submit novalidate>
                    <fieldset>
                        <legend>"单位基本信息"</legend>
                        {first.iter().map(|&(k, l, t, a)| field(k, l, t, a)).collect_view()}
                        <div class="reg-field">
                            <label for="reg-nature">"单位性质"<span class="required-mark" aria-hidden="true">" *"</span></label>
                            <select id="reg-nature" name="nature" required aria-describedby="reg-nature-error"
                                aria-invalid=move || (!problem_at("nature").is_empty()).to_string()
                                on:change=move |ev| form.update(|f| f.nature = event_target_value(&ev))>
                                <option value="">"请选择"</option>
                                {NATURES.iter().map(|n| view! { <option value=*n>{*n}</option> }).collect_view()}
                            </select>
                            <span class="field-error" id="reg-nature-error">{move || problem_at("nature")}</span>
                        </div>
                        {rest[..6].iter().map(|&(k, l, t, a)| field(k, l, t, a)).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"账号"</legend>
                        {rest[6..].iter().map(|&(k, l, t, a)| field(k, l, t, a)).collect_view()}
                        <p class="hint-block">"密码8至64位，须同时包含字母和数字，不能与账号相同。"</p>
                    </fieldset>
                    <fieldset>
                        <legend>"营业执照"</legend>
                        <div class="reg-field">
                            <label for="reg-licence">"营业执照（JPEG、PNG 图片或 PDF，不超过10 MB）"<span class="required-mark" aria-hidden="true">" *"</span></label>
                            <input id="reg-licence" name="licence" type="file" accept="image/jpeg,image/png,application/pdf" required
                                aria-describedby="reg-licence-error" node_ref=file_input />
                            <span class="field-error" id="reg-licence-error">{move || licence_problem.get()}</span>
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"申请审核的学校（可多选）"</legend>
                        <Suspense fallback=|| view! { <p>"正在加载学校…"</p> }>
                            {move || Suspend::new(async move {
                                match schools.await {
                                    Err(e) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                                    Ok(list) => view! {
                                        <div class="checkbox-list">
                                            {list.into_iter().map(|s| {
                                                let id = s.id;
                                                view! {
                                                    <label class="checkbox">
                                                        <input type="checkbox" name="school_ids" value=id.to_string()
                                                            prop:checked=move || form.with(|f| f.school_ids.contains(&id))
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                form.update(|f| {
                                                                    f.school_ids.retain(|x| *x != id);
                                                                    if on { f.school_ids.push(id); }
                                                                });
                                                            } />
                                                        <span>{s.name}</span>
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }.into_any(),
                                }
                            })}
                        </Suspense>
                        <span class="field-error" id="reg-school_ids-error">{move || problem_at("school_ids")}</span>
                    </fieldset>
                    {move || Some(general()).filter(|g| !g.is_empty()).map(|g| view! { <p class="form-error" role="alert">{g}</p> })}
                    <button type="submit" class="primary" disabled=move || sending.get()>
                        {move || if sending.get() { "正在提交…" } else { "提交注册" }}
                    </button>
                </form>
                <p class="hint"><a href="/?kind=employer">"已有账号？返回登录"</a></p>
            </div>
        </main>
    }
}

/// The confirmation e-mail's link: `/register/confirm?token=…`. Confirming is a click, not the
/// page load (a mail scanner that opens links confirms nothing).
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let confirm = ServerAction::<ConfirmEmail>::new();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        <main class="home">
            <header class="home-header">
                <h1>"确认注册邮箱"</h1>
                <p>"确认后，你单位所选的学校即可审核注册信息。"</p>
            </header>
            <div class="login-card">
                {move || match confirm.value().get() {
                    Some(Ok(name)) => view! {
                        <p class="success" role="status">{format!("{name}的注册邮箱已确认，请等待学校审核。")}</p>
                    }.into_any(),
                    other => view! {
                        <button class="primary" disabled=move || confirm.pending().get()
                            on:click=move |_| { confirm.dispatch(ConfirmEmail { token: token() }); }>"确认邮箱"</button>
                        {other.and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message()}</p> })}
                    }.into_any(),
                }}
                <p class="hint"><a href="/?kind=employer">"返回登录"</a></p>
            </div>
        </main>
    }
}
