"""A worker starts its claim: the task row, its `task_started` event and the attempt's
ledger record, in one statement on PostgreSQL.

Starting is on every task's path, so it does not lock, read and then update the row as
`task_transition` does. On PostgreSQL one data-modifying CTE updates the row only if the
claim is still current, inserts the event and the attempt's ledger record from what the
update returned, and reads what the task has cost so far (for the live push). It is fixed
SQL rather than the ORM for two benchmark targets: at most 3 statements per tracked task,
and CPU at most 1.5x bare django-q2's (docs/benchmarks.md). SQLite, which has no
data-modifying CTEs, takes three statements in one transaction. The event is written in
the transaction that updated its task's row, so a task's events commit in id order.
"""
import functools
import json
import os
import socket

from django.db import connection, transaction
from django.utils import timezone

from core.fixedsql import FixedQuery
from costs.models import RequestRecord
from costs.services import JOB_METHOD, request_id_new, request_record_open
from tasks.models import Task, TaskEvent, TaskEventType, TaskStatus
from tasks.registry import job_kind_get
from tasks.signals import task_event_committed, task_event_recorded
from tasks.transitions import group_refresh

_TASKS = Task._meta.db_table
_EVENTS = TaskEvent._meta.db_table
_RECORDS = RequestRecord._meta.db_table

_START = f"""
    UPDATE {_TASKS} SET status = 'processing', started_at = %(now)s, completed_at = NULL,
        heartbeat_at = %(now)s, updated_at = %(now)s, attempts = attempts + 1,
        q_task_id = %(q_task_id)s, worker = %(worker)s
    WHERE id = %(pk)s AND status = 'pending' AND dispatch_token = %(token)s
    RETURNING *"""
_EVENT_POSTGRESQL = f"""
        INSERT INTO {_EVENTS} (task_id, event_type, data, created_at)
        SELECT id, %(event_type)s,
               jsonb_build_object('status', 'processing', 'attempt', attempts), %(now)s
        FROM started
        RETURNING id AS started_event_id"""
_ATTEMPT_POSTGRESQL = f"""
    WITH started AS ({_START}),
    event AS ({_EVENT_POSTGRESQL}),
    record AS ({{record}})
    SELECT {{columns}}, event.started_event_id, record.record_id,
        (SELECT coalesce(sum(r.cost), 0) FROM {_RECORDS} r
         WHERE r.task_id = started.task_id) AS cost_so_far
    FROM started, event, record"""
_EVENT_SQLITE = (f"INSERT INTO {_EVENTS} (task_id, event_type, data, created_at) "
                 f"VALUES (%s, %s, %s, %s) RETURNING id")

# The attempt's ledger record takes these columns from the started row, and every other
# one from the record's own defaults, so that a new ledger field needs no change here.
_RECORD_FROM_TASK = {
    "task_id": "started.task_id",
    "doc_id": "left(coalesce(started.metadata->>'doc_id', ''), 64)",
    "entity_id": "started.entity_id",
    "user_id": "started.created_by_id",
    "endpoint": "left('job:' || started.kind, 200)",
}


def attempt_start(*, task_pk: int, token: str, q_task_id: str = "",
                  kind: str = "") -> tuple[Task, RequestRecord] | None:
    """Start a claimed attempt and open its ledger record, committed together; None if
    the claim is no longer current. `kind`, when the claim says it, lets PostgreSQL do it
    all in one statement."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    with transaction.atomic():
        if connection.vendor == "postgresql" and kind:
            return _attempt_start_postgresql(task_pk, token, q_task_id, worker, kind)
        task = task_started(task_pk=task_pk, token=token, q_task_id=q_task_id, worker=worker)
        if task is None:
            return None
        return task, request_record_open(
            endpoint=f"job:{task.kind}", method=JOB_METHOD, entity=task.entity,
            user=task.created_by, task_id=task.task_id,
            doc_id=str(task.metadata.get("doc_id", "")), **_kind_fields(task.kind))


def _kind_fields(kind_name: str) -> dict:
    """How the ledger names an attempt of this job kind."""
    kind = job_kind_get(kind_name)
    return {"operation_type": (kind.operation_type if kind else "task_run")[:40],
            "task_type": ((kind and kind.task_type) or kind_name)[:40]}


def _attempt_start_postgresql(task_pk, token, q_task_id, worker, kind):
    now = timezone.now()
    params = _params(task_pk, token, q_task_id, worker, now)
    record = RequestRecord(request_id=request_id_new(), method=JOB_METHOD, created_at=now,
                           **_kind_fields(kind))
    for field in _record_default_fields():
        params[f"r_{field.column}"] = field.get_db_prep_save(getattr(record, field.attname),
                                                             connection)
    rows = _attempt_query().rows(params)
    if not rows:
        return None
    *values, event_id, record_id, cost_so_far = rows[0]
    task = Task.from_db(connection.alias, _TASK_ATTNAMES, values)
    record.id, record.task_id, record.entity_id = record_id, task.task_id, task.entity_id
    record.user_id, record.endpoint = task.created_by_id, f"job:{task.kind}"[:200]
    record.doc_id = str(task.metadata.get("doc_id", ""))[:64]
    record._state.adding, record._state.db = False, connection.alias
    _started(task, event_id, now, cost=cost_so_far)
    return task, record


@functools.cache
def _record_default_fields() -> list:
    """The ledger record's columns that take the record's own values, not the task's."""
    return [field for field in RequestRecord._meta.concrete_fields
            if not field.primary_key and field.column not in _RECORD_FROM_TASK]


