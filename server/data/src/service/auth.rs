//! Accounts, passwords, sessions and the login throttle.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use chrono::{DateTime, Duration, Utc};
use domain::{role::LoginKind, AppError, Caller, Role};
use rand::RngCore;
use sea_orm::{prelude::*, sea_query::Query, ActiveValue::Set, Condition, IntoActiveModel};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration as StdDuration, Instant},
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{
    entity::{account, login_throttle, session, student},
    fast_read::Param,
    Db, DbResultExt, Result,
};

/// Five failures in a row lock the login for this long.
pub const MAX_FAILURES: i32 = 5;
pub const LOCK_MINUTES: i64 = 5;
/// A session lasts this long after login.
pub const SESSION_DAYS: i64 = 7;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Bounds the password checks a server runs at once. Each argon2 check takes ~19 MiB and a core
/// for tens of milliseconds: unbounded, a burst of logins takes the server's memory with it.
/// At most `workers` checks run (on blocking threads), at most `queue` more wait for a turn;
/// a login beyond that is answered 请稍后再试 (`AppError::Busy`) before it touches anything.
/// One per server (inside `ServerState`).
#[derive(Clone)]
pub struct Hasher {
    /// A place among the running and the waiting checks.
    places: Arc<Semaphore>,
    /// A turn to run.
    running: Arc<Semaphore>,
    /// Checked when the login does not exist, so timing does not tell which logins exist.
    dummy_hash: Arc<str>,
}

impl Default for Hasher {
    /// One check per core, sixteen waiting per core.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hasher::new(cores, 16 * cores)
    }
}

impl Hasher {
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        Hasher {
            places: Arc::new(Semaphore::new(workers + queue)),
            running: Arc::new(Semaphore::new(workers)),
            dummy_hash: hash_password("not-a-password").into(),
        }
    }

    /// A place in the queue, or `Busy` when it is full.
    fn place(&self) -> Result<OwnedSemaphorePermit> {
        self.places.clone().try_acquire_owned().map_err(|_| AppError::Busy)
    }

    /// Checks `password` against `hash` (the dummy hash when `None`) in its turn. The permits
    /// move into the blocking task, so a cancelled request still frees its place only when
    /// the check it started has ended.
    async fn verify(&self, place: OwnedSemaphorePermit, hash: Option<String>, password: &str) -> Result<bool> {
        let turn = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal)?;
        let hash = hash.unwrap_or_else(|| self.dummy_hash.to_string());
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            let ok = verify_password(&hash, &password);
            drop((turn, place));
            ok
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password check panicked");
            AppError::Internal
        })
    }
}

/// Students log in with their 身份证号 (case-insensitive X); others with their user name.
pub fn normalize_login(kind: LoginKind, login: &str) -> String {
    let s = domain::ids::normalize(login);
    match kind {
        LoginKind::Student => s.to_ascii_uppercase(),
        _ => s,
    }
}

pub(crate) fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub struct LoggedIn {
    /// The cookie value; only its hash is stored.
    pub token: String,
    pub caller: Caller,
}

