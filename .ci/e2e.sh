#!/usr/bin/env bash
# Starts the release server twice, each on a fresh SQLite database — one with demo data (most
# specs), one without (the go-live spec: what a province does on a real first start) — runs the
# Playwright suite against them, and stops both servers whatever the outcome. Their e-mail goes
# to a local SMTP sink (.ci/smtp-sink.py) whose messages the specs read (MAIL_FILE).
#   .ci/e2e.sh SERVER_BINARY ADDR        (the demo-free server listens on ADDR's port + 40)
set -euo pipefail
server=$1 addr=$2; shift 2
live_addr="${addr%:*}:$(( ${addr##*:} + 40 ))"
root=$(cd "$(dirname "$0")/.." && pwd)
server=$(realpath "$server")
work=$(mktemp -d)
log="$work/server.log" live_log="$work/live.log"
# Both servers send e-mail over SMTP to a local sink (any free port), which writes each message,
# decoded, as a JSON line to MAIL_FILE (the registration spec reads the confirmation link there).
mail_file="$work/mail.jsonl"
coproc SINK { exec python3 "$root/.ci/smtp-sink.py" 0 "$mail_file"; }
sink_pid=$SINK_PID
read -r smtp_port <&"${SINK[0]}"
start() { # ADDR DB LOG DEMO
  LEPTOS_OUTPUT_NAME=wangqian LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true \
    LEPTOS_SITE_ADDR="$1" DEMO="$4" DATABASE_URL="sqlite://$2?mode=rwc" RUST_LOG=warn,outbox=info \
    SMTP_HOST=127.0.0.1 SMTP_PORT="$smtp_port" SMTP_SECURITY=none PUBLIC_URL="http://$1" \
    UPLOAD_DIR="$work/uploads-${1##*:}" "$server" >"$3" 2>&1 &
}
start "$addr" "$work/e2e.db" "$log" 1
pid=$!
start "$live_addr" "$work/live.db" "$live_log" ""
live_pid=$!
trap 'kill $pid $live_pid $sink_pid 2>/dev/null || true; wait $pid $live_pid 2>/dev/null || true' EXIT
cd "$root/end2end"
# The tests read SMS codes from the server log (the default SMS sender), move invitation
# deadlines in the database, and run the operator's commands (SERVER_BIN) on it.
if ! BASE_URL="http://$addr" SERVER_LOG="$log" E2E_DB="$work/e2e.db" SERVER_BIN="$server" \
  LIVE_URL="http://$live_addr" LIVE_LOG="$live_log" LIVE_DB="$work/live.db" MAIL_FILE="$mail_file" \
  npx playwright test "$@"; then
  echo "--- server log ---"; tail -n 50 "$log"
  echo "--- demo-free server log ---"; tail -n 30 "$live_log"
  exit 1
fi
