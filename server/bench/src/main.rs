//! `make bench`: the performance figures, each beside a baseline measured in the same
//! run on the same machine.
//!
//! 1. 同意签约 (accept an invitation) over HTTP — the real router on a local port, 64 concurrent
//!    clients, each request accepting a different invitation with a real session — beside the
//!    same data-layer call (`invite::accept`) without HTTP. SQLite, a fresh file in a temp dir,
//!    with the default `synchronous=FULL`; then both again through a second handle on the same
//!    file with `synchronous=NORMAL` (no fsync per commit), for comparison.
//! 2. The student 用户中心 (`/api/student/dashboard`) over HTTP beside a tiny axum router serving
//!    a static JSON body of the same size, same client, same concurrency.
//! 3. 导入拟签约名单: a 10,000-row .xlsx parsed, validated and matched against a 10,000-student
//!    roster (and added to the 签约发送列表) beside calamine's bare read of the same file.
//! 4. The 电子协议书 PDF of a certified agreement: size and median render time.
//! 5. The release WASM (`make build`'s `target/site/pkg/*.wasm`), raw and gzip.
//! 6. Peak RSS of the server (a child process) under two bursts of 200 simultaneous logins.
//! 7. Each role's first visit: the bytes of its first page and of every file that page loads, as
//!    the real router sends them to a browser (precompressed, `make build`'s site).
//! 8. Time to a working click under DevTools' "Slow 4G" in Chromium (Playwright), for the home
//!    page and a student's 用户中心 (`end2end/bench/click-time.mjs` defines it).
//! 9. 生源导入 of 10,000 rows (parse, validate, preview, save) beside calamine's bare read.
//! 10. The admin roster list with 500,000 students on PostgreSQL (the province fixture,
//!     `roster.rs`; skipped without a PostgreSQL server).
//! 11. The review queue's first page (等待签约审核) and 12. the admin 用户中心 counters, as a
//!     school, a college and the province admin, with 200,000 agreements and 2,000,000
//!     invitations on PostgreSQL (`review.rs`; skipped without a PostgreSQL server).
//!
//! Setup (seeding, sessions, building the file, font loading) is never inside a timed section.
//! Exit status 0 when everything ran, whether or not a target was met (the table says); 1 with a
//! message when something is broken (an accept not answering 200, an import that does not match,
//! no WASM built, …).
//!
//! Options: `--accepts N` (4000), `--warmup N` (200), `--concurrency N` (64), `--seconds S` (5,
//! per read run), `--import-rows N` (10000), `--renders N` (20), `--site-pkg DIR`
//! (`target/site/pkg` of the workspace), `--logins-only` (figure 6 alone), `--click-runs N` (3,
//! visits per case of figure 8), `--no-browser` (no figure 8), `--roster-only` (figures 9 and 10
//! alone), `--list-requests N` (200, per case of figures 10, 11 and 12), `--review-only` (figures
//! 11 and 12 alone: the review queue and the admin counters at a province's scale).

mod click_time;
mod first_visit;
mod fixture;
mod load;
mod logins;
mod report;
mod review;
mod roster;

