"""Writes on tasks: create, cancel, retry, delete, re-prioritise."""
from django.conf import settings
from django.db import transaction

from core.exceptions import ApplicationError, ConflictError
from tasks.models import FINISHED_STATUSES, Task, TaskPriority, TaskStatus
from tasks.ready import ready_after_commit
from tasks.registry import GROUP_KIND, job_kind_get, job_kind_names
from tasks.transitions import group_refresh, task_lock, task_transition


def priority_parse(value) -> TaskPriority:
    """Return the priority named by `value` (a name such as 'high', or a TaskPriority)."""
    if isinstance(value, TaskPriority):
        return value
    try:
        return TaskPriority.from_name(str(value))
    except ValueError:
        raise ApplicationError(
            f"priority must be one of {', '.join(TaskPriority.labels)}; got {value!r}",
            code="invalid_priority",
        ) from None


def task_create(
    *,
    kind: str,
    entity=None,
    created_by=None,
    priority=TaskPriority.NORMAL,
    params: dict | None = None,
    metadata: dict | None = None,
    parent: Task | None = None,
    prerequisites: list[Task] | tuple = (),
    timeout_seconds: int | None = None,
    max_attempts: int | None = None,
    task_id: str | None = None,
) -> Task:
    """Create a pending task; a cluster claims it once a worker is free and its prerequisites
    allow (tasks.dispatch.claim)."""
    task = _task_new(kind=kind, entity=entity, created_by=created_by, priority=priority,
                     params=params, metadata=metadata, parent=parent,
                     timeout_seconds=timeout_seconds, max_attempts=max_attempts)
    if task_id:
        task.task_id = task_id
    if parent is None and not prerequisites:
        # One INSERT, which commits by itself outside a caller's transaction: no BEGIN and
        # COMMIT round trips (~0.5 ms of a 2.8 ms create on PostgreSQL; the throughput
        # target). Inside a caller's transaction it joins it, and the wake-up waits for
        # that commit.
        task.save()
        ready_after_commit()  # wake the pushers (or run here, in sync mode)
        return task
    with transaction.atomic():
        if parent is not None:
            task.parent = _group_open(parent)
        task.save()
        if prerequisites:
            task.prerequisites.set(prerequisites)
            _cancel_if_prerequisite_lost(task)
        if parent is not None:
            group_refresh(parent_pk=parent.pk)
        ready_after_commit()  # wake the pushers (or run here, in sync mode)
    return task


def _task_new(*, kind: str, entity=None, created_by=None, priority=TaskPriority.NORMAL,
              params: dict | None = None, metadata: dict | None = None, parent=None,
              timeout_seconds: int | None = None, max_attempts: int | None = None) -> Task:
    """An unsaved pending task, its kind and priority checked and its defaults filled in."""
    job = job_kind_get(kind)
    if job is None and kind != GROUP_KIND:
        raise ApplicationError(
            f"kind must be one of {', '.join(job_kind_names())}; got {kind!r}",
            code="invalid_kind",
        )
    return Task(
        kind=kind,
        entity=entity,
        created_by=created_by,
        priority=priority_parse(priority),
        params=params or {},
        metadata=metadata or {},
        parent=parent,
        timeout_seconds=timeout_seconds or (job and job.timeout) or settings.TASK_TIMEOUT,
        max_attempts=max_attempts or _attempt_budget(kind),
    )


def task_create_many(items: list[dict], *, parent: Task | None = None) -> list[Task]:
    """Create many pending tasks in one transaction: one multi-row INSERT of the tasks and
    one of their prerequisites, rather than a transaction per task.

    Each item takes `task_create`'s keywords except `parent` and `task_id`; `parent` (an
    open group) makes them all its children, and the group is refreshed once, not once per
    child. All or nothing: an invalid item raises before anything is written.
    """
    unsupported = {"parent", "task_id"} & {key for item in items for key in item}
    if unsupported:
        raise ApplicationError(f"task_create_many does not take {', '.join(sorted(unsupported))}",
                               code="invalid")
    tasks = [_task_new(**{k: v for k, v in item.items() if k != "prerequisites"})
             for item in items]
    with transaction.atomic():
        if parent is not None:
            parent = _group_open(parent)
            for task in tasks:
                task.parent = parent
        Task.objects.bulk_create(tasks, batch_size=BULK_CREATE_BATCH)
        links = [
            Task.prerequisites.through(from_task_id=task.pk, to_task_id=prerequisite.pk)
            for task, item in zip(tasks, items) for prerequisite in item.get("prerequisites", ())
        ]
        if links:
            Task.prerequisites.through.objects.bulk_create(links, batch_size=BULK_CREATE_BATCH)
            for task, item in zip(tasks, items):
                if item.get("prerequisites"):
                    _cancel_if_prerequisite_lost(task)
        if parent is not None:
            group_refresh(parent_pk=parent.pk)
        ready_after_commit()  # wake the pushers (or run here, in sync mode)
    return tasks


