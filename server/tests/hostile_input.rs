//! Every endpoint of docs/API.md, fed what an attacker or a broken client sends: a body over the
//! limit, bytes that are not UTF-8, control characters in text fields, missing, duplicated and
//! wrongly typed arguments. Each answer is a 4xx with a Chinese `AppError`, never a 5xx, and the
//! database is the same afterwards. The table must name every endpoint the document lists.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::Value;

/// What an argument holds, and so how to spoil it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A one-line text field: a line break or other control character is refused.
    Line,
    /// A multi-line text field: control characters other than line breaks are refused.
    Lines,
    /// A number or a boolean: a word is the wrong type.
    Typed,
    /// Never shown or logged, any character allowed (a password): only duplicated.
    Opaque,
}

#[derive(Clone, Copy)]
enum Who {
    Anyone,
    Student,
    Employer,
    SchoolAdmin,
    Province,
}

struct Endpoint {
    path: &'static str,
    who: Who,
    /// A well-formed argument list (a request that would be read); empty: no arguments.
    args: Vec<(String, String, Kind)>,
    /// Some argument is required: an empty body is refused.
    required: bool,
}

fn ep(path: &'static str, who: Who, args: &[(&str, &str, Kind)], required: bool) -> Endpoint {
    let args = args
        .iter()
        .map(|(k, v, kind)| ((*k).to_owned(), (*v).to_owned(), *kind))
        .collect();
    Endpoint {
        path,
        who,
        args,
        required,
    }
}

