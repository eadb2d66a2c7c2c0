//! Setup (never timed): the demo data plus thousands of students, verified accounts, pending
//! invitations and live sessions, written in bulk straight into the tables, the way the
//! services themselves would leave them.

use chrono::{Duration, NaiveDate, Utc};
use data::{
    entity::{account, college, employer, invitation, school, session, student},
    service::auth,
    Db, WriteTxn,
};
use domain::{
    status::{InvitationStatus, RosterStatus},
    AdminCaller, Capability, EmployerCaller, Role, StudentCaller,
};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

pub type Res<T> = Result<T, String>;

fn db_err(what: &str) -> impl Fn(sea_orm::DbErr) -> String + '_ {
    move |e| format!("setup: {what}: {e}")
}

fn app_err(what: &str) -> impl Fn(domain::AppError) -> String + '_ {
    move |e| format!("setup: {what}: {e:?}")
}

/// What the demo data provides and the benchmarks use.
pub struct Base {
    /// 江城大学 and 楚天理工学院, each with its colleges.
    pub schools: Vec<(school::Model, Vec<college::Model>)>,
    /// 华中数智科技有限公司: approved by 江城大学, information confirmed.
    pub employer: employer::Model,
    pub employer_caller: EmployerCaller,
    /// 江城大学's school admin (certifies agreements).
    pub school_admin: AdminCaller,
    /// One argon2 hash for every bench account (nobody logs in with a password here).
    password_hash: String,
    /// Next unused student identity.
    next: usize,
}

/// A student who can accept one pending invitation.
pub struct AcceptCase {
    pub caller: StudentCaller,
    /// The `wq_session` cookie value (HTTP cases only).
    pub token: String,
    pub invitation_id: i64,
}

/// One roster record, as an employer would type it into the 拟签约名单.
pub struct RosterLine {
    pub school: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

const SURNAMES: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: [&str; 30] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平", "刚", "文", "英", "华", "玉", "萍", "红", "宇", "玲", "飞",
];
const MAJORS: [&str; 6] = [
    "计算机科学与技术",
    "软件工程",
    "会计学",
    "市场营销",
    "机械设计制造及其自动化",
    "英语",
];

pub const GRADUATION_YEAR: i32 = data::service::seed::GRADUATION_YEAR;

impl Base {
    pub async fn load(db: &Db) -> Res<Base> {
        data::service::seed::load_demo(db).await.map_err(app_err("demo data"))?;
        let mut schools = Vec::new();
        for s in school::Entity::find()
            .order_by_asc(school::Column::Code)
            .all(db)
            .await
            .map_err(db_err("schools"))?
        {
            let colleges = college::Entity::find()
                .filter(college::Column::SchoolId.eq(s.id))
                .order_by_asc(college::Column::Id)
                .all(db)
                .await
                .map_err(db_err("colleges"))?;
            schools.push((s, colleges));
        }
        let employer = employer::Entity::find()
            .all(db)
            .await
            .map_err(db_err("employers"))?
            .into_iter()
            .find(|e| e.email.contains("hzsz"))
            .ok_or("setup: the demo employer hzsz is missing")?;
        async fn caller_of_login<C: Capability>(db: &data::Db, login: &'static str) -> Result<C, String> {
            let a = account::Entity::find()
                .filter(account::Column::Login.eq(login))
                .one(db)
                .await
                .map_err(db_err("accounts"))?
                .ok_or_else(|| format!("setup: demo account {login} is missing"))?;
            auth::caller_of(&a)
                .and_then(|c| C::from_caller(&c))
                .map_err(app_err("caller"))
        }
        Ok(Base {
            employer_caller: caller_of_login(db, "hzsz").await?,
            school_admin: caller_of_login(db, data::service::seed::SCHOOLS[0].admin_login).await?,
            schools,
            employer,
            password_hash: auth::hash_password(data::service::seed::DEMO_PASSWORD),
            next: 0,
        })
    }

