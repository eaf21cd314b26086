"""What live clients receive.

A persisted TaskEvent travels through the channel layer as a *live event* (a small dict
keyed by its seq); the WebSocket consumer turns it into `progress_update` and
`task_update` messages, the SSE stream into `task_event`s (docs/live.md). Every message
carries the event's `seq`, so a client can resume after the last one it saw and drop
anything it already has.
"""
import json
from decimal import Decimal

from django.utils import timezone

from tasks.live.addresses import live_mode
from tasks.models import FINISHED_STATUSES, Task, TaskEvent, TaskEventType, TaskStatus
from tasks.registry import progress_unit_fields

LIVE_EVENT_TYPE = "task.event"  # the channel layer message type (handled by `task_event`)
TERMINAL_EVENT_TYPES = {
    TaskEventType.COMPLETED, TaskEventType.FAILED, TaskEventType.CANCELLED,
}
_UPDATE_TYPE = {
    TaskEventType.STARTED: "started",
    TaskEventType.COMPLETED: "completed",
    TaskEventType.FAILED: "failed",
    TaskEventType.CANCELLED: "cancelled",
    TaskEventType.RETRYING: "retrying",
}
_STATUS_UPDATE_TYPE = {
    TaskStatus.COMPLETED: "completed", TaskStatus.FAILED: "failed",
    TaskStatus.CANCELLED: "cancelled",
}


def needs_backfill(live: dict, last_seq: int) -> bool:
    """Whether to read the events before a pushed state change that the client may lack.

    In Redis mode a push can be lost (a full channel, a worker that died before its
    sender thread sent). Progress is latest-wins, but a state change must never be
    missed or arrive before what preceded it, so before delivering one the stream reads
    whatever lies between the last seq it sent (`last_seq`) and this one. A push that
    names the state change it follows (`after_seq`, tasks.live.push) needs no read once that
    one was delivered: the common case, which keeps the database off the live path. The
    relay reads the database in order and never needs this.
    """
    if live["event_type"] == TaskEventType.PROGRESS or live_mode() != "push":
        return False
    after = live.get("after_seq")
    return after is None or last_seq < after


def live_event(*, event: TaskEvent, task_id: str, cost: Decimal | None,
               after_seq: int | None = None) -> dict:
    """The channel layer message for one persisted event (msgpack-safe: no Decimals).

    It carries the WebSocket frame ready-made, so a task followed by many clients is
    serialised once, not once per client. `after_seq`: the seq of the task's state change
    this one follows (0: none), when the sender knows it (needs_backfill).
    """
    live = {
        "type": LIVE_EVENT_TYPE,
        "task_id": task_id,
        "task_pk": event.task_id,
        "seq": event.id,
        "event_type": event.event_type,
        "data": event.data,
        "cost_usd": float(cost) if cost is not None else 0.0,
        "created_at": event.created_at.isoformat() if event.created_at else None,
        "after_seq": after_seq,
    }
    live["ws_text"] = json.dumps(ws_message(live))
    return live


def is_terminal(live: dict) -> bool:
    return live["event_type"] in TERMINAL_EVENT_TYPES


def _percent(value) -> float:
    return round((value or 0.0) * 100, 1)


def _unit_counts(data: dict) -> dict:
    """The event's unit counts under every name it was recorded with (units, chunks...)."""
    counts = {key: value for key, value in data.items()
              if key.startswith(("processed_", "total_"))}
    counts.setdefault("processed_units", None)
    counts.setdefault("total_units", None)
    return counts


def ws_message(live: dict) -> dict:
    """The WebSocket's `progress_update` or `task_update` for one live event (docs/live.md)."""
    data, event_type = live["data"], live["event_type"]
    head = {"task_id": live["task_id"], "seq": live["seq"], "event_type": event_type}
    if event_type == TaskEventType.PROGRESS:
        return {"type": "progress_update", **head, "data": {
            "progress": _percent(data.get("value")),
            **_unit_counts(data),
            "eta": data.get("eta"),
            "text": data.get("text", ""),
            "value": data.get("value"),
            "status": TaskStatus.PROCESSING,
            "cost_usd": live["cost_usd"],
        }}
    update = {
        "type": _UPDATE_TYPE.get(event_type, event_type),
        "status": data.get("status"),
        "attempt": data.get("attempt"),
        "cost_usd": live["cost_usd"],
    }
    if event_type == TaskEventType.COMPLETED:
        result = data.get("result")
        update.update(result=result, progress=100.0)
        if isinstance(result, dict) and "chunk_ids" in result:
            update["chunk_ids"] = result["chunk_ids"]
    elif event_type in (TaskEventType.FAILED, TaskEventType.RETRYING):
        update["error_message"] = data.get("error", "")
        update["retry_count"] = data.get("retry_count", max((data.get("attempt") or 1) - 1, 0))
        if event_type == TaskEventType.RETRYING:
            update.update(run_after=data.get("run_after"), delay_seconds=data.get("delay_seconds"))
    elif event_type == TaskEventType.CANCELLED:
        update["error_message"] = data.get("reason", "")
    return {"type": "task_update", **head, "data": update}


def ws_state_messages(*, task: Task, cost: Decimal | None) -> list[dict]:
    """A new subscriber's first messages: the task as it is now (and how it ended)."""
    seq = task.last_seq or 0
    cost_usd = float(cost) if cost is not None else 0.0
    head = {"task_id": task.task_id, "seq": seq, "event_type": "state"}
    messages = [{"type": "progress_update", **head, "data": {
        "progress": _percent(task.progress),
        **progress_unit_fields(task.kind, task.processed_units, task.total_units),
        "eta": task.eta.isoformat() if task.eta else None,
        "text": task.progress_text,
        "value": task.progress,
        "status": task.status,
        "error_message": task.error_message,
        "retry_count": task.retry_count,
        "cost_usd": cost_usd,
    }}]
    if task.status in FINISHED_STATUSES:
        update = {"type": _STATUS_UPDATE_TYPE[task.status], "status": task.status,
                  "attempt": task.attempts, "cost_usd": cost_usd}
        if task.status == TaskStatus.COMPLETED:
            update.update(result=task.result, progress=100.0)
            if isinstance(task.result, dict) and "chunk_ids" in task.result:
                update["chunk_ids"] = task.result["chunk_ids"]
        else:
            update.update(error_message=task.error_message, retry_count=task.retry_count)
        messages.append({"type": "task_update", **head, "data": update})
    return messages


def sse_event(live: dict) -> str:
    """One SSE `task_event`, its id the event's seq (for Last-Event-ID)."""
    data = dict(live["data"], cost_usd=live["cost_usd"])
    if live["event_type"] == TaskEventType.PROGRESS:
        data["progress"] = _percent(data.get("value"))
    if live["event_type"] == TaskEventType.FAILED:
        data.setdefault("error", "")
    payload = json.dumps({"event_type": live["event_type"], "data": data,
                          "task_id": live["task_id"], "seq": live["seq"]})
    return f"id: {live['seq']}\nevent: task_event\ndata: {payload}\n\n"


def now_iso() -> str:
    return timezone.now().isoformat()