use std::{
    io::{Cursor, Write},
    net::SocketAddr,
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use app::api::ctx::ServerState;
use axum::{body::Bytes, http::header, routing::post, Router};
use data::{entity::agreement, service, Db, Durability};
use fixture::{AcceptCase, Base, Res, RosterLine};
use leptos::config::LeptosOptions;
use load::{median_ms, Run};
use report::{Line, Verdict};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The same allocator as the server binary (the app runs in this process).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The dashboard and static runs alternate in this many rounds (`--seconds` split between them).
const READ_ROUNDS: usize = 5;

const USAGE: &str = "make bench — usage: bench [--accepts N] [--warmup N] [--concurrency N] [--seconds S] \
                     [--import-rows N] [--renders N] [--site-pkg DIR] [--logins-only] [--click-runs N] [--no-browser] [--roster-only] [--list-requests N] [--review-only]";

struct Opts {
    accepts: usize,
    warmup: usize,
    concurrency: usize,
    seconds: f64,
    import_rows: usize,
    renders: usize,
    site_pkg: PathBuf,
    /// Only figure 6 (no seeding, no WASM needed).
    logins_only: bool,
    /// Fresh visits per case of figure 8; 0 = no figure 8 (`--no-browser`).
    click_runs: usize,
    workspace: PathBuf,
    /// Only figures 9 and 10 (no WASM needed).
    roster_only: bool,
    list_requests: usize,
    /// Only figures 11 and 12 (no WASM needed).
    review_only: bool,
}

impl Opts {
    fn parse() -> Res<Opts> {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let workspace = std::fs::canonicalize(&workspace).unwrap_or(workspace);
        let mut o = Opts {
            accepts: 4000,
            warmup: 200,
            concurrency: 64,
            seconds: 5.0,
            import_rows: excel::MAX_ROWS,
            renders: 20,
            site_pkg: workspace.join("target/site/pkg"),
            logins_only: false,
            click_runs: 3,
            workspace: workspace.clone(),
            roster_only: false,
            list_requests: 200,
            review_only: false,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            let num = |v: String| v.parse::<usize>().map_err(|_| format!("{flag}: not a number: {v}"));
            match flag.as_str() {
                "--accepts" => o.accepts = num(value()?)?,
                "--warmup" => o.warmup = num(value()?)?,
                "--concurrency" => o.concurrency = num(value()?)?,
                "--seconds" => o.seconds = value()?.parse().map_err(|_| "--seconds: not a number".to_owned())?,
                "--import-rows" => o.import_rows = num(value()?)?,
                "--renders" => o.renders = num(value()?)?,
                "--site-pkg" => o.site_pkg = PathBuf::from(value()?),
                "--logins-only" => o.logins_only = true,
                "--click-runs" => o.click_runs = num(value()?)?,
                "--no-browser" => o.click_runs = 0,
                "--roster-only" => o.roster_only = true,
                "--review-only" => o.review_only = true,
                "--list-requests" => o.list_requests = num(value()?)?,
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                other => return Err(format!("unknown option {other} (see --help)")),
            }
        }
        if o.accepts == 0 || o.concurrency == 0 || o.renders == 0 || o.import_rows == 0 {
            return Err("counts must be positive".into());
        }
        if o.import_rows > excel::MAX_ROWS {
            return Err(format!(
                "--import-rows: the import takes at most {} rows",
                excel::MAX_ROWS
            ));
        }
        Ok(o)
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .init();
    let mut args = std::env::args().skip(1);
    if let (Some("--login-server"), Some(url)) = (args.next().as_deref(), args.next()) {
        if let Err(e) = logins::serve_child(&url).await {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    let result = match Opts::parse() {
        Ok(o) => run(o).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {}
        Err(e) => {
            eprintln!("\nbench: FAILED — {e}");
            std::process::exit(1);
        }
    }
}

fn progress(msg: impl AsRef<str>) {
    eprintln!("[bench] {}", msg.as_ref());
}

async fn run(o: Opts) -> Res<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let dir = tempfile::Builder::new()
        .prefix("wangqian-bench-")
        .tempdir()
        .map_err(|e| format!("temp dir: {e}"))?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.sqlite").display());
    if o.logins_only {
        let lines = login_memory(dir.path()).await?;
        println!(
            "\n网签系统 benchmarks — {cores} CPU core(s), figure 6 only\n{}",
            report::table(&lines)
        );
        print_login_note();
        return Ok(());
    }
    let db = data::connect(&url)
        .await
        .map_err(|e| format!("connect + migrate {url}: {e}"))?;
    if o.review_only {
        let lines = review_figures(&o).await?;
        println!(
            "\n网签系统 benchmarks — {cores} CPU core(s), figures 11 and 12 only\n{}",
            report::table(&lines)
        );
        print_review_note();
        return Ok(());
    }
    if o.roster_only {
        data::service::seed::load_demo(&db)
            .await
            .map_err(|e| format!("demo data: {e:?}"))?;
        let base = Base::load(&db).await?;
        let lines = roster_figures(&o, &db, &base).await?;
        println!(
            "\n网签系统 benchmarks — {cores} CPU core(s), figures 9 and 10 only\n{}",
            report::table(&lines)
        );
        print_roster_note();
        return Ok(());
    }

    // ---- setup (not timed) ----
    let t = Instant::now();
    let mut base = Base::load(&db).await?;
    let per_mode = o.warmup + o.accepts;
    progress(format!(
        "setup: {per_mode} students with a verified account, a pending invitation and a session (HTTP)"
    ));
    let http_cases = Arc::new(base.accept_cases(&db, per_mode, true).await?);
    progress(format!("setup: {per_mode} more without a session (data layer)"));
    let raw_cases = Arc::new(base.accept_cases(&db, per_mode, false).await?);
    progress(format!(
        "setup: {} more of each kind for the same runs with synchronous=NORMAL",
        per_mode
    ));
    let normal_http_cases = Arc::new(base.accept_cases(&db, per_mode, true).await?);
    let normal_raw_cases = Arc::new(base.accept_cases(&db, per_mode, false).await?);
    progress(format!(
        "setup: {} more for a serial data-layer run (context only)",
        o.accepts
    ));
    let serial_cases = Arc::new(base.accept_cases(&db, o.accepts, false).await?);
    if o.concurrency > o.accepts {
        return Err("--concurrency must not exceed --accepts (each dashboard client is one accepted student)".into());
    }
    progress(format!(
        "setup: a roster of {} more students and the {}-row 拟签约名单",
        o.import_rows, o.import_rows
    ));
    let roster = base.roster(&db, o.import_rows).await?;
    let xlsx = sign_list_file(&roster)?;
    let app_base = start_app(db.clone(), &o.site_pkg).await?;
    let client = reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    progress(format!("setup done in {:.1} s", t.elapsed().as_secs_f64()));
    // `make bench` builds first: hundreds of MB of build output and the seeded database are still
    // being written back to disk, and the server's own fsyncs (commits, checkpoints) would wait
    // behind them. Flush everything first, so the figures are about this program, not the build.
    if let Err(e) = std::process::Command::new("sync").status() {
        progress(format!("sync: {e} (figures may include the build's disk writes)"));
    }

    let mut lines = Vec::new();

    // ---- 1. accept: the data layer, then HTTP ----
    // The baseline runs with the same 64 concurrent callers as the HTTP run: the same offered
    // load through the same pool and the same single-writer lock, so the
    // ratio isolates what HTTP adds (client, hyper, the server-function layer, the session
    // lookup). A serial baseline would measure a different regime (no lock queueing at all).
    let agreements_before = count_agreements(&db).await?;
    progress(format!(
        "accept, data layer: {} warm-up + {} measured, {} concurrent",
        o.warmup, o.accepts, o.concurrency
    ));
    accept_raw(&db, &raw_cases, 0..o.warmup, o.concurrency).await?;
    let raw = accept_raw(&db, &raw_cases, o.warmup..per_mode, o.concurrency).await?;
    progress(format!(
        "accept, data layer, one at a time: {} (context: SQLite has one writer)",
        o.accepts
    ));
    let serial = accept_raw(&db, &serial_cases, 0..o.accepts, 1).await?;
    progress(format!(
        "accept, HTTP: {} warm-up + {} measured, {} concurrent clients",
        o.warmup, o.accepts, o.concurrency
    ));
    accept_http(&client, &app_base, &http_cases, 0..o.warmup, o.concurrency).await?;
    let http = accept_http(&client, &app_base, &http_cases, o.warmup..per_mode, o.concurrency).await?;
    // The same two runs on the same file through a second handle whose writer syncs only at
    // checkpoints (synchronous=NORMAL): what durability against power loss costs.
    let normal_db = data::connect_with(&url, Durability::Normal)
        .await
        .map_err(|e| format!("connect {url} (NORMAL): {e}"))?;
    let normal_base = start_app(normal_db.clone(), &o.site_pkg).await?;
    progress(format!(
        "accept, synchronous=NORMAL, data layer: {} warm-up + {} measured, {} concurrent",
        o.warmup, o.accepts, o.concurrency
    ));
    accept_raw(&normal_db, &normal_raw_cases, 0..o.warmup, o.concurrency).await?;
    let normal_raw = accept_raw(&normal_db, &normal_raw_cases, o.warmup..per_mode, o.concurrency).await?;
    progress(format!(
        "accept, synchronous=NORMAL, HTTP: {} warm-up + {} measured, {} concurrent clients",
        o.warmup, o.accepts, o.concurrency
    ));
    accept_http(&client, &normal_base, &normal_http_cases, 0..o.warmup, o.concurrency).await?;
    let normal_http = accept_http(
        &client,
        &normal_base,
        &normal_http_cases,
        o.warmup..per_mode,
        o.concurrency,
    )
    .await?;
    let created = count_agreements(&db).await? - agreements_before;
    let answered = 4 * per_mode + o.accepts;
    if created != answered as u64 {
        return Err(format!(
            "accept: {answered} accepts succeeded but {created} agreements exist"
        ));
    }
    let ratio = http.rate() / raw.rate();
    lines.push(Line::new(
        "1 accept invitation, HTTP (req/s)",
        format!("{:.0}", http.rate()),
        format!("{:.0} (data layer)", raw.rate()),
        format!("{:.0} %", ratio * 100.0),
        ">= 50 % of data layer",
        Verdict::from(ratio >= 0.5),
    ));
    lines.push(Line::new(
        "  accept p50 latency (ms)",
        format!("{:.1}", http.pct_ms(50.0)),
        format!("{:.1} (data layer)", raw.pct_ms(50.0)),
        format!("{:.1}x", http.pct_ms(50.0) / raw.pct_ms(50.0)),
        "-",
        Verdict::Info,
    ));
    lines.push(Line::new(
        "  accept p99 latency (ms)",
        format!("{:.1}", http.pct_ms(99.0)),
        format!("{:.1} (data layer)", raw.pct_ms(99.0)),
        format!("{:.1}x", http.pct_ms(99.0) / raw.pct_ms(99.0)),
        "< 50 ms",
        Verdict::from(http.pct_ms(99.0) < 50.0),
    ));
    lines.push(Line::new(
        "  same, synchronous=NORMAL (req/s)",
        format!("{:.0}", normal_http.rate()),
        format!("{:.0} (data layer)", normal_raw.rate()),
        format!("{:.0} %", normal_http.rate() * 100.0 / normal_raw.rate()),
        "-",
        Verdict::Info,
    ));
    lines.push(Line::new(
        "  NORMAL p50 / p99 latency (ms)",
        format!("{:.1} / {:.1}", normal_http.pct_ms(50.0), normal_http.pct_ms(99.0)),
        format!(
            "{:.1} / {:.1} (data layer)",
            normal_raw.pct_ms(50.0),
            normal_raw.pct_ms(99.0)
        ),
        "-",
        "-",
        Verdict::Info,
    ));
    lines.push(Line::new(
        "  data layer one at a time (req/s)",
        format!("{:.0}", serial.rate()),
        format!("{:.0} ({} at a time)", raw.rate(), o.concurrency),
        format!("{:.0} %", serial.rate() * 100.0 / raw.rate()),
        "-",
        Verdict::Info,
    ));

    // ---- 2. the student dashboard beside a static JSON body of the same size ----
    // Each client is one student who has just accepted (their 用户中心 shows the agreement).
    let tokens: Arc<Vec<String>> = Arc::new(
        http_cases[o.warmup..o.warmup + o.concurrency]
            .iter()
            .map(|c| c.token.clone())
            .collect(),
    );
    let dash_url = format!("{app_base}/api/student/dashboard");
    let sample = send_post(&client, &dash_url, &tokens[0], String::new()).await?;
    let parsed: domain::view::StudentDashboard = serde_json::from_slice(&sample).map_err(|e| {
        format!(
            "dashboard: unexpected answer ({e}): {}",
            String::from_utf8_lossy(&sample)
        )
    })?;
    if parsed.agreement_id.is_none() || !parsed.verified {
        return Err(format!(
            "dashboard: the student's accepted agreement is missing: {parsed:?}"
        ));
    }
    let static_url = format!("{}/static.json", start_static(sample.clone()).await?);
    progress(format!(
        "dashboard: {} concurrent clients, {:.0} s (after 1 s warm-up); body {} bytes",
        o.concurrency,
        o.seconds,
        sample.len()
    ));
    progress(format!(
        "static JSON: the same, {} bytes from a tiny axum router, in alternating rounds",
        sample.len()
    ));
    reads(&client, &dash_url, &tokens, 1.0, o.concurrency).await?;
    reads(&client, &static_url, &tokens, 1.0, o.concurrency).await?;
    // Alternating rounds, so that both see the same machine: a slower or faster stretch (another
    // process, CPU frequency) lands on both instead of on one of them.
    let (mut dash, mut stat) = (Vec::new(), Vec::new());
    for _ in 0..READ_ROUNDS {
        dash.push(
            reads(
                &client,
                &dash_url,
                &tokens,
                o.seconds / READ_ROUNDS as f64,
                o.concurrency,
            )
            .await?,
        );
        stat.push(
            reads(
                &client,
                &static_url,
                &tokens,
                o.seconds / READ_ROUNDS as f64,
                o.concurrency,
            )
            .await?,
        );
    }
    let (dash, stat) = (Run::merge(dash), Run::merge(stat));
    let ratio = dash.rate() / stat.rate();
    lines.push(Line::new(
        "2 student dashboard, HTTP (req/s)",
        format!("{:.0}", dash.rate()),
        format!("{:.0} (static JSON)", stat.rate()),
        format!("{:.0} %", ratio * 100.0),
        ">= 25 % of static",
        Verdict::from(ratio >= 0.25),
    ));
    lines.push(Line::new(
        "  dashboard p50 / p99 (ms)",
        format!("{:.1} / {:.1}", dash.pct_ms(50.0), dash.pct_ms(99.0)),
        format!("{:.1} / {:.1} (static)", stat.pct_ms(50.0), stat.pct_ms(99.0)),
        "-",
        "-",
        Verdict::Info,
    ));

    // ---- 3. import ----
    let runs = 7;
    progress(format!(
        "import: {} rows ({} bytes), calamine bare read vs parse + match + add, median of {runs}, alternating",
        roster.len(),
        xlsx.len()
    ));
    // Each round reads the file with calamine, then imports it: both see the same machine.
    let (mut bare, mut whole, mut parse_only) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..=runs {
        let t = Instant::now();
        let cells = calamine_read(&xlsx)?;
        let bare_took = t.elapsed();
        if cells < roster.len() * 5 {
            return Err(format!("calamine read only {cells} cells"));
        }
        clear_sign_list(&db, base.employer.id).await?;
        let t = Instant::now();
        let rows = excel::parse_sign_list(&xlsx).map_err(|e| format!("import: the file was refused: {e}"))?;
        let parsed_at = t.elapsed();
        let report = service::sign_list::import(&db, &base.employer_caller, import_rows(rows))
            .await
            .map_err(|e| format!("import: {e:?}"))?;
        let took = t.elapsed();
        if report.added as usize != roster.len() {
            let first = report
                .lines
                .iter()
                .find(|l| !l.added)
                .map(|l| format!("line {} {}: {}", l.line, l.name, l.outcome));
            return Err(format!(
                "import: matched {} of {} rows (first refused: {})",
                report.added,
                roster.len(),
                first.unwrap_or_default()
            ));
        }
        if k > 0 {
            bare.push(bare_took);
            whole.push(took);
            parse_only.push(parsed_at);
        }
    }
    let roster_total = data::entity::student::Entity::find()
        .count(&db)
        .await
        .map_err(|e| format!("count students: {e}"))?;
    let (import_ms, bare_ms, parse_ms) = (median_ms(whole), median_ms(bare), median_ms(parse_only));
    let ratio = import_ms / bare_ms;
    lines.push(Line::new(
        format!("3 import {}-row list (ms)", roster.len()),
        format!("{import_ms:.0}"),
        format!("{bare_ms:.0} (calamine read)"),
        format!("{ratio:.1}x"),
        "<= 3x",
        Verdict::from(ratio <= 3.0),
    ));
    lines.push(Line::new(
        "  of which parse + validate (ms)",
        format!("{parse_ms:.0}"),
        "-",
        format!("{:.1}x", parse_ms / bare_ms),
        "-",
        Verdict::Info,
    ));

    // ---- 4. the agreement PDF ----
    let agreement_id = certified_agreement(&db, &base, &http_cases[o.warmup]).await?;
    let doc = service::agreement::document(&db, base.school_admin.caller(), agreement_id)
        .await
        .map_err(|e| format!("PDF: document: {e:?}"))?;
    let font = agreement_pdf::AgreementFont::load(None).map_err(|e| format!("PDF: {e}"))?;
    progress(format!(
        "PDF: {} renders of certified agreement {} (after 1 warm-up)",
        o.renders, doc.agreement_no
    ));
    let mut pdf = agreement_pdf::render(&doc, &font).map_err(|e| format!("PDF: {e}"))?;
    let mut times = Vec::new();
    for _ in 0..o.renders {
        let t = Instant::now();
        pdf = agreement_pdf::render(&doc, &font).map_err(|e| format!("PDF: {e}"))?;
        times.push(t.elapsed());
    }
    if !pdf.starts_with(b"%PDF") {
        return Err("PDF: the output is not a PDF".into());
    }
    let render_ms = median_ms(times);
    let kb = pdf.len() as f64 / 1000.0;
    lines.push(Line::new(
        "4 agreement PDF size (KB)",
        format!("{kb:.1}"),
        "-",
        "-",
        "<= 150 KB",
        Verdict::from(kb <= 150.0),
    ));
    lines.push(Line::new(
        format!("  PDF render, median of {} (ms)", o.renders),
        format!("{render_ms:.1}"),
        "-",
        "-",
        "<= 60 ms",
        Verdict::from(render_ms <= 60.0),
    ));

    // ---- 5. WASM ----
    let wasm = wasm_sizes(&o.site_pkg)?;
    let (wasm_path, raw_len, gz_len) = wasm[0].clone();
    let gz_kb = gz_len as f64 / 1000.0;
    lines.push(Line::new(
        "5 release WASM, main module gzip (KB)",
        format!("{gz_kb:.0}"),
        format!("{:.0} (raw)", raw_len as f64 / 1000.0),
        format!("{:.0} %", gz_len as f64 * 100.0 / raw_len as f64),
        "<= 400 KB gzip",
        Verdict::from(gz_kb <= 400.0),
    ));
    if wasm.len() > 1 {
        // Split build: a page loads the main module and its area's chunks (README "Benchmarks").
        let (raw_all, gz_all) = wasm.iter().fold((0, 0), |(r, g), (_, raw, gz)| (r + raw, g + gz));
        lines.push(Line::new(
            format!("  all {} modules together, gzip (KB)", wasm.len()),
            format!("{:.0}", gz_all as f64 / 1000.0),
            format!("{:.0} (raw)", raw_all as f64 / 1000.0),
            "-",
            "-",
            Verdict::Info,
        ));
    }

    // ---- 6. memory under a burst of logins (the server in its own process) ----
    lines.extend(login_memory(dir.path()).await?);
    // ---- 7. first visits ----
    progress("first visits: each role's first page and the files it loads, Accept-Encoding: br, gzip");
    let school_admin = data::service::seed::SCHOOLS[0].admin_login;
    let student = data::service::seed::demo_student_ids(0).0;
    let visits = [
        ("public (home, login)", None, "/"),
        ("student", Some(("student", student.as_str())), "/student"),
        ("employer", Some(("employer", "hzsz")), "/employer"),
        ("admin (school)", Some(("admin", school_admin)), "/admin"),
    ];
    let mut visit_notes = Vec::new();
    for (who, login, path) in visits {
        let v = first_visit::measure(&client, &app_base, who, login, path).await?;
        let kb = v.total() as f64 / 1000.0;
        lines.push(Line::new(
            format!("7 first visit, {who} {path} (KB)"),
            format!("{kb:.0}"),
            "-",
            "-",
            "<= 400 KB",
            Verdict::from(kb <= 400.0),
        ));
        let files: Vec<String> = v
            .files
            .iter()
            .map(|(u, n, enc)| format!("{} {:.1} KB {enc}", u.trim_start_matches("/pkg/"), *n as f64 / 1000.0))
            .collect();
        visit_notes.push(format!(
            "{} {}: HTML {:.1} KB; {}",
            v.who,
            v.path,
            v.html as f64 / 1000.0,
            files.join(", ")
        ));
    }

    // ---- 8. time to a working click under Slow 4G, in Chromium ----
    let mut click_notes = Vec::new();
    if o.click_runs > 0 {
        progress(format!(
            "click time: Chromium under DevTools' Slow 4G, {} fresh visits per case",
            o.click_runs
        ));
        for c in click_time::measure(&o.workspace, &app_base, &student, "hzsz", school_admin, o.click_runs)? {
            let s = c.click_ms / 1000.0;
            // The target is set for the home page and the student's (issue 14); the employer's
            // and the admin's are reported beside them.
            let (target, verdict) = if c.cpu == 1 && matches!(c.name.as_str(), "home" | "student") {
                ("<= 2.5 s", Verdict::from(s <= 2.5))
            } else {
                ("-", Verdict::Info)
            };
            let cpu = if c.cpu == 1 {
                String::new()
            } else {
                format!(", CPU {}x slower", c.cpu)
            };
            lines.push(Line::new(
                format!("8 working click, {} {}{cpu} (s)", c.name, c.path),
                format!("{s:.2}"),
                format!("{:.2} (hydrated)", c.hydrated_ms / 1000.0),
                "-",
                target,
                verdict,
            ));
            let runs: Vec<String> = c.runs.iter().map(|(h, k)| format!("{h:.0}/{k:.0}")).collect();
            click_notes.push(format!("{} cpu {}x: {}", c.path, c.cpu, runs.join(", ")));
        }
    }

    // ---- 9 and 10. the roster ----
    lines.extend(roster_figures(&o, &db, &base).await?);
    lines.extend(review_figures(&o).await?);

    println!();
    println!(
        "网签系统 benchmarks — {cores} CPU core(s), SQLite (temp file, WAL), {} concurrent clients; client, server and database share this machine",
        o.concurrency
    );
    println!("{}", report::table(&lines));
    println!("Notes:");
    println!("  1: {} accepts per run, each a different invitation and student; HTTP = POST /api/student/invitation/accept with the", o.accepts);
    println!("     student's wq_session cookie through the real router; data layer = data::service::invite::accept called directly");
    println!(
        "     by {} concurrent tasks (same offered load, same connection pool; no session lookup, no HTTP).",
        o.concurrency
    );
    println!(
        "     {} warm-up accepts before each run are not counted. Latency = per request, as the client sees it.",
        o.warmup
    );
    println!(
        "     \"one at a time\": the same call by a single task (p50 {:.1} ms), for context.",
        serial.pct_ms(50.0)
    );
    println!("     Durability: the figures with targets run with synchronous=FULL (the default: the WAL is synced at every batch's");
    println!("     COMMIT, before its writes are answered); \"synchronous=NORMAL\" = the same runs on the same file through a handle");
    println!(
        "     whose writer syncs only at checkpoints (an answered write can be lost on power failure), for comparison."
    );
    println!("  2: POST /api/student/dashboard, each client a different student session, {:.0} s per run in {READ_ROUNDS} rounds alternating with static; static = the same", o.seconds);
    println!(
        "     {}-byte JSON from a one-route axum router on this runtime, same client.",
        sample.len()
    );
    println!("  3: .xlsx written by rust_xlsxwriter, {} bytes; import = excel::parse_sign_list + data::service::sign_list::import", xlsx.len());
    println!("     (all {} rows matched and added; {roster_total} students in the roster); calamine = open_workbook_auto_from_rs +", roster.len());
    println!("     worksheet_range. Median of {runs} rounds (calamine, then the import) after a warm-up; the 签约发送列表 is emptied before each import (not timed).");
    println!("  4: {} bytes; KB = 1000 bytes.", pdf.len());
    println!(
        "  5: {} ({} bytes raw, {} gzip at flate2's default level), the largest .wasm: in a split build the main",
        wasm_path.display(),
        raw_len,
        gz_len
    );
    println!("     module every page loads; a page also loads its area's chunks (README \"Benchmarks\" lists each area's total).");
    print_login_note();
    println!(
        "  7: bytes as sent (body + response headers), nothing cached: the page and every file under /pkg/ it names or"
    );
    println!("     imports statically; chunks fetched later on navigation are not counted. KB = 1000 bytes.");
    for n in &visit_notes {
        println!("     {n}");
    }
    if !click_notes.is_empty() {
        println!("  8: median of fresh visits (new browser context, cache off), ms from navigation start: hydrated = <html data-hydrated>,");
        println!("     click = a click made as soon as the page is live has been answered in place (home: the 用人单位登录 tab is");
        println!("     selected; student: 电子签约 in the menu shows that page). Network: DevTools' Slow 4G (562.5 ms latency per request,");
        println!("     180 KB/s down, 84 KB/s up). Each run hydrated/click (ms):");
        for n in &click_notes {
            println!("     {n}");
        }
    }
    print_roster_note();
    print_review_note();
    let failed = lines.iter().filter(|l| l.verdict == Verdict::Fail).count();
    let checked = lines.iter().filter(|l| l.verdict != Verdict::Info).count();
    println!("{} of {checked} targets met.", checked - failed);
    drop(normal_db);
    drop(db);
    drop(dir);
    Ok(())
}

const LOGINS: usize = 200;
const LOGIN_BURSTS: usize = 2;

/// Figure 6: the server's peak RSS under bursts of simultaneous logins.
async fn login_memory(dir: &std::path::Path) -> Res<Vec<Line>> {
    progress(format!(
        "logins: {LOGIN_BURSTS} bursts of {LOGINS} simultaneous logins, the server in a child process"
    ));
    let url = format!("sqlite://{}?mode=rwc", dir.join("logins.sqlite").display());
    let mem = logins::run(&url, LOGINS, LOGIN_BURSTS).await?;
    Ok(vec![
        Line::new(
            format!("6 server peak RSS, {LOGINS} concurrent logins (MB)"),
            format!("{:.0}", mem.peak_mb),
            format!("{:.0} (idle)", mem.idle_mb),
            "-",
            "< 300 MB",
            Verdict::from(mem.peak_mb < 300.0),
        ),
        Line::new(
            "  logins checked / told to retry (429)",
            format!("{} / {}", mem.checked, mem.busy),
            "-",
            "-",
            "-",
            Verdict::Info,
        ),
    ])
}

fn print_login_note() {
    println!("  6: POST /api/login for {LOGIN_BURSTS} x {LOGINS} different unknown logins at once (each a full argon2 check); peak = VmHWM");
    println!("     of the server process, idle = its VmRSS after one login. One check per core runs at a time, 16 per core wait.");
}

/// The real application on a random local port, served like `main.rs` does (the background
/// jobs are not started: the figures are about the request path), with the built site `pkg`
/// belongs to. `make bench` sets LEPTOS_HASH_FILES as for the server (the names in hash.txt).
async fn start_app(db: Db, pkg: &std::path::Path) -> Res<String> {
    let site_root = pkg
        .parent()
        .ok_or_else(|| format!("--site-pkg {}: no parent dir", pkg.display()))?;
    let pkg_dir = pkg
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("--site-pkg {}: no dir name", pkg.display()))?;
    let options = LeptosOptions::builder()
        .output_name("wangqian")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir(pkg_dir.to_owned())
        .hash_files(std::env::var("LEPTOS_HASH_FILES").is_ok_and(|v| v == "true"))
        .build();
    let router = server::router(ServerState::new(db, false), options);
    serve(router).await
}

/// The baseline server: one route answering the given JSON bytes.
async fn start_static(body: Bytes) -> Res<String> {
    let router = Router::new().route(
        "/static.json",
        post(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    serve(router).await
}

async fn serve(router: Router) -> Res<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("bind: {e}"))?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await {
            eprintln!("server stopped: {e}");
        }
    });
    Ok(format!("http://{addr}"))
}

