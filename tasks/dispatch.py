"""Hand django-q2 only as many ready tasks as there are free slots, best first.

django-q2 has no priorities and its ORM broker dequeues in no order, so the task table is
the queue of record: a task reaches the broker only once a slot is free for it, which
makes the broker's own order irrelevant.
"""
import logging
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from tasks.models import Task, TaskStatus
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


def slots_in_use() -> int:
    """Return how many tasks hold a slot: running, or handed to django-q2 and not started."""
    return Task.objects.filter(
        Q(status=TaskStatus.PROCESSING) | (Q(status=TaskStatus.PENDING) & ~Q(dispatch_token=""))
    ).count()


def ready_tasks():
    """Waiting tasks that may start now, in dispatch order."""
    return (
        Task.objects.filter(status=TaskStatus.PENDING, dispatch_token="")
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=timezone.now()))
        .exclude(kind=GROUP_KIND)
        .exclude(prerequisites__status__in=[s for s in TaskStatus if s != TaskStatus.COMPLETED])
        .order_by("-priority", "created_at", "id")
    )


def dispatch() -> list[int]:
    """Claim ready tasks for the free slots and enqueue them; return their primary keys."""
    with transaction.atomic():
        _dispatch_lock()
        free = settings.MAX_CONCURRENT_TASKS - slots_in_use()
        if free <= 0:
            return []
        claimed = list(
            ready_tasks()
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "task_id", "timeout_seconds")[:free]
        )
        if not claimed:
            return []
        token = secrets.token_hex(8)
        Task.objects.filter(pk__in=[pk for pk, _, _ in claimed]).update(
            dispatch_token=token, dispatched_at=timezone.now()
        )
        transaction.on_commit(lambda: _enqueue(claimed, token))
    return [pk for pk, _, _ in claimed]


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
            )
        except Exception:
            # The claim stays; the reaper re-dispatches claims that never started.
            logger.exception("could not enqueue task %s; it will be re-dispatched", task_id)
