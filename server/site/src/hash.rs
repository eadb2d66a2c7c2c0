//! Content hashes in the file names, and the rewritten names in the files that name others.
//!
//! A file whose name carries the MD5 of its content (base64url, cargo-leptos's naming:
//! `wangqian.<hash>.wasm`) is cached for a year by the server, which checks every name against
//! its content at start-up (server/src/assets.rs). Who names whom:
//! - the split loader names the main JS and every split module (it fetches them);
//! - the main JS and the main WASM module name the loader;
//! - the manifest (read by the server only) names the split modules;
//! - `hash.txt` (beside the server binary) names the main JS, WASM, CSS, loader and manifest.
//!
//! So the split modules and the CSS are named first, then the loader after its final content,
//! then the main module after its own. The main JS and the loader import each other, so no pair
//! of names can follow both contents: the main JS keeps the name of its content as wasm-bindgen
//! wrote it, and the server has it revalidated.

use std::{
    collections::{BTreeMap, HashMap},
    path::Path,
};

use base64ct::{Base64UrlUnpadded, Encoding};
use md5::{Digest, Md5};

use crate::{
    error::{io, Error, Result},
    LOADER_PLACEHOLDER,
};

/// The hashes `hash.txt` lists: Leptos's hydration script builds the names it asks for from
/// them (`<name>.<js>.js`, `__wasm_split.<split>.js`, …).
#[derive(Debug, PartialEq)]
pub struct Hashes {
    pub js: String,
    pub wasm: String,
    pub css: String,
    pub manifest: String,
    pub split: String,
}

impl Hashes {
    /// `hash.txt`, in cargo-leptos's format.
    pub fn hash_txt(&self) -> String {
        format!(
            "js: {}\nwasm: {}\ncss: {}\nmanifest: {}\nsplit: {}\n",
            self.js, self.wasm, self.css, self.manifest, self.split
        )
    }
}

/// The MD5 of `bytes`, base64url without padding (22 characters).
pub fn content_hash(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(&Md5::digest(bytes))
}

/// `stem.<hash>.ext`: the hash goes before the last extension.
fn hashed_name(file: &str, hash: &str) -> String {
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{file}.{hash}"),
    }
}

/// Renames `pkg/file` after its content; returns the new name and the hash.
fn rename_by_content(pkg: &Path, file: &str) -> Result<(String, String)> {
    let path = pkg.join(file);
    let hash = content_hash(&std::fs::read(&path).map_err(io(&path))?);
    let new = hashed_name(file, &hash);
    std::fs::rename(&path, pkg.join(&new)).map_err(io(&path))?;
    Ok((new, hash))
}

/// Replaces every quoted relative reference to `old` (`"./old"` or `'./old'`) in `text`; returns
/// how many there were. Quoted, so that `chunk_1.wasm` never matches inside `chunk_11.wasm`.
fn replace_refs(text: &mut String, old: &str, new: &str) -> usize {
    let mut count = 0;
    for q in ['"', '\''] {
        let (from, to) = (format!("{q}./{old}{q}"), format!("{q}./{new}{q}"));
        count += text.matches(&from).count();
        *text = text.replace(&from, &to);
    }
    count
}

/// Replaces every occurrence of `old` in a binary file by `new`, of the same length (the loader's
/// name in a module's import section). Returns how many there were.
fn replace_in_binary(path: &Path, old: &str, new: &str) -> Result<usize> {
    debug_assert_eq!(old.len(), new.len());
    let mut bytes = std::fs::read(path).map_err(io(path))?;
    let (old, new) = (old.as_bytes(), new.as_bytes());
    let mut count = 0;
    let mut i = 0;
    while i + old.len() <= bytes.len() {
        if &bytes[i..i + old.len()] == old {
            bytes[i..i + old.len()].copy_from_slice(new);
            count += 1;
            i += old.len();
        } else {
            i += 1;
        }
    }
    if count > 0 {
        std::fs::write(path, bytes).map_err(io(path))?;
    }
    Ok(count)
}