/// The form-encoded server functions, with ids that exist where that lets the request get further.
fn functions(invitation: i64, agreement: i64, student: i64, employer: i64) -> Vec<Endpoint> {
    use Kind::*;
    use Who::*;
    let (inv, agr, stu, emp) = (
        invitation.to_string(),
        agreement.to_string(),
        student.to_string(),
        employer.to_string(),
    );
    let (inv, agr, stu, emp) = (inv.as_str(), agr.as_str(), stu.as_str(), emp.as_str());
    let query = [
        ("query[school_id]", "1", Typed),
        ("query[graduation_year]", "2026", Typed),
        ("query[name]", "张三", Line),
        ("query[id_or_phone]", "13800138000", Line),
    ];
    let info: Vec<(String, String, Kind)> = [
        ("name", "华中数智科技有限公司"),
        ("credit_code", "91350100M000100Y43"),
        ("contact_person", "王经理"),
        ("contact_phone", "027-87654321"),
        ("email", "hr@example.com"),
        ("address", "武汉市东湖高新区"),
        ("nature", "其他企业"),
        ("industry", "软件和信息技术服务业"),
        ("archive_unit", "武汉市人才服务中心"),
        ("archive_address", "武汉市江岸区"),
        ("archive_postcode", "430010"),
        ("archive_contact", "李老师"),
        ("archive_phone", "02785000000"),
        ("hukou_address", "武汉市江岸区"),
        ("hukou_unit", "武汉市人才服务中心"),
    ]
    .iter()
    .map(|(k, v)| (format!("info[{k}]"), (*v).to_owned(), Line))
    .collect();
    let mut letter: Vec<(String, String, Kind)> = vec![("student_ids[0]".into(), stu.into(), Typed)];
    letter.extend(flow::letter("软件工程师").into_iter().map(|(k, v)| {
        let kind = match k.as_str() {
            "letter[deadline_days]" => Typed,
            "letter[other_terms]" => Lines,
            _ => Line,
        };
        (k, v, kind)
    }));
    let filter = [
        ("filter[status]", "awaiting_review", Line),
        ("filter[college_id]", "1", Typed),
        ("filter[graduation_year]", "2026", Typed),
        ("filter[name]", "张三", Line),
        ("filter[page]", "1", Typed),
    ];
    vec![
        ep(
            "/api/login",
            Anyone,
            &[
                ("kind", "admin", Line),
                ("login", "province", Line),
                ("password", "wrong-password", Opaque),
            ],
            true,
        ),
        ep("/api/logout", Anyone, &[], false),
        ep("/api/me", Student, &[], false),
        ep(
            "/api/password",
            Student,
            &[
                ("old_password", "not-the-password", Opaque),
                ("new_password", "Changed2027x", Opaque),
                ("new_password_again", "Changed2027x", Opaque),
            ],
            true,
        ),
        ep("/api/student/dashboard", Student, &[], false),
        ep("/api/employer/dashboard", Employer, &[], false),
        ep("/api/admin/dashboard", SchoolAdmin, &[], false),
        ep("/api/province/schools", Province, &[], false),
        ep(
            "/api/province/schools/save",
            Province,
            &[("code", "1048", Line), ("name", "测试大学", Line)],
            true,
        ),
        ep(
            "/api/admin/accounts/create",
            Province,
            &[
                ("school_id", "1", Typed),
                ("login", "x", Line),
                ("display_name", "测试", Line),
            ],
            true,
        ),
        ep(
            "/api/admin/accounts/disable",
            Province,
            &[("account_id", "999999", Typed), ("disabled", "true", Typed)],
            true,
        ),
        ep(
            "/api/admin/accounts/reset-password",
            Province,
            &[("account_id", "999999", Typed)],
            true,
        ),
        // 学院管理; 首次登录 / 忘记密码 (an unknown 身份证号: nothing to write).
        ep("/api/school/colleges", SchoolAdmin, &[], false),
        ep(
            "/api/school/colleges/save",
            SchoolAdmin,
            &[("college_id", "999999", Typed), ("name", "测试学院", Line)],
            true,
        ),
        ep(
            "/api/login/first/send",
            Anyone,
            &[("id_number", "11010519491231002X", Line), ("name", "测试", Line)],
            true,
        ),
        ep(
            "/api/login/first",
            Anyone,
            &[
                ("id_number", "11010519491231002X", Line),
                ("code", "000000", Line),
                ("new_password", "Changed2027x", Opaque),
                ("new_password_again", "Changed2027x", Opaque),
            ],
            true,
        ),
        ep("/api/employer/info", Employer, &[], false),
        Endpoint {
            path: "/api/employer/confirm-info",
            who: Employer,
            args: info,
            required: true,
        },
        ep("/api/student/profile", SchoolAdmin, &[("student_id", stu, Typed)], true),
        ep(
            "/api/admin/roster",
            SchoolAdmin,
            &[
                ("filter[college_id]", "1", Typed),
                ("filter[major]", "软件工程", Line),
                ("filter[graduation_year]", "2026", Typed),
                ("filter[training_mode]", "非定向", Line),
                ("filter[status]", "pending", Line),
                ("filter[restricted]", "false", Typed),
                ("filter[keyword]", "张三", Line),
                ("filter[page]", "1", Typed),
            ],
            false,
        ),
        ep(
            "/api/admin/roster/record",
            SchoolAdmin,
            &[("student_id", stu, Typed)],
            true,
        ),
        Endpoint {
            path: "/api/admin/roster/add",
            who: SchoolAdmin,
            args: roster_record(&[]),
            required: true,
        },
        Endpoint {
            path: "/api/admin/roster/edit",
            who: SchoolAdmin,
            args: roster_record(&[("student_id", stu, Typed), ("reason", "学生申请更正", Lines)]),
            required: true,
        },
        ep(
            "/api/admin/roster/approve",
            SchoolAdmin,
            &[("student_ids[0]", stu, Typed)],
            false,
        ),
        ep(
            "/api/admin/roster/restrict",
            SchoolAdmin,
            &[
                ("student_id", stu, Typed),
                ("restricted", "true", Typed),
                ("reason", "学费未缴清", Lines),
            ],
            true,
        ),
        ep("/api/admin/colleges", SchoolAdmin, &[], false),
        ep("/api/employer/profile", Employer, &[("employer_id", emp, Typed)], true),
        ep("/api/employer/search-options", Employer, &[], false),
        ep("/api/employer/search", Employer, &query, true),
        ep("/api/employer/sign-list/add", Employer, &query, true),
        ep("/api/employer/sign-list", Employer, &[], false),
        ep(
            "/api/employer/sign-list/remove",
            Employer,
            &[("student_ids[0]", stu, Typed)],
            false,
        ),
        ep("/api/employer/letter-template", Employer, &[], false),
        Endpoint {
            path: "/api/employer/invitations/send",
            who: Employer,
            args: letter,
            required: true,
        },
        ep("/api/employer/invitations", Employer, &[], false),
        ep(
            "/api/employer/invitations/withdraw",
            Employer,
            &[("invitation_id", inv, Typed)],
            true,
        ),
        ep("/api/employer/accepted", Employer, &[], false),
        ep("/api/student/verify/send", Student, &[], false),
        ep("/api/student/verify", Student, &[("code", "123456", Line)], true),
        ep("/api/student/invitations", Student, &[], false),
        ep(
            "/api/student/invitation",
            Student,
            &[("invitation_id", inv, Typed)],
            true,
        ),
        ep(
            "/api/student/invitation/accept",
            Student,
            &[("invitation_id", inv, Typed)],
            true,
        ),
        ep(
            "/api/student/invitation/reject",
            Student,
            &[("invitation_id", inv, Typed)],
            true,
        ),
        ep("/api/admin/agreements", SchoolAdmin, &filter, false),
        ep("/api/agreement", SchoolAdmin, &[("agreement_id", agr, Typed)], true),
        ep(
            "/api/admin/agreements/review",
            SchoolAdmin,
            &[
                ("agreement_id", agr, Typed),
                ("approve", "false", Typed),
                ("reason", "材料不全", Lines),
            ],
            true,
        ),
        ep("/api/student/terminations", Student, &[], false),
        ep("/api/employer/signed", Employer, &[], false),
        ep("/api/employer/termination-requests", Employer, &[], false),
        ep("/api/employer/terminations", Employer, &[], false),
        ep(
            "/api/termination/apply",
            Employer,
            &[
                ("agreement_id", agr, Typed),
                ("reason", "岗位调整", Lines),
                ("accept_terms", "true", Typed),
            ],
            true,
        ),
        ep(
            "/api/employer/terminations/apply",
            Employer,
            &[
                ("agreement_ids[0]", agr, Typed),
                ("reason", "岗位调整", Lines),
                ("accept_terms", "true", Typed),
            ],
            true,
        ),
        ep(
            "/api/termination/respond",
            Student,
            &[
                ("termination_id", "1", Typed),
                ("agree", "false", Typed),
                ("accept_terms", "true", Typed),
                ("reason", "不同意", Lines),
            ],
            true,
        ),
        ep("/api/termination", SchoolAdmin, &[("termination_id", "1", Typed)], true),
        ep("/api/admin/terminations", SchoolAdmin, &filter, false),
        ep(
            "/api/admin/terminations/review",
            SchoolAdmin,
            &[
                ("termination_id", "1", Typed),
                ("approve", "false", Typed),
                ("reason", "材料不全", Lines),
            ],
            true,
        ),
        ep(
            "/api/admin/agreements/revoke",
            SchoolAdmin,
            &[("agreement_id", agr, Typed), ("reason", "信息有误", Lines)],
            true,
        ),
        ep(
            "/api/admin/agreements/approve",
            SchoolAdmin,
            &[("agreement_ids[0]", agr, Typed)],
            true,
        ),
        ep(
            "/api/admin/terminations/approve",
            SchoolAdmin,
            &[("termination_ids[0]", "1", Typed)],
            true,
        ),
        ep("/api/admin/review-settings", SchoolAdmin, &[], false),
        ep(
            "/api/admin/review-settings/mode",
            SchoolAdmin,
            &[("mode", "two_level", Line)],
            true,
        ),
        ep(
            "/api/admin/review-settings/digest",
            SchoolAdmin,
            &[("on", "true", Typed), ("email", "jc@jcdx.edu.cn", Line)],
            true,
        ),
        ep("/api/notices", Student, &[], false),
        ep(
            "/api/admin/roster/import/confirm",
            SchoolAdmin,
            &[("token", "00000000000000000000000000000000", Line)],
            true,
        ),
        ep(
            "/api/verify-agreement",
            Anyone,
            &[("agreement_no", "WQ2026000001", Line), ("verify_code", "ABCDEF", Line)],
            true,
        ),
        // 用人单位注册 and 用人单位审核.
        ep("/api/register/schools", Anyone, &[], false),
        ep(
            "/api/register",
            Anyone,
            &[
                ("register[name]", "恶意测试有限公司", Line),
                ("register[credit_code]", "91350100M000100Y43", Line),
                ("register[nature]", "其他企业", Line),
                ("register[industry]", "制造业", Line),
                ("register[region]", "湖北省武汉市", Line),
                ("register[address]", "武汉市光谷大道1号", Line),
                ("register[contact_person]", "王经理", Line),
                ("register[contact_phone]", "027-87654321", Line),
                ("register[email]", "hr@hostile.example.com", Line),
                ("register[login]", "hostile1", Line),
                ("register[password]", "Hostile2026", Opaque),
                ("register[password_again]", "Hostile2026", Opaque),
                ("register[school_ids][0]", "1", Typed),
            ],
            true,
        ),
        ep(
            "/api/register/confirm",
            Anyone,
            &[("token", "00000000000000000000000000000000", Line)],
            true,
        ),
        ep("/api/employer/registration", Employer, &[], false),
        ep(
            "/api/employer/registration/apply",
            Employer,
            &[("school_ids[0]", "1", Typed)],
            true,
        ),
        ep(
            "/api/admin/employers",
            SchoolAdmin,
            &[
                ("filter[status]", "pending", Line),
                ("filter[q]", "华中", Line),
                ("filter[page]", "1", Typed),
            ],
            false,
        ),
        ep("/api/admin/employer", SchoolAdmin, &[("employer_id", emp, Typed)], true),
        ep(
            "/api/admin/employers/review",
            SchoolAdmin,
            &[
                ("employer_ids[0]", "999999", Typed),
                ("approve", "false", Typed),
                ("reason", "材料不全", Lines),
            ],
            true,
        ),
        ep(
            "/api/province/employers/freeze",
            Province,
            &[
                ("employer_id", emp, Typed),
                ("freeze", "true", Typed),
                ("reason", "虚假招聘", Lines),
            ],
            true,
        ),
    ]
}

