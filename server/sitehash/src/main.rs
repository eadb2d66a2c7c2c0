//! `sitehash PKG_DIR HASH_TXT` — run by `make build` after `cargo leptos build`.
//!
//! cargo-leptos names the main WASM module by the MD5 of its content (`hash-files`), then writes
//! the split loader's name into it: the name no longer follows the content, and a browser that
//! kept the module for a year under that name could pair it with a newer loader. Nothing but
//! `hash.txt` (read by the server to write the page) names the main module, so it can simply be
//! renamed after its final content, with its precompressed copies, and `hash.txt` updated. The
//! server then sends it as immutable (server/src/assets.rs checks every name against its
//! content). The main JS stays as it is: it and the split loader import each other, so neither
//! name can follow both contents; the server has it revalidated.

use std::{fs, path::Path};

use base64ct::{Base64UrlUnpadded, Encoding};
use md5::{Digest, Md5};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pkg, hash_txt] = args.as_slice() else {
        eprintln!("usage: sitehash PKG_DIR HASH_TXT");
        std::process::exit(2);
    };
    match rename_main_wasm(Path::new(pkg), Path::new(hash_txt)) {
        Ok(Some((old, new))) => println!("sitehash: main WASM module {old} -> {new}"),
        Ok(None) => println!("sitehash: the main WASM module's name already follows its content"),
        Err(e) => {
            eprintln!("sitehash: {e}");
            std::process::exit(1);
        }
    }
}

/// Renames `<name>.<old>.wasm` (and its `.br`, `.gz`) to `<name>.<md5 of content>.wasm` and
/// rewrites the `wasm:` line of hash.txt. `None` when the name already matches.
fn rename_main_wasm(pkg: &Path, hash_txt: &Path) -> Result<Option<(String, String)>, String> {
    let hashes =
        fs::read_to_string(hash_txt).map_err(|e| format!("{}: {e} (is hash-files on?)", hash_txt.display()))?;
    let old = hashes
        .lines()
        .find_map(|l| l.strip_prefix("wasm:"))
        .map(str::trim)
        .ok_or_else(|| format!("{}: no `wasm:` line", hash_txt.display()))?;
    let file = fs::read_dir(pkg)
        .map_err(|e| format!("{}: {e}", pkg.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.ends_with(&format!(".{old}.wasm")))
        .ok_or_else(|| format!("no {pkg}/*.{old}.wasm", pkg = pkg.display()))?;
    let bytes = fs::read(pkg.join(&file)).map_err(|e| format!("{file}: {e}"))?;
    let new = Base64UrlUnpadded::encode_string(&Md5::digest(&bytes));
    if new == old {
        return Ok(None);
    }
    let new_file = file.replace(&format!(".{old}.wasm"), &format!(".{new}.wasm"));
    for suffix in ["", ".br", ".gz"] {
        let from = pkg.join(format!("{file}{suffix}"));
        if suffix.is_empty() || from.exists() {
            fs::rename(&from, pkg.join(format!("{new_file}{suffix}")))
                .map_err(|e| format!("{}: {e}", from.display()))?;
        }
    }
    let updated: String = hashes
        .lines()
        .map(|l| {
            if l.starts_with("wasm:") {
                format!("wasm: {new}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(hash_txt, updated).map_err(|e| format!("{}: {e}", hash_txt.display()))?;
    Ok(Some((file, new_file)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_module_is_renamed_after_its_content_with_its_copies_and_hash_txt() {
        let dir = std::env::temp_dir().join(format!("sitehash-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let stale = "AAAAAAAAAAAAAAAAAAAAAA";
        fs::write(dir.join(format!("wangqian.{stale}.wasm")), b"\0asm final content").unwrap();
        fs::write(dir.join(format!("wangqian.{stale}.wasm.br")), b"br").unwrap();
        fs::write(dir.join(format!("wangqian.{stale}.wasm.gz")), b"gz").unwrap();
        let hash_txt = dir.join("hash.txt");
        fs::write(
            &hash_txt,
            format!("js: JJJJJJJJJJJJJJJJJJJJJJ\nwasm: {stale}\ncss: CCCCCCCCCCCCCCCCCCCCCC\n"),
        )
        .unwrap();

        let (_, new_file) = rename_main_wasm(&dir, &hash_txt).unwrap().unwrap();
        let want = Base64UrlUnpadded::encode_string(&Md5::digest(b"\0asm final content"));
        assert_eq!(new_file, format!("wangqian.{want}.wasm"));
        for suffix in ["", ".br", ".gz"] {
            assert!(dir.join(format!("{new_file}{suffix}")).exists());
            assert!(!dir.join(format!("wangqian.{stale}.wasm{suffix}")).exists());
        }
        assert_eq!(
            fs::read_to_string(&hash_txt).unwrap(),
            format!("js: JJJJJJJJJJJJJJJJJJJJJJ\nwasm: {want}\ncss: CCCCCCCCCCCCCCCCCCCCCC\n")
        );
        assert_eq!(
            rename_main_wasm(&dir, &hash_txt).unwrap(),
            None,
            "a second run changes nothing"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
