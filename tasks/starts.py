"""A worker starts its claim: the task row and its `task_started` event in one statement.

Starting is on every task's path, so it does not lock, read and then update the row as
`task_transition` does: on PostgreSQL one statement updates the row only if the claim is
still current and inserts the event from what the update returned; SQLite, which has no
data-modifying CTEs, takes two in one transaction. The event is still written in the
transaction that updated its task's row, so a task's events commit in id order.
"""
import json

from django.db import connection, transaction
from django.utils import timezone

from tasks.models import Task, TaskEvent, TaskEventType, TaskStatus
from tasks.signals import task_event_committed, task_event_recorded

_TASKS = Task._meta.db_table
_EVENTS = TaskEvent._meta.db_table

_START = f"""
    UPDATE {_TASKS} SET status = 'processing', started_at = %(now)s, completed_at = NULL,
        heartbeat_at = %(now)s, updated_at = %(now)s, attempts = attempts + 1,
        q_task_id = %(q_task_id)s, worker = %(worker)s
    WHERE id = %(pk)s AND status = 'pending' AND dispatch_token = %(token)s
    RETURNING *"""
_START_POSTGRESQL = f"""
    WITH started AS ({_START}),
    event AS (
        INSERT INTO {_EVENTS} (task_id, event_type, data, created_at)
        SELECT id, %(event_type)s,
               jsonb_build_object('status', 'processing', 'attempt', attempts), %(now)s
        FROM started
        RETURNING id AS started_event_id)
    SELECT started.*, event.started_event_id FROM started, event"""
_EVENT_SQLITE = (f"INSERT INTO {_EVENTS} (task_id, event_type, data, created_at) "
                 f"VALUES (%s, %s, %s, %s) RETURNING id")


def task_started(*, task_pk: int, token: str, q_task_id: str, worker: str) -> Task | None:
    """Move a claimed task to processing; None if the claim is no longer current
    (the task was cancelled, re-prioritised elsewhere or released and claimed again)."""
    now = timezone.now()
    params = {"pk": task_pk, "token": token, "q_task_id": q_task_id[:64], "worker": worker[:255],
              "now": connection.ops.adapt_datetimefield_value(now),
              "event_type": TaskEventType.STARTED}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = list(Task.objects.raw(_START_POSTGRESQL, params))
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
        event = TaskEvent(id=event_id, task=task, event_type=TaskEventType.STARTED,
                          data={"status": TaskStatus.PROCESSING, "attempt": task.attempts},
                          created_at=now)
        task_event_recorded.send(sender=TaskEvent, event=event, task=task)
        transaction.on_commit(
            lambda: task_event_committed.send(sender=TaskEvent, event=event, task=task))
        if task.parent_id:
            from tasks.groups import group_refresh

            group_refresh(parent_pk=task.parent_id)
    return task
