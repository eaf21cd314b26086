#!/usr/bin/env bash
# Run the benchmarks in bench/ and rewrite docs/benchmarks.md (about 8 minutes on a
# 2-core VM; BENCH_TIMEOUT, 18 minutes by default, is the hard limit).
# Needs PostgreSQL and Redis on 127.0.0.1 for the production figures; without them only
# the embedded default (SQLite + ORM broker) is measured. Arguments go to bench/run.py
# (e.g. --quick to check the machinery in two minutes, --only throughput).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PIDS=var/bench/pids
mkdir -p var/bench

# Safety net: bench/run.py stops its processes itself; if it was killed, stop what it
# left. Each child runs in its own process group, recorded in var/bench/pids.
cleanup() {
  if [ -s "$PIDS" ]; then
    while read -r pgid; do
      [ -n "$pgid" ] && kill -KILL -- "-$pgid" 2>/dev/null
    done < "$PIDS"
    : > "$PIDS"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Hard upper bound on the whole run; bench/run.py cleans up on SIGTERM.
timeout --signal=TERM --kill-after=30 "${BENCH_TIMEOUT:-1080}" $PY -m bench.run "$@"
