//! The builder's one error type: which file or step failed, and why.

use std::{fmt, path::Path, path::PathBuf};

#[derive(Debug)]
pub enum Error {
    /// Bad command-line arguments.
    Usage(String),
    /// Reading or writing a file.
    Io { path: PathBuf, source: std::io::Error },
    /// A step's tool (splitter, wasm-bindgen, wasm-opt) failed, in its own words.
    Tool { step: &'static str, message: String },
    /// The generated files are not as this builder expects (e.g. the loader no longer names a
    /// module the way it is renamed): failing beats shipping a site that cannot load.
    Unexpected(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// `map_err(io(path))`: an I/O error with the file it concerns.
pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `map_err(tool(step))`: a library step's error (anyhow, eyre), with its chain of causes.
pub fn tool<E: fmt::Display>(step: &'static str) -> impl Fn(E) -> Error {
    move |e| Error::Tool {
        step,
        message: format!("{e:#}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::Unexpected(m) => f.write_str(m),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Tool { step, message } => write!(f, "{step}: {message}"),
        }
    }
}

impl std::error::Error for Error {}
