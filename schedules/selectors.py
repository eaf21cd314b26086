"""Reads on schedules, scoped as tasks are: a member sees its entities' schedules."""
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.exceptions import NotFoundError
from costs.filters import PeriodForm
from config.filters import FlexibleDateTimeField
from costs.selectors import tasks_cost
from schedules.models import RunOutcome, Schedule, ScheduleRun
from tasks.models import ACTIVE_STATUSES

RECENT_COST_PERIOD = timedelta(days=30)


def schedule_visible(*, user) -> QuerySet[Schedule]:
    """Schedules of the user's entities; every schedule for staff."""
    schedules = Schedule.objects.select_related("entity")
    return schedules if user.is_staff else schedules.filter(entity__members=user)


def schedule_get(*, user, schedule_id: str) -> Schedule:
    """Return a visible schedule or raise 404, the same whether it is hidden or absent."""
    schedule = schedule_visible(user=user).filter(schedule_id=schedule_id).first()
    if schedule is None:
        raise NotFoundError(f"Schedule {schedule_id} not found")
    return schedule


def schedule_run_list(*, schedule: Schedule) -> QuerySet[ScheduleRun]:
    """The schedule's runs, newest firing first, each with its task (if it made one)."""
    return (schedule.runs.select_related("task", "task__entity", "task__parent")
            .prefetch_related("task__prerequisites").order_by("-scheduled_for", "-id"))


def schedule_last_run(*, schedule: Schedule) -> ScheduleRun | None:
    """The run of the schedule's latest task (skipped and missed firings made none)."""
    return (schedule.runs.filter(outcome=RunOutcome.FIRED)
            .order_by("-scheduled_for", "-id").first())


def _runs_in(schedule: Schedule, since: datetime, until: datetime) -> QuerySet[ScheduleRun]:
    return schedule.runs.filter(scheduled_for__gte=since, scheduled_for__lt=until,
                                outcome=RunOutcome.FIRED)


def schedule_cost(*, user, schedule: Schedule, since: datetime, until: datetime) -> dict:
    """What the runs due in [since, until) cost, in a task cost's shape; `final` once none
    of those runs is pending or processing and their records are closed."""
    runs = _runs_in(schedule, since, until)
    cost = tasks_cost(user=user, task_ids=runs.exclude(task_public_id="")
                      .values("task_public_id"))
    open_runs = runs.filter(status__in=ACTIVE_STATUSES).exists()
    return {
        "schedule_id": schedule.schedule_id, "since": since, "until": until,
        "run_count": runs.count(), **cost, "final": cost["final"] and not open_runs,
    }


class ScheduleCostForm(PeriodForm):
    since = FlexibleDateTimeField(required=False, field_label="since")
    until = FlexibleDateTimeField(required=False, field_label="until")


def schedule_cost_report(*, user, schedule_id: str, params) -> dict:
    """Validate `since` / `until` (until defaults to now, since to 30 days before it) and
    return the cost of the schedule's runs due in that window."""
    schedule = schedule_get(user=user, schedule_id=schedule_id)
    form = ScheduleCostForm(params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    until = form.cleaned_data["until"] or timezone.now()
    since = form.cleaned_data["since"] or until - RECENT_COST_PERIOD
    if until <= since:
        raise ValidationError({"until": ["until must be later than since (until is exclusive)"]})
    return schedule_cost(user=user, schedule=schedule, since=since, until=until)


def schedule_summary(*, user, schedule: Schedule) -> dict:
    """The last run's task, status and cost, and the last 30 days' cost."""
    last = schedule_last_run(schedule=schedule)
    now = timezone.now()
    recent = schedule_cost(user=user, schedule=schedule, since=now - RECENT_COST_PERIOD,
                           until=now)
    last_cost = (tasks_cost(user=user, task_ids=[last.task_public_id])["total_cost_usd"]
                 if last is not None else None)
    return {
        "last_run_task_id": last.task_public_id if last else None,
        "last_run_status": last.status if last else None,
        "last_run_cost_usd": last_cost,
        "cost_last_30_days_usd": recent["total_cost_usd"],
    }
