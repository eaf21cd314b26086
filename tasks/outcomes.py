"""How attempts end: the worker says what happened, the cluster's closer writes it, in batches.

A worker that finishes a job does not write its outcome itself. It hands an `Outcome` to
django-q2's result queue, and the cluster's monitor process (tasks.closer) writes every
outcome waiting there in one transaction: the task rows, their events and the attempts'
ledger records, a few statements for the whole batch, however many tasks it holds. Under
load batches form by themselves (results wait while the previous batch commits); when it
is quiet a batch holds one outcome and is written at once, so nothing waits for a batch to
fill.

Completion is therefore at-least-once: an outcome lost with a killed process (the worker
before it handed it over, the monitor before its batch committed) leaves the task
processing with a silent heartbeat, and the reaper retries it, with the attempt counted.
Paid usage is not part of the outcome: a job records it as soon as it is paid for
(costs.services.usage_record), so a lost outcome loses no money.
"""
import functools
import json
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from costs.models import RequestRecord
from tasks.models import Task, TaskEvent, TaskEventType, TaskStatus
from tasks.ready import ready_after_commit
from tasks.signals import task_event_committed, task_event_recorded
from tasks.transitions import group_refresh, task_transition

logger = logging.getLogger(__name__)

LOST = "lost"  # the attempt no longer owned its task when it ended: nothing to write but its record
_LOST_MESSAGE = "the attempt lost its task (cancelled, timed out or recovered elsewhere)"

# How an attempt's ledger record reports its outcome, HTTP-style.
_ATTEMPT_STATUS_CODES = {
    TaskStatus.COMPLETED: 200,
    TaskStatus.PENDING: 503,     # failed, will be retried
    TaskStatus.CANCELLED: 499,
    TaskStatus.FAILED: 500,
}

# A batch's rows are updated with one `UPDATE ... FROM (VALUES ...)` per table, in fixed
# SQL: Django's bulk_update builds a CASE per column and row, which cost ~2 ms of CPU per
# task, more than the rest of the task's path (the benchmark target: CPU per tracked
# no-op at most 1.5x bare django-q2's, at most 3 statements per task).
# Only a row whose claim is still current: processing under the attempt's token.
_COMPLETE = (Task._meta.db_table, (
    ("id", "bigint"), ("token", "text"), ("ended_at", "timestamptz"), ("result", "jsonb"),
    ("text", "text"), ("processed", "bigint"), ("total", "bigint"),
), """status = 'completed', updated_at = v.ended_at, completed_at = v.ended_at, eta = NULL,
      result = v.result, error_message = '', progress = 1.0, progress_text = v.text,
      processed_units = v.processed, total_units = v.total""",
    f"{Task._meta.db_table}.status = 'processing'",
    f"{Task._meta.db_table}.dispatch_token = v.token")
_CLOSE = (RequestRecord._meta.db_table, (
    ("id", "bigint"), ("code", "integer"), ("error", "text"), ("ended_at", "timestamptz"),
    ("ms", "double precision"),
), """status_code = v.code, error_message = v.error, completed_at = v.ended_at,
      processing_time_ms = v.ms""")
_ROWS_PER_STATEMENT = 120  # SQLite's 999 parameters, at 7 a row


@dataclass
class Outcome:
    """How one attempt ended, as its worker saw it (picklable: it crosses processes)."""

    task_pk: int
    token: str          # the claim the attempt ran under: a stale one writes nothing
    status: str         # completed, failed, cancelled, or LOST
    record_pk: int | None = None
    ended_at: datetime = field(default_factory=timezone.now)
    processing_ms: float | None = None
    result: object = None       # JSON-ready
    error: str = ""
    retryable: bool = False
    progress: dict = field(default_factory=dict)  # the job's last progress report
    started_seq: int | None = None  # the attempt's task_started event (for the live push)


