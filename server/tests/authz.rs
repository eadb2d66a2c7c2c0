//! Authorization, table-driven: every endpoint of the API is called over HTTP by every kind of
//! caller — nobody, each role, and for records a caller of the right role but another scope
//! (another student, another employer, another college, another school) — and each answer must
//! be the documented one: 401 without a session, 403 for a role the endpoint is not for, 404 for
//! a record out of reach, 400 where a precondition of the caller is missing (信息验证, an
//! approved employer), 2xx for the owner. A refused call changes nothing in the database (every
//! row of every table compared) and says why in Chinese; a record out of reach is answered
//! exactly like one that does not exist. The table must name exactly the endpoints the server
//! registers and docs/API.md lists.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use reqwest::{header, StatusCode};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::Value;

/// Who calls. Every record of the fixture belongs to 江城大学, and the ones the "A" callers own
/// are in its 计算机学院, with 华中数智 as the employer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Nobody,
    /// 张明 (demo 0), verified, party to the certified agreement A with 华中数智.
    StudentA,
    /// 李静 (demo 1), verified, same college, free to sign.
    StudentB,
    /// 王磊 (demo 2), logged in but 信息验证 not done.
    StudentNew,
    /// 华中数智 (approved by 江城大学), the employer of every fixture agreement.
    EmployerA,
    /// 长江新材料 (approved by 楚天理工学院): another employer.
    EmployerB,
    /// 汉水文化传媒: information not confirmed, approved by no school.
    EmployerPending,
    /// A copy of 华中数智 (information confirmed) that no school has approved.
    EmployerUnapproved,
    /// 江城大学 计算机学院.
    CollegeA,
    /// 江城大学 经济管理学院.
    CollegeB,
    /// 江城大学.
    SchoolA,
    /// 楚天理工学院.
    SchoolB,
    Province,
}

use Who::*;

const ALL: [Who; 13] = [
    Nobody,
    StudentA,
    StudentB,
    StudentNew,
    EmployerA,
    EmployerB,
    EmployerPending,
    EmployerUnapproved,
    CollegeA,
    CollegeB,
    SchoolA,
    SchoolB,
    Province,
];
const STUDENTS: [Who; 3] = [StudentA, StudentB, StudentNew];
const EMPLOYERS: [Who; 4] = [EmployerA, EmployerB, EmployerPending, EmployerUnapproved];
const ADMINS: [Who; 5] = [CollegeA, CollegeB, SchoolA, SchoolB, Province];

impl Who {
    fn label(self) -> &'static str {
        match self {
            Nobody => "nobody (no session)",
            StudentA => "毕业生 A (张明, party to agreement A)",
            StudentB => "毕业生 B (李静, another student)",
            StudentNew => "毕业生 (王磊, 信息验证 not done)",
            EmployerA => "用人单位 A (华中数智, party to agreement A)",
            EmployerB => "用人单位 B (长江新材料, another employer)",
            EmployerPending => "用人单位 (汉水文化传媒, not confirmed, not approved)",
            EmployerUnapproved => "用人单位 (confirmed, not approved)",
            CollegeA => "学院管理员 (江城大学 计算机学院, in scope)",
            CollegeB => "学院管理员 (江城大学 经济管理学院, another college)",
            SchoolA => "学校管理员 (江城大学, in scope)",
            SchoolB => "学校管理员 (楚天理工学院, another school)",
            Province => "省中心管理员",
        }
    }

    /// Login door and login of this caller's account.
    fn account(self) -> Option<(&'static str, String)> {
        Some(match self {
            Nobody => return None,
            StudentA => ("student", demo::student(0)),
            StudentB => ("student", demo::student(1)),
            StudentNew => ("student", demo::student(2)),
            EmployerA => ("employer", demo::EMPLOYER_APPROVED.into()),
            EmployerB => ("employer", demo::EMPLOYER_OTHER.into()),
            EmployerPending => ("employer", demo::EMPLOYER_PENDING.into()),
            EmployerUnapproved => ("employer", UNAPPROVED.into()),
            CollegeA => ("admin", demo::college_admin(0, 0).into()),
            CollegeB => ("admin", demo::college_admin(0, 1).into()),
            SchoolA => ("admin", demo::school_admin(0).into()),
            SchoolB => ("admin", demo::school_admin(1).into()),
            Province => ("admin", demo::PROVINCE.into()),
        })
    }
}

/// Login of [`Who::EmployerUnapproved`] (made by `flow::approved_employers` with no school).
const UNAPPROVED: &str = "unapproved0";

/// The answer a caller must get.
#[derive(Clone, Debug)]
enum Expect {
    /// 2xx (a file route: the file itself).
    Allowed,
    /// 2xx, and the answer contains this text (the caller's own record).
    Shows(String),
    /// 2xx, and the answer does not contain this text (a record out of the caller's reach).
    Hides(String),
    /// 2xx, and nothing changed: a batch that skips what is not the caller's.
    Ignored,
    /// This 4xx, a Chinese `AppError`, and nothing changed.
    Refused(u16),
}

use Expect::*;

enum Call {
    /// A server function: POST, form-encoded arguments.
    Form(Vec<(String, String)>),
    Get(String),
    /// A raw file body (the import).
    Upload(Vec<u8>),
}

struct Row {
    /// The endpoint as docs/API.md and the router name it.
    path: &'static str,
    call: Call,
    /// Another call for one caller (each owner of a write acts on a record of its own).
    call_for: Vec<(Who, Call)>,
    expect: [Expect; ALL.len()],
    /// Login and logout end the session they are sent with: each caller sends a fresh one.
    own_session: bool,
}

impl Row {
    /// Nobody gets 401 and every role 403 until the row says otherwise.
    fn new(path: &'static str, call: Call) -> Row {
        let mut expect: [Expect; ALL.len()] = std::array::from_fn(|_| Refused(403));
        expect[0] = Refused(401);
        Row {
            path,
            call,
            call_for: Vec::new(),
            expect,
            own_session: false,
        }
    }
    fn set(mut self, who: &[Who], e: Expect) -> Row {
        for w in who {
            self.expect[*w as usize] = e.clone();
        }
        self
    }
    fn allow(self, who: &[Who]) -> Row {
        self.set(who, Allowed)
    }
    fn not_found(self, who: &[Who]) -> Row {
        self.set(who, Refused(404))
    }
    fn invalid(self, who: &[Who]) -> Row {
        self.set(who, Refused(400))
    }
    fn shows(self, who: &[Who], text: &str) -> Row {
        self.set(who, Shows(text.to_owned()))
    }
    fn hides(self, who: &[Who], text: &str) -> Row {
        self.set(who, Hides(text.to_owned()))
    }
    fn with(mut self, who: Who, call: Call) -> Row {
        self.call_for.push((who, call));
        self
    }
    /// Anyone, logged in or not.
    fn public(self) -> Row {
        self.allow(&ALL)
    }
    fn call(&self, who: Who) -> &Call {
        self.call_for
            .iter()
            .find(|(w, _)| *w == who)
            .map_or(&self.call, |(_, c)| c)
    }
}

