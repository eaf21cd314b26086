"""Driver: how soon a batched completion reaches a WebSocket client, at full throughput
(`make bench`, scenario `visibility`).

    python -m bench.visibility --port P --count 1000 --connections 4

N `bench.stamped` tasks are created ready a few seconds from now (`run_after`), so that
clients on a real daphne can subscribe to all of them first (`connections` WebSocket
connections, N/connections tasks each); then the cluster drains them at its full rate.
Each job returns the wall time it returned at; each client stamps the moment the task's
`completed` update arrives. Reported: job return -> client, in ms (the outcome's trip
through the result queue, the closer's batch and its commit, and the push).
"""
import argparse
import asyncio
import json
import os
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from bench.live import _member_token, percentiles  # noqa: E402
from bench.processes import emit_result  # noqa: E402
from tasks.models import Task  # noqa: E402
from tasks.services import task_create_many  # noqa: E402

HOLD_SECONDS = 5.0  # time for every client to subscribe before the first task is ready


def _tasks(count: int, entity) -> list[str]:
    with transaction.atomic():
        tasks = task_create_many([{"kind": "bench.stamped", "entity": entity}
                                  for _ in range(count)])
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
            run_after=timezone.now() + timedelta(seconds=HOLD_SECONDS))
    return [t.task_id for t in tasks]


async def _client(url: str, task_ids: list[str], received: dict) -> None:
    async with connect(url, max_queue=None, open_timeout=60) as ws:
        for task_id in task_ids:
            await ws.send(json.dumps({"action": "subscribe", "task_id": task_id}))
        waiting = set(task_ids)
        deadline = time.monotonic() + 120
        while waiting and time.monotonic() < deadline:
            raw = await asyncio.wait_for(ws.recv(), deadline - time.monotonic())
            now = time.time()
            message = json.loads(raw)
            if message.get("type") == "task_update" and message.get("data", {}).get(
                    "type") == "completed" and message["task_id"] in waiting:
                received[message["task_id"]] = now
                waiting.discard(message["task_id"])


async def measure(port: int, count: int, connections: int) -> dict:
    token, entity = await sync_to_async(_member_token)()
    task_ids = await sync_to_async(_tasks)(count, entity)
    url = f"ws://127.0.0.1:{port}/ws/tasks/?token={token}"
    received: dict[str, float] = {}
    share = -(-count // connections)
    await asyncio.gather(*(_client(url, task_ids[i:i + share], received)
                           for i in range(0, count, share)))
    returned = await sync_to_async(lambda: dict(
        Task.objects.filter(task_id__in=task_ids).values_list("task_id", "result")))()
    delays = [(received[t] - returned[t]["returned_at"]) * 1000
              for t in task_ids if t in received and returned.get(t)]
    stamps = sorted(r["returned_at"] for r in returned.values() if r)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else None
    return {"count": count, "received": len(received), "connections": connections,
            "rate": (len(stamps) - 1) / span if span else None,
            "return_to_client_ms": percentiles(delays)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    options = parser.parse_args()
    emit_result(asyncio.run(measure(options.port, options.count, options.connections)))


if __name__ == "__main__":
    main()
