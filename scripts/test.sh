#!/usr/bin/env bash
# Run the whole suite on the embedded default (SQLite + ORM broker), then on PostgreSQL +
# Redis where they answer on 127.0.0.1. With REQUIRE_SERVICES=1 (CI) their absence fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taskledger}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
export Q_CLUSTER_NAME="taskledger-test-$$"

# Debian packages the suite drives, installed only when missing: chromium for the browser
# tests (docs/testing.md), curl for the client contract's curl calls (docs/api.md).
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v curl >/dev/null || missing="$missing curl"
if [ -n "$missing" ] && command -v apt-get >/dev/null; then
  echo "=== installing Debian packages:$missing ==="
  as_root=""; [ "$(id -u)" = 0 ] || as_root="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $as_root apt-get install -y --no-install-recommends $missing \
    || { $as_root apt-get update && $as_root apt-get install -y --no-install-recommends $missing; } \
    || echo "could not install$missing: the tests that need them will fail" >&2
fi

echo "=== suite on SQLite + django-q2 ORM broker ==="
env -u DATABASE_URL -u REDIS_URL $PY -m pytest "$@"
sqlite_status=$?

if $PY scripts/services_up.py "$PG_URL" "$REDIS"; then
  echo "=== suite on PostgreSQL + Redis ==="
  DATABASE_URL=$PG_URL REDIS_URL=$REDIS $PY -m pytest "$@"
  services_status=$?
elif [ "${REQUIRE_SERVICES:-0}" = "1" ]; then
  echo "REQUIRE_SERVICES=1 but PostgreSQL or Redis is not reachable: failing." >&2
  services_status=1
else
  echo "PostgreSQL or Redis not reachable: the PostgreSQL + Redis run was SKIPPED." >&2
  services_status=0
fi

[ "$sqlite_status" = 0 ] && [ "$services_status" = 0 ]
