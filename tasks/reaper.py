"""Recover tasks whose worker died, overran its time, or whose dispatch never arrived.

Runs on every dispatcher tick. Bounds (documented in docs/operations.md):
- a worker killed mid-task stops heartbeating; after TASK_HEARTBEAT_TIMEOUT its task is
  retried (attempt counted) or failed once attempts are spent;
- a task still processing HARD_TIMEOUT_GRACE + TASK_HEARTBEAT_SECONDS after its timeout
  (its worker was killed by django-q2 or is stuck outside Python) ends "timed out";
- a task handed to django-q2 but not started within DISPATCH_STALE_SECONDS is handed out
  again (the old message, if it ever arrives, is a no-op: its dispatch token is stale).
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from costs.services import attempt_records_abandon
from tasks.dispatch import HARD_TIMEOUT_GRACE
from tasks.models import Task, TaskStatus
from tasks.registry import job_kind_get
from tasks.runner import task_attempt_failed
from tasks.transitions import dispatch_after_commit, task_lock

logger = logging.getLogger(__name__)

DISPATCH_STALE_SECONDS = 60


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

    stale = now - timedelta(seconds=DISPATCH_STALE_SECONDS)
    with transaction.atomic():
        redispatched = Task.objects.filter(
            status=TaskStatus.PENDING, dispatched_at__lt=stale
        ).exclude(dispatch_token="").update(dispatch_token="", dispatched_at=None)
        if redispatched:
            logger.warning("re-dispatching %d task(s) whose dispatch never started", redispatched)
            dispatch_after_commit()
    return recovered + redispatched


def _recover(pk: int, *, overran: bool) -> int:
    with transaction.atomic():
        task = task_lock(pk)
        if task.status != TaskStatus.PROCESSING:
            return 0
        kind = job_kind_get(task.kind)
        if overran:
            error = f"timed out after {task.timeout_seconds} s"
            retryable = bool(kind and kind.retry_timeouts)
        else:
            error = (
                f"worker lost: no heartbeat for {settings.TASK_HEARTBEAT_TIMEOUT:g} s "
                "(the worker process died or was killed)"
            )
            retryable = True
        logger.warning("task %s: %s", task.task_id, error)
        task_attempt_failed(task=task, error=error, retryable=retryable)
        attempt_records_abandon(task_id=task.task_id, error_message=error)
        return 1