/// A 生源管理 form (`record[…]`, every field one line) for a new student of 江城大学, and `extra`.
fn roster_record(extra: &[(&str, &str, Kind)]) -> Vec<(String, String, Kind)> {
    [
        ("college", "计算机学院"),
        ("major", "软件工程"),
        ("degree", "本科"),
        ("graduation_year", "2026"),
        ("name", "新同学"),
        ("gender", "女"),
        ("id_number", "42010620050101002X"),
        ("phone", "13912345678"),
        ("email", "x@example.edu.cn"),
        ("training_mode", "非定向"),
        ("origin", "湖北省武汉市"),
    ]
    .iter()
    .map(|(k, v)| (format!("record[{k}]"), (*v).to_owned(), Kind::Line))
    .chain(
        extra
            .iter()
            .map(|(k, v, kind)| ((*k).to_owned(), (*v).to_owned(), *kind)),
    )
    .collect()
}

/// The plain HTTP routes (files), tried separately below.
const FILE_ROUTES: [&str; 8] = [
    "/api/employer/licence",
    "/api/employers/{id}/licence",
    "/api/employer/sign-list/template.xlsx",
    "/api/employer/sign-list/import",
    "/api/admin/roster/template.xlsx",
    "/api/admin/roster/import",
    "/api/agreements/{id}/pdf",
    "/api/admin/roster/export.xlsx",
];

