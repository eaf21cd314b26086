#!/usr/bin/env bash
# Set up and start TaskLedger: daphne on 127.0.0.1:8000 and one django-q2 cluster.
# Checks the port is free, installs (make install), migrates, then serves; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

# Before installing or migrating anything: a port already taken would only fail later, at
# daphne's start, after all of that work (and with the old server still answering).
"${PYTHON:-$(command -v python3.11 || command -v python3)}" scripts/port_check.py "$HOST" "$PORT" || exit 1
${MAKE:-make} --no-print-directory -s install

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
$PY manage.py ensure_operator --url "http://$HOST:$PORT"

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping TaskLedger..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
  echo "Stopped."
}
trap stop INT TERM EXIT

# Runs "$@" again whenever it ends, unless it ended 5 times within a minute: then it gives
# up, and the service stops with it (daphne must not take tasks that no cluster will run).
supervise() {
  local child status starts=() now recent
  # Stopping: wait until the cluster has really ended. Further signals are ignored here:
  # a second one (Ctrl-C reaches the whole group, then stop() sends TERM) would cut the
  # wait short, and the service would say "Stopped." with the cluster still stopping.
  trap 'trap "" TERM INT; kill -TERM "$child" 2>/dev/null
        while kill -0 "$child" 2>/dev/null; do wait "$child" 2>/dev/null || true; done
        exit 0' TERM INT
  while true; do
    "$@" &
    child=$!
    wait "$child" && status=0 || status=$?
    now=$(date +%s)
    recent=()
    for moment in "${starts[@]}"; do (( now - moment < 60 )) && recent+=("$moment"); done
    starts=("${recent[@]}" "$now")
    if (( ${#starts[@]} >= 5 )); then
      echo "qcluster ended (status $status) 5 times within a minute: stopping TaskLedger." >&2
      exit 1
    fi
    echo "qcluster ended (status $status); starting it again." >&2
    sleep 1
  done
}

supervise $PY manage.py qcluster &
pids+=($!)
$PY -m daphne -b "$HOST" -p "$PORT" config.asgi:application &
pids+=($!)
echo "TaskLedger is running: http://$HOST:$PORT/  (admin: /admin/, API: /api/) - Ctrl-C stops it."
wait -n
