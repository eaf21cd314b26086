"""Hand django-q2 only as many ready tasks as there are free slots, best first.

django-q2 has no priorities and its ORM broker dequeues in no order, so the task table is
the queue of record: a task reaches the broker only once a slot is free for it, which
makes the broker's own order irrelevant.
"""
import logging
import os
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.tasks import async_task

from tasks.models import Task
from tasks.registry import GROUP_KIND

logger = logging.getLogger(__name__)

# Arbitrary constant naming TaskLedger's dispatch lock among PostgreSQL advisory locks.
_DISPATCH_LOCK_KEY = 0x7A5C1ED6
# Extra seconds django-q2 allows past a task's own timeout before it kills the worker,
# so the job's cooperative timeout fires first and is recorded cleanly.
HARD_TIMEOUT_GRACE = 5


def _dispatch_lock() -> None:
    """Serialise dispatchers so that slot counting and claiming are one step.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: every transaction is
    BEGIN IMMEDIATE (settings), which already holds the database's single write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DISPATCH_LOCK_KEY])


_TASKS = Task._meta.db_table
_PREREQUISITES = Task.prerequisites.through._meta.db_table

# The dispatcher runs after every attempt, so its three statements are fixed SQL rather
# than ORM queries built anew each time (that building was most of its cost).
_SLOTS_SQL = (
    f"SELECT COUNT(*) FROM {_TASKS} WHERE status = 'processing' "
    f"OR (status = 'pending' AND dispatch_token <> '')"
)
_READY_SQL = f"""
    SELECT t.id, t.task_id, t.timeout_seconds FROM {_TASKS} t
    WHERE t.status = 'pending' AND t.dispatch_token = '' AND t.kind <> %s
      AND (t.run_after IS NULL OR t.run_after <= %s)
      AND NOT EXISTS (
          SELECT 1 FROM {_PREREQUISITES} p JOIN {_TASKS} q ON q.id = p.to_task_id
          WHERE p.from_task_id = t.id AND q.status <> 'completed')
    ORDER BY t.priority DESC, t.created_at, t.id
    LIMIT %s"""


def slots_in_use() -> int:
    """Return how many tasks hold a slot: running, or handed to django-q2 and not started."""
    with connection.cursor() as cursor:
        cursor.execute(_SLOTS_SQL)
        return cursor.fetchone()[0]


def dispatch() -> list[int]:
    """Claim ready tasks for the free slots and enqueue them; return their primary keys.

    Ready: pending, not claimed, past any backoff delay, every prerequisite completed;
    highest priority first, oldest first within a priority.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        _dispatch_lock()
        free = settings.MAX_CONCURRENT_TASKS - slots_in_use()
        if free <= 0:
            return []
        skip_locked = " FOR UPDATE OF t SKIP LOCKED" if connection.vendor == "postgresql" else ""
        with connection.cursor() as cursor:
            cursor.execute(_READY_SQL + skip_locked, [GROUP_KIND, now, free])
            claimed = cursor.fetchall()
            if not claimed:
                return []
            token = secrets.token_hex(8)
            ids = [pk for pk, _, _ in claimed]
            cursor.execute(
                f"UPDATE {_TASKS} SET dispatch_token = %s, dispatched_at = %s "
                f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
                [token, now, *ids],
            )
        transaction.on_commit(lambda: _enqueue(claimed, token))
    return ids


_brokers: dict[int, object] = {}


def _broker():
    """This process's django-q2 broker (async_task would open a new connection per call)."""
    pid = os.getpid()
    if pid not in _brokers:
        _brokers.clear()  # a forked child must not share its parent's connection
        _brokers[pid] = get_broker()
    return _brokers[pid]


def _enqueue(claimed, token: str) -> None:
    for pk, task_id, timeout_seconds in claimed:
        try:
            async_task(
                "tasks.workers.task_execute",
                pk,
                token,
                task_name=task_id,
                timeout=timeout_seconds + HARD_TIMEOUT_GRACE,
                save=False,
                broker=_broker(),
            )
        except Exception:
            # The claim stays; the reaper re-dispatches claims that never started.
            logger.exception("could not enqueue task %s; it will be re-dispatched", task_id)