/// Rows in every table: a request that changes nothing leaves it equal.
async fn snapshot(db: &data::DatabaseConnection) -> BTreeMap<String, i64> {
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Sqlite => "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        _ => "SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()",
    };
    let tables = db.query_all_raw(Statement::from_string(backend, list)).await.unwrap();
    let mut counts = BTreeMap::new();
    for t in tables {
        let name: String = t.try_get("", "t").unwrap();
        let n = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{name}\""),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.insert(name, n.try_get::<i64>("", "n").unwrap());
    }
    counts
}

fn encode(pairs: &[(String, String)]) -> Vec<u8> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

async fn post_raw(c: &Client, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, String) {
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// A 4xx whose body is an `AppError` with a Chinese message.
fn assert_refused(what: &str, status: StatusCode, body: &str) {
    assert!(status.is_client_error(), "{what}: {status} {body}");
    let err: domain::AppError =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{what}: not an AppError ({e}): {status} {body}"));
    assert!(
        err.message().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: no Chinese message: {body}"
    );
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn every_documented_endpoint_refuses_hostile_input_with_a_chinese_4xx_and_writes_nothing() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let employer = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let invitation = flow::invite(&app, &employer, 0).await;
        let student = flow::student(&app, 0).await;
        let (status, agreement) = student
            .post(
                "/api/student/invitation/accept",
                &[("invitation_id", &invitation.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {agreement}");
        let agreement = agreement.as_i64().unwrap();
        let admin = app.login("admin", demo::school_admin(0)).await;
        let province = app.login("admin", demo::PROVINCE).await;
        let anyone = app.client();
        let table = functions(
            invitation,
            agreement,
            student_id(&app.db, 0).await,
            employer_id(&app.db, demo::EMPLOYER_APPROVED).await,
        );

        let listed: BTreeSet<String> = table
            .iter()
            .map(|e| e.path.to_owned())
            .chain(FILE_ROUTES.iter().map(|p| (*p).to_owned()))
            .collect();
        let missing: Vec<_> = documented_endpoints().difference(&listed).cloned().collect();
        assert!(
            missing.is_empty(),
            "endpoints in docs/API.md without hostile-input cases: {missing:?}"
        );

        let before = snapshot(&app.db).await;
        for e in &table {
            let c = match e.who {
                Who::Anyone => &anyone,
                Who::Student => &student,
                Who::Employer => &employer,
                Who::SchoolAdmin => &admin,
                Who::Province => &province,
            };
            let what = |case: &str| format!("[{b}] {} {case}", e.path);
            let pairs: Vec<(String, String)> = e.args.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();

            // Over the 2 MiB limit: announced, and streamed without a length.
            let mut big = encode(&pairs);
            big.extend(b"&pad=");
            big.resize(lib_form_limit() + 1, b'x');
            let (status, body) = post_raw(c, e.path, FORM, big.clone()).await;
            assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}: {body}", what("oversize"));
            assert_refused(&what("oversize"), status, &body);
            let (status, body) = post_chunked(&c.base, e.path, &big).await;
            assert_refused(&what("oversize, chunked"), status, &body);

            // Not UTF-8 (`printf '\xff'`), alone and after good arguments.
            let (status, body) = post_raw(c, e.path, FORM, vec![0xff]).await;
            assert_refused(&what("non-UTF-8"), status, &body);
            let mut tail = encode(&pairs);
            tail.extend(b"&x=\xff\xfe");
            let (status, body) = post_raw(c, e.path, FORM, tail).await;
            assert_refused(&what("non-UTF-8 value"), status, &body);

            if e.required {
                let (status, body) = post_raw(c, e.path, FORM, Vec::new()).await;
                assert_refused(&what("no arguments"), status, &body);
            }
            for (n, (key, value, kind)) in e.args.iter().enumerate() {
                let with = |v: String| {
                    let mut p = pairs.clone();
                    p[n].1 = v;
                    encode(&p)
                };
                let spoiled: Vec<(&str, Vec<u8>)> = match kind {
                    Kind::Line => vec![
                        ("line break", with(format!("{value}\n2026-01-01T00:00:00Z INFO forged"))),
                        ("carriage return", with(format!("{value}\r伪造"))),
                        ("tab", with(format!("{value}\t伪造"))),
                        ("NUL", with(format!("{value}\u{0}"))),
                        ("escape", with(format!("{value}\u{1b}[31m"))),
                    ],
                    Kind::Lines => vec![
                        ("NUL", with(format!("{value}\u{0}"))),
                        ("escape", with(format!("{value}\u{1b}[31m"))),
                    ],
                    Kind::Typed => vec![
                        ("wrong type", with("两个".into())),
                        ("huge number", with("99999999999999999999999".into())),
                    ],
                    Kind::Opaque => vec![],
                };
                for (case, body) in spoiled {
                    let (status, text) = post_raw(c, e.path, FORM, body).await;
                    assert_refused(&what(&format!("{key} {case}")), status, &text);
                }
                let mut dup = encode(&pairs);
                dup.extend(b"&");
                dup.extend(encode(&[(key.clone(), value.clone())]));
                let (status, text) = post_raw(c, e.path, FORM, dup).await;
                assert_refused(&what(&format!("{key} twice")), status, &text);
            }
            assert_eq!(snapshot(&app.db).await, before, "{}", what("wrote something"));
        }

        // The file routes: an import over its limit or not a spreadsheet; a PDF id that is not a number.
        for body in [vec![0xff], vec![b'x'; excel::MAX_BYTES + 1]] {
            let (status, text) = post_raw(
                &employer,
                "/api/employer/sign-list/import",
                "application/octet-stream",
                body,
            )
            .await;
            assert_refused(&format!("[{b}] import"), status, &text);
        }
        let (status, text) = post_raw(
            &employer,
            "/api/employer/sign-list/import",
            "application/octet-stream",
            vec![0; 9 * 1024 * 1024],
        )
        .await;
        assert_eq!(
            status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "[{b}] import over the server's limit: {text}"
        );
        assert_refused(&format!("[{b}] import over the server's limit"), status, &text);
        // 生源导入's upload: the same guards (not a spreadsheet, over 5 MB, over the server's limit).
        for body in [vec![0xff], vec![b'x'; excel::MAX_BYTES + 1], vec![0; 9 * 1024 * 1024]] {
            let (status, text) = post_raw(&admin, "/api/admin/roster/import", "application/octet-stream", body).await;
            assert_refused(&format!("[{b}] roster import"), status, &text);
        }
        let (status, _, bytes) = anyone.get_bytes("/api/admin/roster/template.xlsx").await;
        assert_refused(
            &format!("[{b}] roster template without login"),
            status,
            &String::from_utf8_lossy(&bytes),
        );
        for id in ["abc", "99999999999999999999999", "%FF"] {
            let (status, _, bytes) = admin.get_bytes(&format!("/api/agreements/{id}/pdf")).await;
            assert_refused(&format!("[{b}] pdf {id}"), status, &String::from_utf8_lossy(&bytes));
        }
        for query in [
            "college_id=abc",
            "graduation_year=99999999999999",
            "keyword=%E5%BC%A0%0A%E4%B8%89",
            "status=%FF",
            "restricted=maybe",
        ] {
            let (status, _, bytes) = admin.get_bytes(&format!("/api/admin/roster/export.xlsx?{query}")).await;
            assert_refused(
                &format!("[{b}] export ?{query}"),
                status,
                &String::from_utf8_lossy(&bytes),
            );
        }
        // The 营业执照: not an image or PDF, over 10 MB, over the server's limit; an id that is not a number.
        for body in [
            vec![0xff],
            b"<svg onload=alert(1)>".to_vec(),
            vec![b'%'; domain::registration::MAX_LICENCE_BYTES + 1],
            vec![0; 11 * 1024 * 1024],
        ] {
            let (status, text) = post_raw(&employer, "/api/employer/licence", "application/octet-stream", body).await;
            assert_refused(&format!("[{b}] licence upload"), status, &text);
        }
        for id in ["abc", "99999999999999999999999", "%FF"] {
            let (status, _, bytes) = admin.get_bytes(&format!("/api/employers/{id}/licence")).await;
            assert_refused(&format!("[{b}] licence {id}"), status, &String::from_utf8_lossy(&bytes));
        }
        let (status, _, bytes) = anyone.get_bytes("/api/employer/sign-list/template.xlsx").await;
        assert_refused(
            &format!("[{b}] template without login"),
            status,
            &String::from_utf8_lossy(&bytes),
        );
        assert_eq!(snapshot(&app.db).await, before, "[{b}] the file routes wrote something");
    })
    .await;
}

fn lib_form_limit() -> usize {
    server::FORM_LIMIT
}

/// POSTs `body` in 64 KiB chunks (`Transfer-Encoding: chunked`, no Content-Length) on a raw
/// connection: the limit must hold for a body whose length is not announced.
async fn post_chunked(base: &str, path: &str, body: &[u8]) -> (StatusCode, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {FORM}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    let mut out = head.into_bytes();
    for chunk in body.chunks(64 * 1024) {
        out.extend(format!("{:x}\r\n", chunk.len()).bytes());
        out.extend(chunk);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    // The server may answer before it has read everything: a failed write is not the test's point.
    let _ = tcp.write_all(&out).await;
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer to a chunked {path}: {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .expect("status line");
    (StatusCode::from_u16(status).unwrap(), body.to_owned())
}

fn message(body: &Value) -> String {
    serde_json::from_value::<domain::AppError>(body.clone())
        .map(|e| e.message())
        .unwrap_or_else(|_| body.to_string())
}

/// docs/API.md: `letter[deadline_days]` is 1–30, default 5. Zero is refused (it used to be read
/// as "not given"); leaving it out gives five days.
#[tokio::test]
async fn a_letter_with_a_deadline_of_zero_days_is_refused_and_one_left_out_gets_five_days() {
    use data::entity::invitation;
    use sea_orm::{EntityTrait, PaginatorTrait};
    on_each_backend(|app| async move {
        let b = app.backend;
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let sid = flow::add(&app, &hz, 0).await;
        let letter = |deadline: Option<&str>| {
            let mut form = flow::ids("student_ids", &[sid]);
            form.extend(
                flow::letter("软件工程师")
                    .into_iter()
                    .filter(|(k, _)| k != "letter[deadline_days]"),
            );
            form.extend(deadline.map(|d| ("letter[deadline_days]".to_owned(), d.to_owned())));
            form
        };
        let (status, body) = hz
            .post_owned("/api/employer/invitations/send", &letter(Some("0")))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "[{b}] {body}");
        assert_eq!(message(&body), "应约期限应为1至30天");
        assert_eq!(
            invitation::Entity::find().count(&app.db).await.unwrap(),
            0,
            "[{b}] sent anyway"
        );

        let (status, body) = hz.post_owned("/api/employer/invitations/send", &letter(None)).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        let sent = invitation::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(
            (sent.deadline - sent.created_at).num_days(),
            5,
            "[{b}] default deadline"
        );
    })
    .await;
}

/// docs/API.md: every 签约中心 endpoint needs confirmed information and an approval (400
/// otherwise) — the search options and the letter template too.
#[tokio::test]
async fn an_employer_not_yet_approved_gets_no_search_options_and_no_letter_template() {
    on_each_backend(|app| async move {
        let pending = app.login("employer", demo::EMPLOYER_PENDING).await;
        for path in ["/api/employer/search-options", "/api/employer/letter-template"] {
            let (status, body) = pending.post(path, &[]).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "[{}] {path}: {body}", app.backend);
            assert_refused(path, status, &body.to_string());
        }
        let ready = app.login("employer", demo::EMPLOYER_APPROVED).await;
        for path in ["/api/employer/search-options", "/api/employer/letter-template"] {
            let (status, body) = ready.post(path, &[]).await;
            assert_eq!(status, StatusCode::OK, "[{}] {path}: {body}", app.backend);
        }
    })
    .await;
}

/// docs/API.md: `/api/admin/terminations` without `filter[status]` lists every request in scope,
/// 申请中 included.
#[tokio::test]
async fn the_termination_list_without_a_status_filter_includes_requests_still_between_the_parties() {
    on_each_backend(|app| async move {
        let b = app.backend;
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let inv = flow::invite(&app, &hz, 0).await;
        let s = flow::student(&app, 0).await;
        let (status, id) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {id}");
        let school = app.login("admin", demo::school_admin(0)).await;
        let aid = id.as_i64().unwrap().to_string();
        let (status, body) = school
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &aid), ("approve", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");
        let (status, body) = s
            .post(
                "/api/termination/apply",
                &[("agreement_id", &aid), ("reason", "继续深造"), ("accept_terms", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "[{b}] {body}");

        let (status, all) = school.post("/api/admin/terminations", &[]).await;
        assert_eq!(status, StatusCode::OK, "[{b}] {all}");
        assert_eq!(all["total"], 1, "[{b}] {all}");
        assert_eq!(all["rows"][0]["status"], "applying", "[{b}] {all}");
        let (_, awaiting) = school
            .post("/api/admin/terminations", &[("filter[status]", "awaiting_review")])
            .await;
        assert_eq!(awaiting["total"], 0, "[{b}] {awaiting}");
    })
    .await;
}

/// User text reaches the log only as quoted, escaped fields: a line break in a message (mail or
/// SMS written to the log) cannot start a forged log line.
#[tokio::test]
async fn text_written_to_the_log_cannot_forge_a_line() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    on_each_backend(|app| async move {
        let forged = "2026-01-01T00:00:00Z  INFO outbox: forged";
        data::service::notify::enqueue(
            &app.db,
            domain::status::Channel::Sms,
            &format!("13800138000\n{forged}"),
            "验证码",
            &format!("您的验证码为123456\n{forged}"),
        )
        .await
        .unwrap();
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        server::jobs::Dispatcher::new(app.data.clone(), None, "test".into())
            .deliver_due()
            .await;
        drop(guard);
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(
            log.contains("123456"),
            "[{}] the message was not logged: {log}",
            app.backend
        );
        assert!(
            log.lines().all(|l| !l.starts_with("2026-01-01T00:00:00Z")),
            "[{}] forged line in the log:\n{log}",
            app.backend
        );
    })
    .await;
}