    /// A new roster record (identity unique across the run) in `school`/`college`.
    fn student(&mut self, school: usize, college: usize) -> student::ActiveModel {
        let i = self.next;
        self.next += 1;
        let (s, colleges) = &self.schools[school];
        let c = &colleges[college % colleges.len()];
        // Born in 2003 (the demo students are born in 2004): 365 dates × 1000 sequence numbers.
        let born = NaiveDate::from_ymd_opt(2003, 1, 1).unwrap() + Duration::days((i % 365) as i64);
        let area = ["420106", "420111", "420502", "420602"][i % 4];
        let first17 = format!("{area}{}{:03}", born.format("%Y%m%d"), i / 365);
        let check = domain::ids::id_check_char(&first17).expect("17 digits");
        let name = format!(
            "{}{}{}",
            SURNAMES[i % 30],
            GIVEN[(i / 30) % 30],
            if i.is_multiple_of(3) {
                ""
            } else {
                GIVEN[(i / 900 + i) % 30]
            }
        );
        student::ActiveModel {
            id: NotSet,
            school_id: Set(s.id),
            college_id: Set(c.id),
            major: Set(MAJORS[i % MAJORS.len()].into()),
            degree: Set(if i.is_multiple_of(7) {
                "硕士研究生"
            } else {
                "本科"
            }
            .into()),
            graduation_year: Set(GRADUATION_YEAR),
            name: Set(name),
            gender: Set(if i.is_multiple_of(2) { "男" } else { "女" }.into()),
            id_number: Set(format!("{first17}{check}")),
            phone: Set(format!("139{:08}", i)),
            email: Set(format!("bench{i}@example.edu.cn")),
            training_mode: Set("非定向".into()),
            origin: Set(["湖北省武汉市", "湖北省襄阳市", "河南省信阳市", "湖南省岳阳市"][i % 4].into()),
            roster_status: Set(RosterStatus::Approved),
            restricted: Set(false),
            plan_submitted: Set(false),
            created_at: Set(Utc::now()),
        }
    }

    /// `n` students of 江城大学 (all its colleges), each with a verified account, one pending
    /// invitation from 华中数智 and (for `sessions`) a live session.
    pub async fn accept_cases(&mut self, db: &Db, n: usize, sessions: bool) -> Res<Vec<AcceptCase>> {
        let models: Vec<_> = (0..n).map(|k| self.student(0, k)).collect();
        let (password_hash, employer) = (self.password_hash.clone(), self.employer.clone());
        // The job's own errors are the bench's (String): it answers them as its value (what it
        // wrote is committed, but the bench stops there).
        db.write(move |txn| {
            Box::pin(async move { Ok(accept_rows(txn, models, password_hash, employer, sessions).await) })
        })
        .await
        .map_err(app_err("transaction"))?
    }

    /// `n` more roster records across both schools and all their colleges (no accounts: the
    /// import matches the roster only). Returns them as an employer would list them.
    pub async fn roster(&mut self, db: &Db, n: usize) -> Res<Vec<RosterLine>> {
        let models: Vec<_> = (0..n).map(|k| self.student(k % 2, k / 2)).collect();
        let students = db
            .write(move |txn| Box::pin(async move { Ok(insert_students(txn, models).await) }))
            .await
            .map_err(app_err("transaction"))??;
        let names: std::collections::HashMap<i64, String> =
            self.schools.iter().map(|(s, _)| (s.id, s.name.clone())).collect();
        Ok(students
            .into_iter()
            .map(|s| RosterLine {
                school: names[&s.school_id].clone(),
                name: s.name,
                id_number: s.id_number,
                phone: s.phone,
            })
            .collect())
    }
}

