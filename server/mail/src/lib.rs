//! Sending e-mail over SMTP (lettre, rustls), configured from the environment.
//!
//! ```text
//! SMTP_HOST      unset or empty → no SMTP: `SmtpConfig::from_env` gives `Ok(None)` and the caller
//!                writes mail to its outbox/log instead
//! SMTP_PORT      default 25 (none), 587 (starttls), 465 (tls)
//! SMTP_USER      login; set together with SMTP_PASSWORD or not at all
//! SMTP_PASSWORD
//! SMTP_FROM      sender, default `网签系统 <noreply@localhost>`
//! SMTP_SECURITY  none | starttls | tls; default none for 127.0.0.1/localhost/::1, else starttls
//! ```
//!
//! `starttls` requires the upgrade (no silent fallback to plain text); `tls` is implicit TLS
//! (SMTPS). Certificates are checked against the Mozilla roots compiled in (webpki-roots).
//! Each [`Mailer::send`] opens its own connection; every network step has a 10 s timeout.
//!
//! With the `test-support` feature, [`testing`] has a local SMTP sink to send to in tests.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[cfg(feature = "test-support")]
pub mod testing;

/// The sender used when `SMTP_FROM` is unset.
pub const DEFAULT_FROM: &str = "网签系统 <noreply@localhost>";

/// Connect, command and data timeout of every SMTP exchange.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain text. Only sensible for a relay on the same host or a trusted network.
    None,
    /// Plain connection upgraded with STARTTLS; the upgrade is required (usually port 587).
    StartTls,
    /// TLS from the first byte, "SMTPS" (usually port 465).
    Tls,
}

impl Security {
    /// The port used when `SMTP_PORT` is unset.
    pub fn default_port(self) -> u16 {
        match self {
            Security::None => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        }
    }

    /// The name used in `SMTP_SECURITY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::StartTls => "starttls",
            Security::Tls => "tls",
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why mail cannot be configured or sent. Messages are Chinese / English, for operators' logs.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP_SECURITY 的值无效：{0:?}，应为 none、starttls 或 tls / invalid SMTP_SECURITY {0:?}: expected none, starttls or tls")]
    Security(String),
    #[error(
        "SMTP_HOST 的值无效：{0:?}，应为主机名或 IP 地址 / invalid SMTP_HOST {0:?}: expected a host name or IP address"
    )]
    Host(String),
    #[error(
        "SMTP_PORT 的值无效：{0:?}，应为 1–65535 的整数 / invalid SMTP_PORT {0:?}: expected an integer from 1 to 65535"
    )]
    Port(String),
    #[error("设置了 SMTP_USER 但没有 SMTP_PASSWORD / SMTP_USER is set but SMTP_PASSWORD is not")]
    UserWithoutPassword,
    #[error("设置了 SMTP_PASSWORD 但没有 SMTP_USER / SMTP_PASSWORD is set but SMTP_USER is not")]
    PasswordWithoutUser,
    #[error("SMTP_FROM 的值无效：{from:?}（{source}），应为 `名称 <地址>` 或 `地址` / invalid SMTP_FROM {from:?} ({source}): expected `Name <address>` or `address`")]
    From {
        from: String,
        source: lettre::address::AddressError,
    },
    /// `detail` is the lettre error with its sources (`a: b: c`).
    #[error("SMTP_HOST {host:?} 不能用于 TLS（{detail}）/ SMTP_HOST {host:?} cannot be used for TLS ({detail})")]
    Tls { host: String, detail: String },
    #[error("收件人地址无效：{to:?}（{source}）/ invalid recipient address {to:?} ({source})")]
    Recipient {
        to: String,
        source: lettre::address::AddressError,
    },
    #[error("无法生成邮件 / cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    /// The server could not be reached or refused the message; `detail` as for `Tls`.
    #[error("发送邮件失败 / sending mail failed ({server}): {detail}")]
    Send { server: String, detail: String },
}

impl std::str::FromStr for Security {
    type Err = MailError;

    fn from_str(s: &str) -> Result<Self, MailError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Security::None),
            "starttls" => Ok(Security::StartTls),
            "tls" => Ok(Security::Tls),
            _ => Err(MailError::Security(s.to_string())),
        }
    }
}

/// Where and how to send mail. Build it with [`SmtpConfig::from_env`] (or by hand).
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, a mailbox such as `网签系统 <noreply@example.com>` or `noreply@example.com`.
    pub from: String,
    pub security: Security,
}

/// The password is never printed.
impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("security", &self.security)
            .finish()
    }
}

