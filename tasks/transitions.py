"""The one place a task's status changes: legal moves, timestamps, events, cascades."""
from django.utils import timezone

from core.exceptions import ConflictError
from tasks.events import task_event_record
from tasks.ready import ready_after_commit
from tasks.models import Task, TaskEventType, TaskStatus

P, R, C, F, X = (
    TaskStatus.PENDING,
    TaskStatus.PROCESSING,
    TaskStatus.COMPLETED,
    TaskStatus.FAILED,
    TaskStatus.CANCELLED,
)

# Seed 002's flow, plus processing -> pending for an automatic retry or a recovered crash
# and cancelled -> pending for a manual retry.
ALLOWED = {
    P: {R, X},
    R: {C, F, X, P},
    F: {P},
    X: {P},
    C: set(),
}

_EVENT_FOR = {R: TaskEventType.STARTED, C: TaskEventType.COMPLETED, F: TaskEventType.FAILED,
              X: TaskEventType.CANCELLED, P: TaskEventType.RETRYING}


class IllegalTransition(ConflictError):
    default_code = "illegal_transition"


def task_lock(task_pk: int) -> Task:
    """Return the task row locked for update (call inside a transaction)."""
    return Task.objects.select_for_update().get(pk=task_pk)


def task_transition(*, task: Task, to: str, event_data: dict | None = None, **changes) -> Task:
    """Move a locked task to `to`, stamping times and recording the event.

    Raises IllegalTransition for a move seed 002's flow does not allow. A task made
    pending again is claimed by the next cluster pusher that looks (tasks.broker).
    """
    if to not in ALLOWED[task.status]:
        raise IllegalTransition(
            f"Task {task.task_id} is {task.status}; it cannot become {to}"
        )
    now = timezone.now()
    previous = task.status
    task.status = to
    fields = {"status", "updated_at"}
    if to == R:
        task.started_at, task.completed_at, task.heartbeat_at = now, None, now
        task.attempts += 1
        fields |= {"started_at", "completed_at", "heartbeat_at", "attempts"}
    elif to == P:
        task.dispatch_token, task.dispatched_at, task.heartbeat_at = "", None, None
        task.completed_at = None
        fields |= {"dispatch_token", "dispatched_at", "heartbeat_at", "completed_at"}
        if previous in (F, X):  # a manual retry starts clean
            task.cancel_requested = False
            fields.add("cancel_requested")
    else:
        task.completed_at, task.eta = now, None
        fields |= {"completed_at", "eta"}
    for name, value in changes.items():
        setattr(task, name, value)
        fields.add(name)
    task.save(update_fields=sorted(fields))

    data = {"status": to, "attempt": task.attempts, **(event_data or {})}
    task_event_record(task=task, event_type=_EVENT_FOR[to], data=data)

    if to in (F, X):
        _dependents_cancel(task)
    if task.parent_id:
        from tasks.groups import group_refresh

        group_refresh(parent_pk=task.parent_id)
    if to != R:
        ready_after_commit()  # wake the pushers (or run here, in sync mode)
    return task


def _dependents_cancel(task: Task) -> None:
    """Cancel waiting tasks that can no longer start because `task` will not complete."""
    reason = f"prerequisite {task.task_id} {task.status}"
    for dependent_pk in task.dependents.filter(status=P).values_list("pk", flat=True):
        dependent = task_lock(dependent_pk)
        if dependent.status == P:
            task_transition(
                task=dependent, to=X, event_data={"reason": reason}, error_message=reason
            )
