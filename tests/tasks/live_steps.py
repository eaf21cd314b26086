"""A worker's steps, taken by hand, for the live-progress tests (real services, no mocks)."""
import pytest_asyncio
from channels.db import database_sync_to_async
from django.db import connections, transaction

from tasks.models import Task, TaskStatus
from tasks.progress import ProgressHandle
from tasks.outcomes import task_attempt_failed
from tasks.transitions import task_lock, task_transition


def task_new(entity, **fields) -> Task:
    """A pending task, made without the dispatcher (no worker is meant to run it)."""
    return Task.objects.create(**{"kind": "noop", "entity": entity, **fields})


def step_start(task: Task) -> Task:
    with transaction.atomic():
        return task_transition(task=task_lock(task.pk), to=TaskStatus.PROCESSING)


def step_progress(task: Task, processed: int, total: int) -> None:
    handle = ProgressHandle(task=Task.objects.get(pk=task.pk), interval=0)
    handle.set_units(processed, total, text=f"chunk {processed} of {total}")


def step_complete(task: Task, result: dict) -> Task:
    with transaction.atomic():
        return task_transition(task=task_lock(task.pk), to=TaskStatus.COMPLETED,
                               event_data={"result": result}, result=result, progress=1.0)


def step_fail(task: Task, error: str, *, retryable: bool = False) -> Task:
    with transaction.atomic():
        return task_attempt_failed(task=task_lock(task.pk), error=error, retryable=retryable)


@pytest_asyncio.fixture(autouse=False)
async def close_thread_connections():
    """Close the connection database_sync_to_async's thread keeps, so the test DB can be dropped."""
    yield
    await database_sync_to_async(connections.close_all)()