/// `host:port (security)`, for logs; no credentials.
impl fmt::Display for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{} ({})", self.host, self.port, self.security)
    }
}

impl SmtpConfig {
    /// Reads the `SMTP_*` variables (see the crate docs). `Ok(None)` when `SMTP_HOST` is unset
    /// or empty; `Err` with a Chinese/English message when a value is invalid.
    pub fn from_env() -> Result<Option<Self>, MailError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables read through `lookup` (a name → value
    /// function), so the rules can be checked without touching the process environment.
    /// Values are trimmed; an empty value counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, MailError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let Some(host) = get("SMTP_HOST") else {
            return Ok(None);
        };
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(MailError::Host(host));
        }

        let security = match get("SMTP_SECURITY") {
            Some(s) => s.parse()?,
            None if is_local_host(&host) => Security::None,
            None => Security::StartTls,
        };

        let port = match get("SMTP_PORT") {
            Some(p) => match p.parse::<u16>() {
                Ok(port) if port != 0 => port,
                _ => return Err(MailError::Port(p)),
            },
            None => security.default_port(),
        };

        let username = get("SMTP_USER");
        let password = lookup("SMTP_PASSWORD").filter(|p| !p.is_empty());
        match (&username, &password) {
            (Some(_), None) => return Err(MailError::UserWithoutPassword),
            (None, Some(_)) => return Err(MailError::PasswordWithoutUser),
            _ => {}
        }

        let from = get("SMTP_FROM").unwrap_or_else(|| DEFAULT_FROM.to_string());
        parse_from(&from)?;

        Ok(Some(SmtpConfig {
            host,
            port,
            username,
            password,
            from,
            security,
        }))
    }
}

/// Whether `host` is this machine, where plain SMTP is the sensible default.
fn is_local_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_from(from: &str) -> Result<Mailbox, MailError> {
    from.parse::<Mailbox>().map_err(|source| MailError::From {
        from: from.to_string(),
        source,
    })
}

/// Sends mail through one SMTP server. Cheap to clone (the transport is shared).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port (security)`, for error messages.
    server: String,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// Builds the transport; connects only when sending. Fails on an invalid `from`, or a host
    /// that cannot be used as a TLS server name.
    pub fn new(config: &SmtpConfig) -> Result<Self, MailError> {
        let from = parse_from(&config.from)?;
        let builder = match config.security {
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            Security::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host).map_err(|e| tls_error(config, &e))?
            }
            Security::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map_err(|e| tls_error(config, &e))?
            }
        };
        let mut builder = builder.port(config.port).timeout(Some(TIMEOUT));
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            server: config.to_string(),
        })
    }

    /// `SmtpConfig::from_env` and `Mailer::new` in one: `Ok(None)` when `SMTP_HOST` is unset.
    pub fn from_env() -> Result<Option<Self>, MailError> {
        SmtpConfig::from_env()?.as_ref().map(Mailer::new).transpose()
    }

    /// The sender, as configured.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Sends a plain-text UTF-8 message to one recipient (`a@b.c` or `Name <a@b.c>`).
    /// The subject may hold any Unicode (encoded per RFC 2047); line breaks in it become spaces.
    /// `Err` (Chinese/English) for an invalid address, before anything is sent, or when the
    /// server cannot be reached or refuses the message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let message = self.message(to, subject, body)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Send {
                server: self.server.clone(),
                detail: error_chain(&e),
            })
    }

    fn message(&self, to: &str, subject: &str, body: &str) -> Result<Message, MailError> {
        let recipient = to.trim().parse::<Mailbox>().map_err(|source| MailError::Recipient {
            to: to.to_string(),
            source,
        })?;
        let subject: String = subject
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect();
        Message::builder()
            .message_id(Some(message_id(&self.from)))
            .from(self.from.clone())
            .to(recipient)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(MailError::Build)
    }
}

fn tls_error(config: &SmtpConfig, e: &lettre::transport::smtp::Error) -> MailError {
    MailError::Tls {
        host: config.host.clone(),
        detail: error_chain(e),
    }
}

/// An error and its sources, `a: b: c`.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

