"""Run one attempt of a task inside a django-q2 worker and record how it ended."""
import json
import logging
import os
import random
import socket
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_q.exceptions import TimeoutException

from config.logcontext import log_context
from costs.services import JOB_METHOD, request_record_close, request_record_open
from tasks.errors import PermanentError, RetryableError, TaskCancelled, TaskTimedOut
from tasks.models import Task, TaskStatus
from tasks.monitor import worker_monitor
from tasks.progress import ProgressHandle
from tasks.registry import job_kind_get, job_kind_names
from tasks.starts import task_started
from tasks.transitions import task_lock, task_transition

logger = logging.getLogger(__name__)


def retry_delay(retry_number: int) -> float:
    """Seconds to wait before retry `retry_number` (1-based): base * 2**(n-1), +/-10% jitter."""
    return settings.RETRY_BASE_DELAY * 2 ** (retry_number - 1) * random.uniform(0.9, 1.1)


def task_start(*, task_pk: int, token: str, q_task_id: str = "") -> Task | None:
    """Mark a claimed task as processing; None if this claim is no longer current."""
    return task_started(task_pk=task_pk, token=token, q_task_id=q_task_id,
                        worker=f"{socket.gethostname()}:{os.getpid()}")


def task_run(*, task_pk: int, token: str, q_task_id: str = "") -> None:
    """Execute one attempt: start it, open its ledger record, run the job, record the outcome.

    The start and the ledger record commit together: one commit (one WAL flush on
    PostgreSQL) fewer per task, and no started attempt without its record.
    """
    with transaction.atomic():
        task = task_start(task_pk=task_pk, token=token, q_task_id=q_task_id)
        if task is None:
            logger.info("task %s: claim %s is stale; nothing to run", task_pk, token)
            return
        kind = job_kind_get(task.kind)
        record = request_record_open(
            operation_type=kind.operation_type if kind else "task_run",
            task_type=(kind and kind.task_type) or task.kind,
            endpoint=f"job:{task.kind}",
            method=JOB_METHOD,
            entity=task.entity,
            user=task.created_by,
            task_id=task.task_id,
            doc_id=str(task.metadata.get("doc_id", "")),
        )
    with log_context(request_id=record.request_id, task_id=task.task_id):
        _attempt(task, kind, record)
        if record.completed_at is None:  # the attempt lost its task and could not end it
            request_record_close(record=record, status_code=409, error_message=_LOST)


def _attempt(task: Task, kind, record) -> Task | None:
    """Run the job; return the task as the attempt left it (None if it lost the task)."""
    if kind is None:
        return task_end_failed(
            task=task, record=record,
            error=f"unknown job kind {task.kind!r}; registered kinds: {', '.join(job_kind_names())}",
            retryable=False,
        )
    handle = ProgressHandle(task=task, interval=settings.TASK_PROGRESS_INTERVAL, record=record)
    monitor = worker_monitor()
    monitor.watch(handle)
    try:
        result = kind.func(handle, **task.params)
        if handle.lost:
            return None
        if handle.cancel_requested:
            raise TaskCancelled()
        if handle.timed_out:
            raise TaskTimedOut()
        return task_end_completed(task=task, handle=handle, result=result)
    except TaskCancelled:
        return None if handle.lost else task_end_cancelled(task=task, handle=handle)
    except (TaskTimedOut, TimeoutException):
        # TimeoutException: django-q2's hard limit interrupted a job that did not report.
        return task_end_failed(
            task=task, handle=handle, error=f"timed out after {task.timeout_seconds} s",
            retryable=kind.retry_timeouts,
        )
    except (RetryableError, *kind.retry_on) as exc:
        return task_end_failed(task=task, handle=handle, error=_describe(exc), retryable=True)
    except PermanentError as exc:
        return task_end_failed(task=task, handle=handle, error=_describe(exc), retryable=False)
    except Exception as exc:
        logger.exception("task %s (%s) raised", task.task_id, task.kind)
        return task_end_failed(task=task, handle=handle, error=_describe(exc), retryable=False)
    finally:
        monitor.unwatch()


# How an attempt's ledger record reports its outcome, HTTP-style.
_ATTEMPT_STATUS_CODES = {
    TaskStatus.COMPLETED: 200,
    TaskStatus.PENDING: 503,     # failed, will be retried
    TaskStatus.CANCELLED: 499,
    TaskStatus.FAILED: 500,
}


_LOST = "the attempt lost its task (cancelled, timed out or recovered elsewhere)"


def _attempt_outcome(final: Task | None) -> tuple[int, str]:
    if final is None:
        return 409, _LOST
    if final.status == TaskStatus.FAILED and final.error_message.startswith("timed out"):
        return 504, final.error_message
    return _ATTEMPT_STATUS_CODES.get(final.status, 500), final.error_message


def _describe(exc: BaseException) -> str:
    """Say what went wrong in an operator's words; our own error types carry them already."""
    message = str(exc).strip()
    if message and isinstance(exc, (RetryableError, PermanentError)):
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _json_result(result):
    if hasattr(result, "model_dump"):
        result = result.model_dump(mode="json")
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder))


def _current(task: Task) -> Task | None:
    """Lock the task and return it if this attempt still owns it, else None."""
    locked = task_lock(task.pk)
    if locked.status != TaskStatus.PROCESSING or locked.dispatch_token != task.dispatch_token:
        logger.warning("task %s: attempt no longer owns the task; outcome dropped", task.task_id)
        return None
    return locked


def _end(task: Task, record, finish) -> Task | None:
    """End the attempt: if it still owns the task, `finish` moves the locked task on; the
    attempt's ledger record is closed in the same transaction, so no reader sees a finished
    task whose attempt still looks open."""
    with transaction.atomic():
        locked = _current(task)
        final = None if locked is None else finish(locked)
        if record is not None:
            status_code, error = _attempt_outcome(final)
            request_record_close(record=record, status_code=status_code, error_message=error)
    return final


def _final_progress(handle: ProgressHandle | None) -> dict:
    if handle is None:
        return {}
    fields = handle.snapshot()
    fields.pop("eta")
    return fields


def task_end_completed(*, task: Task, handle: ProgressHandle, result) -> Task | None:
    try:
        result = _json_result(result)
    except (TypeError, ValueError) as exc:
        return task_end_failed(
            task=task, handle=handle, retryable=False,
            error=f"the job returned a result that is not JSON-serialisable: {exc}",
        )
    progress = _final_progress(handle)
    progress["progress"] = 1.0
    return _end(task, handle.record, lambda locked: task_transition(
        task=locked, to=TaskStatus.COMPLETED, event_data={"result": result},
        result=result, error_message="", **progress,
    ))


def task_end_cancelled(*, task: Task, handle: ProgressHandle) -> Task | None:
    return _end(task, handle.record, lambda locked: task_transition(
        task=locked, to=TaskStatus.CANCELLED, event_data={"reason": "cancelled by request"},
        error_message="cancelled by request", **_final_progress(handle),
    ))


def task_end_failed(
    *, task: Task, error: str, retryable: bool, handle: ProgressHandle | None = None,
    record=None,
) -> Task | None:
    """Fail the attempt: back to pending after a backoff delay, or failed for good."""
    return _end(task, record or (handle and handle.record), lambda locked: task_attempt_failed(
        task=locked, error=error, retryable=retryable, **_final_progress(handle),
    ))


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
