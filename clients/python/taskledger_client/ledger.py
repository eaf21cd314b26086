"""The hand-written layer over the generated client: wait for a task, read its final cost.

Kept outside the generated files (scripts/client_generate.sh keeps this module when it
regenerates the package). It follows the task's Server-Sent Events stream,
`GET /api/tasks/{task_id}/stream` (docs/live.md): `event: task_event`, `id: <seq>`, `data`
a JSON object `{"event_type", "data", "task_id", "seq"}`; the stream ends after the task's
terminal event, and answers 204 when asked again after it. A dropped stream is resumed with
`Last-Event-ID`, so no event is lost or repeated.

    from taskledger_client import AuthenticatedClient
    from taskledger_client.ledger import Ledger

    ledger = Ledger(AuthenticatedClient(base_url="http://127.0.0.1:8000", token=KEY,
                                        prefix="Token"))
    final = ledger.wait(task_id, on_progress=lambda event: print(event["data"]["progress"]))
    print(ledger.cost(task_id).total_cost_usd)
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote

import httpx

from .client import AuthenticatedClient, Client
from .errors import UnexpectedStatus
from .models.task import Task
from .models.task_cost_estimate import TaskCostEstimate

TERMINAL_EVENTS = frozenset({"task_completed", "task_failed", "task_cancelled"})
# The server waits at most this long on one `?wait=` (COST_WAIT_MAX_SECONDS).
COST_WAIT_MAX_SECONDS = 60


class Ledger:
    """Follow tasks and read their costs through one generated client."""

    def __init__(self, client: AuthenticatedClient | Client):
        self.client = client

    def wait(self, task_id: str, on_progress: Callable[[dict], None] | None = None, *,
             timeout: float | None = None) -> Task:
        """Follow the task's events until it ends; return the task as it ended.

        `on_progress(event)` is called with every event (`event["event_type"]`,
        `event["data"]`; a `progress_update`'s `data["progress"]` is 0 to 100).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        last_seq = None
        while True:
            ended = False
            for event in self._events(task_id, last_seq):
                last_seq = event["seq"]
                if on_progress is not None:
                    on_progress(event)
                if event["event_type"] in TERMINAL_EVENTS:
                    ended = True
            task = self._task(task_id)
            if ended or task.status in ("completed", "failed", "cancelled"):
                return task
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"task {task_id} has not ended after {timeout} s")
            time.sleep(0.5)  # the stream dropped before the end: resume after last_seq

    def cost(self, task_id: str, wait: bool = True, *, timeout: float = 300) -> TaskCostEstimate:
        """The task's cost; with `wait`, once it is final (every attempt's record closed)."""
        deadline = time.monotonic() + timeout
        while True:
            seconds = min(COST_WAIT_MAX_SECONDS, max(0, deadline - time.monotonic())) if wait else 0
            response = self.client.get_httpx_client().get(
                f"/api/tasks/{quote(task_id, safe='')}/cost", params={"wait": seconds},
                timeout=seconds + 30)
            if response.status_code not in (200, 202):
                raise UnexpectedStatus(response.status_code, response.content)
            cost = TaskCostEstimate.from_dict(response.json())
            if cost.final or not wait or time.monotonic() >= deadline:
                return cost

    def _task(self, task_id: str) -> Task:
        response = self.client.get_httpx_client().get(f"/api/tasks/{quote(task_id, safe='')}/")
        if response.status_code != 200:
            raise UnexpectedStatus(response.status_code, response.content)
        return Task.from_dict(response.json())

    def _events(self, task_id: str, last_seq: int | None) -> Iterator[dict]:
        """The events of one connection to the stream (none once the task has ended)."""
        headers = {"Accept": "text/event-stream"}
        if last_seq is not None:
            headers["Last-Event-ID"] = str(last_seq)
        try:
            with self.client.get_httpx_client().stream(
                    "GET", f"/api/tasks/{quote(task_id, safe='')}/stream", headers=headers,
                    timeout=httpx.Timeout(10, read=60)) as response:
                if response.status_code == 204:  # it had already ended
                    return
                if response.status_code != 200:
                    response.read()
                    raise UnexpectedStatus(response.status_code, response.content)
                yield from _parse_sse(response.iter_lines())
        except (httpx.ReadTimeout, httpx.RemoteProtocolError):
            return  # dropped: the caller resumes after the last seq it saw


def _parse_sse(lines: Iterator[str]) -> Iterator[dict]:
    """Server-Sent Events lines -> each `task_event`'s JSON data."""
    event_name, data = "message", []
    for line in lines:
        if not line:
            if data and event_name == "task_event":
                yield json.loads("\n".join(data))
            event_name, data = "message", []
        elif line.startswith(":"):
            continue  # keep-alive comment
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event_name = value
            elif field == "data":
                data.append(value)
