"""django-q2 entry points: module-level functions that take ids and call a service."""
from django.dispatch import receiver
from django_q.signals import pre_execute

from tasks.runner import task_run

_current_q_task = {"id": ""}


@receiver(pre_execute)
def _remember_q_task_id(sender, task, **kwargs):
    _current_q_task["id"] = task.get("id", "")


def task_execute(task_pk: int, token: str) -> None:
    """Run one dispatched attempt of a tracked task, unless this worker's cluster is stopping
    (it hands the task out again as it stops)."""
    from tasks import sentinel

    if sentinel.state is not None and sentinel.state.stopping:
        return
    task_run(task_pk=task_pk, token=token, q_task_id=_current_q_task["id"])


def tasks_purge() -> int:
    """Daily schedule: delete finished tasks older than TASK_RETENTION_DAYS."""
    from tasks.retention import tasks_purge_finished

    return tasks_purge_finished()
