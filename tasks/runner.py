"""Run one attempt of a task inside a django-q2 worker and say how it ended.

The worker starts the attempt and runs the job; how it ended is an `Outcome`, written by
the cluster's closer together with other workers' outcomes (tasks.outcomes, tasks.closer).
django-q2's sync mode has no cluster: the process that made tasks ready runs them itself
(run_ready).
"""
import json
import logging
import os

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_q.exceptions import TimeoutException

from core.logcontext import log_context
from tasks.dispatch import claim
from tasks.errors import PermanentError, RetryableError, TaskCancelled, TaskTimedOut
from tasks.models import Task, TaskStatus
from tasks.monitor import worker_monitor
from tasks.outcomes import LOST, Outcome, outcomes_close
from tasks.progress import ProgressHandle
from tasks.registry import job_kind_get, job_kind_names
from tasks.signals import tasks_ready
from tasks.starts import attempt_start

logger = logging.getLogger(__name__)

_running = {"pid": None}


def task_run(*, task_pk: int, token: str, q_task_id: str = "", kind: str = "") -> None:
    """Run one attempt and write its outcome here and now (sync mode, tests, a stopping or
    rebuilt cluster's workers); a cluster's workers hand it to their closer instead."""
    outcome = attempt_run(task_pk=task_pk, token=token, q_task_id=q_task_id, kind=kind)
    if outcome is not None:
        outcomes_close([outcome])


def attempt_run(*, task_pk: int, token: str, q_task_id: str = "",
                kind: str = "") -> Outcome | None:
    """Start an attempt (and its ledger record), run the job; return how it ended, unwritten
    (tasks.outcomes). None if the claim was stale: nothing ran. `kind`: the task's kind,
    if the claim said it (tasks.starts)."""
    started = attempt_start(task_pk=task_pk, token=token, q_task_id=q_task_id, kind=kind)
    if started is None:
        logger.info("task %s: claim %s is stale; nothing to run", task_pk, token)
        return None
    task, record = started
    job = job_kind_get(task.kind)
    with log_context(request_id=record.request_id, task_id=task.task_id):
        status, fields, handle = _attempt(task, job, record)
    ended_at = timezone.now()
    return Outcome(
        task_pk=task.pk, token=task.dispatch_token, status=status, record_pk=record.pk,
        ended_at=ended_at,
        processing_ms=(ended_at - record.created_at).total_seconds() * 1000,
        progress=_final_progress(handle), started_seq=task.started_event_id, **fields,
    )


def _attempt(task: Task, kind, record) -> tuple[str, dict, ProgressHandle | None]:
    """Run the job: (how it ended, the outcome's fields, its progress handle)."""
    if kind is None:
        return TaskStatus.FAILED, {"retryable": False, "error": (
            f"unknown job kind {task.kind!r}; registered kinds: {', '.join(job_kind_names())}"
        )}, None
    handle = ProgressHandle(task=task, interval=settings.TASK_PROGRESS_INTERVAL, record=record)
    monitor = worker_monitor()
    monitor.watch(handle)
    try:
        result = kind.func(handle, **task.params)
        if handle.lost:
            return LOST, {}, handle
        if handle.cancel_requested:
            raise TaskCancelled()
        if handle.timed_out:
            raise TaskTimedOut()
        try:
            return TaskStatus.COMPLETED, {"result": _json_result(result)}, handle
        except (TypeError, ValueError) as exc:
            return (*_failed(f"the job returned a result that is not JSON-serialisable: {exc}",
                             retryable=False), handle)
    except TaskCancelled:
        return (LOST, {}, handle) if handle.lost else (TaskStatus.CANCELLED, {}, handle)
    except (TaskTimedOut, TimeoutException):
        # TimeoutException: django-q2's hard limit interrupted a job that did not report.
        return (*_failed(f"timed out after {task.timeout_seconds} s",
                         retryable=kind.retry_timeouts), handle)
    except (RetryableError, *kind.retry_on) as exc:
        return (*_failed(_describe(exc, task), retryable=True), handle)
    except PermanentError as exc:
        return (*_failed(_describe(exc, task), retryable=False), handle)
    except Exception as exc:
        return (*_failed(_describe(exc, task), retryable=False), handle)
    finally:
        monitor.unwatch()


def _failed(error: str, *, retryable: bool) -> tuple[str, dict]:
    return TaskStatus.FAILED, {"error": error, "retryable": retryable}


def _describe(exc: BaseException, task: Task) -> str:
    """Say what went wrong in the user's words. Our own error types carry them already; any
    other exception's text can hold a file path, a SQL fragment or a secret, so it goes to
    the log with the task id, and the task says only what kind of error it was."""
    message = str(exc).strip()
    if message and isinstance(exc, (RetryableError, PermanentError)):
        return message
    logger.error("task %s (%s) raised", task.task_id, task.kind, exc_info=exc)
    return (f"{type(exc).__name__}: an unexpected error; the worker's log has its details "
            f"under task {task.task_id}")


def _json_result(result):
    if hasattr(result, "model_dump"):
        result = result.model_dump(mode="json")
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder))


def _final_progress(handle: ProgressHandle | None) -> dict:
    if handle is None:
        return {}
    fields = handle.snapshot()
    fields.pop("eta")
    return fields


def run_ready() -> int:
    """Sync mode: claim and run ready tasks in this process until none is left.

    A task that ends while this loop runs makes others ready: the loop takes them too,
    rather than running a second loop inside the first.
    """
    if _running["pid"] == os.getpid():
        return 0
    _running["pid"] = os.getpid()
    ran = 0
    try:
        while claims := claim(1):
            task_run(task_pk=claims[0].pk, token=claims[0].token, kind=claims[0].kind)
            ran += 1
    finally:
        _running["pid"] = None
    return ran


def _ready_announced(sender, **kwargs) -> None:
    run_ready()


def run_ready_connect() -> None:
    """Sync mode: run the tasks announced ready (tasks.ready) in the process that made them
    ready (called from the tasks app's ready())."""
    tasks_ready.connect(_ready_announced, dispatch_uid="tasks.runner")