/// One POST with the session cookie and a form body; the answer's bytes, or an error naming the
/// status and body unless it is 200.
async fn send_post(client: &reqwest::Client, url: &str, token: &str, form: String) -> Res<Bytes> {
    let r = client
        .post(url)
        .header(header::COOKIE, format!("{}={token}", app::api::ctx::SESSION_COOKIE))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    let status = r.status();
    let body = r
        .bytes()
        .await
        .map_err(|e| format!("POST {url}: reading the answer: {e}"))?;
    if status != reqwest::StatusCode::OK {
        return Err(format!(
            "POST {url} answered {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(body)
}

async fn accept_http(
    client: &reqwest::Client,
    base: &str,
    cases: &Arc<Vec<AcceptCase>>,
    range: std::ops::Range<usize>,
    concurrency: usize,
) -> Res<Run> {
    let url: Arc<str> = format!("{base}/api/student/invitation/accept").into();
    let (client, cases) = (client.clone(), cases.clone());
    load::count(range.len(), concurrency, move |i| {
        let (client, cases, url) = (client.clone(), cases.clone(), url.clone());
        let c = range.start + i;
        async move {
            let case = &cases[c];
            let body = send_post(
                &client,
                &url,
                &case.token,
                format!("invitation_id={}", case.invitation_id),
            )
            .await
            .map_err(|e| format!("accept (HTTP) of invitation {}: {e}", case.invitation_id))?;
            let text = String::from_utf8_lossy(&body);
            text.trim().parse::<i64>().map_err(|_| {
                format!(
                    "accept (HTTP) of invitation {}: expected the agreement id, got {text}",
                    case.invitation_id
                )
            })?;
            Ok(())
        }
    })
    .await
}

async fn accept_raw(
    db: &Db,
    cases: &Arc<Vec<AcceptCase>>,
    range: std::ops::Range<usize>,
    concurrency: usize,
) -> Res<Run> {
    let (db, cases) = (db.clone(), cases.clone());
    load::count(range.len(), concurrency, move |i| {
        let (db, cases) = (db.clone(), cases.clone());
        let c = range.start + i;
        async move {
            let case = &cases[c];
            service::invite::accept(&db, &case.caller, case.invitation_id)
                .await
                .map_err(|e| format!("accept (data layer) of invitation {}: {e:?}", case.invitation_id))?;
            Ok(())
        }
    })
    .await
}

/// Each worker is one client with its own session, posting in a loop for `secs`.
async fn reads(
    client: &reqwest::Client,
    url: &str,
    tokens: &Arc<Vec<String>>,
    secs: f64,
    concurrency: usize,
) -> Res<Run> {
    let (client, tokens, url): (_, _, Arc<str>) = (client.clone(), tokens.clone(), url.into());
    load::timed(secs, concurrency, move |w| {
        let (client, tokens, url) = (client.clone(), tokens.clone(), url.clone());
        async move {
            let body = send_post(&client, &url, &tokens[w % tokens.len()], String::new()).await?;
            if body.first() != Some(&b'{') {
                return Err(format!(
                    "POST {url}: not a JSON object: {}",
                    String::from_utf8_lossy(&body)
                ));
            }
            Ok(())
        }
    })
    .await
}

async fn count_agreements(db: &Db) -> Res<u64> {
    agreement::Entity::find()
        .count(db)
        .await
        .map_err(|e| format!("count agreements: {e}"))
}

/// The 拟签约名单 as an employer fills in the template: header row, then one student per row;
/// 身份证号 and 手机号 as text, 毕业届 as a number.
fn sign_list_file(roster: &[RosterLine]) -> Res<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| format!("building the .xlsx: {e}");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(fail)?;
    for (c, h) in ["学校名称", "毕业届", "姓名", "身份证号", "手机号"]
        .into_iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, h).map_err(fail)?;
    }
    for (i, r) in roster.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &r.school).map_err(fail)?;
        ws.write_number(row, 1, fixture::GRADUATION_YEAR as f64).map_err(fail)?;
        ws.write_string(row, 2, &r.name).map_err(fail)?;
        ws.write_string(row, 3, &r.id_number).map_err(fail)?;
        ws.write_string(row, 4, &r.phone).map_err(fail)?;
    }
    wb.save_to_buffer().map_err(fail)
}

