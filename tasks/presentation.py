"""How tasks and their events read to a person; live.js words them the same way."""
from tasks.models import Task, TaskEvent, TaskEventType, TaskStatus

STATUS_LABELS = {
    TaskStatus.PENDING: "Waiting in queue",
    TaskStatus.PROCESSING: "Running",
    TaskStatus.COMPLETED: "Completed",
    TaskStatus.FAILED: "Failed",
    TaskStatus.CANCELLED: "Cancelled",
}


def task_status_line(task: Task) -> str:
    """Return the one line a person reads to know where the task stands."""
    label = STATUS_LABELS.get(task.status, task.status)
    if task.status == TaskStatus.FAILED and task.error_message:
        return f"{label}: {task.error_message}"
    if task.status == TaskStatus.CANCELLED and task.error_message:
        return f"{label}: {task.error_message}"
    if task.status == TaskStatus.PENDING and task.attempts:
        return f"Waiting to retry: {task.error_message}" if task.error_message else label
    if task.status == TaskStatus.PROCESSING and task.progress_text:
        return f"{label}: {task.progress_text}"
    return label


def event_describe(event: TaskEvent) -> str:
    """Return an event as one sentence for the task page's log."""
    data = event.data or {}
    kind = event.event_type
    if kind == TaskEventType.STARTED:
        return f"Started (attempt {data.get('attempt', '?')})"
    if kind == TaskEventType.PROGRESS:
        percent = f"{round((data.get('value') or 0) * 100)}%"
        return f"{percent}: {data['text']}" if data.get("text") else percent
    if kind == TaskEventType.COMPLETED:
        return "Completed"
    if kind == TaskEventType.FAILED:
        return f"Failed: {data.get('error') or 'no reason given'}"
    if kind == TaskEventType.CANCELLED:
        return f"Cancelled: {data.get('reason') or 'by request'}"
    if kind == TaskEventType.RETRYING:
        if data.get("error"):
            delay = data.get("delay_seconds")
            wait = f"; retrying in {delay:.0f} s" if isinstance(delay, (int, float)) else ""
            return f"Attempt failed: {data['error']}{wait}"
        return f"Back in the queue: {data.get('reason') or 'retry'}"
    return kind
