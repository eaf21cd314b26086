"""django-q2 entry points: module-level functions that take ids and call a service."""
from django.dispatch import receiver
from django_q.signals import pre_execute

from tasks.outcomes import Outcome, outcomes_close
from tasks.runner import attempt_run

_current_q_task = {"id": ""}


@receiver(pre_execute)
def _remember_q_task_id(sender, task, **kwargs):
    _current_q_task["id"] = task.get("id", "")


def task_execute(task_pk: int, token: str, kind: str = "") -> Outcome | None:
    """Run one claimed attempt of a tracked task, unless this worker's cluster is stopping
    (it hands the task out again as it stops).

    Returns the attempt's outcome: django-q2 puts it into the result queue, and the
    cluster's closer writes it in a batch with others (tasks.closer). Where no closer will
    read it, the worker writes it itself.
    """
    from tasks import sentinel

    if sentinel.state is not None and sentinel.state.stopping:
        return None
    outcome = attempt_run(task_pk=task_pk, token=token, q_task_id=_current_q_task["id"],
                          kind=kind)
    if outcome is None or sentinel.outcomes_collected():
        return outcome
    outcomes_close([outcome])
    return None


def tasks_purge() -> int:
    """Daily schedule: delete finished tasks older than TASK_RETENTION_DAYS."""
    from tasks.retention import tasks_purge_finished

    return tasks_purge_finished()