/// Checks the password and opens a new session. `previous_token` (the cookie the browser sent,
/// if any) is ended, so the session id always changes at login.
///
/// The throttle is decided in the database, not in this process: every check first reserves
/// one of the login's `MAX_FAILURES` attempts in a single guarded UPDATE ([`reserve_attempt`]),
/// so simultaneous attempts (or several server instances) cannot run more checks than that.
/// A failed check keeps its attempt; the check that fails with all attempts used locks the
/// login; a success clears the count unless a concurrent failure has locked the login already.
pub async fn login(
    db: &Db,
    hasher: &Hasher,
    kind: LoginKind,
    login: &str,
    password: &str,
    ip: Option<String>,
    previous_token: Option<&str>,
) -> Result<LoggedIn> {
    let login = normalize_login(kind, login);
    if login.is_empty() || password.is_empty() {
        return Err(AppError::invalid("请输入账号和密码"));
    }
    domain::text::single_line(&login, "账号")?;
    let place = hasher.place()?;
    let now = Utc::now();
    reserve_attempt(db, &login, now).await?;

    let account = account::Entity::find()
        .filter(account::Column::Login.eq(login.as_str()))
        .one(db)
        .await
        .db()?;
    // A student account the school made has no password yet (an empty hash): it is checked
    // against the dummy hash like a login that does not exist, so the answer (and its time)
    // does not tell that the 身份证号 is on a roster; the student door's answer names 首次登录.
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .filter(|h| !h.is_empty());
    // No hash: the dummy one is checked (for the time it takes) and can never let anyone in.
    let has_hash = hash.is_some();
    let password_ok = hasher.verify(place, hash, password).await? && has_hash;
    let account = account.filter(|a| password_ok && !a.disabled && a.role.login_kind() == kind);
    let Some(account) = account else {
        return Err(match record_failure(db, &login).await? {
            AppError::BadCredentials if kind == LoginKind::Student => AppError::BadStudentCredentials,
            other => other,
        });
    };
    // Manual FAQ 1: some students may not log in at all (told only once the password is right).
    student_may_log_in(db, &account).await?;
    // A frozen employer is told so (once the password is right), like a 定向 student.
    super::registration::employer_may_log_in(db, &account).await?;

    let token = new_token();
    let previous = previous_token.map(token_id);
    let session_id = token_id(&token);
    let account = db
        .write(move |txn| {
            Box::pin(async move {
                // A failure that ran beside this check may have locked the login meanwhile: it stays locked.
                let now = Utc::now();
                let throttle = login_throttle::Entity::find_by_id(login.clone()).one(txn).await.db()?;
                if let Some(until) = throttle.and_then(|t| t.locked_until).filter(|u| *u > now) {
                    return Err(AppError::LockedOut {
                        minutes: minutes_left(until, now),
                    });
                }
                login_throttle::Entity::delete_by_id(login).exec(txn).await.db()?;
                open_session(txn, account, session_id, previous, ip).await
            })
        })
        .await?;
    Ok(LoggedIn {
        token,
        caller: caller_of(&account)?,
    })
}

/// Manual FAQ 1 for a student's account (`domain::flow::Standing::check_login`); other roles pass.
pub(crate) async fn student_may_log_in(c: &impl ConnectionTrait, account: &account::Model) -> Result<()> {
    let Some(student_id) = account.student_id.filter(|_| account.role == Role::Student) else {
        return Ok(());
    };
    let s = student::Entity::find_by_id(student_id)
        .one(c)
        .await
        .db()?
        .ok_or(AppError::BadStudentCredentials)?;
    super::eligibility::standing(&s).check_login()
}

