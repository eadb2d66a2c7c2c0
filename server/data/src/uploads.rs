//! Uploaded files kept between a preview and its confirmation (生源导入: the admin sees the
//! preview, then 确认导入 re-reads the same file). They live in an object store (the
//! `object_store` crate): a local directory by default, or an S3-compatible bucket (README,
//! "Configuration": `UPLOAD_DIR`, `UPLOAD_S3_*`).
//!
//! A file is stored under `<kind>/<account id>/<token>`, the token 128 random bits: only the
//! account that uploaded it can name it (anyone else's lookup is another key: not found), and a
//! file older than the store's time to live is gone (answered as not found, and deleted).

use std::{path::PathBuf, sync::Arc, time::Duration};

use chrono::Utc;
use domain::AppError;
use object_store::{local::LocalFileSystem, memory::InMemory, path::Path, ObjectStore, ObjectStoreExt, PutPayload};

use crate::Result;

/// How long an uploaded file waits for its confirmation.
pub const DEFAULT_TTL: Duration = Duration::from_secs(2 * 3600);

/// What an upload is for (the first part of its key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A 生源导入 file: waits at most the time to live.
    Roster,
    /// An employer's 营业执照 (owner: the employer's id): kept as long as the employer's
    /// registration names it.
    Licence,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Roster => "roster-import",
            Kind::Licence => "licence",
        }
    }

    /// Whether a file of this kind is gone after the time to live.
    fn expires(self) -> bool {
        matches!(self, Kind::Roster)
    }

    fn missing(self) -> AppError {
        match self {
            Kind::Roster => AppError::not_found("导入文件"),
            Kind::Licence => AppError::not_found("营业执照"),
        }
    }
}

/// An S3-compatible bucket (`UPLOAD_S3_*`).
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub bucket: String,
    /// e.g. `https://s3.example.com` (path-style addressing); empty for AWS itself.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Allow a plain `http://` endpoint (a store on the same host or network).
    pub allow_http: bool,
}

/// Where uploads go. Cheap to clone.
#[derive(Clone)]
pub struct Uploads {
    store: Arc<dyn ObjectStore>,
    ttl: Duration,
    /// Described in the start-up log.
    label: String,
}

impl std::fmt::Debug for Uploads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A store that cannot be opened as configured (the server refuses to start).
#[derive(Debug, thiserror::Error)]
pub enum UploadsError {
    #[error("无法创建上传文件目录 {dir}: {source}")]
    Dir { dir: String, source: std::io::Error },
    #[error("上传文件存储配置无效: {0}")]
    Store(#[from] object_store::Error),
}

impl Uploads {
    /// Files in a directory of the server (made if missing).
    pub fn local(dir: impl Into<PathBuf>) -> std::result::Result<Self, UploadsError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| UploadsError::Dir {
            dir: dir.display().to_string(),
            source,
        })?;
        let store = LocalFileSystem::new_with_prefix(&dir)?;
        Ok(Self {
            store: Arc::new(store),
            ttl: DEFAULT_TTL,
            label: format!("directory {}", dir.display()),
        })
    }

    /// Files in an S3-compatible bucket.
    pub fn s3(s: &S3Settings) -> std::result::Result<Self, UploadsError> {
        // reqwest's TLS takes the process's rustls provider: ring (an `Err` here only says one is
        // installed already, which is as good).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&s.bucket)
            .with_region(&s.region)
            .with_access_key_id(&s.access_key_id)
            .with_secret_access_key(&s.secret_access_key)
            .with_allow_http(s.allow_http);
        if !s.endpoint.is_empty() {
            b = b.with_endpoint(&s.endpoint).with_virtual_hosted_style_request(false);
        }
        Ok(Self {
            store: Arc::new(b.build()?),
            ttl: DEFAULT_TTL,
            label: format!("S3 bucket {} at {}", s.bucket, s.endpoint),
        })
    }

    /// Files in this process's memory (tools and benchmarks that start the app themselves).
    pub fn memory() -> Self {
        Self {
            store: Arc::new(InMemory::new()),
            ttl: DEFAULT_TTL,
            label: "memory".into(),
        }
    }

    /// The same store with another time to live.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    fn key(kind: Kind, owner: i64, token: &str) -> Option<Path> {
        // Only a token this module made names a file: 32 lower-case hex digits.
        let well_formed = token.len() == 32 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Path::from(format!("{}/{owner}/{token}", kind.prefix())))
    }

    /// Stores `bytes` for `owner` (an account id); answers the token that names them.
    pub async fn put(&self, kind: Kind, owner: i64, bytes: Vec<u8>) -> Result<String> {
        let token = {
            use rand::RngCore;
            let mut raw = [0u8; 16];
            rand::thread_rng().fill_bytes(&mut raw);
            hex::encode(raw)
        };
        let key = Self::key(kind, owner, &token).ok_or(AppError::Internal)?;
        self.store
            .put(&key, PutPayload::from(bytes))
            .await
            .map_err(|e| failed("store", e))?;
        Ok(token)
    }

    /// The file `token` of `owner`: not found if it was never stored for this owner, was deleted,
    /// or is older than the time to live (then it is deleted).
    pub async fn get(&self, kind: Kind, owner: i64, token: &str) -> Result<Vec<u8>> {
        let gone = || kind.missing();
        let key = Self::key(kind, owner, token).ok_or_else(gone)?;
        let found = match self.store.get(&key).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Err(gone()),
            Err(e) => return Err(failed("read", e)),
        };
        if kind.expires() && self.expired(found.meta.last_modified) {
            self.delete(kind, owner, token).await?;
            return Err(gone());
        }
        let bytes = found.bytes().await.map_err(|e| failed("read", e))?;
        Ok(bytes.to_vec())
    }

    /// Deletes the file (a missing one is fine: it is gone either way).
    pub async fn delete(&self, kind: Kind, owner: i64, token: &str) -> Result<()> {
        let Some(key) = Self::key(kind, owner, token) else {
            return Ok(());
        };
        match self.store.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed("delete", e)),
        }
    }

    /// Deletes every file of a kind that expires ([`Kind::Roster`]) older than the time to live
    /// (a preview nobody confirmed); answers how many. Run now and then by the server's jobs.
    pub async fn purge_expired(&self) -> Result<usize> {
        use futures_util::TryStreamExt;
        let prefix = Path::from(Kind::Roster.prefix());
        let all: Vec<_> = self
            .store
            .list(Some(&prefix))
            .try_collect()
            .await
            .map_err(|e| failed("list", e))?;
        let mut purged = 0;
        for meta in all.into_iter().filter(|m| self.expired(m.last_modified)) {
            match self.store.delete(&meta.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => purged += 1,
                Err(e) => return Err(failed("delete", e)),
            }
        }
        Ok(purged)
    }

    fn expired(&self, stored_at: chrono::DateTime<Utc>) -> bool {
        let ttl = chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::MAX);
        Utc::now() - stored_at >= ttl
    }
}

fn failed(what: &'static str, e: object_store::Error) -> AppError {
    tracing::error!(error = %e, "upload store: {what} failed");
    AppError::Internal
}
