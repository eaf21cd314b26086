"""Recover tasks whose worker died, overran its time, or whose dispatch never arrived.

Runs on every dispatcher tick. Bounds (documented in docs/operations.md):
- a worker killed mid-task stops heartbeating; after TASK_HEARTBEAT_TIMEOUT its task is
  retried (attempt counted) or failed once attempts are spent;
- a task still processing HARD_TIMEOUT_GRACE + TASK_HEARTBEAT_SECONDS after its timeout
  (its worker was killed by django-q2 or is stuck outside Python) ends "timed out";
- a task claimed by a cluster but not started within DISPATCH_STALE_SECONDS (its cluster
  was lost) is released for any cluster to claim again (the old message, if it ever
  arrives, is a no-op: its dispatch token is stale).
"""
import logging
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from costs.services import attempt_records_abandon
from tasks.dispatch import HARD_TIMEOUT_GRACE
from tasks.models import Task, TaskStatus
from tasks.registry import job_kind_get
from tasks.outcomes import task_attempt_failed
from tasks.ready import ready_after_commit
from tasks.transitions import task_lock

logger = logging.getLogger(__name__)


def reap() -> int:
    """Recover every stuck task; return how many were recovered."""
    now = timezone.now()
    recovered = 0
    running = Task.objects.filter(status=TaskStatus.PROCESSING).exclude(kind="group")
    for pk, started_at, heartbeat_at, timeout_seconds in running.values_list(
        "pk", "started_at", "heartbeat_at", "timeout_seconds"
    ):
        overran = started_at and now - started_at > timedelta(
            seconds=timeout_seconds + HARD_TIMEOUT_GRACE + settings.TASK_HEARTBEAT_SECONDS
        )
        silent = not heartbeat_at or now - heartbeat_at > timedelta(
            seconds=settings.TASK_HEARTBEAT_TIMEOUT
        )
        if overran or silent:
            recovered += _recover(pk, overran=overran)

    redispatched = dispatches_release(
        handed_out_before=(now - timedelta(seconds=settings.DISPATCH_STALE_SECONDS)).timestamp())
    return recovered + redispatched


def dispatches_release(*, handed_out_before: float, owner: str = "") -> int:
    """Release the claims made before then that no worker started: any cluster may claim
    those tasks again. `owner`: only one cluster's claims (tasks.dispatch.claim).

    Their old messages, if one ever arrives, are no-ops: the dispatch token is stale.
    """
    before = datetime.fromtimestamp(handed_out_before, tz=dt_timezone.utc)
    claimed = Task.objects.filter(status=TaskStatus.PENDING, dispatched_at__lte=before)
    claimed = (claimed.filter(dispatch_token__startswith=owner) if owner
               else claimed.exclude(dispatch_token=""))
    released = claimed.update(dispatch_token="", dispatched_at=None)
    if released:
        logger.warning("released %d claimed task(s) that no worker started", released)
        ready_after_commit()
    return released


def workers_lost(*, workers: list[str], how: str) -> int:
    """Recover at once the tasks of worker processes ("host:pid") known to have died,
    rather than after TASK_HEARTBEAT_TIMEOUT of silence; return how many."""
    running = Task.objects.filter(status=TaskStatus.PROCESSING, worker__in=workers)
    return sum(_recover(pk, overran=False, lost=f"worker lost: {how}")
               for pk in running.values_list("pk", flat=True))


def _recover(pk: int, *, overran: bool, lost: str = "") -> int:
    with transaction.atomic():
        task = task_lock(pk)
        if task.status != TaskStatus.PROCESSING:
            return 0
        kind = job_kind_get(task.kind)
        if overran:
            error = f"timed out after {task.timeout_seconds} s"
            retryable = bool(kind and kind.retry_timeouts)
        else:
            error = lost or (
                f"worker lost: no heartbeat for {settings.TASK_HEARTBEAT_TIMEOUT:g} s "
                "(the worker process died or was killed)"
            )
            retryable = True
        logger.warning("task %s: %s", task.task_id, error)
        task_attempt_failed(task=task, error=error, retryable=retryable)
        attempt_records_abandon(task_id=task.task_id, error_message=error)
        return 1
