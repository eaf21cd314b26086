"""Driver: how fast tasks are created in bulk, with no cluster running.

    python -m bench.enqueue.driver --port PORT --count 10000

`task_create_many`: `count` no-op tasks, 1,000 per call (the API's batch limit), timed in
this process. Batch endpoint: the same count through `POST /api/tasks/batch` on a running
daphne, 1,000 items per request, over HTTP with a staff token. Target: 5,000 tasks/s each.
"""
import argparse
import http.client
import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from bench.harness.processes import emit_result  # noqa: E402
from bench.harness.tokens import staff_token  # noqa: E402
from tasks.batch import MAX_BATCH_TASKS  # noqa: E402
from tasks.models import Task  # noqa: E402
from tasks.services import task_create_many  # noqa: E402


def _service(count: int) -> float:
    started = time.perf_counter()
    for offset in range(0, count, MAX_BATCH_TASKS):
        task_create_many([{"kind": "bench.noop"}] * min(MAX_BATCH_TASKS, count - offset))
    return time.perf_counter() - started


def _endpoint(port: int, count: int) -> float:
    token, conn = staff_token(), http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = json.dumps([{"kind": "bench.noop"}] * MAX_BATCH_TASKS)
    started = time.perf_counter()
    for _ in range(0, count, MAX_BATCH_TASKS):
        conn.request("POST", "/api/tasks/batch", body=body, headers={
            "Authorization": f"Token {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        if response.status != 200 or json.loads(payload)["queued"] != MAX_BATCH_TASKS:
            raise SystemExit(f"POST /api/tasks/batch answered {response.status}: {payload[:300]!r}")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=10_000)
    options = parser.parse_args()
    service = _service(options.count)
    endpoint = _endpoint(options.port, options.count)
    assert Task.objects.count() == 2 * options.count
    emit_result({"count": options.count,
                 "service_seconds": round(service, 3), "service_rate": options.count / service,
                 "endpoint_seconds": round(endpoint, 3),
                 "endpoint_rate": options.count / endpoint})


if __name__ == "__main__":
    main()