/// [`Base::accept_cases`]' rows, in its write.
async fn accept_rows(
    txn: &WriteTxn,
    models: Vec<student::ActiveModel>,
    password_hash: String,
    e: employer::Model,
    sessions: bool,
) -> Res<Vec<AcceptCase>> {
    let n = models.len();
    let now = Utc::now();
    let students = insert_students(txn, models).await?;

    let before = last_id(
        account::Entity::find()
            .order_by_desc(account::Column::Id)
            .one(txn)
            .await,
        |a| a.id,
    )?;
    let accounts = students.iter().map(|s| account::ActiveModel {
        id: NotSet,
        login: Set(s.id_number.clone()),
        password_hash: Set(password_hash.clone()),
        role: Set(Role::Student),
        display_name: Set(s.name.clone()),
        school_id: Set(Some(s.school_id)),
        college_id: Set(Some(s.college_id)),
        student_id: Set(Some(s.id)),
        employer_id: Set(None),
        disabled: Set(false),
        // 信息验证 done.
        phone_verified_at: Set(Some(now)),
        last_login_at: Set(Some(now)),
        last_login_ip: Set(Some("127.0.0.1".into())),
        created_at: Set(now),
        must_change_password: Set(false),
        password_changed_at: Set(None),
        review_digest: Set(false),
        digest_email: Set(String::new()),
    });
    insert_chunked(accounts.collect(), |c| {
        account::Entity::insert_many(c).exec_without_returning(txn)
    })
    .await?;
    let accounts = account::Entity::find()
        .filter(account::Column::Id.gt(before))
        .order_by_asc(account::Column::Id)
        .all(txn)
        .await
        .map_err(db_err("accounts"))?;

    let e = &e;
    let before = last_id(
        invitation::Entity::find()
            .order_by_desc(invitation::Column::Id)
            .one(txn)
            .await,
        |i| i.id,
    )?;
    let invitations = students.iter().map(|s| invitation::ActiveModel {
        id: NotSet,
        employer_id: Set(e.id),
        student_id: Set(s.id),
        status: Set(InvitationStatus::Pending),
        position: Set("软件开发工程师（后端方向）".into()),
        job_category: Set("专业技术人员".into()),
        work_place: Set("湖北省武汉市东湖新技术开发区光谷软件园".into()),
        salary: Set("税前月薪12000元，年终奖金按公司制度发放".into()),
        contract_term: Set("3年".into()),
        probation: Set("6个月".into()),
        other_terms: Set(
            "依法缴纳五险一金；提供人才公寓或住房补贴；试用期工资不低于转正工资的80%；\
                              入职后参加公司组织的岗前培训，培训合格后上岗。"
                .into(),
        ),
        archive_unit: Set(e.archive_unit.clone()),
        archive_address: Set(e.archive_address.clone()),
        archive_postcode: Set(e.archive_postcode.clone()),
        archive_contact: Set(e.archive_contact.clone()),
        archive_phone: Set(e.archive_phone.clone()),
        hukou_address: Set(e.hukou_address.clone()),
        hukou_unit: Set(e.hukou_unit.clone()),
        deadline: Set(now + Duration::days(7)),
        created_at: Set(now - Duration::hours(1)),
        responded_at: Set(None),
        reminded_at: Set(None),
    });
    insert_chunked(invitations.collect(), |c| {
        invitation::Entity::insert_many(c).exec_without_returning(txn)
    })
    .await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Id.gt(before))
        .order_by_asc(invitation::Column::Id)
        .all(txn)
        .await
        .map_err(db_err("invitations"))?;

    if accounts.len() != n || invitations.len() != n {
        return Err(format!(
            "setup: expected {n} accounts and invitations, found {} and {}",
            accounts.len(),
            invitations.len()
        ));
    }
    let mut cases = Vec::with_capacity(n);
    let mut rows = Vec::new();
    for ((s, a), inv) in students.iter().zip(&accounts).zip(&invitations) {
        if a.student_id != Some(s.id) || inv.student_id != s.id {
            return Err("setup: rows came back out of order".into());
        }
        let token = if sessions { new_token() } else { String::new() };
        if sessions {
            rows.push(session::ActiveModel {
                id: Set(hex::encode(Sha256::digest(token.as_bytes()))),
                account_id: Set(a.id),
                created_at: Set(now),
                expires_at: Set(now + Duration::days(auth::SESSION_DAYS)),
                ip: Set(Some("127.0.0.1".into())),
            });
        }
        cases.push(AcceptCase {
            caller: auth::caller_of(a)
                .and_then(|c| StudentCaller::from_caller(&c))
                .map_err(app_err("caller"))?,
            token,
            invitation_id: inv.id,
        });
    }
    if !rows.is_empty() {
        insert_chunked(rows, |c| session::Entity::insert_many(c).exec_without_returning(txn)).await?;
    }
    Ok(cases)
}

