//! The JavaScript the browser loads first (the main JS wasm-bindgen writes and the split loader),
//! minified by esbuild (npm's `esbuild`, which `make tools` installs beside binaryen).
//!
//! esbuild parses the modules and prints them again without comments, whitespace or long local
//! names; imports, exports, property names and string literals are kept as they are, so the WASM
//! imports (`__wbg_…` properties), the loader's and the main JS's names for each other, and the
//! `new URL("./chunk.wasm", import.meta.url)` the loader fetches with still read as the hashing
//! step (`hash.rs`) expects them. Nothing is lowered (`--target=esnext`): the browsers that run
//! the WASM read today's syntax.

use std::{path::Path, process::Command};

use crate::error::{io, Error, Result};

/// Minifies each of `files` in place with the esbuild executable `esbuild`.
pub fn files(esbuild: &Path, files: &[&Path]) -> Result<()> {
    if !esbuild.exists() {
        return Err(Error::Tool {
            step: "minify",
            message: format!("no {} (npm's esbuild: `make tools` installs it)", esbuild.display()),
        });
    }
    for file in files {
        let before = std::fs::metadata(file).map_err(io(file))?.len();
        let out = Command::new(esbuild)
            .arg(file)
            .args(["--minify", "--format=esm", "--target=esnext", "--log-level=warning", "--allow-overwrite"])
            .arg(format!("--outfile={}", file.display()))
            .output()
            .map_err(|e| Error::Tool {
                step: "minify",
                message: format!("{}: {e}", esbuild.display()),
            })?;
        if !out.status.success() {
            return Err(Error::Tool {
                step: "minify",
                message: format!("{}: {}", file.display(), String::from_utf8_lossy(&out.stderr)),
            });
        }
        let after = std::fs::metadata(file).map_err(io(file))?.len();
        if after == 0 || after > before {
            return Err(Error::Unexpected(format!(
                "minifying {} gave {after} bytes from {before}",
                file.display()
            )));
        }
    }
    Ok(())
}
