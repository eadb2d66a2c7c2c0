#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database with demo data, runs the Playwright
# suite against it, and stops the server whatever the outcome.
#   .ci/e2e.sh SERVER_BINARY ADDR
set -euo pipefail
server=$1 addr=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
log="$work/server.log"
LEPTOS_OUTPUT_NAME=wangqian LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR="$addr" DEMO=1 DATABASE_URL="sqlite://$work/e2e.db?mode=rwc" RUST_LOG=warn \
  "$server" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
cd "$root/end2end"
if ! BASE_URL="http://$addr" npx playwright test; then
  echo "--- server log ---"; tail -n 50 "$log"
  exit 1
fi