def _group_open(parent: Task) -> Task:
    """Lock the group that new children join; it must be a group that has not ended.

    Under the lock, so a group whose last child ends meanwhile takes no more children.
    """
    if parent.kind != GROUP_KIND:
        raise ApplicationError(f"parent {parent.task_id} is not a group task", code="invalid_parent")
    parent = task_lock(parent.pk)
    if parent.status in FINISHED_STATUSES:
        raise ConflictError(
            f"group {parent.task_id} is already {parent.status}; children can be added only "
            "to an open (pending or processing) group",
            code="group_closed",
        )
    return parent


# Rows per INSERT statement: SQLite allows 32,766 parameters in one statement, and a task
# row has about 25 columns.
BULK_CREATE_BATCH = 1000


def _cancel_if_prerequisite_lost(task: Task) -> None:
    lost = task.prerequisites.filter(status__in=[TaskStatus.FAILED, TaskStatus.CANCELLED]).first()
    if lost is not None:
        reason = f"prerequisite {lost.task_id} {lost.status}"
        task_transition(task=task, to=TaskStatus.CANCELLED, error_message=reason,
                        event_data={"reason": reason})


def task_cancel(*, task: Task, reason: str = "cancelled by request") -> tuple[Task, str]:
    """Cancel a task: at once if pending, at its next progress check if running.

    Returns the task and a message for the caller. Cancelling a cancelled task, or one
    whose cancellation is already requested, is harmless; a completed or failed one is 409.
    """
    with transaction.atomic():
        task = task_lock(task.pk)
        if task.status == TaskStatus.CANCELLED:
            return task, f"Task {task.task_id} is already cancelled"
        if task.status in FINISHED_STATUSES:
            raise ConflictError(
                f"Task {task.task_id} is already {task.status}; only pending or processing "
                "tasks can be cancelled",
                code="task_finished",
            )
        if task.kind == GROUP_KIND:
            child_pks = list(task.children.filter(status__in=[TaskStatus.PENDING, TaskStatus.PROCESSING])
                             .values_list("pk", flat=True))
        elif task.status == TaskStatus.PENDING:
            task_transition(task=task, to=TaskStatus.CANCELLED, error_message=reason,
                            event_data={"reason": reason})
            return task, f"Task {task.task_id} cancelled successfully"
        else:
            if not task.cancel_requested:
                task.cancel_requested = True
                task.save(update_fields=["cancel_requested", "updated_at"])
            return task, (
                f"Task {task.task_id} cancellation requested; it stops at its next progress report"
            )
    # A group's children are cancelled each in its own transaction: a child that finishes
    # locks itself, then its parent, so holding the parent here could deadlock.
    for child_pk in child_pks:
        task_cancel(task=Task(pk=child_pk), reason=reason)
    task.refresh_from_db()
    return task, f"Task {task.task_id} cancellation requested for {len(child_pks)} subtask(s)"


def task_retry(*, task: Task) -> Task:
    """Put a failed or cancelled task back in the queue with a fresh attempt budget."""
    with transaction.atomic():
        task = task_lock(task.pk)
        if task.status not in (TaskStatus.FAILED, TaskStatus.CANCELLED):
            raise ConflictError(
                f"Task {task.task_id} is {task.status}; only failed or cancelled tasks can be retried",
                code="task_not_retryable",
            )
        if task.kind == GROUP_KIND:
            raise ConflictError(
                f"Task {task.task_id} is a group; retry its failed subtasks instead",
                code="task_not_retryable",
            )
        lost = task.prerequisites.filter(
            status__in=[TaskStatus.FAILED, TaskStatus.CANCELLED]
        ).first()
        if lost is not None:
            raise ConflictError(
                f"Task {task.task_id} cannot run: prerequisite {lost.task_id} is {lost.status}; "
                "retry it first",
                code="prerequisite_not_met",
            )
        return task_transition(
            task=task, to=TaskStatus.PENDING, error_message="", run_after=None,
            max_attempts=task.attempts + _attempt_budget(task.kind),
            event_data={"reason": "retried by request"},
        )


def _attempt_budget(kind: str) -> int:
    """Attempts a run of this kind gets: the first one plus its retry limit."""
    job = job_kind_get(kind)
    retry_limit = job.retry_limit if job and job.retry_limit is not None else settings.RETRY_LIMIT
    return retry_limit + 1


def task_delete(*, task: Task) -> None:
    """Delete a finished task and its events; its cost records are kept."""
    with transaction.atomic():
        task = task_lock(task.pk)
        if task.status not in FINISHED_STATUSES:
            raise ConflictError(
                f"Task {task.task_id} is {task.status}; only completed, failed or cancelled "
                "tasks can be deleted (cancel it first)",
                code="task_not_finished",
            )
        task.delete()


def task_set_priority(*, task: Task, priority) -> Task:
    """Change a task's priority; it takes effect at the next claim."""
    priority = priority_parse(priority)
    with transaction.atomic():
        task = task_lock(task.pk)
        if task.status in FINISHED_STATUSES:
            raise ConflictError(
                f"Task {task.task_id} is already {task.status}; priority only matters for "
                "pending or processing tasks",
                code="task_finished",
            )
        task.priority = priority
        task.save(update_fields=["priority", "updated_at"])
    return task
