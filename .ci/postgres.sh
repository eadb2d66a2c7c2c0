#!/usr/bin/env bash
# Starts (or stops) a local PostgreSQL for the integration tests and prints nothing else.
#   .ci/postgres.sh start   → a role app/app with CREATEDB on 127.0.0.1:5432
#   .ci/postgres.sh stop
# Tests create and drop one database per test on it (TEST_POSTGRES_URL).
set -euo pipefail
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "$ver" ] || { echo "postgresql is not installed (run .ci/install-tools.sh test)" >&2; exit 1; }
case "${1:-start}" in
  start)
    if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main"' | grep -q .; then
      pg_createcluster "$ver" main >/dev/null
    fi
    pg_ctlcluster "$ver" main start 2>/dev/null || true
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='app'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB\""
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='app'\"" | grep -q 1 \
      || su postgres -c "createdb -O app app"
    ;;
  stop)
    pg_ctlcluster "$ver" main stop 2>/dev/null || true
    ;;
esac