/// A server function's row.
fn post(path: &'static str, args: &[(&str, String)]) -> Row {
    Row::new(path, form(args))
}

fn form(args: &[(&str, String)]) -> Call {
    Call::Form(args.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

/// Stands for the code the last SMS to the unverified student carried (known only once the
/// table's `/api/student/verify/send` has run).
const LATEST_CODE: &str = "<the code just sent to 王磊>";

/// The records the table refers to, built through the real flows (all zero for the coverage
/// test, which needs only the paths).
#[derive(Default)]
struct Fixture {
    student_a: i64,
    employer_a: i64,
    /// 江城大学 计算机学院, where 张明 studies.
    college_a: i64,
    /// 张明 ↔ 华中数智, certified, with a 解约 request of 张明's (申请中).
    agreement_a: i64,
    agreement_no_a: String,
    verify_code_a: String,
    termination_a: i64,
    /// Awaiting 签约审核: one in 计算机学院 and one in 经济管理学院 (a reviewer each).
    awaiting_college_a: i64,
    awaiting_college_b: i64,
    /// Awaiting 解约审核, likewise.
    termination_college_a: i64,
    termination_college_b: i64,
    /// Certified, no request: one for 申请解约, one for the batch, one for 撤回审核.
    certified_to_end: i64,
    certified_to_end_in_batch: i64,
    certified_to_revoke: i64,
    /// 华中数智's pending invitations: to 张明 (甲岗位), 李静 (乙岗位), and one to withdraw.
    invitation_a: i64,
    invitation_b: i64,
    invitation_to_withdraw: i64,
    /// On 华中数智's list, not invited yet.
    listed: i64,
    /// On 华中数智's list, to remove.
    to_remove: i64,
    /// 签约搜索 / 加入 of a student on nobody's list.
    query: Vec<(String, String)>,
    /// An .xlsx naming another such student.
    import: Vec<u8>,
    /// 华中数智's information as `/api/employer/confirm-info` takes it.
    employer_info: Vec<(String, String)>,
    /// 生源管理: two records of 江城大学 计算机学院 added by its school admin (待审核), and the
    /// form of the first (`record[…]`).
    roster_a: i64,
    roster_b: i64,
    roster_form: Vec<(String, String)>,
    /// A 生源导入 file with one new student of 计算机学院, and the token of its preview uploaded by
    /// 江城大学's school admin.
    roster_file: Vec<u8>,
    roster_token: String,
    /// 江城大学, its school admin's account, and the province admin's account.
    school_a: i64,
    /// 楚天理工学院.
    school_b: i64,
    /// Registered employers (licence uploaded, address confirmed) that applied to 江城大学: one
    /// to read, one to review, one to freeze.
    registered_a: i64,
    registered_review: i64,
    registered_freeze: i64,
    school_admin_a: i64,
    province_account: i64,
}

const POSITION_A: &str = "甲岗位";

/// The name of the fixture's first 生源管理 record.
const ROSTER_NAME: &str = "生源甲";

/// A 生源管理 form (`record[…]`) for a new woman of 江城大学 计算机学院, 2026届.
fn roster_form(seq: u32, name: &str) -> Vec<(String, String)> {
    let first17 = format!("42010620050202{:03}", seq * 2);
    let id_number = format!("{first17}{}", domain::ids::id_check_char(&first17).unwrap());
    [
        ("college", "计算机学院"),
        ("major", "软件工程"),
        ("degree", "本科"),
        ("graduation_year", "2026"),
        ("name", name),
        ("gender", "女"),
        ("id_number", &id_number),
        ("phone", &format!("1370000{seq:04}")),
        ("email", ""),
        ("training_mode", "非定向"),
        ("origin", "湖北省武汉市"),
    ]
    .iter()
    .map(|(k, v)| (format!("record[{k}]"), (*v).to_owned()))
    .collect()
}

/// The table: every endpoint, what each caller sends and must get. Rows run in this order (an
/// owner's write runs after everyone else's refusal); the two 信息验证 rows come last, since
/// they verify the student the other rows expect unverified.
fn table(f: &Fixture) -> Vec<Row> {
    let id = |n: i64| n.to_string();
    let agreement_a = [("agreement_id", id(f.agreement_a))];
    let termination_a = [("termination_id", id(f.termination_a))];
    let mut letter: Vec<(String, String)> = flow::ids("student_ids", &[f.listed]);
    letter.extend(flow::letter("丁岗位"));
    let parties_and_admins_in_scope = [StudentA, EmployerA, CollegeA, SchoolA, Province];
    let outside_agreement_a = [
        StudentB,
        StudentNew,
        EmployerB,
        EmployerPending,
        EmployerUnapproved,
        CollegeB,
        SchoolB,
    ];
    let not_parties = [
        StudentA,
        StudentB,
        StudentNew,
        EmployerB,
        EmployerPending,
        EmployerUnapproved,
        CollegeA,
        CollegeB,
        SchoolA,
        SchoolB,
        Province,
    ];
    let (name_a, name_listed) = (flow::name(0), flow::name(11));
    let mut roster_edit = f.roster_form.clone();
    roster_edit.retain(|(k, _)| k != "record[major]");
    roster_edit.push(("record[major]".into(), "网络工程".into()));
    roster_edit.push(("student_id".into(), id(f.roster_a)));
    vec![
        // Accounts.
        Row {
            own_session: true,
            ..post(
                "/api/login",
                &[
                    ("kind", "admin".into()),
                    ("login", demo::PROVINCE.into()),
                    ("password", PASSWORD.into()),
                ],
            )
            .public()
        },
        Row {
            own_session: true,
            ..post("/api/logout", &[]).public()
        },
        post("/api/me", &[]).allow(&ALL[1..]),
        // 学校管理: the province admin's; account actions by who manages the account.
        post("/api/province/schools", &[]).allow(&[Province]),
        post(
            "/api/province/schools/save",
            &[("code", "1".into()), ("name", "新学校".into())],
        )
        .invalid(&[Province]),
        post(
            "/api/admin/accounts/create",
            &[
                ("school_id", id(f.school_a)),
                ("login", "x".into()),
                ("display_name", "江城大学就业指导中心".into()),
            ],
        )
        .invalid(&[Province]),
        post(
            "/api/admin/accounts/disable",
            &[("account_id", id(f.school_admin_a)), ("disabled", "false".into())],
        )
        .allow(&[Province])
        .not_found(&[CollegeA, CollegeB, SchoolA, SchoolB]),
        // Nobody manages a province admin's account.
        post(
            "/api/admin/accounts/reset-password",
            &[("account_id", id(f.province_account))],
        )
        .not_found(&ADMINS),
        // 学院管理: a school admin's own colleges (college admins and the province: 403).
        post("/api/school/colleges", &[])
            .shows(&[SchoolA], "计算机学院")
            .hides(&[SchoolB], "计算机学院"),
        post(
            "/api/school/colleges/save",
            &[("college_id", id(f.college_a)), ("name", "计算机学院".into())],
        )
        .allow(&[SchoolA])
        .not_found(&[SchoolB]),
        // 首次登录 / 忘记密码: public; a malformed 身份证号, or one without a code, changes nothing.
        post(
            "/api/login/first/send",
            &[("id_number", "123".into()), ("name", "张明".into())],
        )
        .set(&ALL, Refused(400)),
        post(
            "/api/login/first",
            &[
                ("id_number", "11010519491231002X".into()),
                ("code", "000000".into()),
                ("new_password", "Changed2027x".into()),
                ("new_password_again", "Changed2027x".into()),
            ],
        )
        .set(&ALL, Refused(400)),
        // 修改密码: every role, its own account; a wrong old password changes nothing.
        post(
            "/api/password",
            &[
                ("old_password", "not-the-password".into()),
                ("new_password", "Changed2027x".into()),
                ("new_password_again", "Changed2027x".into()),
            ],
        )
        .invalid(&ALL[1..]),
        // 用户中心.
        post("/api/student/dashboard", &[])
            .shows(&[StudentA], name_a)
            .hides(&[StudentB, StudentNew], name_a),
        post("/api/employer/dashboard", &[])
            .shows(&[EmployerA], "华中数智")
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], "华中数智"),
        post("/api/admin/dashboard", &[]).allow(&ADMINS),
        // Employer information.
        post("/api/employer/info", &[])
            .shows(&[EmployerA], "华中数智")
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], "华中数智"),
        // Another employer sending 华中数智's information is refused by its 统一社会信用代码.
        Row::new("/api/employer/confirm-info", Call::Form(f.employer_info.clone()))
            .allow(&[EmployerA])
            .set(&[EmployerB, EmployerPending, EmployerUnapproved], Refused(409)),
        // Roster and employers.
        post("/api/student/profile", &[("student_id", id(f.student_a))])
            .allow(&[StudentA, CollegeA, SchoolA, Province])
            .not_found(&[StudentB, StudentNew, CollegeB, SchoolB])
            .not_found(&EMPLOYERS),
        // The lists of admins of another college or school leave out 张明's college, even when
        // they ask for it by filter.
        post("/api/admin/roster", &[])
            .shows(&[CollegeA, SchoolA, Province], name_a)
            .hides(&[CollegeB, SchoolB], name_a)
            .with(CollegeB, form(&[("filter[college_id]", id(f.college_a))]))
            .with(SchoolB, form(&[("filter[college_id]", id(f.college_a))])),
        // 生源管理: the school's and the college's; the province reads but keeps no roster.
        post("/api/admin/roster/record", &[("student_id", id(f.roster_a))])
            .shows(&[CollegeA, SchoolA, Province], ROSTER_NAME)
            .not_found(&[CollegeB, SchoolB]),
        // Another college's or school's admin may not name 计算机学院 (400); a second person.
        Row::new("/api/admin/roster/add", Call::Form(roster_form(3, "新生甲")))
            .allow(&[CollegeA, SchoolA])
            .with(SchoolA, Call::Form(roster_form(4, "新生乙")))
            .invalid(&[CollegeB, SchoolB]),
        Row::new("/api/admin/roster/edit", Call::Form(roster_edit.clone()))
            .allow(&[CollegeA, SchoolA])
            .not_found(&[CollegeB, SchoolB]),
        // Records of another college or school are skipped, like every batch.
        post("/api/admin/roster/approve", &[("student_ids[0]", id(f.roster_a))])
            .allow(&[CollegeA, SchoolA])
            .set(&[CollegeB, SchoolB], Ignored),
        post(
            "/api/admin/roster/restrict",
            &[
                ("student_id", id(f.roster_a)),
                ("restricted", "true".into()),
                ("reason", "学费未缴清".into()),
            ],
        )
        .allow(&[CollegeA, SchoolA])
        .with(
            SchoolA,
            form(&[
                ("student_id", id(f.roster_b)),
                ("restricted", "true".into()),
                ("reason", "学费未缴清".into()),
            ]),
        )
        .not_found(&[CollegeB, SchoolB]),
        // Each admin's own scope (that of another college is its own list); not the province.
        Row::new(
            "/api/admin/roster/export.xlsx",
            Call::Get("/api/admin/roster/export.xlsx".into()),
        )
        .allow(&[CollegeA, CollegeB, SchoolA, SchoolB]),
        post("/api/admin/colleges", &[])
            .shows(&[CollegeA, SchoolA, Province], "计算机学院")
            .hides(&[CollegeB, SchoolB], "计算机学院"),
        post("/api/employer/profile", &[("employer_id", id(f.employer_a))])
            .allow(&[EmployerA, SchoolA, Province])
            .not_found(&STUDENTS)
            .not_found(&[
                EmployerB,
                EmployerPending,
                EmployerUnapproved,
                CollegeA,
                CollegeB,
                SchoolB,
            ]),
        // 生源导入: school and college admins, each within their scope (another college's or
        // school's preview shows the row refused); 确认导入 by the uploader alone.
        Row::new(
            "/api/admin/roster/template.xlsx",
            Call::Get("/api/admin/roster/template.xlsx".into()),
        )
        .allow(&[CollegeA, CollegeB, SchoolA, SchoolB]),
        Row::new("/api/admin/roster/import", Call::Upload(f.roster_file.clone()))
            .shows(&[CollegeA, SchoolA], "\"Added\"")
            .hides(&[CollegeB, SchoolB], "\"Added\""),
        post("/api/admin/roster/import/confirm", &[("token", f.roster_token.clone())])
            .allow(&[SchoolA])
            .not_found(&[CollegeA, CollegeB, SchoolB]),
        // 签约中心: an employer that may not sign yet gets 400.
        post("/api/employer/search-options", &[])
            .allow(&[EmployerA, EmployerB])
            .invalid(&[EmployerPending, EmployerUnapproved]),
        Row::new("/api/employer/search", Call::Form(f.query.clone()))
            .allow(&[EmployerA, EmployerB])
            .invalid(&[EmployerPending, EmployerUnapproved]),
        Row::new("/api/employer/sign-list/add", Call::Form(f.query.clone()))
            .allow(&[EmployerA, EmployerB])
            .invalid(&[EmployerPending, EmployerUnapproved]),
        post("/api/employer/sign-list", &[])
            .shows(&[EmployerA], name_listed)
            .hides(&[EmployerB], name_listed)
            .invalid(&[EmployerPending, EmployerUnapproved]),
        // Another employer's list is not reached: its students are not on the caller's list.
        post("/api/employer/sign-list/remove", &[("student_ids[0]", id(f.to_remove))])
            .allow(&[EmployerA])
            .set(&[EmployerB], Ignored)
            .invalid(&[EmployerPending, EmployerUnapproved]),
        // The blank template is for any employer (to fill in while it waits for its approval).
        Row::new(
            "/api/employer/sign-list/template.xlsx",
            Call::Get("/api/employer/sign-list/template.xlsx".into()),
        )
        .allow(&EMPLOYERS),
        Row::new("/api/employer/sign-list/import", Call::Upload(f.import.clone()))
            .allow(&[EmployerA, EmployerB])
            .invalid(&[EmployerPending, EmployerUnapproved]),
        post("/api/employer/letter-template", &[])
            .allow(&[EmployerA, EmployerB])
            .invalid(&[EmployerPending, EmployerUnapproved]),
        // Only students on the caller's own list can be invited.
        Row::new("/api/employer/invitations/send", Call::Form(letter))
            .allow(&[EmployerA])
            .invalid(&[EmployerB, EmployerPending, EmployerUnapproved]),
        // What an employer has sent stays its own, approved or not.
        post("/api/employer/invitations", &[])
            .shows(&[EmployerA], POSITION_A)
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], POSITION_A),
        post(
            "/api/employer/invitations/withdraw",
            &[("invitation_id", id(f.invitation_to_withdraw))],
        )
        .allow(&[EmployerA])
        .not_found(&[EmployerB, EmployerPending, EmployerUnapproved]),
        post("/api/employer/accepted", &[])
            .shows(&[EmployerA], name_a)
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], name_a),
        // 电子签约: a student without 信息验证 gets 400 before anything is looked up.
        post("/api/student/invitations", &[])
            .shows(&[StudentA], POSITION_A)
            .hides(&[StudentB], POSITION_A)
            .invalid(&[StudentNew]),
        post("/api/student/invitation", &[("invitation_id", id(f.invitation_a))])
            .allow(&[StudentA])
            .not_found(&[StudentB])
            .invalid(&[StudentNew]),
        post(
            "/api/student/invitation/accept",
            &[("invitation_id", id(f.invitation_b))],
        )
        .allow(&[StudentB])
        .not_found(&[StudentA])
        .invalid(&[StudentNew]),
        post(
            "/api/student/invitation/reject",
            &[("invitation_id", id(f.invitation_a))],
        )
        .allow(&[StudentA])
        .not_found(&[StudentB])
        .invalid(&[StudentNew]),
        // 签约管理 and agreements.
        post("/api/admin/agreements", &[])
            .shows(&[CollegeA, SchoolA, Province], name_a)
            .hides(&[CollegeB, SchoolB], name_a)
            .with(CollegeB, form(&[("filter[college_id]", id(f.college_a))]))
            .with(SchoolB, form(&[("filter[college_id]", id(f.college_a))])),
        post("/api/agreement", &agreement_a)
            .allow(&parties_and_admins_in_scope)
            .not_found(&outside_agreement_a),
        // The province office watches but does not review.
        post(
            "/api/admin/agreements/review",
            &[("agreement_id", id(f.awaiting_college_a)), ("approve", "true".into())],
        )
        .allow(&[CollegeA, SchoolA])
        .with(
            SchoolA,
            form(&[("agreement_id", id(f.awaiting_college_b)), ("approve", "true".into())]),
        )
        .not_found(&[CollegeB, SchoolB]),
        Row::new(
            "/api/agreements/{id}/pdf",
            Call::Get(format!("/api/agreements/{}/pdf", f.agreement_a)),
        )
        .allow(&parties_and_admins_in_scope)
        .not_found(&outside_agreement_a),
        // 解约.
        post("/api/student/terminations", &[])
            .shows(&[StudentA], &f.agreement_no_a)
            .hides(&[StudentB], &f.agreement_no_a)
            .invalid(&[StudentNew]),
        post("/api/employer/signed", &[])
            .shows(&[EmployerA], flow::name(8))
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], flow::name(8)),
        post("/api/employer/termination-requests", &[])
            .shows(&[EmployerA], name_a)
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], name_a),
        post("/api/employer/terminations", &[])
            .shows(&[EmployerA], name_a)
            .hides(&[EmployerB, EmployerPending, EmployerUnapproved], name_a),
        // Only a party applies; to anyone else the agreement does not exist.
        post(
            "/api/termination/apply",
            &[
                ("agreement_id", id(f.certified_to_end)),
                ("reason", "岗位调整".into()),
                ("accept_terms", "true".into()),
            ],
        )
        .allow(&[EmployerA])
        .not_found(&not_parties),
        // Agreements not the caller's are left out of the batch.
        post(
            "/api/employer/terminations/apply",
            &[
                ("agreement_ids[0]", id(f.certified_to_end_in_batch)),
                ("reason", "岗位调整".into()),
                ("accept_terms", "true".into()),
            ],
        )
        .allow(&[EmployerA])
        .set(&[EmployerB, EmployerPending, EmployerUnapproved], Ignored),
        // The applicant cannot answer their own request.
        post(
            "/api/termination/respond",
            &[
                ("termination_id", id(f.termination_a)),
                ("agree", "true".into()),
                ("accept_terms", "true".into()),
            ],
        )
        .allow(&[EmployerA])
        .set(&[StudentA], Refused(403))
        .not_found(&[
            StudentB,
            StudentNew,
            EmployerB,
            EmployerPending,
            EmployerUnapproved,
            CollegeA,
            CollegeB,
            SchoolA,
            SchoolB,
            Province,
        ]),
        post("/api/termination", &termination_a)
            .allow(&parties_and_admins_in_scope)
            .not_found(&outside_agreement_a),
        post("/api/admin/terminations", &[])
            .shows(&[CollegeA, SchoolA, Province], name_a)
            .hides(&[CollegeB, SchoolB], name_a)
            .with(CollegeB, form(&[("filter[college_id]", id(f.college_a))]))
            .with(SchoolB, form(&[("filter[college_id]", id(f.college_a))])),
        post(
            "/api/admin/terminations/review",
            &[
                ("termination_id", id(f.termination_college_a)),
                ("approve", "true".into()),
            ],
        )
        .allow(&[CollegeA, SchoolA])
        .with(
            SchoolA,
            form(&[
                ("termination_id", id(f.termination_college_b)),
                ("approve", "true".into()),
            ]),
        )
        .not_found(&[CollegeB, SchoolB]),
        // 撤回审核 is the school's: college admins and the province get 403.
        post(
            "/api/admin/agreements/revoke",
            &[
                ("agreement_id", id(f.certified_to_revoke)),
                ("reason", "信息有误".into()),
            ],
        )
        .allow(&[SchoolA])
        .not_found(&[SchoolB]),
        // 批量审核通过: each row in the caller's own scope; another college's or school's rows are
        // answered row by row and nothing changes. The province office decides nothing.
        Row::new(
            "/api/admin/agreements/approve",
            Call::Form(flow::ids("agreement_ids", &[f.awaiting_college_a])),
        )
        .allow(&[CollegeA, SchoolA])
        .set(&[CollegeB, SchoolB], Ignored),
        Row::new(
            "/api/admin/terminations/approve",
            Call::Form(flow::ids("termination_ids", &[f.termination_college_a])),
        )
        .allow(&[CollegeA, SchoolA])
        .set(&[CollegeB, SchoolB], Ignored),
        // 审核设置: every admin reads theirs and sets their own digest; only a school admin sets
        // the school's 审核方式.
        post("/api/admin/review-settings", &[]).allow(&ADMINS),
        post("/api/admin/review-settings/mode", &[("mode", "one_level".into())]).allow(&[SchoolA, SchoolB]),
        post(
            "/api/admin/review-settings/digest",
            &[("on", "false".into()), ("email", String::new())],
        )
        .allow(&ADMINS),
        // 消息通知 and 协议验证.
        post("/api/notices", &[]).allow(&ALL[1..]),
        post(
            "/api/verify-agreement",
            &[
                ("agreement_no", f.agreement_no_a.clone()),
                ("verify_code", f.verify_code_a.clone()),
            ],
        )
        .public(),
        // 用人单位注册: public; each caller registers an employer of its own.
        post("/api/register/schools", &[]).public(),
        ALL.iter()
            .fold(Row::new("/api/register", form(&[])).public(), |row, &who| {
                row.with(who, Call::Form(registration(100 + who as u32, f.school_a)))
            }),
        // A link that is not one is refused to everyone alike.
        post("/api/register/confirm", &[("token", "0".repeat(64))]).set(&ALL, Refused(400)),
        post("/api/employer/registration", &[]).allow(&EMPLOYERS),
        // 华中数智 is approved by 江城大学 only, 长江新材料 by 楚天理工学院 already.
        post("/api/employer/registration/apply", &[("school_ids[0]", id(f.school_b))])
            .allow(&[EmployerA, EmployerPending, EmployerUnapproved])
            .set(&[EmployerB], Refused(409)),
        Row::new("/api/employer/licence", Call::Upload(PNG.to_vec())).allow(&EMPLOYERS),
        // 用人单位审核: the school applied to and its colleges read; only its school admin decides.
        post("/api/admin/employers", &[])
            .shows(&[CollegeA, CollegeB, SchoolA, Province], &registered_name(1))
            .hides(&[SchoolB], &registered_name(1)),
        post("/api/admin/employer", &[("employer_id", id(f.registered_a))])
            .allow(&[CollegeA, CollegeB, SchoolA, Province])
            .not_found(&[SchoolB]),
        Row::new(
            "/api/employers/{id}/licence",
            Call::Get(format!("/api/employers/{}/licence", f.registered_a)),
        )
        .allow(&[CollegeA, CollegeB, SchoolA, Province])
        .not_found(&[STUDENTS.as_slice(), EMPLOYERS.as_slice(), &[SchoolB]].concat()),
        post(
            "/api/admin/employers/review",
            &[("employer_ids[0]", id(f.registered_review)), ("approve", "true".into())],
        )
        .allow(&[SchoolA])
        .set(&[SchoolB], Ignored),
        post(
            "/api/province/employers/freeze",
            &[
                ("employer_id", id(f.registered_freeze)),
                ("freeze", "true".into()),
                ("reason", "虚假招聘".into()),
            ],
        )
        .allow(&[Province]),
        // 信息验证 (last: see above). Students verified already are answered as such.
        post("/api/student/verify/send", &[])
            .allow(&[StudentNew])
            .set(&[StudentA, StudentB], Refused(409)),
        post("/api/student/verify", &[("code", LATEST_CODE.into())]).allow(&STUDENTS),
    ]
}