async fn insert_students(txn: &impl ConnectionTrait, models: Vec<student::ActiveModel>) -> Res<Vec<student::Model>> {
    let n = models.len();
    let before = last_id(
        student::Entity::find()
            .order_by_desc(student::Column::Id)
            .one(txn)
            .await,
        |s| s.id,
    )?;
    insert_chunked(models, |c| student::Entity::insert_many(c).exec_without_returning(txn)).await?;
    let students = student::Entity::find()
        .filter(student::Column::Id.gt(before))
        .order_by_asc(student::Column::Id)
        .all(txn)
        .await
        .map_err(db_err("students"))?;
    if students.len() != n {
        return Err(format!("setup: inserted {n} students, found {}", students.len()));
    }
    Ok(students)
}

fn last_id<M>(found: Result<Option<M>, sea_orm::DbErr>, id: impl Fn(&M) -> i64) -> Res<i64> {
    Ok(found.map_err(db_err("last id"))?.as_ref().map_or(0, id))
}

/// Multi-row inserts, 200 rows a statement (well under SQLite's bound-parameter limit).
async fn insert_chunked<A, F, Fut>(rows: Vec<A>, insert: F) -> Res<()>
where
    F: Fn(Vec<A>) -> Fut,
    Fut: std::future::Future<Output = Result<u64, sea_orm::DbErr>>,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(200).collect();
        insert(chunk).await.map_err(db_err("bulk insert"))?;
    }
    Ok(())
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A province-scale fixture in a PostgreSQL database of its own, `name` on the server of
/// `BENCH_POSTGRES_URL`: built once by the `steps` SQL (set-based, through a plain connection,
/// since the app's connections are read-only outside its writer) and reused while its recorded
/// `version` matches. `None` without a PostgreSQL server (the figures that need it are skipped).
pub async fn postgres_fixture(
    name: &str,
    version: i64,
    figures: &str,
    steps: impl FnOnce() -> Vec<String>,
) -> Res<Option<data::Db>> {
    use sea_orm::{Database, DbBackend, Statement};
    let admin_url =
        std::env::var("BENCH_POSTGRES_URL").unwrap_or_else(|_| "postgres://app:app@127.0.0.1:5432/app".into());
    let err = |e: sea_orm::DbErr| format!("{name}: {e}");
    let admin = match Database::connect(&admin_url).await {
        Ok(c) => c,
        Err(e) => {
            crate::progress(format!(
                "{name}: no PostgreSQL at BENCH_POSTGRES_URL ({e}): {figures} skipped"
            ));
            return Ok(None);
        }
    };
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    let exists = admin
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .map_err(err)?
        .is_some();
    if exists {
        let db = data::connect(&url).await.map_err(|e| format!("{name}: {e}"))?;
        let marked = db
            .reads()
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT version FROM bench_fixture".to_owned(),
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get::<i64>("", "version").ok());
        if marked == Some(version) {
            crate::progress(format!("{name}: present, reused"));
            return Ok(Some(db));
        }
        db.close().await.map_err(|e| format!("{name}: {e}"))?;
        admin
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .map_err(err)?;
    }
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(err)?;
    // Migrated by the app (its tables and indexes), then loaded.
    let db = data::connect(&url).await.map_err(|e| format!("{name}: {e}"))?;
    let t = std::time::Instant::now();
    crate::progress(format!("{name}: building (once)"));
    let c = Database::connect(&url).await.map_err(err)?;
    let mut all = steps();
    all.push("CREATE TABLE bench_fixture (version bigint NOT NULL)".to_owned());
    all.push(format!("INSERT INTO bench_fixture VALUES ({version})"));
    for sql in all {
        let step = std::time::Instant::now();
        c.execute_unprepared(&sql)
            .await
            .map_err(|e| format!("{name}: {e}: {sql}"))?;
        crate::progress(format!(
            "{name}: {:.0} s: {}",
            step.elapsed().as_secs_f64(),
            sql.chars().take(60).collect::<String>()
        ));
    }
    crate::progress(format!("{name}: built in {:.0} s", t.elapsed().as_secs_f64()));
    Ok(Some(db))
}
