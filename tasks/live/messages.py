"""What live clients receive, and the reads behind it.

A persisted TaskEvent travels through the channel layer as a *live event* (a small dict
keyed by its seq); the WebSocket consumer turns it into seed 001's messages and the SSE
stream into seed 004's `task_event`s. Every message carries the event's `seq`, so a client
can resume after the last one it saw and drop anything it already has.
"""
import hashlib
import json
import re
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from costs.models import RequestRecord
from tasks.models import FINISHED_STATUSES, Task, TaskEvent, TaskEventType, TaskStatus
from tasks.registry import progress_unit_fields
from tasks.selectors import task_visible

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
_GROUP_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


def live_mode() -> str:
    """`push` when workers can reach daphne through Redis, else `relay` (embedded default)."""
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return "push" if "redis" in backend.lower() else "relay"


def live_group(task_id: str) -> str:
    """The channel layer group of one task's subscribers."""
    # Group names allow only ASCII letters, digits, '-', '_' and '.', under 100 characters.
    if _GROUP_SAFE.match(task_id):
        return f"task.{task_id}"
    return f"task.h{hashlib.sha256(task_id.encode()).hexdigest()[:40]}"


def task_stream_url(task_id: str, *, prefix: str = "/api/") -> str:
    """Seed 004's `stream_url` for a task."""
    return f"{prefix}tasks/{task_id}/stream"


# --- reads (sync; callers in async code wrap them in database_sync_to_async) -----------
def live_task_get(*, user, task_id: str) -> Task | None:
    """A visible task with `last_seq` (its newest event) read in the same statement, or None.

    One statement, so the row is at least as new as `last_seq`: a subscriber shown this
    state and then events after `last_seq` misses nothing.
    """
    newest = TaskEvent.objects.filter(task=OuterRef("pk")).order_by("-id").values("id")[:1]
    return (
        task_visible(user=user).filter(task_id=task_id)
        .annotate(last_seq=Subquery(newest)).first()
    )


def live_events_after(*, task: Task, after: int, limit: int = 500) -> list[dict]:
    """The task's persisted events after seq `after`, as live events, oldest first."""
    events = list(task.events.filter(id__gt=after).order_by("id")[:limit])
    cost = live_costs(task_ids=[task.task_id]).get(task.task_id) if events else None
    return [live_event(event=event, task_id=task.task_id, cost=cost) for event in events]


def live_events_between(*, task_pk: int, task_id: str, after: int, before: int) -> list[dict]:
    """The task's persisted events with after < seq < before (a gap in what was pushed)."""
    events = list(TaskEvent.objects.filter(task_id=task_pk, id__gt=after, id__lt=before)
                  .order_by("id"))
    cost = live_costs(task_ids=[task_id]).get(task_id) if events else None
    return [live_event(event=event, task_id=task_id, cost=cost) for event in events]


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


# Tasks per query: one condition each, OR-ed; SQLite refuses an expression tree deeper
# than 1,000, and a daphne process may follow more tasks than that.
CURSORS_PER_QUERY = 200


def live_events_for(*, cursors: dict[int, int], limit: int = 2000) -> list[dict]:
    """Events of several tasks, each after its own cursor (task pk -> seq), oldest first;
    at most `limit` for each CURSORS_PER_QUERY tasks."""
    followed = list(cursors.items())
    events = []
    for start in range(0, len(followed), CURSORS_PER_QUERY):
        condition = Q()
        for task_pk, after in followed[start:start + CURSORS_PER_QUERY]:
            condition |= Q(task_id=task_pk, id__gt=after)
        events += (
            TaskEvent.objects.filter(condition)
            .annotate(public_id=Subquery(Task.objects.filter(pk=OuterRef("task_id"))
                                         .values("task_id")))
            .order_by("id")[:limit]
        )
    events.sort(key=lambda event: event.id)
    costs = live_costs(task_ids={event.public_id for event in events}) if events else {}
    return [
        live_event(event=event, task_id=event.public_id, cost=costs.get(event.public_id))
        for event in events
    ]


def live_costs(*, task_ids) -> dict[str, Decimal]:
    """What each task has cost so far (every ledger record carrying its task_id); a group's
    cost includes its children's."""
    task_ids = list(task_ids)
    children = list(Task.objects.filter(parent__task_id__in=task_ids)
                    .values_list("task_id", "parent__task_id"))
    totals = dict(
        RequestRecord.objects.filter(task_id__in=[*task_ids, *(child for child, _ in children)])
        .values_list("task_id").annotate(total=Sum("cost")).order_by()
    )
    costs = {task_id: totals[task_id] for task_id in task_ids if task_id in totals}
    for child, group in children:
        if child in totals:
            costs[group] = costs.get(group, Decimal(0)) + totals[child]
    return costs


# --- live events ------------------------------------------------------------------------
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
    """Seed 001's `progress_update` or `task_update` for one live event."""
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
    """One seed 004 `task_event`, its id the event's seq (for Last-Event-ID)."""
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