_TASK_ATTNAMES = [field.attname for field in Task._meta.concrete_fields]


@functools.cache
def _attempt_query() -> FixedQuery:
    """The start statement, built once: the record's columns are read from its model, and
    the task's row comes back converted as the ORM converts it (core/fixedsql.py), for
    the benchmark target on CPU per tracked task (a RawQuerySet spent ~0.3 ms a start
    mapping its columns)."""
    def build(quote_name):
        columns, values = [], []
        for field in RequestRecord._meta.concrete_fields:
            if not field.primary_key:
                columns.append(field.column)
                values.append(_RECORD_FROM_TASK.get(field.column, f"%(r_{field.column})s"))
        insert = (f"INSERT INTO {_RECORDS} ({', '.join(columns)}) SELECT {', '.join(values)} "
                  f"FROM started RETURNING id AS record_id")
        selected = [(field, "started") for field in Task._meta.concrete_fields]
        sql = _ATTEMPT_POSTGRESQL.replace("{record}", insert).replace(
            "{columns}", ", ".join(f"started.{field.column}" for field, _ in selected))
        extras = [(TaskEvent._meta.pk, "event"), (RequestRecord._meta.pk, "record"),
                  (RequestRecord._meta.get_field("cost"), "cost")]
        return sql, selected + extras
    return FixedQuery(build)


def _params(task_pk, token, q_task_id, worker, now) -> dict:
    return {"pk": task_pk, "token": token, "q_task_id": q_task_id[:64], "worker": worker[:255],
            "now": connection.ops.adapt_datetimefield_value(now),
            "event_type": TaskEventType.STARTED}


def task_started(*, task_pk: int, token: str, q_task_id: str, worker: str) -> Task | None:
    """Move a claimed task to processing; None if the claim is no longer current
    (the task was cancelled, re-prioritised elsewhere or released and claimed again)."""
    now = timezone.now()
    params = _params(task_pk, token, q_task_id, worker, now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = list(Task.objects.raw(
                f"WITH started AS ({_START}), event AS ({_EVENT_POSTGRESQL}) "
                f"SELECT started.*, event.started_event_id FROM started, event", params))
            if not rows:
                return None
            task = rows[0]
            event_id = task.started_event_id
        else:
            rows = list(Task.objects.raw(_START, params))
            if not rows:
                return None
            task = rows[0]
            with connection.cursor() as cursor:
                cursor.execute(_EVENT_SQLITE, [task.pk, TaskEventType.STARTED, json.dumps(
                    {"status": TaskStatus.PROCESSING, "attempt": task.attempts}), params["now"]])
                event_id = cursor.fetchone()[0]
        _started(task, event_id, now)
    return task


def _started(task: Task, event_id: int, now, *, cost=None) -> None:
    """Tell the receivers (in the transaction) and the live push (after it commits);
    `cost`: what the task has cost so far, when the start statement read it. The task
    keeps its start's seq (`started_event_id`): the attempt's outcome names it, so that
    the push of the attempt's end says which state change it follows (tasks.live.push)."""
    task.started_event_id = event_id
    event = TaskEvent(id=event_id, task=task, event_type=TaskEventType.STARTED,
                      data={"status": TaskStatus.PROCESSING, "attempt": task.attempts},
                      created_at=now)
    task_event_recorded.send(sender=TaskEvent, event=event, task=task)
    batch = None if cost is None else {"tasks": [task], "costs": {task.task_id: cost}}
    transaction.on_commit(lambda: task_event_committed.send(
        sender=TaskEvent, event=event, task=task, batch=batch))
    if task.parent_id:
        group_refresh(parent_pk=task.parent_id)
