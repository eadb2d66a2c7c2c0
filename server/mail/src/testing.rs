//! A local SMTP server for tests (feature `test-support`): Debian's aiosmtpd writing every
//! message it accepts to a Maildir in a temporary directory, read back decoded.
//!
//! ```text
//! let sink = mail::testing::SmtpSink::start();
//! sink.mailer().send("a@example.com", "主题", "正文").await?;   // or SMTP_* = sink.env_vars()
//! let mails = sink.wait_for(1, Duration::from_secs(10)).await;
//! assert_eq!(mails[0].subject, "主题");
//! ```
//!
//! Needs `python3 -m aiosmtpd` (`apt-get install python3-aiosmtpd`). The interpreter is the
//! first of `$AIOSMTPD_PYTHON`, `python3` on the PATH and `/usr/bin/python3` that has the module,
//! so a pyenv/venv `python3` first on the PATH does not hide Debian's package.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::{Mailer, Security, SmtpConfig, DEFAULT_FROM};

/// A message as the sink received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// Envelope sender (`MAIL FROM`).
    pub from: String,
    /// Envelope recipients (`RCPT TO`), the addresses only.
    pub to: Vec<String>,
    /// The subject, RFC 2047 decoded.
    pub subject: String,
    /// The first text part, transfer-decoded (base64/quoted-printable), line ends as `\n`.
    pub body: String,
    /// The message as stored (headers encoded), for checks on headers.
    pub raw: String,
}

/// A running aiosmtpd on `127.0.0.1:port()`, plain SMTP, no login. Killed on drop.
pub struct SmtpSink {
    child: Child,
    /// Closing it (drop, or this process dying in any way) also makes the server exit.
    stdin: Option<ChildStdin>,
    port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

/// Runs `python3 -m aiosmtpd ARGS`, plus a thread that exits when stdin closes, so the server
/// never outlives the test process, even one that is killed.
const LAUNCHER: &str = "\
import os, runpy, sys, threading
def _watch():
    sys.stdin.buffer.read()
    os._exit(0)
threading.Thread(target=_watch, daemon=True).start()
sys.argv[0] = 'aiosmtpd'
runpy.run_module('aiosmtpd', run_name='__main__', alter_sys=True)
";

const STARTUP_LIMIT: Duration = Duration::from_secs(30);

impl SmtpSink {
    /// Starts the server on a free port and returns once it answers with its SMTP greeting.
    /// Panics if aiosmtpd is not installed (saying how to install it) or does not start.
    pub fn start() -> SmtpSink {
        let python = python();
        let dir = tempfile::Builder::new()
            .prefix("mail-sink-")
            .tempdir()
            .expect("cannot create a temporary directory for the SMTP sink");
        let maildir = dir.path().join("maildir");
        for sub in ["tmp", "new", "cur"] {
            fs::create_dir_all(maildir.join(sub)).expect("cannot create the sink's Maildir");
        }
        let log_path = dir.path().join("aiosmtpd.log");

        let mut failures = Vec::new();
        for _ in 0..5 {
            let port = free_port();
            match serve(python, port, &maildir, &log_path) {
                Ok((child, stdin)) => {
                    return SmtpSink {
                        child,
                        stdin,
                        port,
                        maildir,
                        _dir: dir,
                    }
                }
                Err(why) => failures.push(why),
            }
        }
        panic!(
            "the SMTP sink (python3 -m aiosmtpd) did not start:\n{}",
            failures.join("\n")
        );
    }

    /// Stops the server: connections to its port are refused until [`resume`](Self::resume).
    /// What it received stays.
    pub fn pause(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same port and Maildir, after [`pause`](Self::pause).
    /// Panics if it does not start (e.g. another process took the port meanwhile).
    pub fn resume(&mut self) {
        let log_path = self.maildir.with_file_name("aiosmtpd.log");
        match serve(python(), self.port, &self.maildir, &log_path) {
            Ok((child, stdin)) => {
                self.child = child;
                self.stdin = stdin;
            }
            Err(why) => panic!("the SMTP sink did not start again: {why}"),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where the server keeps what it received (a Maildir: `new/` holds the messages).
    pub fn maildir(&self) -> &Path {
        &self.maildir
    }

    /// A configuration that sends to this sink: 127.0.0.1, plain SMTP, default sender.
    pub fn config(&self) -> SmtpConfig {
        SmtpConfig {
            host: Ipv4Addr::LOCALHOST.to_string(),
            port: self.port,
            username: None,
            password: None,
            from: DEFAULT_FROM.to_string(),
            security: Security::None,
        }
    }

    /// A mailer for [`config`](Self::config).
    pub fn mailer(&self) -> Mailer {
        Mailer::new(&self.config()).expect("the sink's configuration is valid")
    }

    /// The `SMTP_*` variables that point a server process at this sink.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SMTP_HOST", Ipv4Addr::LOCALHOST.to_string()),
            ("SMTP_PORT", self.port.to_string()),
            ("SMTP_SECURITY", "none".to_string()),
        ]
    }

    /// Everything received so far, oldest first. A message is here as soon as the server has
    /// accepted it, i.e. once [`Mailer::send`] has returned `Ok`.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .flat_map(|sub| {
                fs::read_dir(self.maildir.join(sub))
                    .expect("cannot read the sink's Maildir")
                    .map(|entry| entry.expect("cannot read the sink's Maildir").path())
            })
            .filter(|path| path.is_file())
            .collect();
        files.sort_by_key(|path| delivery_order(path));
        files
            .iter()
            .map(|path| {
                let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                parse(&bytes).unwrap_or_else(|| panic!("the sink received an unreadable message {}", path.display()))
            })
            .collect()
    }

    /// Waits until at least `n` messages have arrived and returns them all (oldest first), for
    /// mail sent in the background. Panics, listing what did arrive, after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if Instant::now() >= deadline {
                panic!(
                    "expected {n} message(s) at the SMTP sink within {timeout:?}, {} arrived: {messages:#?}",
                    messages.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Forgets every message received so far.
    pub fn clear(&self) {
        for sub in ["new", "cur"] {
            for entry in fs::read_dir(self.maildir.join(sub)).expect("cannot read the sink's Maildir") {
                let path = entry.expect("cannot read the sink's Maildir").path();
                fs::remove_file(&path).unwrap_or_else(|e| panic!("cannot remove {}: {e}", path.display()));
            }
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
        // `_dir` (and the Maildir in it) is removed next, as the fields drop.
    }
}

impl std::fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSink")
            .field("port", &self.port)
            .field("maildir", &self.maildir)
            .finish()
    }
}

