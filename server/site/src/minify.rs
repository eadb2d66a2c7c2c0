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
            .args([
                "--minify",
                "--format=esm",
                "--target=esnext",
                "--log-level=warning",
                "--allow-overwrite",
            ])
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// npm's esbuild where `make tools` (and so `make test`) installs it.
    fn esbuild() -> PathBuf {
        let tools = std::env::var_os("TOOLS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/wangqian-tools"));
        tools.join("node_modules/.bin/esbuild")
    }

    fn temp(name: &str, text: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!("site-minify-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn minified_js_keeps_every_name_another_file_or_the_wasm_uses() {
        let file = temp(
            "main.js",
            r#"import * as split from './__wasm_split.______________________.js';

/**
 * wasm-bindgen's comments and indentation go.
 */
export function initSync(module, unused) {
    const aLongLocalName = module;
    return aLongLocalName;
}

function __wbg_get_imports() {
    const imports = {};
    imports.wbg = {};
    imports.wbg.__wbg_log_0123abcd = function(arg0) {
        console.log(arg0, split);
    };
    return imports;
}

export default async function init() {
    return [__wbg_get_imports(), fetch(new URL("./chunk_1.wasm", import.meta.url))];
}
"#,
        );
        let before = std::fs::read_to_string(&file).unwrap();

        files(&esbuild(), &[&file]).unwrap();

        let after = std::fs::read_to_string(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert!(after.len() < before.len() * 2 / 3, "{after}");
        assert!(
            !after.contains("aLongLocalName") && !after.contains("comments"),
            "{after}"
        );
        for kept in [
            "\"./__wasm_split.______________________.js\"",
            "initSync",
            "__wbg_log_0123abcd",
            "new URL(\"./chunk_1.wasm\",import.meta.url)",
            "export",
        ] {
            assert!(after.contains(kept), "{kept} is gone: {after}");
        }
    }

    #[test]
    fn javascript_esbuild_cannot_read_fails_the_build() {
        let file = temp("broken.js", "export function (");
        let err = files(&esbuild(), &[&file]).unwrap_err();
        std::fs::remove_file(&file).unwrap();
        assert!(err.to_string().contains("broken.js"), "{err}");
    }
}
