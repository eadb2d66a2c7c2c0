//! One file per first page: each split point's modules, concatenated into a bundle.
//!
//! The splitter makes one module per set of split points that share code, so a page's group
//! needs up to 16 small files besides the main module. Over HTTP/1.1 a browser opens six
//! connections to a host, and on a slow network each request waits a round trip of its own: the
//! files then arrive in waves (docs/perf.md, "Time to a working click"). A bundle turns them into
//! one request, and compresses better than its parts one by one.
//!
//! - `bundle_<point>.wasm` holds the modules of one split point (the group's own and the shared
//!   chunks it needs), one after the other; the manifest names only the bundle, so the page
//!   preloads it alone.
//! - The split loader learns where each module lies in each bundle (a table added to it), and
//!   fetches through `__split_fetch`: a module of the bundle the page preloaded is cut out of
//!   that one download; any other module (a later page of another group) is fetched alone, as
//!   before. Every module is also still a file of its own.
//!
//! The table and the bundle names are written as quoted `"./name.wasm"`, so the hashing step
//! renames them like every other reference of the loader.

use std::{collections::BTreeMap, fmt::Write as _, path::Path};

use crate::error::{io, Error, Result};

/// The text every fetch of a module has in the splitter's loader.
const LOADER_FETCH: &str = "fetch(new URL(";

/// Where the bundled modules come from in the browser (added to the loader). `parts` is
/// filled in by `add_to_loader`.
const RUNTIME: &str = r#"
// server/site: the modules of the bundle the page preloaded are cut out of it (src/bundle.rs).
const __split_bundles = __SPLIT_BUNDLES__;
let __split_bundle;
function __split_fetch(url) {
    if (__split_bundle === undefined) {
        __split_bundle = null;
        const preloaded = new Set([...document.querySelectorAll('link[rel="preload"]')].map((l) => l.href));
        for (const [name, parts] of Object.entries(__split_bundles)) {
            const href = new URL(name, import.meta.url).href;
            if (preloaded.has(href)) {
                // Asked for as the page's <link rel="preload" as="fetch" crossorigin> asked
                // (cors, same-origin credentials), so that this takes the preloaded response.
                const bytes = fetch(href).then((r) => {
                    if (!r.ok) throw new Error(`${href}: ${r.status}`);
                    return r.arrayBuffer();
                });
                const at = new Map(Object.entries(parts).map(([m, p]) => [new URL(m, import.meta.url).href, p]));
                __split_bundle = { at, bytes };
                break;
            }
        }
    }
    const part = __split_bundle?.at.get(url.href);
    if (part === undefined) return fetch(url);
    return __split_bundle.bytes.then(
        (b) => new Response(new Uint8Array(b, part[0], part[1]), { headers: { "Content-Type": "application/wasm" } }),
        () => fetch(url),
    );
}
"#;

/// What `write` made.
pub struct Bundles {
    /// The manifest the server reads: each split point → its bundle's stem (what the page
    /// preloads).
    pub manifest: BTreeMap<String, Vec<String>>,
    /// The bundles' file names in `pkg`.
    pub files: Vec<String>,
}

/// Writes `bundle_<point>.wasm` into `pkg` for every split point of `prefetch` (point → the
/// stems of its modules), and adds the table and the fetch to the loader at `loader`.
pub fn write(pkg: &Path, loader: &Path, prefetch: &BTreeMap<String, Vec<String>>) -> Result<Bundles> {
    let mut table = String::from("{");
    let mut manifest = BTreeMap::new();
    let mut files = Vec::new();
    for (point, stems) in prefetch {
        if stems.is_empty() {
            continue;
        }
        let stem = format!("bundle_{point}");
        let file = format!("{stem}.wasm");
        let mut bytes = Vec::new();
        let _ = write!(table, "\"./{file}\":{{");
        for module in stems {
            let path = pkg.join(format!("{module}.wasm"));
            let part = std::fs::read(&path).map_err(io(&path))?;
            let _ = write!(table, "\"./{module}.wasm\":[{},{}],", bytes.len(), part.len());
            bytes.extend_from_slice(&part);
        }
        table.push_str("},");
        let path = pkg.join(&file);
        std::fs::write(&path, bytes).map_err(io(&path))?;
        manifest.insert(point.clone(), vec![stem]);
        files.push(file);
    }
    table.push('}');

    let mut js = std::fs::read_to_string(loader).map_err(io(loader))?;
    if !files.is_empty() && !js.contains(LOADER_FETCH) {
        return Err(Error::Unexpected(format!(
            "the split loader no longer fetches its modules with `{LOADER_FETCH}`"
        )));
    }
    js = js.replace(LOADER_FETCH, "__split_fetch(new URL(");
    js.push_str(&RUNTIME.replace("__SPLIT_BUNDLES__", &table));
    std::fs::write(loader, js).map_err(io(loader))?;
    Ok(Bundles { manifest, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_holds_its_points_modules_back_to_back_and_the_loader_knows_where() {
        let pkg = std::env::temp_dir().join(format!("site-bundle-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&pkg);
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("chunk_1.wasm"), b"\0asm shared").unwrap();
        std::fs::write(pkg.join("split_student_area.wasm"), b"\0asm student").unwrap();
        std::fs::write(pkg.join("split_admin_area.wasm"), b"\0asm admin").unwrap();
        let loader = pkg.join("loader.js");
        std::fs::write(
            &loader,
            "const src = fetch(new URL(\"./chunk_1.wasm\", import.meta.url));\nconst s2 = fetch(new URL(\"./split_student_area.wasm\", import.meta.url));\n",
        )
        .unwrap();
        let prefetch = BTreeMap::from([
            (
                "student_area".to_owned(),
                vec!["chunk_1".to_owned(), "split_student_area".to_owned()],
            ),
            (
                "admin_area".to_owned(),
                vec!["chunk_1".to_owned(), "split_admin_area".to_owned()],
            ),
            ("empty".to_owned(), vec![]),
        ]);

        let Bundles { manifest, files } = write(&pkg, &loader, &prefetch).unwrap();

        assert_eq!(files, ["bundle_admin_area.wasm", "bundle_student_area.wasm"]);
        assert_eq!(manifest["student_area"], ["bundle_student_area"]);
        assert!(!manifest.contains_key("empty"), "nothing to preload for an empty point");
        assert_eq!(
            std::fs::read(pkg.join("bundle_student_area.wasm")).unwrap(),
            b"\0asm shared\0asm student"
        );
        let js = std::fs::read_to_string(&loader).unwrap();
        assert!(
            !js.contains("= fetch(new URL("),
            "every module goes through __split_fetch: {js}"
        );
        assert!(js.contains(
            r#""./bundle_student_area.wasm":{"./chunk_1.wasm":[0,11],"./split_student_area.wasm":[11,12],}"#
        ));
        std::fs::remove_dir_all(&pkg).unwrap();
    }

    #[test]
    fn a_loader_that_fetches_otherwise_fails_the_build() {
        let pkg = std::env::temp_dir().join(format!("site-bundle-test-other-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&pkg);
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("chunk_1.wasm"), b"\0asm").unwrap();
        let loader = pkg.join("loader.js");
        std::fs::write(&loader, "const src = import.source(\"./chunk_1.wasm\");").unwrap();
        let prefetch = BTreeMap::from([("p".to_owned(), vec!["chunk_1".to_owned()])]);
        let Err(err) = write(&pkg, &loader, &prefetch) else {
            panic!("a loader without `fetch(new URL(` was bundled");
        };
        assert!(err.to_string().contains("no longer fetches"), "{err}");
        std::fs::remove_dir_all(&pkg).unwrap();
    }
}
