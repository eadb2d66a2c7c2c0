#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database with demo data, runs the Playwright
# suite against it, and stops the server whatever the outcome.
#   .ci/e2e.sh SERVER_BINARY ADDR
set -euo pipefail
server=$1 addr=$2
root=$(cd "$(dirname "$0")/.." && pwd)
server=$(realpath "$server")
work=$(mktemp -d)
log="$work/server.log"
LEPTOS_OUTPUT_NAME=wangqian LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true \
  LEPTOS_SITE_ADDR="$addr" DEMO=1 DATABASE_URL="sqlite://$work/e2e.db?mode=rwc" RUST_LOG=warn,outbox=info \
  "$server" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
cd "$root/end2end"
# The tests read SMS codes from the server log (the default SMS sender), move invitation
# deadlines in the database, and run the operator's commands (SERVER_BIN) on it.
if ! BASE_URL="http://$addr" SERVER_LOG="$log" E2E_DB="$work/e2e.db" SERVER_BIN="$server" npx playwright test; then
  echo "--- server log ---"; tail -n 50 "$log"
  exit 1
fi