/// The server functions the server registers (their paths), and its file routes.
fn registered_endpoints() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .chain(server::files::routes().into_iter().map(|(path, _)| path.to_owned()))
        .collect()
}

#[test]
fn the_authorization_table_names_exactly_the_endpoints_the_server_registers_and_the_doc_lists() {
    let mut in_table = BTreeSet::new();
    let mut twice = Vec::new();
    for row in table(&Fixture::default()) {
        if !in_table.insert(row.path.to_owned()) {
            twice.push(row.path);
        }
    }
    let registered = registered_endpoints();
    let documented = documented_endpoints();
    let mut problems = Vec::new();
    for (what, a, b) in [
        (
            "registered but missing from the authorization table",
            &registered,
            &in_table,
        ),
        ("in the authorization table but not registered", &in_table, &registered),
        ("registered but not in docs/API.md", &registered, &documented),
        ("in docs/API.md but not registered", &documented, &registered),
    ] {
        let diff: Vec<_> = a.difference(b).collect();
        if !diff.is_empty() {
            problems.push(format!("{what}: {diff:?}"));
        }
    }
    let not_post: Vec<_> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(_, method)| method != http::Method::POST)
        .collect();
    if !not_post.is_empty() {
        problems.push(format!(
            "server functions not taking POST, as docs/API.md says they do: {not_post:?}"
        ));
    }
    if !twice.is_empty() {
        problems.push(format!("twice in the table: {twice:?}"));
    }
    assert!(registered.len() > 40, "the registry looks empty: {registered:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_endpoint_refuses_callers_outside_its_role_and_scope() {
    on_each_backend(|app| async move {
        let fixture = build_fixture(&app).await;
        let cast = Cast::new(&app).await;
        let dump = Dump::new(&app.db).await;
        let mut mismatches = Vec::new();
        for row in table(&fixture) {
            // Refusals first: the owner's write comes last, when everyone else has been refused.
            let order = ALL
                .iter()
                .filter(|w| !matches!(row.expect[**w as usize], Allowed | Shows(_)))
                .chain(
                    ALL.iter()
                        .filter(|w| matches!(row.expect[**w as usize], Allowed | Shows(_))),
                );
            for &who in order {
                let expect = &row.expect[who as usize];
                let token = if row.own_session {
                    cast.fresh_session(who).await
                } else {
                    cast.token(who)
                };
                let before = if matches!(expect, Refused(_) | Ignored) {
                    Some(dump.take(&app.db).await)
                } else {
                    None
                };
                let answer = cast.send(&app, row.path, row.call(who), token.as_deref()).await;
                let mut wrong = judge(row.path, expect, &answer);
                if let (Some(before), None) = (before, &wrong) {
                    let changed = Dump::changed(&before, &dump.take(&app.db).await);
                    if !changed.is_empty() {
                        wrong = Some(format!("{} but changed tables {changed:?}", answer.status));
                    }
                }
                // Out of reach must read exactly like not there: the same answer for an id that
                // names no record at all.
                if let (Refused(404), None, Some(absent)) = (expect, &wrong, no_such_record(row.call(who))) {
                    let other = cast.send(&app, row.path, &absent, token.as_deref()).await;
                    if (other.status, &other.body) != (answer.status, &answer.body) {
                        wrong = Some(format!(
                            "{} {}, but {} {} for a record that does not exist",
                            answer.status,
                            answer.text(),
                            other.status,
                            other.text()
                        ));
                    }
                }
                if let Some(got) = wrong {
                    mismatches.push(format!(
                        "{} | {} | expected {} | got {got}",
                        row.path,
                        who.label(),
                        describe(expect)
                    ));
                }
            }
        }
        assert!(
            mismatches.is_empty(),
            "[{}] {} answers differ from the table:\n{}",
            app.backend,
            mismatches.len(),
            mismatches.join("\n")
        );
    })
    .await;
}

