//! `site` — `make build`'s site builder (README "What a browser receives").
//!
//! Turns the release WASM build of `frontend` into the site the server sends, as
//! `cargo leptos build --release --precompress --split` did, but without compiling cargo-leptos
//! (most of a fresh machine's first `make run`, docs/perf.md):
//!
//! 1. split the module at Leptos's lazy routes (the splitter cargo-leptos runs, as a library);
//! 2. wasm-bindgen (its code generator, as a library, at the version the WASM was built with);
//! 3. `wasm-opt -Oz` on every module (npm's binaryen, which `make tools` installs in TOOLS_DIR);
//! 4. one bundle per split point (its modules in one file, so a first page loads one file
//!    beside the main module: `bundle.rs`);
//! 5. the main JS and the split loader minified (npm's esbuild);
//! 6. the stylesheet (lightly minified) and `public/`'s files;
//! 7. content hashes in the names, written into the files that name them and into `hash.txt`;
//! 8. a brotli and a gzip copy beside every file.
//!
//! Usage: `site --wasm FILE --hash-file FILE [--name wangqian] [--site target/site]
//! [--pkg-dir pkg] [--style style/main.css] [--assets public] [--binaryen DIR] [--esbuild FILE]`
//! (DIR: npm's binaryen package, by default `$TOOLS_DIR/node_modules/binaryen`; FILE: npm's
//! esbuild executable, by default `$TOOLS_DIR/node_modules/.bin/esbuild`).

mod bundle;
mod compress;
mod css;
mod error;
mod hash;
mod minify;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

use error::{io, Error, Result};

/// Where the split loader is named before its content is known; cargo-leptos's placeholder,
/// which Leptos itself also falls back to (22 characters, the length of a hash).
const LOADER_PLACEHOLDER: &str = "__wasm_split.______________________.js";

struct Args {
    wasm: PathBuf,
    hash_file: PathBuf,
    name: String,
    site: PathBuf,
    pkg_dir: String,
    style: PathBuf,
    assets: PathBuf,
    binaryen: PathBuf,
    esbuild: PathBuf,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Args> {
        let (mut wasm, mut hash_file) = (None, None);
        let mut a = Args {
            wasm: PathBuf::new(),
            hash_file: PathBuf::new(),
            name: "wangqian".into(),
            site: "target/site".into(),
            pkg_dir: "pkg".into(),
            style: "style/main.css".into(),
            assets: "public".into(),
            binaryen: PathBuf::new(),
            esbuild: PathBuf::new(),
        };
        let (mut binaryen, mut esbuild) = (None, None);
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .ok_or_else(|| Error::Usage(format!("{flag} needs a value")))?;
            match flag.as_str() {
                "--wasm" => wasm = Some(value.into()),
                "--hash-file" => hash_file = Some(value.into()),
                "--name" => a.name = value,
                "--site" => a.site = value.into(),
                "--pkg-dir" => a.pkg_dir = value,
                "--style" => a.style = value.into(),
                "--assets" => a.assets = value.into(),
                "--binaryen" => binaryen = Some(value.into()),
                "--esbuild" => esbuild = Some(value.into()),
                _ => return Err(Error::Usage(format!("unknown option {flag}"))),
            }
        }
        a.wasm = wasm.ok_or_else(|| Error::Usage("--wasm is required".into()))?;
        a.hash_file = hash_file.ok_or_else(|| Error::Usage("--hash-file is required".into()))?;
        // Where `make tools` puts them.
        let tools = || {
            std::env::var_os("TOOLS_DIR")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/wangqian-tools")))
                .map(|t| t.join("node_modules"))
                .ok_or_else(|| Error::Usage("set TOOLS_DIR, or --binaryen and --esbuild".into()))
        };
        a.binaryen = match binaryen {
            Some(dir) => dir,
            None => tools()?.join("binaryen"),
        };
        a.esbuild = match esbuild {
            Some(file) => file,
            None => tools()?.join(".bin/esbuild"),
        };
        Ok(a)
    }
}

