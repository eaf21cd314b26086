from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tasks.models import FINISHED_STATUSES, Task
from tasks.signals import tasks_purged


def tasks_purge_finished(*, older_than: timedelta | None = None, batch_size: int = 1000) -> int:
    """Delete finished tasks (and their events) that ended before the retention window.

    Cost records refer to tasks by their task_id string and are never touched here.
    A group finishes only after all its subtasks, so deleting it (and, by cascade, them)
    never removes a subtask that is still inside the window.
    """
    cutoff = timezone.now() - (older_than or timedelta(days=settings.TASK_RETENTION_DAYS))
    old = Task.objects.filter(status__in=FINISHED_STATUSES, completed_at__lt=cutoff)
    deleted = 0
    while batch := list(old.values_list("pk", flat=True)[:batch_size]):
        Task.objects.filter(pk__in=batch).delete()
        deleted += len(batch)
    tasks_purged.send(sender=Task, cutoff=cutoff)
    return deleted


PURGE_FUNC = "tasks.workers.tasks_purge"


def purge_schedule_ensure(schedule_model) -> None:
    """Make sure django-q2 runs the purge daily (takes the model: usable from migrations)."""
    schedule_model.objects.get_or_create(
        func=PURGE_FUNC,
        defaults={"name": "TaskLedger: purge finished tasks", "schedule_type": "D", "repeats": -1},
    )