/// The same call naming a record that does not exist (None when it names none).
fn no_such_record(call: &Call) -> Option<Call> {
    const ABSENT: &str = "987654321";
    match call {
        Call::Form(args) if args.iter().any(|(k, _)| k.ends_with("_id")) => Some(Call::Form(
            args.iter()
                .map(|(k, v)| (k.clone(), if k.ends_with("_id") { ABSENT.into() } else { v.clone() }))
                .collect(),
        )),
        Call::Get(url) if url.starts_with("/api/agreements/") => {
            Some(Call::Get(format!("/api/agreements/{ABSENT}/pdf")))
        }
        Call::Get(url) if url.starts_with("/api/employers/") => {
            Some(Call::Get(format!("/api/employers/{ABSENT}/licence")))
        }
        _ => None,
    }
}

fn describe(e: &Expect) -> String {
    match e {
        Allowed => "2xx".into(),
        Shows(t) => format!("2xx showing {t:?}"),
        Hides(t) => format!("2xx without {t:?}"),
        Ignored => "2xx changing nothing".into(),
        Refused(s) => format!("{s} with a Chinese message, changing nothing"),
    }
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    /// The start of the body, or what it is when it is not text (a file).
    fn text(&self) -> String {
        match std::str::from_utf8(&self.body) {
            Ok(t) if self.content_type.starts_with("application/json") || self.content_type.starts_with("text/") => {
                t.chars().take(200).collect()
            }
            _ => format!("<{} bytes of {:?}>", self.body.len(), self.content_type),
        }
    }
}