/// The first interpreter that can run aiosmtpd; panics with install instructions if none can.
fn python() -> &'static str {
    static PYTHON: OnceLock<Result<String, String>> = OnceLock::new();
    let found = PYTHON.get_or_init(|| {
        let mut candidates: Vec<String> = std::env::var("AIOSMTPD_PYTHON")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .into_iter()
            .collect();
        candidates.extend(["python3".to_string(), "/usr/bin/python3".to_string()]);
        candidates
            .iter()
            .find(|python| {
                Command::new(python)
                    .args(["-c", "import aiosmtpd.main, aiosmtpd.handlers"])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|status| status.success())
            })
            .cloned()
            .ok_or_else(|| candidates.join(", "))
    });
    match found {
        Ok(python) => python,
        Err(tried) => panic!(
            "the mail tests need `python3 -m aiosmtpd`, which none of {tried} can run: \
             install it with `apt-get install python3-aiosmtpd` (or `pip install aiosmtpd`; \
             AIOSMTPD_PYTHON names the interpreter to use)"
        ),
    }
}

/// Starts aiosmtpd on `port` delivering to `maildir`, and waits for its greeting.
fn serve(python: &str, port: u16, maildir: &Path, log_path: &Path) -> Result<(Child, Option<ChildStdin>), String> {
    let log = File::create(log_path).expect("cannot create the sink's log file");
    let mut child = Command::new(python)
        .arg("-c")
        .arg(LAUNCHER)
        .args(["-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdin(Stdio::piped())
        .stdout(log.try_clone().expect("cannot share the sink's log file"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {python} -m aiosmtpd: {e}"));
    let stdin = child.stdin.take();
    match wait_until_serving(&mut child, port) {
        Ok(()) => Ok((child, stdin)),
        Err(why) => {
            let _ = child.kill();
            let _ = child.wait();
            let log = fs::read_to_string(log_path).unwrap_or_default();
            Err(format!("port {port}: {why}\n{log}"))
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("cannot find a free port on 127.0.0.1")
        .port()
}

/// Waits for aiosmtpd's greeting on `port` (not just any listener: the port may have been taken
/// between `free_port` and the bind). `Err` if the process exits or does not greet in time.
fn wait_until_serving(child: &mut Child, port: u16) -> Result<(), String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + STARTUP_LIMIT;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Err(format!("aiosmtpd exited ({status})"));
        }
        if let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut greeting = String::new();
            let _ = BufReader::new(&stream).read_line(&mut greeting);
            let _ = (&stream).write_all(b"QUIT\r\n");
            return if greeting.starts_with("220") && greeting.contains("Python SMTP") {
                Ok(())
            } else {
                Err(format!("port {port} answered {greeting:?}, not aiosmtpd"))
            };
        }
        if Instant::now() >= deadline {
            return Err(format!("no greeting within {STARTUP_LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Python's Maildir names files `SECONDS.MMICROS.PPID.QCOUNTER.HOST`; the counter orders one
/// server's deliveries.
fn delivery_order(path: &Path) -> (u64, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let counter = name
        .split('.')
        .find(|part| part.starts_with('M'))
        .and_then(|part| part.rsplit_once('Q'))
        .and_then(|(_, counter)| counter.parse().ok())
        .unwrap_or(u64::MAX);
    (counter, name)
}

fn parse(bytes: &[u8]) -> Option<ReceivedMail> {
    let message = mail_parser::MessageParser::default().parse(bytes)?;
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let to = header("X-RcptTo")
        .split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    Some(ReceivedMail {
        from: header("X-MailFrom"),
        to,
        subject: message.subject().unwrap_or_default().to_string(),
        body: message
            .body_text(0)
            .map(|text| text.replace("\r\n", "\n"))
            .unwrap_or_default(),
        raw: String::from_utf8_lossy(bytes).into_owned(),
    })
}