/// Names the files of `pkg` after their content (module docs): `<name>.js`, `<name>.wasm`,
/// `<name>.css`, the split `modules`, the loader, and the manifest built from `prefetch` (split
/// point → the stems of the modules it loads).
pub fn name_files(
    pkg: &Path,
    name: &str,
    modules: &[String],
    prefetch: &BTreeMap<String, Vec<String>>,
) -> Result<Hashes> {
    // Nothing in a split module or the CSS names another file.
    let mut renamed = Vec::new();
    for module in modules {
        let (new, _) = rename_by_content(pkg, module)?;
        renamed.push((module.clone(), new));
    }
    let (_, css) = rename_by_content(pkg, &format!("{name}.css"))?;
    let js_file = format!("{name}.js");
    let (js_new, js) = rename_by_content(pkg, &js_file)?;

    // The loader, with the final names of what it loads, named after that content.
    let loader_path = pkg.join(LOADER_PLACEHOLDER);
    let mut loader = std::fs::read_to_string(&loader_path).map_err(io(&loader_path))?;
    for (old, new) in renamed.iter().chain([&(js_file, js_new.clone())]) {
        if replace_refs(&mut loader, old, new) == 0 {
            return Err(Error::Unexpected(format!("the split loader does not name ./{old}")));
        }
    }
    let split = content_hash(loader.as_bytes());
    let loader_new = format!("__wasm_split.{split}.js");
    std::fs::write(pkg.join(&loader_new), &loader).map_err(io(&loader_path))?;
    std::fs::remove_file(&loader_path).map_err(io(&loader_path))?;

    // The loader's name in the main JS and in the modules that import it.
    let js_path = pkg.join(&js_new);
    let mut js_text = std::fs::read_to_string(&js_path).map_err(io(&js_path))?;
    if replace_refs(&mut js_text, LOADER_PLACEHOLDER, &loader_new) == 0 {
        return Err(Error::Unexpected(format!("{js_new} does not import the split loader")));
    }
    std::fs::write(&js_path, js_text).map_err(io(&js_path))?;
    let wasm_file = format!("{name}.wasm");
    if replace_in_binary(&pkg.join(&wasm_file), LOADER_PLACEHOLDER, &loader_new)? == 0 {
        return Err(Error::Unexpected(format!(
            "{wasm_file} does not import the split loader"
        )));
    }
    for (_, module) in &renamed {
        // None does today; one that did would keep a name the server no longer trusts (its
        // content changed after naming), so it would be revalidated, never served stale.
        replace_in_binary(&pkg.join(module), LOADER_PLACEHOLDER, &loader_new)?;
    }
    let (_, wasm) = rename_by_content(pkg, &wasm_file)?;

    // The manifest: each split point's modules by their final stems.
    let stems: HashMap<&str, &str> = renamed
        .iter()
        .filter_map(|(old, new)| Some((old.strip_suffix(".wasm")?, new.strip_suffix(".wasm")?)))
        .collect();
    let mut manifest = BTreeMap::new();
    for (point, deps) in prefetch {
        let deps = deps
            .iter()
            .map(|d| {
                stems
                    .get(d.as_str())
                    .copied()
                    .ok_or_else(|| Error::Unexpected(format!("the split manifest names an unknown module {d}")))
            })
            .collect::<Result<Vec<&str>>>()?;
        manifest.insert(point.as_str(), deps);
    }
    let manifest_json =
        serde_json::to_string(&manifest).map_err(|e| Error::Unexpected(format!("the split manifest: {e}")))?;
    let manifest_hash = content_hash(manifest_json.as_bytes());
    let manifest_path = pkg.join(format!("__wasm_split_manifest.{manifest_hash}.json"));
    std::fs::write(&manifest_path, manifest_json).map_err(io(&manifest_path))?;

    Ok(Hashes {
        js,
        wasm,
        css,
        manifest: manifest_hash,
        split,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pkg: &Path, file: &str) -> String {
        std::fs::read_to_string(pkg.join(file)).unwrap()
    }

    /// What the splitter and wasm-bindgen leave in pkg/ (in miniature): two modules, a loader
    /// that imports the main JS and fetches the modules, a main JS and module that import it.
    fn unnamed_site(dir: &Path) {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let files: [(&str, &[u8]); 6] = [
            ("chunk_1.wasm", b"\0asm chunk one"),
            ("split_student_area.wasm", b"\0asm student pages"),
            ("site.css", b"body{margin:0}"),
            ("site.js", b"import * as s from './__wasm_split.______________________.js';\nexport function initSync() {}\n"),
            ("site.wasm", b"\0asm imports ./__wasm_split.______________________.js ok"),
            (
                LOADER_PLACEHOLDER,
                b"import { initSync } from \"./site.js\";\nfetch(new URL(\"./chunk_1.wasm\", import.meta.url));\nfetch(new URL(\"./split_student_area.wasm\", import.meta.url));\n",
            ),
        ];
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }

    #[test]
    fn every_name_a_browser_caches_for_a_year_is_the_hash_of_its_final_content() {
        let pkg = std::env::temp_dir().join(format!("site-hash-test-{}", std::process::id()));
        unnamed_site(&pkg);
        let modules = vec!["chunk_1.wasm".to_owned(), "split_student_area.wasm".to_owned()];
        let prefetch = BTreeMap::from([(
            "student_area".to_owned(),
            vec!["chunk_1".to_owned(), "split_student_area".to_owned()],
        )]);

        let h = name_files(&pkg, "site", &modules, &prefetch).unwrap();

        let loader = format!("__wasm_split.{}.js", h.split);
        let final_files = [
            format!("site.{}.wasm", h.wasm),
            format!("site.{}.css", h.css),
            loader.clone(),
            format!("__wasm_split_manifest.{}.json", h.manifest),
        ];
        for file in &final_files {
            let bytes = std::fs::read(pkg.join(file)).unwrap();
            assert!(
                file.contains(&content_hash(&bytes)),
                "{file} is named after its content"
            );
        }
        let chunk = format!("chunk_1.{}.wasm", content_hash(b"\0asm chunk one"));
        let student = format!("split_student_area.{}.wasm", content_hash(b"\0asm student pages"));
        let js = format!("site.{}.js", h.js);
        assert!(read(&pkg, &loader).contains(&format!("\"./{chunk}\"")));
        assert!(read(&pkg, &loader).contains(&format!("\"./{student}\"")));
        assert!(read(&pkg, &loader).contains(&format!("from \"./{js}\"")));
        assert!(read(&pkg, &js).contains(&format!("from './{loader}'")));
        assert!(read(&pkg, &format!("site.{}.wasm", h.wasm)).contains(&format!("./{loader} ok")));
        assert_eq!(
            read(&pkg, &format!("__wasm_split_manifest.{}.json", h.manifest)),
            format!(
                "{{\"student_area\":[\"{}\",\"{}\"]}}",
                chunk.trim_end_matches(".wasm"),
                student.trim_end_matches(".wasm")
            )
        );
        assert!(!pkg.join(LOADER_PLACEHOLDER).exists() && !pkg.join("site.js").exists());
        assert_eq!(
            h.hash_txt(),
            format!(
                "js: {}\nwasm: {}\ncss: {}\nmanifest: {}\nsplit: {}\n",
                h.js, h.wasm, h.css, h.manifest, h.split
            )
        );
        std::fs::remove_dir_all(&pkg).unwrap();
    }

    #[test]
    fn a_loader_that_no_longer_names_a_module_fails_the_build() {
        let pkg = std::env::temp_dir().join(format!("site-hash-test-missing-{}", std::process::id()));
        unnamed_site(&pkg);
        std::fs::write(pkg.join("chunk_2.wasm"), b"\0asm unnamed").unwrap();
        let modules = vec![
            "chunk_1.wasm".to_owned(),
            "split_student_area.wasm".to_owned(),
            "chunk_2.wasm".to_owned(),
        ];
        let err = name_files(&pkg, "site", &modules, &BTreeMap::new()).unwrap_err();
        assert!(err.to_string().contains("chunk_2.wasm"), "{err}");
        std::fs::remove_dir_all(&pkg).unwrap();
    }

    #[test]
    fn a_reference_is_replaced_whole_never_inside_a_longer_name() {
        let mut text = "a('./chunk_1.wasm') b(\"./chunk_11.wasm\")".to_owned();
        assert_eq!(replace_refs(&mut text, "chunk_1.wasm", "chunk_1.H.wasm"), 1);
        assert_eq!(text, "a('./chunk_1.H.wasm') b(\"./chunk_11.wasm\")");
    }
}
