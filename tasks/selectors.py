"""Reads on tasks, always scoped to what the asking user may see."""
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from rest_framework.exceptions import ValidationError

from core.exceptions import NotFoundError
from tasks.filters import TaskFilter
from tasks.models import ACTIVE_STATUSES, Task, TaskEvent, TaskPriority, TaskStatus


def task_visible(*, user) -> QuerySet[Task]:
    """Tasks of the user's entities; every task for staff."""
    tasks = Task.objects.all()
    return tasks if user.is_staff else tasks.filter(entity__members=user)


def task_get(*, user, task_id: str) -> Task:
    """Return a visible task or raise 404, the same whether it is hidden or absent."""
    task = task_visible(user=user).select_related("entity", "parent").filter(task_id=task_id).first()
    if task is None:
        raise NotFoundError(f"Task {task_id} not found")
    return task


def task_prerequisites_get(*, user, task_ids: list[str]) -> list[Task]:
    """The visible tasks a create body names as prerequisites, in its order.

    An unknown (or hidden) one is a 400 on `prerequisites`, not a 404: the URL was right,
    the body was wrong.
    """
    if not task_ids:
        return []
    found = {task.task_id: task for task in task_visible(user=user).filter(task_id__in=task_ids)}
    missing = [task_id for task_id in dict.fromkeys(task_ids) if task_id not in found]
    if missing:
        raise ValidationError({"prerequisites": [
            f"no such task: {', '.join(missing)}; each prerequisite must be the task_id of a "
            "task you can see"
        ]})
    return [found[task_id] for task_id in dict.fromkeys(task_ids)]


def task_list(*, user, filters) -> QuerySet[Task]:
    """Filter visible tasks; invalid filter values raise a 400 naming what is accepted."""
    filterset = TaskFilter(filters, queryset=task_visible(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.select_related("entity", "parent").prefetch_related(
        "prerequisites",
        Prefetch("children", queryset=Task.objects.only("task_id", "parent_id").order_by("id")),
    )


def task_event_list(*, task: Task, after: int = 0, limit: int = 1000) -> list[TaskEvent]:
    """Return the task's persisted events with sequence numbers above `after`."""
    return list(task.events.filter(id__gt=after).order_by("id")[:limit])


def task_event_recent(*, task: Task, limit: int = 100) -> list[TaskEvent]:
    """Return the task's latest `limit` persisted events, oldest first."""
    return list(reversed(task.events.order_by("-id")[:limit]))


def task_recent(*, user, limit: int = 20) -> list[Task]:
    """Return the visible tasks created last, newest first."""
    return list(task_visible(user=user).select_related("entity").order_by("-created_at", "-id")[:limit])


def queue_status(*, user, tasks: QuerySet[Task] | None = None) -> dict:
    """The queue status, plus waiting depth per priority, over the visible tasks
    (or over `tasks`, already narrowed to what the user may see: embedding tasks)."""
    tasks = task_visible(user=user) if tasks is None else tasks
    status_counts = {status: 0 for status in TaskStatus.values}
    status_counts.update(dict(tasks.values_list("status").annotate(n=Count("id")).order_by()))
    waiting = dict(
        tasks.filter(status=TaskStatus.PENDING)
        .values_list("priority").annotate(n=Count("id")).order_by()
    )
    return {
        "queue_size": status_counts[TaskStatus.PENDING],
        "status_counts": status_counts,
        "max_concurrent_tasks": settings.MAX_CONCURRENT_TASKS,
        "active_tasks": status_counts[TaskStatus.PROCESSING],
        "queue_by_priority": _by_priority(waiting),
    }


def queue_depth() -> dict:  # operators: every entity
    """Waiting tasks per priority and running tasks, without counting the finished ones.

    The overview's queue: counting every kept task by status took ~190 ms of its time at
    1,000,000 tasks (bench/admin/driver.py); waiting and running tasks are few, found by index.
    """
    waiting = dict(
        Task.objects.filter(status=TaskStatus.PENDING)
        .values_list("priority").annotate(n=Count("id")).order_by()
    )
    return {
        "queue_size": sum(waiting.values()),
        "max_concurrent_tasks": settings.MAX_CONCURRENT_TASKS,
        "active_tasks": Task.objects.filter(status=TaskStatus.PROCESSING).count(),
        "queue_by_priority": _by_priority(waiting),
    }


def _by_priority(waiting: dict[int, int]) -> dict[str, int]:
    return {priority.label: waiting.get(priority.value, 0)
            for priority in sorted(TaskPriority, reverse=True)}


def task_outcomes_since(*, since) -> dict:  # operators: every entity
    """Tasks that finished since then: how many completed, failed, were cancelled, and retried.

    Rates are shares of the finished tasks (0 when none finished); a retried task is one
    that needed more than one attempt, whatever its end.
    """
    finished = Task.objects.filter(completed_at__gte=since).order_by()
    counts = finished.aggregate(
        finished=Count("id"),
        completed=Count("id", filter=Q(status=TaskStatus.COMPLETED)),
        failed=Count("id", filter=Q(status=TaskStatus.FAILED)),
        cancelled=Count("id", filter=Q(status=TaskStatus.CANCELLED)),
        retried=Count("id", filter=Q(attempts__gt=1)),
    )
    total = counts["finished"]
    return {
        **counts,
        **{f"{name}_rate": (counts[name] / total if total else 0.0)
           for name in ("completed", "failed", "cancelled", "retried")},
    }


def task_running(*, limit: int = 50) -> list[Task]:  # operators: every entity
    """Return the tasks running now, the longest-running first."""
    return list(Task.objects.filter(status=TaskStatus.PROCESSING).select_related("entity")
                .order_by("started_at")[:limit])


def task_ids_open(task_ids: set[str]) -> set[str]:
    """The ids among these whose task is pending or processing (the ledger's `final`)."""
    return set(Task.objects.filter(task_id__in=task_ids, status__in=ACTIVE_STATUSES)
               .values_list("task_id", flat=True))


def entity_tasks_open(entity_pk: int, before) -> bool:
    """Whether a task of the entity created before `before` is pending or processing."""
    return Task.objects.filter(entity_id=entity_pk, status__in=ACTIVE_STATUSES,
                               created_at__lt=before).exists()


def task_subtask_ids(task_id: str) -> list[str]:
    """The task_ids of a task's children, oldest first (the ledger's group roll-up)."""
    return list(Task.objects.filter(parent__task_id=task_id).order_by("id")
                .values_list("task_id", flat=True))


def task_entity_id(*, task_id: str) -> str | None:
    """The entity id a task bills, whoever asks (for counting rates, never for answers)."""
    return Task.objects.filter(task_id=task_id).values_list("entity__entity_id", flat=True).first()
