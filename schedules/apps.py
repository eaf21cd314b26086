from django.apps import AppConfig


def _run_status_follow(sender, event, task, **kwargs):
    from schedules.services import schedule_run_status_follow
    from tasks.models import TaskEventType

    if event.event_type != TaskEventType.PROGRESS:
        schedule_run_status_follow(task=task)


def _runs_purge(sender, cutoff, **kwargs):
    from schedules.services import schedule_runs_purge

    schedule_runs_purge()


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = "Schedules"

    def ready(self):
        from tasks.signals import task_event_recorded, tasks_purged

        # In the transaction of every task event: a run's status changes with its task's.
        task_event_recorded.connect(_run_status_follow, dispatch_uid="schedules.run_status")
        # With the daily purge of finished tasks: runs older than their own retention.
        tasks_purged.connect(_runs_purge, dispatch_uid="schedules.runs_purge")