/// Opens a session (`session_id`: the new token's hash) for the account, ending the one the
/// browser sent (`previous`, a hash too), and notes the login's time and address.
pub(crate) async fn open_session(
    txn: &crate::WriteTxn,
    account: account::Model,
    session_id: String,
    previous: Option<String>,
    ip: Option<String>,
) -> Result<account::Model> {
    let now = Utc::now();
    if let Some(prev) = previous {
        session::Entity::delete_by_id(prev).exec(txn).await.db()?;
    }
    session::ActiveModel {
        id: Set(session_id),
        account_id: Set(account.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        ip: Set(ip.clone()),
    }
    .insert(txn)
    .await
    .db()?;
    let mut am = account.into_active_model();
    am.last_login_at = Set(Some(now));
    am.last_login_ip = Set(ip);
    am.update(txn).await.db()
}

fn minutes_left(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((until - now).num_seconds() + 59).div_euclid(60).max(1)
}

/// Takes one of the login's attempts, or answers `LockedOut` when the login is locked or all
/// its attempts are taken (failed, or being checked right now). One guarded UPDATE decides it,
/// so concurrent attempts queue on the row and each sees the count the others left. Attempts
/// count towards the lock until `LOCK_MINUTES` pass without one (an attempt whose request died
/// mid-check must not lock the login forever). Logins that do not exist are throttled the
/// same way, so the answer never tells whether an account exists.
pub(crate) async fn reserve_attempt(db: &Db, login: &str, now: DateTime<Utc>) -> Result<()> {
    use login_throttle::Column as C;
    use sea_orm::sea_query::ExprTrait;
    let stale = now - Duration::minutes(LOCK_MINUTES);
    let login = login.to_owned();
    db.write(move |txn| {
        Box::pin(async move {
            let first = login_throttle::ActiveModel {
                login: Set(login.clone()),
                failures: Set(0),
                locked_until: Set(None),
                updated_at: Set(now),
            };
            login_throttle::Entity::insert(first)
                .on_conflict_do_nothing_on([C::Login])
                .exec_without_returning(txn)
                .await
                .db()?;
            let taken = login_throttle::Entity::update_many()
                .col_expr(
                    C::Failures,
                    Expr::case(C::UpdatedAt.lte(stale), 1)
                        .finally(Expr::col(C::Failures).add(1))
                        .into(),
                )
                .col_expr(C::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(C::UpdatedAt, Expr::value(now))
                .filter(C::Login.eq(login.as_str()))
                .filter(
                    Condition::any()
                        .add(C::LockedUntil.is_null())
                        .add(C::LockedUntil.lte(now)),
                )
                .filter(
                    Condition::any()
                        .add(C::Failures.lt(MAX_FAILURES))
                        .add(C::UpdatedAt.lte(stale)),
                )
                .exec(txn)
                .await
                .db()?
                .rows_affected;
            if taken == 1 {
                return Ok(());
            }
            let row = login_throttle::Entity::find_by_id(login).one(txn).await.db()?;
            let until = row.and_then(|r| r.locked_until).filter(|u| *u > now);
            Err(AppError::LockedOut {
                minutes: until.map_or(LOCK_MINUTES, |u| minutes_left(u, now)),
            })
        })
    })
    .await
}

/// A failed check keeps the attempt it reserved. The failure that finds every attempt used
/// locks the login (and starts its count again for when the lock ends).
pub(crate) async fn record_failure(db: &Db, login: &str) -> Result<AppError> {
    use login_throttle::Column as C;
    let now = Utc::now();
    let login = login.to_owned();
    let locked = db
        .write(move |txn| {
            Box::pin(async move {
                let r = login_throttle::Entity::update_many()
                    .col_expr(C::Failures, Expr::value(0))
                    .col_expr(C::LockedUntil, Expr::value(Some(now + Duration::minutes(LOCK_MINUTES))))
                    .col_expr(C::UpdatedAt, Expr::value(now))
                    .filter(C::Login.eq(login))
                    .filter(C::Failures.gte(MAX_FAILURES))
                    .filter(C::LockedUntil.is_null())
                    .exec(txn)
                    .await
                    .db()?;
                Ok(r.rows_affected == 1)
            })
        })
        .await?;
    Ok(if locked {
        AppError::LockedOut { minutes: LOCK_MINUTES }
    } else {
        AppError::BadCredentials
    })
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn caller_of(a: &account::Model) -> Result<Caller> {
    Ok(Caller {
        account_id: a.id,
        role: a.role,
        display_name: a.display_name.clone(),
        school_id: a.school_id,
        college_id: a.college_id,
        student_id: a.student_id,
        employer_id: a.employer_id,
        must_change_password: a.must_change_password,
    })
}

fn role_of(account_id: i64, role: &str) -> Result<Role> {
    Role::parse(role).ok_or_else(|| {
        tracing::error!(account = account_id, role, "account with unknown role");
        AppError::Internal
    })
}

/// The account behind a live session (`session_id`: the token's hash): the enabled account whose
/// unexpired session has this id. Requests ask through [`Sessions::caller`]; a cookie the cache has
/// not confirmed (every first request after login) costs this read. On SQLite it is one of the two
/// fast reads (`data::fast_read` says why), elsewhere an ordinary sea-orm query.
async fn caller_for_id(db: &Db, session_id: &str) -> Result<Option<Caller>> {
    let now = Utc::now();
    let Some(fast) = db.fast_reads() else {
        let live = Query::select()
            .column(session::Column::AccountId)
            .from(session::Entity)
            .and_where(session::Column::Id.eq(session_id))
            .and_where(session::Column::ExpiresAt.gt(now))
            .to_owned();
        let account = account::Entity::find()
            .filter(account::Column::Id.in_subquery(live))
            .filter(account::Column::Disabled.eq(false))
            .one(db)
            .await
            .db()?;
        return account.as_ref().map(caller_of).transpose();
    };
    let params = vec![
        (":session", Param::Text(session_id.to_owned())),
        (":now", Param::Time(now)),
    ];
    let found = fast
        .one(CALLER_FOR_SESSION, params, |r| {
            let (account_id, role): (i64, String) = (r.get("id")?, r.get("role")?);
            let (display_name, school_id, college_id) =
                (r.get("display_name")?, r.get("school_id")?, r.get("college_id")?);
            let (student_id, employer_id) = (r.get("student_id")?, r.get("employer_id")?);
            let must_change_password = r.get("must_change_password")?;
            Ok(role_of(account_id, &role).map(|role| Caller {
                account_id,
                role,
                display_name,
                school_id,
                college_id,
                student_id,
                employer_id,
                must_change_password,
            }))
        })
        .await
        .db()?;
    found.transpose()
}

/// [`caller_for_id`] on SQLite's fast path.
const CALLER_FOR_SESSION: &str = "SELECT id, role, display_name, school_id, college_id, student_id, employer_id, \
     must_change_password \
     FROM accounts WHERE NOT disabled AND id = \
     (SELECT account_id FROM sessions WHERE id = :session AND expires_at > :now)";

pub async fn logout(db: &Db, token: &str) -> Result<()> {
    let id = token_id(token);
    db.write(move |txn| {
        Box::pin(async move {
            session::Entity::delete_by_id(id).exec(txn).await.db()?;
            Ok(())
        })
    })
    .await
}

/// Sessions the database confirmed a moment ago. A page load makes several requests with the
/// same cookie, and every one of them needs the caller; remembering a confirmed session for a
/// few seconds saves a statement on each. Logout and login in this process forget the token at
/// once; a change made elsewhere (another server process, an account disabled) is seen within
/// `recheck`. One per server (inside `ServerState`), so separate databases never share entries.
#[derive(Clone)]
pub struct Sessions {
    confirmed: Arc<Mutex<HashMap<String, (Caller, Instant)>>>,
    recheck: StdDuration,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions::with_recheck(StdDuration::from_secs(5))
    }
}

impl Sessions {
    /// More entries than this are trimmed to the fresh ones (or dropped when all are fresh).
    const MAX: usize = 100_000;

    pub fn with_recheck(recheck: StdDuration) -> Self {
        Sessions {
            confirmed: Default::default(),
            recheck,
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<String, (Caller, Instant)>> {
        // A panic while holding the lock cannot leave the map inconsistent: use it anyway.
        self.confirmed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The caller behind a session cookie, or `None` when its session is not live.
    pub async fn caller(&self, db: &Db, token: &str) -> Result<Option<Caller>> {
        let id = token_id(token);
        if let Some((caller, at)) = self.map().get(&id) {
            if at.elapsed() < self.recheck {
                return Ok(Some(caller.clone()));
            }
        }
        let found = caller_for_id(db, &id).await?;
        let mut map = self.map();
        match &found {
            Some(caller) => {
                if map.len() >= Self::MAX {
                    map.retain(|_, (_, at)| at.elapsed() < self.recheck);
                    if map.len() >= Self::MAX {
                        map.clear();
                    }
                }
                map.insert(id, (caller.clone(), Instant::now()));
            }
            None => {
                map.remove(&id);
            }
        }
        Ok(found)
    }

    /// Ends the session here and in the database (退出).
    pub async fn logout(&self, db: &Db, token: &str) -> Result<()> {
        self.forget(token);
        logout(db, token).await
    }

    /// Forgets a token this process confirmed (its session was ended, e.g. by a new login).
    pub fn forget(&self, token: &str) {
        self.map().remove(&token_id(token));
    }
}

/// 修改密码: the old password, the new one twice (`domain::password::check_new`). The account's
/// other sessions end (someone who knew the old password is logged out); the one that asked
/// (`current_token`) stays. Clears `must_change_password`.
pub async fn change_password(
    db: &Db,
    hasher: &Hasher,
    caller: &Caller,
    current_token: &str,
    old: &str,
    new: &str,
    again: &str,
) -> Result<()> {
    let account = account::Entity::find_by_id(caller.account_id)
        .one(db)
        .await
        .db()?
        .ok_or(AppError::NotLoggedIn)?;
    if old.is_empty() {
        return Err(AppError::invalid("请输入原密码"));
    }
    domain::password::check_new(&account.login, old, new, again)?;
    let place = hasher.place()?;
    if !hasher.verify(place, Some(account.password_hash.clone()), old).await? {
        return Err(AppError::invalid("原密码不正确"));
    }
    let new_hash = hash_with(hasher, new).await?;
    let (account_id, keep, checked_hash) = (account.id, token_id(current_token), account.password_hash);
    db.write(move |txn| {
        Box::pin(async move {
            // Only if nobody changed it meanwhile (the old password was checked against this hash).
            let changed = account::Entity::update_many()
                .col_expr(account::Column::PasswordHash, Expr::value(new_hash))
                .col_expr(account::Column::MustChangePassword, Expr::value(false))
                .col_expr(account::Column::PasswordChangedAt, Expr::value(Some(Utc::now())))
                .filter(account::Column::Id.eq(account_id))
                .filter(account::Column::PasswordHash.eq(checked_hash))
                .exec(txn)
                .await
                .db()?;
            if changed.rows_affected != 1 {
                return Err(AppError::conflict("密码已在别处修改，请重新登录"));
            }
            session::Entity::delete_many()
                .filter(session::Column::AccountId.eq(account_id))
                .filter(session::Column::Id.ne(keep))
                .exec(txn)
                .await
                .db()?;
            Ok(())
        })
    })
    .await
}

/// Hashes a new password on a blocking thread, in its turn among the password checks.
pub async fn hash_with(hasher: &Hasher, password: &str) -> Result<String> {
    let place = hasher.place()?;
    let turn = hasher
        .running
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| AppError::Internal)?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let hash = hash_password(&password);
        drop((turn, place));
        hash
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing panicked");
        AppError::Internal
    })
}

/// A one-time password for an account someone else sets up (the first province admin, a
/// reset): 12 characters from an alphabet without look-alikes, always with letters and digits.
pub fn one_time_password() -> String {
    use rand::Rng;
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rngs::OsRng;
    let p: Vec<u8> = (0..12)
        .map(|i| match i % 4 {
            3 => DIGITS[rng.gen_range(0..DIGITS.len())],
            _ => LETTERS[rng.gen_range(0..LETTERS.len())],
        })
        .collect();
    String::from_utf8(p).unwrap_or_default()
}

/// The operator's first step on an empty database: a 省中心管理员 (`server admin create`).
/// With `password` None a one-time password is made, returned (to be shown once) and must be
/// changed at first login; a given password must pass the rules of 修改密码.
pub async fn create_province_admin(
    db: &Db,
    login: &str,
    display_name: &str,
    password: Option<&str>,
) -> Result<Option<String>> {
    let login = domain::ids::normalize(login);
    if login.is_empty() || login.chars().count() > 32 || !login.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(AppError::invalid("账号只能由1至32位字母、数字和下划线组成"));
    }
    domain::text::single_line(display_name, "名称")?;
    let (password, generated) = match password {
        Some(p) => {
            domain::password::check_new(&login, "", p, p)?;
            (p.to_owned(), None)
        }
        None => {
            let p = one_time_password();
            (p.clone(), Some(p))
        }
    };
    let hash = hash_password(&password);
    let (login2, name, must_change) = (login.clone(), display_name.trim().to_owned(), generated.is_some());
    db.write(move |txn| {
        Box::pin(async move {
            let name = if name.is_empty() {
                "省中心管理员".to_owned()
            } else {
                name
            };
            let a = create_account(txn, &login2, &hash, Role::ProvinceAdmin, &name, AccountScope::default()).await?;
            if must_change {
                require_new_password(txn, a.id).await?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(generated)
}

/// The account's owner must choose a new password before anything else (its password was
/// set by someone else: the operator, an admin).
pub async fn require_new_password(c: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    account::Entity::update_many()
        .col_expr(account::Column::MustChangePassword, Expr::value(true))
        .filter(account::Column::Id.eq(account_id))
        .exec(c)
        .await
        .db()?;
    Ok(())
}

/// Removes expired sessions (a background job calls this).
pub async fn purge_expired_sessions(db: &Db) -> Result<u64> {
    db.write(|txn| {
        Box::pin(async move {
            let r = session::Entity::delete_many()
                .filter(session::Column::ExpiresAt.lte(Utc::now()))
                .exec(txn)
                .await
                .db()?;
            Ok(r.rows_affected)
        })
    })
    .await
}

/// Creates an account (seed data and admin tools).
pub async fn create_account<C: ConnectionTrait>(
    db: &C,
    login: &str,
    password_hash: &str,
    role: Role,
    display_name: &str,
    scope: AccountScope,
) -> Result<account::Model> {
    new_account(login, password_hash, role, display_name, scope, Utc::now())
        .insert(db)
        .await
        .unique_or(AppError::conflict(format!("账号 {login} 已存在")))
}

/// A new enabled account as it is inserted (one by one, or many at once by 生源导入).
pub fn new_account(
    login: &str,
    password_hash: &str,
    role: Role,
    display_name: &str,
    scope: AccountScope,
    now: chrono::DateTime<Utc>,
) -> account::ActiveModel {
    account::ActiveModel {
        login: Set(login.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        role: Set(role),
        display_name: Set(display_name.to_owned()),
        school_id: Set(scope.school_id),
        college_id: Set(scope.college_id),
        student_id: Set(scope.student_id),
        employer_id: Set(scope.employer_id),
        disabled: Set(false),
        phone_verified_at: Set(None),
        last_login_at: Set(None),
        last_login_ip: Set(None),
        created_at: Set(now),
        must_change_password: Set(false),
        password_changed_at: Set(None),
        ..Default::default()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct AccountScope {
    pub school_id: Option<i64>,
    pub college_id: Option<i64>,
    pub student_id: Option<i64>,
    pub employer_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("Demo@2026");
        assert!(h.starts_with("$argon2"));
        assert!(verify_password(&h, "Demo@2026"));
        assert!(!verify_password(&h, "demo@2026"));
        assert!(!verify_password("garbage", "Demo@2026"));
    }

    #[test]
    fn student_logins_ignore_case_and_spaces() {
        assert_eq!(
            normalize_login(LoginKind::Student, " 11010519491231002x　"),
            "11010519491231002X"
        );
        assert_eq!(normalize_login(LoginKind::Admin, " Admin "), "Admin");
    }

    #[test]
    fn lock_message_rounds_minutes_up() {
        let now = Utc::now();
        assert_eq!(minutes_left(now + Duration::seconds(61), now), 2);
        assert_eq!(minutes_left(now + Duration::seconds(5), now), 1);
    }
}
