#!/usr/bin/env bash
# Installs every build/test tool the project needs, skipping what is already present at the
# right version. Safe to run repeatedly (make run / make test call it). Why each version is pinned:
# README "The two commands".
#   .ci/install-tools.sh rust    – the wasm32 target, rustfmt and clippy (what the cargo builds need)
#   .ci/install-tools.sh build   – the above, wasm-opt (npm's binaryen), npm's esbuild and the CJK font (make build)
#   .ci/install-tools.sh dev     – the above, cargo-leptos and the wasm-bindgen CLI (make dev only)
#   .ci/install-tools.sh test    – build's plus Chromium, Playwright, PostgreSQL, test helpers
# TOOLS_DIR (default ~/.cache/wangqian-tools) holds npm's binaryen and esbuild; cargo installs into CARGO_HOME.
# `make build` needs no cargo install: server/site, a workspace crate, does what cargo-leptos did
# (docs/perf.md, "The first `make run`").
set -euo pipefail
what=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
TOOLS_DIR=${TOOLS_DIR:-$HOME/.cache/wangqian-tools}
mkdir -p "$TOOLS_DIR"

CARGO_LEPTOS_VERSION=0.3.10
# The wasm-bindgen CLI (cargo-leptos runs it) must equal the crate version Cargo.lock pins.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$root/Cargo.lock" 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
BINARYEN_VERSION=132.0.0
ESBUILD_VERSION=0.28.2

log() { printf '[install-tools] %s\n' "$*"; }
# timed NAME COMMAND...: runs it, then says how long it took (wall and CPU time).
timed() {
  local TIMEFORMAT="[install-tools] $1: %0R s wall, %0U s user + %0S s system CPU"
  shift
  time "$@"
}

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then timed apt-get-update apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  timed apt-get-install env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" \
    || { log "adding $component"; rustup component add "$component"; }
done
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || { log "adding wasm32 target"; rustup target add wasm32-unknown-unknown; }
[ "$what" = rust ] && { log "rust ready"; exit 0; }

# `make dev`'s tools: their own speed hardly matters, their compile time does (cargo-leptos's is
# 19 minutes of CPU): optimise lightly, no LTO, many codegen units. Each install builds in its own
# temporary directory, not in CARGO_TARGET_DIR: there it would wait for a release build's lock.
tool_profile=(-u CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
  CARGO_PROFILE_RELEASE_DEBUG=false)

has_cargo_leptos() { cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; }
install_cargo_leptos() {
  has_cargo_leptos && return 0
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while, once)"
  # Its git dependency would compile a copy of OpenSSL from C (minutes of CPU): it links
  # Debian's instead (libssl-dev, installed below).
  timed cargo-leptos env "${tool_profile[@]}" OPENSSL_NO_VENDOR=1 cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
}

install_wasm_bindgen() {
  wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION" && return 0
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a crate version the registry lacks.
  timed wasm-bindgen env "${tool_profile[@]}" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

# npm's binaryen (Debian's v108 breaks hydration). Its wasm-opt is binaryen compiled to
# JavaScript: server/site loads it once in node for all modules. And npm's esbuild, with which
# server/site minifies the main JS and the split loader (one small executable, no compile).
# One npm install for both: two at once in the same folder would trip over each other.
install_npm_tools() {
  "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "${BINARYEN_VERSION%%.*}" \
    && [ "$("$TOOLS_DIR/node_modules/.bin/esbuild" --version 2>/dev/null)" = "$ESBUILD_VERSION" ] && return 0
  log "installing binaryen $BINARYEN_VERSION and esbuild $ESBUILD_VERSION"
  (cd "$TOOLS_DIR" && timed npm-tools npm install --silent --no-audit --no-fund \
    "binaryen@$BINARYEN_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null)
}

install_test_packages() {
  # poppler-utils (pdftotext) and libreoffice-calc read our PDF and Excel files back independently;
  # python3-aiosmtpd is the local SMTP server the mail tests send to; sqlite3 lets the
  # end-to-end tests move an invitation's deadline.
  # python3-venv for moto's venv, installed right after (apt runs one at a time).
  apt_install chromium postgresql poppler-utils libreoffice-calc python3-aiosmtpd sqlite3 python3-venv
  install_moto
}

# moto's S3 server: the S3-compatible store the upload tests run against (server/tests/uploads_s3.rs),
# in a venv of its own under TOOLS_DIR.
MOTO_VERSION=5.2.5
install_moto() {
  "$TOOLS_DIR/moto/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null && return 0
  log "installing moto $MOTO_VERSION (S3 test server)"
  rm -rf "$TOOLS_DIR/moto"
  python3 -m venv "$TOOLS_DIR/moto"
  timed moto "$TOOLS_DIR/moto/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
}

# The few Debian packages the builds need come first (apt runs one at a time): the CJK TrueType
# font of the PDF agreement (genpdf cannot read CFF outlines), and OpenSSL's headers while
# cargo-leptos is to be compiled.
build_packages=(fonts-wqy-zenhei)
[ "$what" = dev ] && ! has_cargo_leptos && build_packages+=(libssl-dev pkg-config)
apt_install "${build_packages[@]}"

install_playwright() {
  # Again whenever package-lock.json changed since the last install (e.g. a new dev dependency).
  if [ ! -x "$root/end2end/node_modules/.bin/playwright" ] \
    || ! cmp -s <(grep '"node_modules/' "$root/end2end/package-lock.json" | sort) \
                <(grep '"node_modules/' "$root/end2end/node_modules/.package-lock.json" 2>/dev/null | sort); then
    log "installing Playwright and axe (test runner only; the browser is Debian's chromium)"
    (cd "$root/end2end" && timed playwright env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund >/dev/null)
  fi
}

# The installs are independent of each other: they run at the same time (the two cargo installs
# fill each other's single-threaded stretches on 2 cores, the downloads overlap the compiles).
steps=(install_npm_tools)
[ "$what" = dev ] && steps+=(install_cargo_leptos install_wasm_bindgen)
[ "$what" = test ] && steps+=(install_test_packages install_playwright)
pids=()
for step in "${steps[@]}"; do "$step" & pids+=($!); done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ $failed -eq 0 ] || { log "an install above failed"; exit 1; }
log "tools ready"
