"""The one place a task's status changes: legal moves, timestamps, events, cascades.

The cascades: a task that fails or is cancelled cancels the tasks waiting on it, and a
group (kind `group`, a parent that runs no job) takes its status and progress from its
children: a child's every change refreshes its group (group_refresh), here and on the
paths that change a task without a transition (tasks.starts, tasks.progress, tasks.outcomes).
"""
from django.db.models import Avg, Count
from django.utils import timezone

from core.exceptions import ConflictError
from tasks.events import task_event_record
from tasks.models import Task, TaskEventType, TaskStatus
from tasks.ready import ready_after_commit
from tasks.registry import GROUP_KIND

P, R, C, F, X = (
    TaskStatus.PENDING,
    TaskStatus.PROCESSING,
    TaskStatus.COMPLETED,
    TaskStatus.FAILED,
    TaskStatus.CANCELLED,
)

# pending -> processing -> completed, failed or cancelled (and pending -> cancelled), plus
# processing -> pending for an automatic retry or a recovered crash, and failed or
# cancelled -> pending for a manual retry (docs/tasks.md).
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

    Raises IllegalTransition for a move ALLOWED does not list. A task made
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


def _rolled_up_status(counts: dict, current: str) -> str:
    """pending until a child starts; processing while any is active; then the outcome."""
    active = counts.get("pending", 0) + counts.get("processing", 0)
    if active:
        started = counts.get("processing", 0) or current == TaskStatus.PROCESSING
        return TaskStatus.PROCESSING if started else TaskStatus.PENDING
    if not counts:
        return current
    if counts.get("failed"):
        return TaskStatus.FAILED
    return TaskStatus.CANCELLED if counts.get("cancelled") else TaskStatus.COMPLETED


def group_refresh(*, parent_pk: int) -> None:
    """Recompute a group's progress and status from its children (inside a transaction)."""
    parent = task_lock(parent_pk)
    if parent.kind != GROUP_KIND:
        return
    children = Task.objects.filter(parent_id=parent_pk)
    counts = dict(children.values_list("status").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    progress = children.aggregate(v=Avg("progress"))["v"] or 0.0
    done = children.filter(status__in=[TaskStatus.COMPLETED]).count()
    text = f"{done} of {total} subtasks completed"

    if abs(progress - parent.progress) > 1e-9 or text != parent.progress_text:
        parent.progress, parent.progress_text = progress, text
        parent.processed_units, parent.total_units = done, total
        parent.save(update_fields=["progress", "progress_text", "processed_units",
                                   "total_units", "updated_at"])
        task_event_record(task=parent, event_type=TaskEventType.PROGRESS, data={
            "text": text, "value": progress, "processed_units": done, "total_units": total,
            "eta": None,
        })

    target = _rolled_up_status(counts, parent.status)
    if target == parent.status:
        return
    path = {
        (TaskStatus.PENDING, TaskStatus.COMPLETED): [TaskStatus.PROCESSING],
        (TaskStatus.PENDING, TaskStatus.FAILED): [TaskStatus.PROCESSING],
        (TaskStatus.FAILED, TaskStatus.PROCESSING): [TaskStatus.PENDING],
        (TaskStatus.CANCELLED, TaskStatus.PROCESSING): [TaskStatus.PENDING],
    }.get((parent.status, target), [])
    for status in [*path, target]:
        if status == TaskStatus.FAILED:
            failed = children.filter(status=TaskStatus.FAILED).values_list("task_id", flat=True)
            error = f"subtask {', '.join(failed[:5])} failed"
            task_transition(task=parent, to=status, error_message=error,
                            event_data={"error": error})
        else:
            task_transition(task=parent, to=status)
