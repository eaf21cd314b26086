from django.apps import AppConfig


def _run_status_follow(sender, event, task, **kwargs):
    from schedules.services import schedule_run_status_follow
    from tasks.models import TaskEventType

    if event.event_type != TaskEventType.PROGRESS:
        schedule_run_status_follow(task=task)


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = "Schedules"

    def ready(self):
        from tasks.signals import task_event_recorded

        # In the transaction of every task event: a run's status changes with its task's.
        task_event_recorded.connect(_run_status_follow, dispatch_uid="schedules.run_status")
