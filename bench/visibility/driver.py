"""Driver: how soon a batched completion reaches a WebSocket client, at full throughput
(`make bench`, scenario `visibility`).

    python -m bench.visibility.driver --port P --count 1000 --connections 4

N `bench.stamped` tasks are created held back (`run_after` an hour from now), clients on a
real daphne subscribe to all of them (`connections` WebSocket connections, N/connections
tasks each, every subscription answered with the task's state), and only then are the
tasks released, so that the cluster drains them at its full rate.
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

from bench.harness.processes import emit_result  # noqa: E402
from bench.harness.stats import percentiles  # noqa: E402
from bench.harness.tokens import member_token  # noqa: E402
from tasks.models import Task, TaskEvent, TaskEventType  # noqa: E402
from tasks.ready import ready_after_commit  # noqa: E402
from tasks.services import task_create_many  # noqa: E402

HOLD = timedelta(hours=1)  # until every client has subscribed


def _tasks(count: int, entity) -> list[str]:
    with transaction.atomic():
        tasks = task_create_many([{"kind": "bench.stamped", "entity": entity}
                                  for _ in range(count)])
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(run_after=timezone.now() + HOLD)
    return [t.task_id for t in tasks]


def _release(task_ids: list[str]) -> None:
    with transaction.atomic():
        Task.objects.filter(task_id__in=task_ids).update(run_after=timezone.now())
        ready_after_commit()  # wake the cluster's pusher


async def _client(url: str, task_ids: list[str], received: dict,
                  subscribed: asyncio.Event, seen: dict) -> None:
    async with connect(url, max_queue=None, open_timeout=60) as ws:
        for task_id in task_ids:
            await ws.send(json.dumps({"action": "subscribe", "task_id": task_id}))
        answered, waiting = set(), set(task_ids)
        deadline = time.monotonic() + 60
        while waiting and time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(ws.recv(), deadline - time.monotonic())
            except TimeoutError:
                break  # reported as not received
            now = time.time()
            message = json.loads(raw)
            task_id = message.get("task_id")
            seen.setdefault(task_id, []).append(message.get("data", {}).get("type")
                                                or message.get("type"))
            if message.get("type") == "error":
                raise RuntimeError(f"the server refused a frame: {message}")
            if task_id in waiting and not subscribed.is_set():
                answered.add(task_id)  # its state: the subscription is in place
                if len(answered) == len(task_ids):
                    subscribed.set()
            if message.get("type") == "task_update" and message.get("data", {}).get(
                    "type") == "completed" and task_id in waiting:
                received[task_id] = now
                waiting.discard(task_id)


async def measure(port: int, count: int, connections: int) -> dict:
    token, entity = await sync_to_async(member_token)()
    task_ids = await sync_to_async(_tasks)(count, entity)
    url = f"ws://127.0.0.1:{port}/ws/tasks/?token={token}"
    received: dict[str, float] = {}
    share = -(-count // connections)
    shares = [task_ids[i:i + share] for i in range(0, count, share)]
    subscribed = [asyncio.Event() for _ in shares]
    seen: dict[str, list] = {}
    clients = asyncio.gather(*(_client(url, ids, received, event, seen)
                               for ids, event in zip(shares, subscribed)))
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in subscribed)), 120)
    await sync_to_async(_release)(task_ids)
    await clients
    returned = await sync_to_async(lambda: dict(
        Task.objects.filter(task_id__in=task_ids).values_list("task_id", "result")))()
    written = await sync_to_async(lambda: {
        task_id: at.timestamp() for task_id, at in TaskEvent.objects.filter(
            task__task_id__in=task_ids, event_type=TaskEventType.COMPLETED,
        ).values_list("task__task_id", "created_at")})()
    delays = [(received[t] - returned[t]["returned_at"]) * 1000
              for t in task_ids if t in received and returned.get(t)]
    # The trip in two legs: to the closer's batch (its completed event, stamped just before
    # the commit), then the commit and the push to the client.
    to_closer = [(written[t] - returned[t]["returned_at"]) * 1000
                 for t in task_ids if t in written and returned.get(t)]
    to_client = [(received[t] - written[t]) * 1000 for t in task_ids
                 if t in received and t in written]
    stamps = sorted(r["returned_at"] for r in returned.values() if r)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else None
    return {"count": count, "received": len(received), "connections": connections,
            "rate": (len(stamps) - 1) / span if span else None,
            "return_to_client_ms": percentiles(delays),
            "return_to_closer_ms": percentiles(to_closer),
            "closer_to_client_ms": percentiles(to_client),
            "missed": await sync_to_async(_missed)(
                {t: seen.get(t) for t in task_ids if t not in received})}


def _missed(seen: dict) -> dict:
    """For each task whose completion no client saw: what the client saw, and the task."""
    return {task.task_id: {"seen": seen[task.task_id], "status": task.status,
                           "events": [(e.id, e.event_type) for e in task.events.order_by("id")]}
            for task in Task.objects.filter(task_id__in=list(seen))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    options = parser.parse_args()
    emit_result(asyncio.run(measure(options.port, options.count, options.connections)))


if __name__ == "__main__":
    main()
