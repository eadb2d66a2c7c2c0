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
    /// Where uploaded files are kept (生源导入, 营业执照).
    pub uploads: UploadStore,
    /// `PUBLIC_URL`: the site's address as users reach it (`https://wq.example.edu.cn`), for
    /// links in e-mail; unset: the address each request was sent to.
    pub public_url: String,
}

/// `UPLOAD_STORE`: `local` (default; the directory `UPLOAD_DIR`, default `data/uploads`) or `s3`
/// (`UPLOAD_S3_BUCKET`, `UPLOAD_S3_ENDPOINT`, `UPLOAD_S3_REGION`, `UPLOAD_S3_ACCESS_KEY_ID`,
/// `UPLOAD_S3_SECRET_ACCESS_KEY`, `UPLOAD_S3_ALLOW_HTTP`).
#[derive(Debug, Clone)]
pub enum UploadStore {
    Local(std::path::PathBuf),
    S3(data::uploads::S3Settings),
}

impl UploadStore {
    pub fn open(&self) -> Result<data::uploads::Uploads, data::uploads::UploadsError> {
        match self {
            UploadStore::Local(dir) => data::uploads::Uploads::local(dir),
            UploadStore::S3(s) => data::uploads::Uploads::s3(s),
        }
    }

    fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        match var("UPLOAD_STORE").as_str() {
            "" | "local" => Ok(UploadStore::Local(
                std::env::var("UPLOAD_DIR")
                    .unwrap_or_else(|_| "data/uploads".into())
                    .into(),
            )),
            "s3" => {
                let required = |name: &'static str| -> Result<String, ConfigError> {
                    let v = var(name);
                    if v.is_empty() {
                        Err(ConfigError::Missing(name))
                    } else {
                        Ok(v)
                    }
                };
                let region = var("UPLOAD_S3_REGION");
                Ok(UploadStore::S3(data::uploads::S3Settings {
                    bucket: required("UPLOAD_S3_BUCKET")?,
                    endpoint: var("UPLOAD_S3_ENDPOINT"),
                    region: if region.is_empty() { "us-east-1".into() } else { region },
                    access_key_id: required("UPLOAD_S3_ACCESS_KEY_ID")?,
                    secret_access_key: required("UPLOAD_S3_SECRET_ACCESS_KEY")?,
                    allow_http: flag("UPLOAD_S3_ALLOW_HTTP"),
                }))
            }
            other => Err(ConfigError::UploadStore(other.to_owned())),
        }
    }
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
    #[error("UPLOAD_STORE 无效: {0}（可选 local 或 s3）")]
    UploadStore(String),
    #[error("UPLOAD_STORE=s3 时须设置 {0}")]
    Missing(&'static str),
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
            uploads: UploadStore::from_env()?,
            public_url: std::env::var("PUBLIC_URL").unwrap_or_default(),
        })
    }
}