const SHEET: &str = "拟签约名单";

/// calamine's bare read: open (format detected from the bytes) and the sheet's cell range.
fn calamine_read(bytes: &[u8]) -> Res<usize> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("calamine: {e}"))?;
    let range = wb.worksheet_range(SHEET).map_err(|e| format!("calamine: {e}"))?;
    Ok(std::hint::black_box(range.used_cells().count()))
}

/// As the HTTP route does (server/src/files.rs).
fn import_rows(rows: Vec<excel::Row>) -> Vec<service::sign_list::ImportRow> {
    rows.into_iter()
        .map(|r| service::sign_list::ImportRow {
            line: r.line,
            school: r.school,
            graduation_year: r.graduation_year,
            name: r.name,
            id_number: r.id_number,
            phone: r.phone,
            problem: r.problem,
        })
        .collect()
}

/// Empties the employer's 签约发送列表 so each import run adds every row again.
async fn clear_sign_list(db: &Db, employer_id: i64) -> Res<()> {
    use data::entity::sign_list;
    use data::DbResultExt;
    db.write(move |txn| {
        Box::pin(async move {
            sign_list::Entity::delete_many()
                .filter(sign_list::Column::EmployerId.eq(employer_id))
                .exec(txn)
                .await
                .db()
        })
    })
    .await
    .map_err(|e| format!("clearing the sign list: {e:?}"))?;
    Ok(())
}

