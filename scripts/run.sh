#!/usr/bin/env bash
# Set up and start TaskLedger: daphne on 127.0.0.1:8000 and one django-q2 cluster.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

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

$PY manage.py qcluster &
pids+=($!)
$PY -m daphne -b "$HOST" -p "$PORT" config.asgi:application &
pids+=($!)
echo "TaskLedger is running: http://$HOST:$PORT/  (admin: /admin/, API: /api/) - Ctrl-C stops it."
wait -n
