//! Figure 6, memory under a burst of logins. The server runs in a child process (this program started
//! with `--login-server URL`), so its peak RSS (`VmHWM`) is the server's alone, not the bench's.
//! Every login is a different, unknown account: each costs a full argon2 check (against the
//! dummy hash) and none is refused by the throttle first.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, Command, Stdio},
};

use crate::fixture::Res;

pub struct Figures {
    pub idle_mb: f64,
    pub peak_mb: f64,
    /// Answers: 401 (checked), 429 (请求过多: the check queue was full).
    pub checked: usize,
    pub busy: usize,
}

/// The child: the real router on a fresh database at `url`; prints its base URL, serves until
/// its stdin closes (the parent ended or went away).
pub async fn serve_child(url: &str) -> Res<()> {
    let db = data::connect(url)
        .await
        .map_err(|e| format!("login server: connect {url}: {e}"))?;
    // Logins only: the built site is not served (a missing one is fine).
    let base = crate::start_app(db, std::path::Path::new("target/site/pkg")).await?;
    println!("{base}");
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
        .await
        .map_err(|e| format!("login server: {e}"))?
        .map_err(|e| format!("login server: stdin: {e}"))?;
    Ok(())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `bursts` bursts of `logins` simultaneous logins against a server in a child process.
pub async fn run(url: &str, logins: usize, bursts: usize) -> Res<Figures> {
    let exe = std::env::current_exe().map_err(|e| format!("logins: {e}"))?;
    let mut child = Command::new(exe)
        .args(["--login-server", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("logins: start the server process: {e}"))?;
    let stdout = child.stdout.take().ok_or("logins: no stdout")?;
    let server = Server(child);
    let base = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line.trim().to_owned())
    })
    .await
    .map_err(|e| format!("logins: {e}"))?
    .map_err(|e| format!("logins: server output: {e}"))?;
    if !base.starts_with("http://") {
        return Err(format!("logins: the server process did not start (it said {base:?})"));
    }
    let pid = server.0.id();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    // One request first, so the idle figure includes what the first request sets up.
    login(&client, &base, "warm-up".into()).await?;
    let idle_mb = rss_mb(pid, "VmRSS:")?;
    let (mut checked, mut busy) = (0, 0);
    for burst in 0..bursts {
        let answers = (0..logins).map(|n| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move { login(&client, &base, format!("bench-{burst}-{n}")).await })
        });
        for a in answers.collect::<Vec<_>>() {
            match a.await.map_err(|e| format!("logins: {e}"))?? {
                401 => checked += 1,
                429 => busy += 1,
                other => return Err(format!("logins: a login answered {other}")),
            }
        }
    }
    let peak_mb = rss_mb(pid, "VmHWM:")?;
    drop(server);
    Ok(Figures {
        idle_mb,
        peak_mb,
        checked,
        busy,
    })
}

async fn login(client: &reqwest::Client, base: &str, login: String) -> Res<u16> {
    let r = client
        .post(format!("{base}/api/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("kind=admin&login={login}&password=not-the-password"))
        .send()
        .await
        .map_err(|e| format!("logins: {e}"))?;
    Ok(r.status().as_u16())
}

/// A memory figure of `/proc/PID/status` in MB (VmRSS: now; VmHWM: the peak).
fn rss_mb(pid: u32, field: &str) -> Res<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| format!("logins: /proc: {e}"))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("logins: no {field} in /proc/{pid}/status"))?;
    Ok(kib / 1024.0)
}