/// `<time.pid.counter@domain of the sender>`: unique per message, and in the sender's domain as
/// mail filters like it.
fn message_id(from: &Mailbox) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("<{nanos}.{}.{n}@{}>", std::process::id(), from.email.domain())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Option<SmtpConfig>, MailError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        SmtpConfig::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn no_smtp_host_means_no_smtp() {
        assert_eq!(parse(&[]).unwrap(), None);
        assert_eq!(parse(&[("SMTP_PORT", "2525"), ("SMTP_SECURITY", "tls")]).unwrap(), None);
    }

    #[test]
    fn an_empty_smtp_host_counts_as_unset() {
        assert_eq!(parse(&[("SMTP_HOST", "  ")]).unwrap(), None);
    }

    #[test]
    fn a_local_host_defaults_to_plain_smtp_on_port_25() {
        for host in ["127.0.0.1", "localhost", "::1", "[::1]", "LOCALHOST"] {
            let c = parse(&[("SMTP_HOST", host)]).unwrap().unwrap();
            assert_eq!((c.security, c.port), (Security::None, 25), "{host}");
        }
    }

    #[test]
    fn a_remote_host_defaults_to_starttls_on_port_587() {
        let c = parse(&[("SMTP_HOST", "smtp.example.com")]).unwrap().unwrap();
        assert_eq!(c.host, "smtp.example.com");
        assert_eq!((c.security, c.port), (Security::StartTls, 587));
        assert_eq!(c.from, DEFAULT_FROM);
        assert_eq!((c.username, c.password), (None, None));
    }

    #[test]
    fn the_default_port_follows_the_security() {
        let c = parse(&[("SMTP_HOST", "smtp.example.com"), ("SMTP_SECURITY", "TLS")])
            .unwrap()
            .unwrap();
        assert_eq!((c.security, c.port), (Security::Tls, 465));
        let c = parse(&[("SMTP_HOST", "smtp.example.com"), ("SMTP_SECURITY", "none")])
            .unwrap()
            .unwrap();
        assert_eq!((c.security, c.port), (Security::None, 25));
    }

    #[test]
    fn every_variable_is_read() {
        let c = parse(&[
            ("SMTP_HOST", "mail.example.edu.cn"),
            ("SMTP_PORT", "2525"),
            ("SMTP_USER", "noreply"),
            ("SMTP_PASSWORD", " secret "),
            ("SMTP_FROM", "就业指导中心 <jy@example.edu.cn>"),
            ("SMTP_SECURITY", "starttls"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            c,
            SmtpConfig {
                host: "mail.example.edu.cn".into(),
                port: 2525,
                username: Some("noreply".into()),
                password: Some(" secret ".into()),
                from: "就业指导中心 <jy@example.edu.cn>".into(),
                security: Security::StartTls,
            }
        );
        assert!(!format!("{c:?}").contains("secret"), "Debug hides the password");
    }

    #[test]
    fn a_bad_value_is_an_error_naming_the_variable() {
        let bad = [
            ("SMTP_PORT", "abc"),
            ("SMTP_PORT", "0"),
            ("SMTP_PORT", "70000"),
            ("SMTP_SECURITY", "ssl"),
            ("SMTP_FROM", "not an address"),
        ];
        for (name, value) in bad {
            let err = parse(&[("SMTP_HOST", "smtp.example.com"), (name, value)])
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(name) && err.contains("无效") && err.contains("invalid"),
                "{err}"
            );
        }
    }

    #[test]
    fn user_and_password_go_together() {
        let err = parse(&[("SMTP_HOST", "h"), ("SMTP_USER", "u")]).unwrap_err();
        assert!(matches!(err, MailError::UserWithoutPassword), "{err}");
        assert!(err.to_string().contains("SMTP_PASSWORD"), "{err}");
        let err = parse(&[("SMTP_HOST", "h"), ("SMTP_PASSWORD", "p")]).unwrap_err();
        assert!(matches!(err, MailError::PasswordWithoutUser), "{err}");
        assert!(err.to_string().contains("SMTP_USER"), "{err}");
    }

    fn local_mailer() -> Mailer {
        Mailer::new(&parse(&[("SMTP_HOST", "127.0.0.1")]).unwrap().unwrap()).unwrap()
    }

    #[test]
    fn a_line_break_in_the_subject_cannot_add_a_header() {
        let message = local_mailer()
            .message("a@example.com", "主题\r\nBcc: evil@example.com", "正文")
            .unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(
            !raw.lines().any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{raw}"
        );
        assert_eq!(message.envelope().to().len(), 1);
    }

    #[test]
    fn the_message_id_is_in_the_senders_domain() {
        let mailer = Mailer::new(&SmtpConfig {
            host: "127.0.0.1".into(),
            port: 25,
            username: None,
            password: None,
            from: "网签系统 <noreply@example.edu.cn>".into(),
            security: Security::None,
        })
        .unwrap();
        let raw = String::from_utf8(mailer.message("a@example.com", "s", "b").unwrap().formatted()).unwrap();
        assert!(raw.contains("@example.edu.cn>\r\n"), "{raw}");
    }
}
