//! Configuration from the environment (see the README's Configuration section).

use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://data/wangqian.db?mode=rwc` (default) or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Load demo schools, accounts and students into an empty database.
    pub demo: bool,
    /// Mark the session cookie `Secure` (serve over HTTPS).
    pub secure_cookies: bool,
    /// SQLite's `synchronous` (`SQLITE_SYNCHRONOUS`): `full` (default: an answered write survives
    /// power loss) or `normal` (it survives a crash of the server, not of the machine).
    pub durability: data::Durability,
    /// Overrides Leptos' `site-addr` (LEPTOS_SITE_ADDR works too).
    pub listen: Option<SocketAddr>,
}

/// A setting that is present but unusable: the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("LISTEN_ADDR 无效: {value}（应为 地址:端口，如 0.0.0.0:3000）")]
    ListenAddr {
        value: String,
        source: std::net::AddrParseError,
    },
    #[error("SQLITE_SYNCHRONOUS 无效: {0}（可选 full 或 normal）")]
    Synchronous(String),
}

fn flag(name: &str) -> bool {
    matches!(std::env::var(name).as_deref(), Ok("1" | "true" | "yes"))
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let listen = match std::env::var("LISTEN_ADDR") {
            Ok(v) => match v.parse() {
                Ok(addr) => Some(addr),
                Err(source) => return Err(ConfigError::ListenAddr { value: v, source }),
            },
            Err(_) => None,
        };
        let durability = match std::env::var("SQLITE_SYNCHRONOUS") {
            Ok(v) => data::Durability::parse(&v).ok_or(ConfigError::Synchronous(v))?,
            Err(_) => data::Durability::default(),
        };
        Ok(Self {
            durability,
            database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/wangqian.db?mode=rwc".into()),
            demo: flag("DEMO"),
            secure_cookies: flag("COOKIE_SECURE"),
            listen,
        })
    }
}
