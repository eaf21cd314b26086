"""Driver: time from an HTTP `POST /api/tasks/` to the job starting, task after task.

    python -m bench.latency.driver --port PORT --count 200 --warmup 10

Against a running daphne (the API) and qcluster (the workers). Each POST creates one
`bench.noop` task as a staff user with a DRF token; the next POST is sent once the task
has completed, so every task meets an idle system. "Started" is the task's `started_at`,
stamped by the worker as it marks the task processing, just before the job is called.
"""
import argparse
import http.client
import json
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.harness.processes import emit_result  # noqa: E402
from bench.harness.tokens import staff_token  # noqa: E402
from tasks.models import Task, TaskStatus  # noqa: E402

POLL_SECONDS = 0.005
TASK_BUDGET_SECONDS = 30


def _post(conn: http.client.HTTPConnection, token: str) -> tuple[str, float]:
    body = json.dumps({"kind": "bench.noop"})
    conn.request("POST", "/api/tasks/", body=body, headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json",
    })
    response = conn.getresponse()
    payload = response.read()
    if response.status != 201:
        raise SystemExit(f"POST /api/tasks/ answered {response.status}: {payload[:500]!r}")
    return json.loads(payload)["task_id"]


def _wait_finished(task_id: str):
    """Poll until the task completed; return its started_at."""
    deadline = time.monotonic() + TASK_BUDGET_SECONDS
    while True:
        row = Task.objects.filter(task_id=task_id).values_list("status", "started_at").first()
        if row and row[0] == TaskStatus.COMPLETED:
            return row[1]
        if row and row[0] in (TaskStatus.FAILED, TaskStatus.CANCELLED):
            raise SystemExit(f"task {task_id} ended {row[0]}")
        if time.monotonic() > deadline:
            raise SystemExit(f"task {task_id} did not complete within {TASK_BUDGET_SECONDS} s")
        time.sleep(POLL_SECONDS)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _summary(values_ms: list[float]) -> dict:
    return {
        "p50": statistics.median(values_ms),
        "p95": _percentile(values_ms, 0.95),
        "max": max(values_ms),
        "mean": statistics.fmean(values_ms),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    options = parser.parse_args()

    token = staff_token()
    conn = http.client.HTTPConnection("127.0.0.1", options.port, timeout=30)
    to_start, to_response = [], []
    for number in range(options.warmup + options.count):
        sent = time.time()
        task_id = _post(conn, token)
        answered = time.time()
        started_at = _wait_finished(task_id)
        if number >= options.warmup:
            to_start.append((started_at.timestamp() - sent) * 1000)
            to_response.append((answered - sent) * 1000)
    conn.close()
    connection.close()
    emit_result({
        "count": options.count,
        "post_to_start_ms": _summary(to_start),
        "post_response_ms": _summary(to_response),
    })


if __name__ == "__main__":
    main()
