"""Reads on schedules, scoped as tasks are: a member sees its entities' schedules."""
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F, Func, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from core.exceptions import NotFoundError
from costs.filters import PeriodForm
from core.filters import FlexibleDateTimeField
from costs.models import RequestRecord
from costs.selectors import request_record_visible, tasks_cost
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


def schedules_summarized(schedules: QuerySet[Schedule], *, user) -> QuerySet[Schedule]:
    """The schedules, each with its last run's task, status and cost and its last 30 days'
    cost (what `user` may see of them), read with them in one query: a list page and the
    changelist cost one query, not several per schedule."""
    now = timezone.now()
    def last(schedule):
        return (ScheduleRun.objects.filter(schedule=schedule, outcome=RunOutcome.FIRED)
                .order_by("-scheduled_for", "-id"))

    recent = ScheduleRun.objects.filter(
        schedule=OuterRef(OuterRef("pk")), outcome=RunOutcome.FIRED,
        scheduled_for__gte=now - RECENT_COST_PERIOD, scheduled_for__lt=now,
    ).exclude(task_public_id="").values("task_public_id")
    return schedules.annotate(
        last_run_task_id=Subquery(last(OuterRef("pk")).values("task_public_id")[:1]),
        last_run_status=Subquery(last(OuterRef("pk")).values("status")[:1]),
        last_run_cost_usd=_cost(user, task_id=Subquery(
            last(OuterRef(OuterRef("pk"))).values("task_public_id")[:1])),
        cost_last_30_days_usd=_cost(user, task_id__in=recent),
    )


def _cost(user, **records):
    """What the visible records matching `records` cost: one SUM, 0 when there are none."""
    money = RequestRecord._meta.get_field("cost")
    total = (request_record_visible(user=user).filter(**records).order_by()
             .annotate(total=Func(F("cost"), function="SUM", output_field=money))
             .values("total"))
    return Coalesce(Subquery(total), Value(Decimal(0)), output_field=money)


SUMMARY_FIELDS = ("last_run_task_id", "last_run_status", "last_run_cost_usd",
                  "cost_last_30_days_usd")


def schedule_summaries(*, user, schedules: list[Schedule]) -> dict[int, dict]:
    """schedules_summarized's figures for these schedules, keyed by primary key; a
    schedule that never fired has no last run, nor its cost."""
    rows = schedules_summarized(Schedule.objects.filter(pk__in=[s.pk for s in schedules]),
                                user=user).values("pk", *SUMMARY_FIELDS)
    summaries = {}
    for row in rows:
        summary = {field: row[field] for field in SUMMARY_FIELDS}
        if summary["last_run_task_id"] is None:
            summary["last_run_cost_usd"] = None
        summaries[row["pk"]] = summary
    return summaries
