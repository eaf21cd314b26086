"""Keep an article's status in step with its analysis task, in the transaction that ends it.

The job saves the analysis; the article becomes completed with its task. A task can also
fail outside the job (retries spent, a lost worker reaped, a timeout, a cancel while
pending), so the article learns how its task ended from the task's events.
"""
from django.dispatch import receiver

from articles.services import ANALYZE_KIND, article_analysis_fail, article_analysis_finish
from tasks.models import TaskEventType
from tasks.signals import task_event_recorded


@receiver(task_event_recorded)
def _article_follows_task(sender, event, task, **kwargs):
    if task.kind != ANALYZE_KIND:
        return
    if event.event_type == TaskEventType.COMPLETED:
        article_analysis_finish(task=task)
    elif event.event_type in (TaskEventType.FAILED, TaskEventType.CANCELLED):
        error = task.error_message or event.data.get("error") or event.data.get("reason") or ""
        if event.event_type == TaskEventType.CANCELLED:
            error = f"analysis cancelled: {error or 'cancelled by request'}"
        article_analysis_fail(task=task, error=error)
