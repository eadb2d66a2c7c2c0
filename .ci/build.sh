#!/usr/bin/env bash
# make build: the release server and site (README "What a browser receives"), without cargo-leptos.
#
# Four things start at once (on 2 cores each fills the others' single-threaded stretches):
#   tools   npm's binaryen (wasm-opt) and the CJK font, if missing (.ci/install-tools.sh build);
#   wasm    the frontend crate for wasm32 (profile wasm-release, --emit-relocs so it can be split);
#   sitegen the site builder, server/site (profile site-tool: compiled lightly, it runs seconds);
#   server  the release server.
# When the first three are done, the site builder splits, binds, optimises, hashes and compresses
# the site into target/site and writes hash.txt beside the server binary, while the server build
# goes on. The two cargo builds get the environment and arguments cargo-leptos 0.3.10 gives them
# (`cargo leptos build -vv` prints them): Leptos reads LEPTOS_OUTPUT_NAME at compile time, and
# `make bench` and `make dev` then reuse what they compiled. TIMINGS=1 adds cargo's --timings
# report to the cargo builds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
timings=${TIMINGS:+--timings}

.ci/install-tools.sh rust

leptos_env=(LEPTOS_OUTPUT_NAME=wangqian LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt)
# Each step's lines carry its name (the outputs interleave); the last one says how long it took,
# in wall time and CPU time.
step() {
  local name=$1
  shift
  (
    TIMEFORMAT="[$name] done: %0R s wall, %0U s user + %0S s system CPU"
    time ("$@" 2>&1 | sed -u "s/^/[$name] /")
  ) &
}
step tools .ci/install-tools.sh build
tools=$!
# --emit-relocs lets server/site split the module; the other flag is .cargo/config.toml's.
step wasm env "${leptos_env[@]}" RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs" \
  cargo build --package=frontend --lib --target-dir="$target/front" --target=wasm32-unknown-unknown \
  --no-default-features --features=split --profile=wasm-release $timings
wasm=$!
step sitegen cargo build --package=site --profile=site-tool $timings
sitegen=$!
step server env "${leptos_env[@]}" \
  cargo build --package=server --bin=server --no-default-features --features=split --release $timings
server=$!

failed=0
for pid in $tools $wasm $sitegen; do wait "$pid" || failed=1; done
if [ $failed -eq 0 ]; then
  step site "$target/site-tool/site" --wasm "$target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm" \
    --name wangqian --site target/site --pkg-dir pkg --style style/main.css --assets public \
    --hash-file "$target/release/hash.txt"
  wait $! || failed=1
fi
wait $server || failed=1
[ $failed -eq 0 ] || { echo "make build: a step above failed" >&2; exit 1; }