/// What is wrong with the answer, if anything (the database is checked by the caller).
fn judge(path: &str, expect: &Expect, a: &Answer) -> Option<String> {
    let got = || format!("{} {}", a.status, a.text());
    let success = a.status.is_success();
    match expect {
        Allowed | Ignored if !success => Some(got()),
        Allowed if path.ends_with(".xlsx") && !a.body.starts_with(b"PK") => Some(format!("{} not an .xlsx", a.status)),
        Allowed if path.ends_with("/pdf") && !a.body.starts_with(b"%PDF") => Some(format!("{} not a PDF", a.status)),
        Allowed | Ignored => None,
        Shows(t) if !success || !String::from_utf8_lossy(&a.body).contains(t.as_str()) => Some(got()),
        Hides(t) if !success || String::from_utf8_lossy(&a.body).contains(t.as_str()) => Some(got()),
        Shows(_) | Hides(_) => None,
        Refused(status) => {
            if a.status.as_u16() != *status {
                return Some(got());
            }
            if !a.content_type.starts_with("application/json") {
                return Some(format!("{} as {:?}", got(), a.content_type));
            }
            match serde_json::from_slice::<domain::AppError>(&a.body) {
                Err(_) => Some(format!("{} (not an AppError)", got())),
                Ok(e) if e.status() != *status => Some(format!("{} (an error of status {})", got(), e.status())),
                Ok(e) if !e.message().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) => {
                    Some(format!("{} (no Chinese message)", got()))
                }
                Ok(_) => None,
            }
        }
    }
}