fn main() -> ExitCode {
    let started = Instant::now();
    match Args::parse(std::env::args().skip(1)).and_then(|args| build(&args)) {
        Ok(()) => {
            println!("site: done in {:.1} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e @ Error::Usage(_)) => {
            eprintln!("site: {e}\nusage: site --wasm FILE --hash-file FILE [--name N] [--site DIR] [--pkg-dir D] [--style FILE] [--assets DIR] [--binaryen DIR] [--esbuild FILE]");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("site: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one step and says how long it took.
fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let started = Instant::now();
    let out = f()?;
    println!("site: {name} ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(out)
}

fn build(a: &Args) -> Result<()> {
    let pkg = a.site.join(&a.pkg_dir);
    // A stale file from an earlier build would be served (and precompressed) with the new ones.
    if a.site.exists() {
        std::fs::remove_dir_all(&a.site).map_err(io(&a.site))?;
    }
    std::fs::create_dir_all(&pkg).map_err(io(&pkg))?;

    let (main_split, mut modules, prefetch) = step("split at the lazy routes", || split(a, &pkg))?;
    step("wasm-bindgen", || bindgen(&main_split, &pkg, &a.name))?;
    let mut wasm_files = vec![pkg.join(format!("{}.wasm", a.name))];
    wasm_files.extend(modules.iter().map(|m| pkg.join(m)));
    step("wasm-opt", || optimize(&wasm_files, &a.binaryen))?;
    let loader = pkg.join(LOADER_PLACEHOLDER);
    let bundles = step("a bundle per split point", || bundle::write(&pkg, &loader, &prefetch))?;
    modules.extend(bundles.files);
    step("minify the main JS and the loader", || {
        minify::files(&a.esbuild, &[&pkg.join(format!("{}.js", a.name)), &loader])
    })?;
    step("stylesheet and public files", || {
        let css = std::fs::read_to_string(&a.style).map_err(io(&a.style))?;
        let out = pkg.join(format!("{}.css", a.name));
        std::fs::write(&out, css::minify(&css)).map_err(io(&out))?;
        copy_dir(&a.assets, &a.site)
    })?;
    let hashes = step("content hashes in names", || {
        hash::name_files(&pkg, &a.name, &modules, &bundles.manifest)
    })?;
    step("brotli and gzip copies", || compress::dir(&a.site))?;
    if let Some(dir) = a.hash_file.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::write(&a.hash_file, hashes.hash_txt()).map_err(io(&a.hash_file))?;
    Ok(())
}

/// The split's outputs: the main module's path, the split modules' file names, and each split
/// point's modules (by file stem).
type Split = (PathBuf, Vec<String>, BTreeMap<String, Vec<String>>);

/// Splits the module at its split points (Leptos's lazy routes): the main module (for
/// wasm-bindgen), one module per split point and the chunks they share (in `pkg`), and the
/// loader that fetches them. Returns the main module's path, the other modules' file names, and
/// which modules each split point loads (the manifest the server reads to preload them).
fn split(a: &Args, pkg: &Path) -> Result<Split> {
    let input = std::fs::read(&a.wasm).map_err(io(&a.wasm))?;
    let stem = a.wasm.file_stem().and_then(|s| s.to_str()).unwrap_or("frontend");
    let main_out = a.wasm.with_file_name(format!("{stem}_split.wasm"));
    let main_module = format!("./{}.js", a.name);
    let link_name = format!("./{LOADER_PLACEHOLDER}");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = pkg;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    opts.link_name = &link_name;
    let out = wasm_split_cli_support::transform(opts).map_err(error::tool("wasm split"))?;
    let mut modules = Vec::new();
    for path in &out.split_modules {
        let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| Error::Tool {
            step: "wasm split",
            message: format!("unexpected module path {}", path.display()),
        })?;
        modules.push(name.to_owned());
    }
    Ok((main_out, modules, out.prefetch_map.into_iter().collect()))
}

/// wasm-bindgen, with the options cargo-leptos gives its CLI for a split build: the web target,
/// the linker's exports kept and names left mangled (the loader and the split modules refer to
/// them). No TypeScript declarations: nothing reads them. `<name>_bg.wasm` becomes
/// `<name>.wasm`, the name Leptos's hydration script asks for.
fn bindgen(input: &Path, pkg: &Path, name: &str) -> Result<()> {
    let tool = error::tool("wasm-bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(input)
        .out_name(name)
        .web(true)
        .map_err(&tool)?
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        .generate(pkg)
        .map_err(&tool)?;
    let (from, to) = (pkg.join(format!("{name}_bg.wasm")), pkg.join(format!("{name}.wasm")));
    std::fs::rename(&from, &to).map_err(io(&from))
}

/// `wasm-opt -Oz` on every module (src/wasm-opt.mjs, run by node with npm's binaryen from
/// `binaryen`, its package folder): one process per core, the modules shared out by size.
fn optimize(files: &[PathBuf], binaryen: &Path) -> Result<()> {
    let index = std::path::absolute(binaryen.join("index.js")).map_err(io(binaryen))?;
    if !index.exists() {
        return Err(Error::Tool {
            step: "wasm-opt",
            message: format!("no {} (npm's binaryen: `make tools` installs it)", index.display()),
        });
    }
    let mut sized = Vec::new();
    for f in files {
        sized.push((std::fs::metadata(f).map_err(io(f))?.len(), f));
    }
    sized.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut groups: Vec<(u64, Vec<&PathBuf>)> = vec![(0, Vec::new()); threads.min(files.len()).max(1)];
    for (len, f) in sized {
        // The largest module left goes to the process with the least work so far.
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += len;
            g.1.push(f);
        }
    }
    par_each(&groups, |(_, group)| {
        let out = Command::new("node")
            .args(["--input-type=module", "-e", include_str!("wasm-opt.mjs"), "--"])
            .arg(&index)
            .args(group)
            .output()
            .map_err(|e| Error::Tool {
                step: "wasm-opt",
                message: format!("node: {e}"),
            })?;
        if !out.status.success() {
            return Err(Error::Tool {
                step: "wasm-opt",
                message: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        Ok(())
    })
}

/// Copies `from`'s files and folders into `to` (`public/` to the site root).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (src, dest) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            std::fs::create_dir_all(&dest).map_err(io(&dest))?;
            copy_dir(&src, &dest)?;
        } else {
            std::fs::copy(&src, &dest).map_err(io(&src))?;
        }
    }
    Ok(())
}

/// Runs `f` on every item, on as many threads as there are cores; the first error wins.
fn par_each<T: Sync>(items: &[T], f: impl Fn(&T) -> Result<()> + Sync) -> Result<()> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| loop {
                    let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        return Ok(());
                    };
                    f(item)?;
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(Error::Tool {
                        step: "worker",
                        message: "panicked".into(),
                    })
                })
            })
            .collect::<Result<Vec<()>>>()
            .map(|_| ())
    })
}