def retry_delay(retry_number: int) -> float:
    """Seconds to wait before retry `retry_number` (1-based): base * 2**(n-1), +/-10% jitter."""
    return settings.RETRY_BASE_DELAY * 2 ** (retry_number - 1) * random.uniform(0.9, 1.1)


def task_attempt_failed(*, task: Task, error: str, retryable: bool, **changes) -> Task:
    """Record a failed attempt of a locked, processing task (worker or reaper)."""
    if retryable and task.attempts < task.max_attempts:
        delay = retry_delay(task.attempts)
        run_after = timezone.now() + timedelta(seconds=delay)
        return task_transition(
            task=task, to=TaskStatus.PENDING, error_message=error, run_after=run_after,
            event_data={
                "error": error, "retry_count": task.attempts,
                "delay_seconds": round(delay, 3), "run_after": run_after.isoformat(),
            },
            **changes,
        )
    if retryable:
        error = f"{error} (gave up after {task.attempts} attempts)"
    return task_transition(
        task=task, to=TaskStatus.FAILED, error_message=error,
        event_data={"error": error, "retry_count": task.retry_count}, **changes,
    )


def outcomes_close(outcomes: list[Outcome]) -> None:
    """Write a batch of outcomes in one transaction.

    Completions, the common case, take three statements for the whole batch: update the
    task rows whose claims are still current (which also reads their costs for the live
    push), insert their events, close their ledger records. Failures and cancellations go
    through the task's state machine one by one, in the same transaction.
    """
    if not outcomes:
        return
    with transaction.atomic():
        records = []
        completing = [o for o in outcomes if o.status == TaskStatus.COMPLETED]
        written = _completions_write(completing) if completing else set()
        for outcome in completing:
            if outcome.task_pk in written:
                records.append(_record(outcome, 200, ""))
            else:
                _dropped(outcome)
                records.append(_record(outcome, 409, _LOST_MESSAGE))
        others = [o for o in outcomes if o.status != TaskStatus.COMPLETED]
        locked = (Task.objects.select_for_update().in_bulk([o.task_pk for o in others])
                  if others else {})
        for outcome in others:
            task = locked.get(outcome.task_pk)
            current = (task is not None and task.status == TaskStatus.PROCESSING
                       and task.dispatch_token == outcome.token)
            if outcome.status == LOST or not current:
                if outcome.status != LOST:
                    _dropped(outcome)
                records.append(_record(outcome, 409, _LOST_MESSAGE))
                continue
            final = _finish(task, outcome)
            code = _ATTEMPT_STATUS_CODES.get(final.status, 500)
            if final.status == TaskStatus.FAILED and final.error_message.startswith("timed out"):
                code = 504
            records.append(_record(outcome, code, final.error_message))
        _update_from_values(_CLOSE, [record for record in records if record is not None])


def _dropped(outcome: Outcome) -> None:
    logger.warning("task %s: attempt no longer owns the task; outcome dropped", outcome.task_pk)


def _completions_write(completing: list[Outcome]) -> set[int]:
    """Complete the tasks whose claims these attempts still hold; their primary keys.

    One `UPDATE ... FROM (VALUES ...) RETURNING` checks each claim, updates the row and
    reads it back with what its task has cost so far (for the live push): no locking read
    before it, and no cost query after it.
    """
    at = connection.ops.adapt_datetimefield_value
    rows = [
        (outcome.task_pk, outcome.token, at(outcome.ended_at),
         None if outcome.result is None else json.dumps(outcome.result),
         outcome.progress.get("progress_text", ""), outcome.progress.get("processed_units"),
         outcome.progress.get("total_units"))
        for outcome in sorted(completing, key=lambda o: o.task_pk)  # rows locked in one order
    ]
    tasks = _completed_rows(rows)
    if not tasks:
        return set()
    events = TaskEvent.objects.bulk_create([
        TaskEvent(task=task, event_type=TaskEventType.COMPLETED,
                  data={"status": TaskStatus.COMPLETED, "attempt": task.attempts,
                        "result": task.result})
        for task in tasks
    ])
    for event, task in zip(events, tasks):
        task_event_recorded.send(sender=TaskEvent, event=event, task=task)
    for parent_pk in sorted({task.parent_id for task in tasks if task.parent_id}):
        group_refresh(parent_pk=parent_pk)
    ready_after_commit()  # their dependents may be ready now
    started = {outcome.task_pk: outcome.started_seq for outcome in completing}
    batch = {"tasks": tasks, "costs": {task.task_id: _decimal(task.cost_so_far)
                                       for task in tasks},
             "after": {task.task_id: started[task.pk] for task in tasks}}

    def committed():
        for event, task in zip(events, tasks):
            task_event_committed.send(sender=TaskEvent, event=event, task=task, batch=batch)

    transaction.on_commit(committed)
    return {task.pk for task in tasks}