/// The callers' sessions. Requests carry the cookie by hand (no cookie jar), so an answer that
/// sets or clears a cookie changes nobody's identity for the next rows.
struct Cast {
    http: reqwest::Client,
    base: String,
    tokens: BTreeMap<usize, String>,
}

impl Cast {
    async fn new(app: &TestApp) -> Cast {
        let mut cast = Cast {
            http: reqwest::Client::new(),
            base: app.base.clone(),
            tokens: BTreeMap::new(),
        };
        for who in ALL {
            if let Some(token) = cast.fresh_session(who).await {
                cast.tokens.insert(who as usize, token);
            }
        }
        cast
    }

    fn token(&self, who: Who) -> Option<String> {
        self.tokens.get(&(who as usize)).cloned()
    }

    /// A new session of this caller's account (none for nobody).
    async fn fresh_session(&self, who: Who) -> Option<String> {
        let (kind, login) = who.account()?;
        let r = self
            .http
            .post(format!("{}/api/login", self.base))
            .form(&[("kind", kind), ("login", &login), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {login}");
        let token = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("wq_session="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_owned();
        Some(token)
    }

    async fn send(&self, app: &TestApp, path: &str, call: &Call, token: Option<&str>) -> Answer {
        let req = match call {
            Call::Form(args) => {
                let mut args = args.clone();
                for (_, v) in args.iter_mut().filter(|(_, v)| v == LATEST_CODE) {
                    let phone = data::service::seed::demo_student_ids(2).1;
                    *v = flow::code_in(&flow::last_sms(&app.db, &phone).await.unwrap_or_default());
                }
                self.http.post(format!("{}{path}", self.base)).form(&args)
            }
            Call::Get(url) => self.http.get(format!("{}{url}", self.base)),
            Call::Upload(bytes) => self
                .http
                .post(format!("{}{path}", self.base))
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(bytes.clone()),
        };
        let req = match token {
            Some(t) => req.header(header::COOKIE, format!("wq_session={t}")),
            None => req,
        };
        let r = req.send().await.unwrap();
        Answer {
            status: r.status(),
            content_type: r
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            body: r.bytes().await.unwrap().to_vec(),
        }
    }
}

/// POSTs and expects 200 (building the fixture).
async fn ok(app: &TestApp, c: &Client, path: &str, args: &[(&str, String)]) -> Value {
    let args: Vec<(String, String)> = args.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    let (status, body) = c.post_owned(path, &args).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "[{}] fixture: {path} {args:?}: {body}",
        app.backend
    );
    body
}

/// The name of registered employer `seq`.
fn registered_name(seq: u32) -> String {
    format!("注册单位{seq}号有限公司")
}

/// `/api/register`'s form for employer `seq` (its login `register{seq}`) applying to `school`.
fn registration(seq: u32, school: i64) -> Vec<(String, String)> {
    let code = domain::ids::credit_code_with_check(&format!("9142011{seq:010}")).unwrap();
    [
        ("name", registered_name(seq)),
        ("credit_code", code),
        ("nature", "其他企业".into()),
        ("industry", "制造业".into()),
        ("region", "湖北省武汉市".into()),
        ("address", "武汉市光谷大道1号".into()),
        ("contact_person", "王经理".into()),
        ("contact_phone", "027-87654321".into()),
        ("email", format!("hr{seq}@registered.example.com")),
        ("login", format!("register{seq}")),
        ("password", "Register2026".into()),
        ("password_again", "Register2026".into()),
        ("school_ids][0", school.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("register[{k}]"), v))
    .collect()
}

/// A small PNG (its signature is what the server checks).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// Registers employer `seq`, uploads its licence and confirms its address; answers its id.
async fn register(app: &TestApp, seq: u32, school: i64) -> i64 {
    use data::entity::{employer, outbox};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let c = app.client();
    let (status, body) = c.post_owned("/api/register", &registration(seq, school)).await;
    assert_eq!(status, StatusCode::OK, "[{}] fixture: register: {body}", app.backend);
    let (status, body) = c.post_bytes("/api/employer/licence", PNG.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "[{}] fixture: licence: {body}", app.backend);
    let mail = outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(format!("hr{seq}@registered.example.com")))
        .order_by_desc(outbox::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let at = mail.body.find("token=").unwrap() + 6;
    let token = mail.body[at..at + 64].to_owned();
    ok(app, &app.client(), "/api/register/confirm", &[("token", token)]).await;
    employer::Entity::find()
        .filter(employer::Column::Name.eq(registered_name(seq)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The records of [`Fixture`], through the same endpoints the users take.
async fn build_fixture(app: &TestApp) -> Fixture {
    flow::approved_employers(app, UNAPPROVED.trim_end_matches('0'), 1, &[]).await;
    let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
    let school = app.login("admin", demo::school_admin(0)).await;
    let yes = || "true".to_owned();

    // An agreement with 华中数智 for each of these students of 江城大学 (0–4 计算机学院,
    // 6–10 经济管理学院), all certified but those of 3 and 6, which await 签约审核.
    let mut students = BTreeMap::new();
    let mut agreements = BTreeMap::new();
    for i in [0, 3, 4, 6, 7, 8, 9, 10] {
        let invitation = flow::invite(app, &hz, i).await;
        let s = flow::student(app, i).await;
        let a = ok(
            app,
            &s,
            "/api/student/invitation/accept",
            &[("invitation_id", invitation.to_string())],
        )
        .await;
        agreements.insert(i, a.as_i64().unwrap());
        students.insert(i, s);
    }
    for i in [0, 4, 7, 8, 9, 10] {
        let a = agreements[&i].to_string();
        ok(
            app,
            &school,
            "/api/admin/agreements/review",
            &[("agreement_id", a), ("approve", yes())],
        )
        .await;
    }

    // 张明 applies to end agreement A (申请中); 4 and 7 apply and 华中数智 agrees (等待解约审核).
    let mut terminations = BTreeMap::new();
    for i in [0, 4, 7] {
        let t = ok(
            app,
            &students[&i],
            "/api/termination/apply",
            &[
                ("agreement_id", agreements[&i].to_string()),
                ("reason", "继续深造".into()),
                ("accept_terms", yes()),
            ],
        )
        .await;
        terminations.insert(i, t["id"].as_i64().unwrap());
    }
    for i in [4, 7] {
        let t = terminations[&i].to_string();
        ok(
            app,
            &hz,
            "/api/termination/respond",
            &[("termination_id", t), ("agree", yes()), ("accept_terms", yes())],
        )
        .await;
    }

    // Pending invitations of 华中数智: 张明 again, 李静, and 3 (to be withdrawn).
    flow::add(app, &hz, 1).await;
    flow::student(app, 1).await;
    let positions = [(0, POSITION_A), (1, "乙岗位"), (3, "丙岗位")];
    for (i, position) in positions {
        let (status, report) = flow::send(&hz, &[student_id(&app.db, i).await], position).await;
        assert_eq!(status, StatusCode::OK, "[{}] fixture: send: {report}", app.backend);
        assert_eq!(
            report["sent"].as_array().map(Vec::len),
            Some(1),
            "[{}] {report}",
            app.backend
        );
    }
    let sent = ok(app, &hz, "/api/employer/invitations", &[]).await;
    let invitation = |position: &str| {
        sent.as_array()
            .unwrap()
            .iter()
            .find(|r| r["position"] == position)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };

    let detail = ok(
        app,
        &students[&0],
        "/api/agreement",
        &[("agreement_id", agreements[&0].to_string())],
    )
    .await;
    let info = ok(app, &hz, "/api/employer/info", &[]).await;
    let colleges = ok(app, &school, "/api/admin/colleges", &[]).await;
    let roster_b = ok(app, &school, "/api/admin/roster/add", &pairs(&roster_form(2, "生源乙"))).await;
    let roster_form = roster_form(1, ROSTER_NAME);
    let roster_a = ok(app, &school, "/api/admin/roster/add", &pairs(&roster_form)).await;
    let employer_info = info
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| *k != "confirmed")
        .map(|(k, v)| (format!("info[{k}]"), v.as_str().unwrap().to_owned()))
        .collect();

    let roster_file = roster_file();
    let (status, preview) = school.post_bytes("/api/admin/roster/import", roster_file.clone()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "[{}] fixture: roster preview: {preview}",
        app.backend
    );

    Fixture {
        roster_token: preview["token"].as_str().unwrap().to_owned(),
        roster_file,
        student_a: student_id(&app.db, 0).await,
        college_a: colleges
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[1] == "计算机学院")
            .unwrap()[0]
            .as_i64()
            .unwrap(),
        employer_a: employer_id(&app.db, demo::EMPLOYER_APPROVED).await,
        agreement_a: agreements[&0],
        agreement_no_a: detail["doc"]["agreement_no"].as_str().unwrap().to_owned(),
        verify_code_a: detail["doc"]["verify_code"].as_str().unwrap().to_owned(),
        termination_a: terminations[&0],
        awaiting_college_a: agreements[&3],
        awaiting_college_b: agreements[&6],
        termination_college_a: terminations[&4],
        termination_college_b: terminations[&7],
        certified_to_end: agreements[&8],
        certified_to_end_in_batch: agreements[&9],
        certified_to_revoke: agreements[&10],
        invitation_a: invitation(POSITION_A),
        invitation_b: invitation("乙岗位"),
        invitation_to_withdraw: invitation("丙岗位"),
        listed: flow::add(app, &hz, 11).await,
        to_remove: student_id(&app.db, 3).await,
        query: flow::query(&app.db, 12).await,
        import: workbook(13),
        employer_info,
        roster_a: roster_a.as_i64().unwrap(),
        roster_b: roster_b.as_i64().unwrap(),
        roster_form,
        school_a: flow::school_of(&app.db, 0).await,
        school_b: flow::school_of(&app.db, 12).await,
        registered_a: register(app, 1, flow::school_of(&app.db, 0).await).await,
        registered_review: register(app, 2, flow::school_of(&app.db, 0).await).await,
        registered_freeze: register(app, 3, flow::school_of(&app.db, 0).await).await,
        school_admin_a: common::account_id(&app.db, demo::school_admin(0)).await,
        province_account: common::account_id(&app.db, demo::PROVINCE).await,
    }
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, String)> {
    form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
}

/// A 拟签约名单 with demo student `i` (of 楚天理工学院, by 身份证号).
fn workbook(i: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let row = ["楚天理工学院", "2026", flow::name(i), &demo::student(i), ""];
    for (c, h) in ["学校名称", "毕业届", "姓名", "身份证号", "手机号"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
        ws.write_string(1, c as u16, row[c]).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// A 生源导入 file: one new student of 江城大学 计算机学院, 毕业届 2027.
fn roster_file() -> Vec<u8> {
    let first17 = "42010620050101288";
    let id = format!("{first17}{}", domain::ids::id_check_char(first17).unwrap());
    let cells = [
        "计算机学院",
        "软件工程",
        "本科",
        "2027",
        "新生",
        "女",
        &id,
        "13900000288",
        "",
        "非定向",
        "",
    ];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, (h, v)) in domain::roster::COLUMNS.iter().zip(cells).enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
        ws.write_string(1, c as u16, v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Every row of every table, as text: a refused request must leave all of it as it was.
struct Dump {
    /// One statement for all of it: (table, row as text).
    query: Statement,
}

impl Dump {
    async fn new(db: &data::DatabaseConnection) -> Dump {
        let backend = db.get_database_backend();
        let list = match backend {
            DbBackend::Sqlite => {
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
            _ => "SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()",
        };
        let mut selects = Vec::new();
        for row in db.query_all_raw(Statement::from_string(backend, list)).await.unwrap() {
            let table: String = row.try_get("", "t").unwrap();
            selects.push(match backend {
                DbBackend::Sqlite => {
                    let columns = db
                        .query_all_raw(Statement::from_string(
                            backend,
                            format!("SELECT name FROM pragma_table_info('{table}')"),
                        ))
                        .await
                        .unwrap();
                    let quoted: Vec<String> = columns
                        .iter()
                        .map(|c| format!("quote(\"{}\")", c.try_get::<String>("", "name").unwrap()))
                        .collect();
                    format!(
                        "SELECT '{table}' AS t, {} AS r FROM \"{table}\"",
                        quoted.join(" || '|' || ")
                    )
                }
                _ => format!("SELECT '{table}' AS t, CAST(x AS text) AS r FROM \"{table}\" AS x"),
            });
        }
        Dump {
            query: Statement::from_string(backend, selects.join(" UNION ALL ")),
        }
    }

    async fn take(&self, db: &data::DatabaseConnection) -> BTreeMap<String, Vec<String>> {
        let mut all: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for row in db.query_all_raw(self.query.clone()).await.unwrap() {
            let (table, text): (String, String) = (row.try_get("", "t").unwrap(), row.try_get("", "r").unwrap());
            all.entry(table).or_default().push(text);
        }
        for rows in all.values_mut() {
            rows.sort();
        }
        all
    }

    /// The tables whose rows differ (a table without rows is in neither map).
    fn changed(a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>) -> Vec<String> {
        let tables: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        tables.into_iter().filter(|t| a.get(*t) != b.get(*t)).cloned().collect()
    }
}
