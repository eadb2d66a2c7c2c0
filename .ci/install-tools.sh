#!/usr/bin/env bash
# Installs every build/test tool the project needs, skipping what is already present at the
# right version. Safe to run repeatedly (make run / make test call it). See ../shared/TOOLCHAIN.md
# for why each version is pinned.
#   scripts/install-tools.sh build   – Rust target, cargo-leptos, wasm-bindgen, wasm-opt, CJK font
#   scripts/install-tools.sh test    – the above plus Chromium, Playwright, PostgreSQL, test helpers
set -euo pipefail
what=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
TOOLS_DIR=${TOOLS_DIR:-$HOME/.cache/wangqian-tools}
mkdir -p "$TOOLS_DIR"

CARGO_LEPTOS_VERSION=0.3.10
# The wasm-bindgen CLI must equal the crate version Cargo.lock pins.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$root/Cargo.lock" 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
BINARYEN_VERSION=132.0.0

log() { printf '[install-tools] %s\n' "$*"; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" \
    || { log "adding $component"; rustup component add "$component"; }
done
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || { log "adding wasm32 target"; rustup target add wasm32-unknown-unknown; }

# The tools orchestrate the build; their own speed hardly matters, their compile time does (it
# is most of a fresh machine's first `make run`): optimise lightly, no LTO, many codegen units.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
  CARGO_PROFILE_RELEASE_DEBUG=false

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
unset CARGO_PROFILE_RELEASE_OPT_LEVEL CARGO_PROFILE_RELEASE_LTO CARGO_PROFILE_RELEASE_CODEGEN_UNITS CARGO_PROFILE_RELEASE_DEBUG

# npm's binaryen (Debian's v108 breaks hydration).
if ! "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "${BINARYEN_VERSION%%.*}"; then
  log "installing binaryen $BINARYEN_VERSION"
  (cd "$TOOLS_DIR" && npm install --silent --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null)
fi

# The PDF agreement needs a CJK TrueType font (genpdf cannot read CFF outlines).
apt_install fonts-wqy-zenhei

if [ "$what" = test ]; then
  # poppler-utils (pdftotext) and libreoffice-calc read our PDF and Excel files back independently;
  # python3-aiosmtpd is the local SMTP server the mail tests send to; sqlite3 lets the
  # end-to-end tests move an invitation's deadline.
  apt_install chromium postgresql poppler-utils libreoffice-calc python3-aiosmtpd sqlite3
  # Again whenever package-lock.json changed since the last install (e.g. a new dev dependency).
  if [ ! -x "$root/end2end/node_modules/.bin/playwright" ] \
    || ! cmp -s <(grep '"node_modules/' "$root/end2end/package-lock.json" | sort) \
                <(grep '"node_modules/' "$root/end2end/node_modules/.package-lock.json" 2>/dev/null | sort); then
    log "installing Playwright and axe (test runner only; the browser is Debian's chromium)"
    (cd "$root/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund >/dev/null)
  fi
fi
log "tools ready"