def _completed_rows(rows: list[tuple]) -> list[Task]:
    tasks = []
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start:start + _ROWS_PER_STATEMENT]
        tasks += Task.objects.raw(_update_sql(_COMPLETE, len(chunk), returning=_completed_returning()),
                                  [value for row in chunk for value in row])
    return tasks


@functools.cache
def _completed_returning() -> str:
    """The completed rows, read back, and what each task has cost so far (not a group:
    groups run no job, so only their own records count)."""
    table = Task._meta.db_table
    columns = ", ".join(f"{table}.{field.column}" for field in Task._meta.concrete_fields)
    return (f"{columns}, (SELECT coalesce(sum(r.cost), 0) FROM {RequestRecord._meta.db_table} r "
            f"WHERE r.task_id = {table}.task_id) AS cost_so_far")


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _finish(task: Task, outcome: Outcome) -> Task:
    """A failed or cancelled attempt, through the state machine."""
    changes = dict(outcome.progress)
    changes.pop("eta", None)
    if outcome.status == TaskStatus.CANCELLED:
        return task_transition(task=task, to=TaskStatus.CANCELLED,
                               event_data={"reason": "cancelled by request"},
                               error_message="cancelled by request", **changes)
    return task_attempt_failed(task=task, error=outcome.error, retryable=outcome.retryable,
                               **changes)


def _record(outcome: Outcome, status_code: int, error: str) -> tuple | None:
    """The attempt's ledger record's closing values (a row for _CLOSE)."""
    if outcome.record_pk is None:
        return None
    return (outcome.record_pk, status_code, error,
            connection.ops.adapt_datetimefield_value(outcome.ended_at), outcome.processing_ms)


def _update_from_values(statement, rows: list[tuple]) -> None:
    """Update many rows of one table, each with its own values, in one statement."""
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start:start + _ROWS_PER_STATEMENT]
        with connection.cursor() as cursor:
            cursor.execute(_update_sql(statement, len(chunk)),
                           [value for row in chunk for value in row])


def _update_sql(statement, count: int, *, returning: str = "") -> str:
    """`UPDATE table SET ... FROM (VALUES ...) AS v WHERE table.id = v.id [AND ...]` for
    `count` rows."""
    table, columns, assignments, *condition = statement
    names = ", ".join(name for name, _ in columns)
    if connection.vendor == "postgresql":  # the first row's casts type the VALUES columns
        first = "(" + ", ".join(f"%s::{kind}" for _, kind in columns) + ")"
        rest = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * (count - 1))
        values = f"(VALUES {first}{', ' + rest if rest else ''}) AS v ({names})"
    else:  # SQLite names a VALUES list's columns column1, column2, ...
        picked = ", ".join(f"column{i} AS {name}" for i, (name, _) in
                           enumerate(columns, start=1))
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        values = f"(SELECT {picked} FROM (VALUES {', '.join([row] * count)})) AS v"
    where = " AND ".join([f"{table}.id = v.id", *condition])
    return (f"UPDATE {table} SET {assignments} FROM {values} WHERE {where}"
            + (f" RETURNING {returning}" if returning else ""))
