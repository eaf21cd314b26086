"""Parent tasks (kind `group`) run no job: their status and progress roll up from children."""
from django.db.models import Avg, Count

from tasks.events import task_event_record
from tasks.models import Task, TaskEventType, TaskStatus
from tasks.registry import GROUP_KIND


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
    from tasks.transitions import task_lock, task_transition

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
