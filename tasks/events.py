from django.db import transaction

from tasks.models import Task, TaskEvent
from tasks.signals import task_event_committed, task_event_recorded


def task_event_record(*, task: Task, event_type: str, data: dict | None = None) -> TaskEvent:
    """Persist one event for a task whose row the caller has just locked or updated."""
    event = TaskEvent.objects.create(task=task, event_type=event_type, data=data or {})
    task_event_recorded.send(sender=TaskEvent, event=event, task=task)
    transaction.on_commit(
        lambda: task_event_committed.send(sender=TaskEvent, event=event, task=task)
    )
    return event
