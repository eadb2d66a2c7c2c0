#!/usr/bin/env bash
# make build: the release server and site, made by `cargo leptos build --release --precompress
# --split --features split`, then sitehash (README "What a browser receives").
#
# On a fresh machine cargo-leptos and the wasm-bindgen CLI must be compiled before cargo-leptos
# can run, and cargo-leptos then runs its two cargo builds one after the other (with hashed file
# names it finishes the site before it starts the server). So both builds start here at once,
# beside the tool installs, with the arguments and environment cargo-leptos 0.3.10 gives them
# (`cargo leptos build -vv` prints them): cargo-leptos then finds them fresh and only splits,
# binds, optimises, hashes and compresses the site. Were they ever to differ, cargo-leptos would
# rebuild what differs: slower, never wrong. TIMINGS=1 adds cargo's --timings report to both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
timings=${TIMINGS:+--timings}

.ci/install-tools.sh rust

leptos_env=(LEPTOS_OUTPUT_NAME=wangqian LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt)
# Each step's lines carry its name (the three outputs interleave); the last one says how long it
# took, in wall time and CPU time.
pids=()
step() {
  local name=$1
  shift
  (
    TIMEFORMAT="[$name] done: %0R s wall, %0U s user + %0S s system CPU"
    time ("$@" 2>&1 | sed -u "s/^/[$name] /")
  ) &
  pids+=($!)
}
step tools .ci/install-tools.sh build
# --emit-relocs lets cargo-leptos split the module; the other flag is .cargo/config.toml's.
step wasm env "${leptos_env[@]}" RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs" \
  cargo build --package=frontend --lib --target-dir="$target/front" --target=wasm32-unknown-unknown \
  --no-default-features --features=split --profile=wasm-release $timings
step server env "${leptos_env[@]}" \
  cargo build --package=server --bin=server --no-default-features --features=split --release $timings
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ $failed -eq 0 ] || { echo "make build: a step above failed" >&2; exit 1; }

TIMEFORMAT="[cargo-leptos] done: %0R s wall, %0U s user + %0S s system CPU"
time cargo leptos build --release --precompress --split --features split
cargo run --release -q -p sitehash -- target/site/pkg "$target/release/hash.txt"