/// The agreement one HTTP student signed, certified by 江城大学 (签约审核通过).
async fn certified_agreement(db: &Db, base: &Base, case: &AcceptCase) -> Res<i64> {
    let a = agreement::Entity::find()
        .filter(agreement::Column::InvitationId.eq(case.invitation_id))
        .one(db)
        .await
        .map_err(|e| format!("PDF: {e}"))?
        .ok_or("PDF: the accepted invitation has no agreement")?;
    service::agreement::decide(db, &base.school_admin, a.id, domain::flow::Review::Approve)
        .await
        .map_err(|e| format!("PDF: certifying agreement {}: {e:?}", a.id))?;
    Ok(a.id)
}

/// Every `.wasm` in the site's pkg dir (chunks too, in a split build), largest first: (path, raw
/// bytes, gzip bytes).
fn wasm_sizes(dir: &std::path::Path) -> Res<Vec<(PathBuf, usize, usize)>> {
    let missing = || {
        format!(
            "WASM: no .wasm in {} — run `make build` first (or pass --site-pkg)",
            dir.display()
        )
    };
    let paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|_| missing())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        // `bundle_<group>.wasm` is a copy of a group's modules in one file (server/site), not a
        // module of its own.
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("bundle_"))
        })
        .collect();
    let mut sizes = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| format!("WASM: {}: {e}", path.display()))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&bytes).map_err(|e| format!("gzip: {e}"))?;
        let gz = gz.finish().map_err(|e| format!("gzip: {e}"))?;
        sizes.push((path, bytes.len(), gz.len()));
    }
    sizes.sort_by_key(|(_, raw, _)| std::cmp::Reverse(*raw));
    if sizes.is_empty() {
        return Err(missing());
    }
    Ok(sizes)
}

