import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from tasks.models import TaskPriority


def new_schedule_id() -> str:
    return f"sched_{secrets.token_hex(8)}"


class OverlapPolicy(models.TextChoices):
    SKIP = "skip"    # no new run while the previous one is pending or processing
    ALLOW = "allow"


class CatchUpPolicy(models.TextChoices):
    SKIP = "skip"  # firings missed while no cluster ran are not run
    ONE = "one"    # they are run once, together, when a cluster is back


class Schedule(models.Model):
    """Recurring work: at each firing (cron in a time zone, or a fixed interval) one tracked
    task of `kind` with `params`, for `entity`, at `priority`.

    `next_run_at` is the firing the clusters' tick waits for; None once the schedule has
    ended (past `end_at`). Each firing is recorded as a ScheduleRun, whose unique key on
    (schedule, firing time) makes it happen once however many clusters tick.
    """

    schedule_id = models.CharField(max_length=64, unique=True, default=new_schedule_id)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict, blank=True)
    entity = models.ForeignKey("costs.Entity", on_delete=models.PROTECT, related_name="schedules")
    priority = models.PositiveSmallIntegerField(
        choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    cron = models.CharField(max_length=200, blank=True,
                            help_text="Five fields: minute hour day-of-month month day-of-week.")
    timezone = models.CharField(max_length=64, default="UTC",
                                help_text="IANA time zone the cron expression is read in.")
    interval_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Fire every N seconds from start_at (instead of cron).")
    start_at = models.DateTimeField()
    end_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    overlap_policy = models.CharField(max_length=8, choices=OverlapPolicy.choices,
                                      default=OverlapPolicy.SKIP)
    catch_up_policy = models.CharField(max_length=8, choices=CatchUpPolicy.choices,
                                       default=CatchUpPolicy.SKIP)

    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # The tick's scan: enabled schedules by their next firing.
            models.Index(fields=["next_run_at"], condition=Q(enabled=True),
                         name="schedule_due_idx"),
            models.Index(fields=["entity", "name"], name="schedule_entity_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cron="") & Q(interval_seconds__isnull=False))
                | (~Q(cron="") & Q(interval_seconds__isnull=True)),
                name="schedule_cron_or_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def priority_name(self) -> str:
        return TaskPriority(self.priority).label

    def timing(self):
        from schedules.timing import Timing

        return Timing(cron=self.cron, timezone=self.timezone,
                      interval_seconds=self.interval_seconds, start_at=self.start_at,
                      end_at=self.end_at)


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule"
    MANUAL = "manual"  # run now


class RunOutcome(models.TextChoices):
    FIRED = "fired"      # a task was created
    SKIPPED = "skipped"  # overlap policy skip: the previous run was still going
    MISSED = "missed"    # catch-up policy skip: the firing came too late
    ERROR = "error"      # the task could not be created (see detail)


class ScheduleRun(models.Model):
    """One firing of a schedule, and the task it made (if any).

    Inserted in the transaction that creates the task: the unique key on (schedule,
    scheduled_for) lets only one cluster's firing commit. `status` follows the task's
    (schedules.receivers) and keeps it after the task is purged; for a firing that made
    no task it is the outcome.
    """

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="runs")
    scheduled_for = models.DateTimeField(help_text="The firing's due time.")
    fired_at = models.DateTimeField()
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices,
                               default=RunTrigger.SCHEDULE)
    outcome = models.CharField(max_length=10, choices=RunOutcome.choices)
    status = models.CharField(max_length=20)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="schedule_runs")
    # The task's public id, which the ledger's records carry (they outlive the task).
    task_public_id = models.CharField(max_length=64, blank=True)
    catch_up = models.BooleanField(default=False)
    missed_count = models.PositiveIntegerField(
        default=0, help_text="Missed firings (no cluster ran) this run stands for, its own "
                             "included: run once for all of them, or passed over.")
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "scheduled_for"],
                                    name="schedule_run_once"),
        ]
        indexes = [
            models.Index(fields=["schedule", "-scheduled_for"], name="schedule_run_recent_idx"),
            models.Index(fields=["task_public_id"], name="schedule_run_task_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} @ {self.scheduled_for.isoformat()}"
