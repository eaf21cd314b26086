"""Keep an article's status in step with its analysis task when the task ends badly.

A task can fail outside the job (retries spent, a lost worker reaped, a timeout, a cancel
while pending), so the article learns of it from the task's events, in the transaction that
records them.
"""
from django.dispatch import receiver

from articles.services import ANALYZE_KIND, article_analysis_fail
from tasks.models import TaskEventType
from tasks.signals import task_event_recorded


@receiver(task_event_recorded)
def _article_follows_task(sender, event, task, **kwargs):
    if task.kind != ANALYZE_KIND or event.event_type not in (TaskEventType.FAILED,
                                                             TaskEventType.CANCELLED):
        return
    error = task.error_message or event.data.get("error") or event.data.get("reason") or ""
    if event.event_type == TaskEventType.CANCELLED:
        error = f"analysis cancelled: {error or 'cancelled by request'}"
    article_analysis_fail(task=task, error=error)