/// Figures 9 (on the run's SQLite database, as 江城大学's admin) and 10 (the province fixture).
async fn roster_figures(o: &Opts, db: &Db, base: &Base) -> Res<Vec<Line>> {
    let mut lines = roster::import_figure(db, &base.school_admin, o.import_rows, 5).await?;
    match roster::province_db().await? {
        Some(province) => lines.extend(roster::list_figure(&province, o.list_requests).await?),
        None => lines.push(Line::new(
            "10 roster list, 500k students",
            "skipped",
            "-",
            "-",
            "< 100 ms",
            Verdict::Info,
        )),
    }
    Ok(lines)
}

async fn review_figures(o: &Opts) -> Res<Vec<Line>> {
    match review::review_db().await? {
        Some(db) => review::figures(&db, o.list_requests).await,
        None => Ok(vec![Line::new(
            "11/12 review queue and admin counters, 200k agreements",
            "skipped",
            "-",
            "-",
            "< 100 ms",
            Verdict::Info,
        )]),
    }
}

fn print_review_note() {
    println!("  11, 12: data::service::agreement::queue (等待签约审核, page 1) and data::service::dashboard::admin on PostgreSQL,");
    println!("     database wangqian_bench_review (500,000 students, 2,000,000 invitations, 200,000 agreements, 20,000 terminations;");
    println!(
        "     built once, reused: server/bench/src/review.rs); the school admin of school 90020, the admin of its"
    );
    println!("     10,000-student college and the province admin; sequential calls after 10 warm-ups.");
}

fn print_roster_note() {
    println!("  9: a .xlsx of new students (rust_xlsxwriter) per round; import = excel::parse_roster + roster_import::preview, then");
    println!("     excel::parse_roster + roster_import::confirm (every row judged again and saved: record, account, history) on the");
    println!("     run's SQLite file; calamine = open_workbook_auto_from_rs + worksheet_range. Median of 5 rounds after a warm-up.");
    println!("  10: data::service::roster::list (20 per page) on PostgreSQL, database wangqian_bench_province (500,000 students,");
    println!("     40 schools of 12,500; built once, reused: server/bench/src/roster.rs); the school admin of school 90020 and the");
    println!("     admin of its 10,000-student college; sequential calls after 10 warm-ups.");
}
