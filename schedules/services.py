"""Writes on schedules: create, change, pause, resume, run now, and the tick's firing.

Every cluster's tick calls `schedules_fire()` (tasks/management/commands/qcluster.py). A
firing creates its task and its ScheduleRun row in one transaction; the row's unique key on
(schedule, firing time) lets only one of them commit, so two clusters, or a cluster that
restarts mid-firing, never make a second task for one firing.
"""
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.exceptions import ApplicationError
from schedules.timing import ONE_MICROSECOND
from schedules.models import (
    CatchUpPolicy, OverlapPolicy, RunOutcome, RunTrigger, Schedule, ScheduleRun,
)
from tasks.models import ACTIVE_STATUSES, TaskPriority
from tasks.services import priority_parse, task_create

logger = logging.getLogger(__name__)

# What changes when a schedule fires: a change to any of them plans the next firing anew.
TIMING_FIELDS = frozenset({"cron", "timezone", "interval_seconds", "start_at", "end_at",
                           "enabled"})
# Due schedules one tick fires at most; the rest wait for the next tick.
FIRE_BATCH = 100
# Firings of one schedule one tick records at most (a tick late by several intervals).
FIRINGS_PER_TICK = 10


def _priority(value) -> TaskPriority:
    """A priority given by name ('high') or by number (the admin's form)."""
    return TaskPriority(value) if isinstance(value, int) else priority_parse(value)


def _plan(schedule: Schedule, *, now: datetime) -> None:
    """Set the next firing from now on (firings before now are not caught up)."""
    schedule.next_run_at = (schedule.timing().next_after(now, inclusive=True)
                            if schedule.enabled else None)


def schedule_create(*, name: str, kind: str, entity, params: dict | None = None,
                    priority=TaskPriority.NORMAL, created_by=None, cron: str = "", timezone_name: str = "UTC",
                    interval_seconds: int | None = None, start_at: datetime | None = None,
                    end_at: datetime | None = None, enabled: bool = True,
                    overlap_policy: str = OverlapPolicy.SKIP,
                    catch_up_policy: str = CatchUpPolicy.SKIP) -> Schedule:
    """Create a schedule whose fields were checked (schedules.serializers); its first
    firing is the first one from now, or from start_at if that is later."""
    now = timezone.now()
    schedule = Schedule(
        name=name, kind=kind, entity=entity, params=params or {}, priority=_priority(priority),
        created_by=created_by, cron=cron, timezone=timezone_name,
        interval_seconds=interval_seconds, start_at=start_at or now, end_at=end_at,
        enabled=enabled, overlap_policy=overlap_policy, catch_up_policy=catch_up_policy,
    )
    _plan(schedule, now=now)
    schedule.save()
    return schedule


def schedule_update(*, schedule: Schedule, **fields) -> Schedule:
    """Change checked fields; a change of timing or `enabled` plans the next firing anew."""
    if "timezone_name" in fields:
        fields["timezone"] = fields.pop("timezone_name")
    if "priority" in fields:
        fields["priority"] = _priority(fields["priority"])
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
        changed = {name for name, value in fields.items() if getattr(schedule, name) != value}
        for name in changed:
            setattr(schedule, name, fields[name])
        if changed & TIMING_FIELDS:
            _plan(schedule, now=timezone.now())
        schedule.save()
    return schedule


def schedule_pause(*, schedule: Schedule) -> Schedule:
    """Stop firing until resumed; a paused schedule's firings are not caught up."""
    return schedule_update(schedule=schedule, enabled=False)


def schedule_resume(*, schedule: Schedule) -> Schedule:
    """Fire again, from the next firing after now."""
    return schedule_update(schedule=schedule, enabled=True)


def schedule_delete(*, schedule: Schedule) -> None:
    """Delete a schedule and its run records; its tasks and their cost records stay."""
    schedule.delete()


def schedule_runs_purge(*, batch_size: int = 1000) -> int:
    """Delete runs due before SCHEDULE_RUN_RETENTION_DAYS, except one whose task has not
    ended; each schedule's latest task-making run is kept, for its last status and cost."""
    cutoff = timezone.now() - timedelta(days=settings.SCHEDULE_RUN_RETENTION_DAYS)
    latest = ScheduleRun.objects.filter(schedule=OuterRef("schedule"),
                                        outcome=RunOutcome.FIRED).order_by(
        "-scheduled_for", "-id").values("pk")[:1]
    old = (ScheduleRun.objects.filter(scheduled_for__lt=cutoff)
           .exclude(status__in=ACTIVE_STATUSES).exclude(pk=Subquery(latest)))
    deleted = 0
    while batch := list(old.values_list("pk", flat=True)[:batch_size]):
        deleted += ScheduleRun.objects.filter(pk__in=batch).delete()[0]
    if deleted:
        logger.info("purged %d schedule run(s) due before %s", deleted, cutoff.isoformat())
    return deleted


def schedule_run_now(*, schedule: Schedule) -> ScheduleRun:
    """Fire once now, whatever the timing and the overlap policy say (an operator asked)."""
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
        now = timezone.now()
        run = _run_record(schedule, scheduled_for=now, trigger=RunTrigger.MANUAL)
        schedule.last_run_at = run.fired_at
        schedule.save(update_fields=["last_run_at", "updated_at"])
    return run


def schedules_fire(*, now: datetime | None = None) -> int:
    """Fire every schedule that is due; return how many runs were recorded.

    Called by every cluster's tick. A schedule another cluster is firing right now is
    passed over (SKIP LOCKED on PostgreSQL); one that fails is logged and does not keep the
    others from firing.
    """
    now = now or timezone.now()
    due = list(Schedule.objects.filter(enabled=True, next_run_at__lte=now)
               .order_by("next_run_at").values_list("pk", flat=True)[:FIRE_BATCH])
    recorded = 0
    for pk in due:
        try:
            for _ in range(FIRINGS_PER_TICK):  # a late tick may find several firings due
                if schedule_fire_due(schedule_pk=pk, now=now) is None:
                    break
                recorded += 1
        except Exception:
            logger.exception("schedule %s could not fire; retrying next tick", pk)
    return recorded


def schedule_fire_due(*, schedule_pk: int, now: datetime) -> ScheduleRun | None:
    """Fire one due schedule's next firing, as its policies say; None if it was not due
    (any more) or another cluster recorded this firing first."""
    try:
        with transaction.atomic():
            schedule = _due_locked(schedule_pk, now)
            if schedule is None:
                return None
            run = _fire(schedule, now=now)
    except IntegrityError:
        logger.info("schedule %s: this firing was recorded by another cluster", schedule_pk)
        return None
    return run


def _due_locked(pk: int, now: datetime) -> Schedule | None:
    schedules = Schedule.objects.filter(pk=pk, enabled=True, next_run_at__lte=now)
    if connection.features.has_select_for_update_skip_locked:
        schedules = schedules.select_for_update(skip_locked=True)
    return schedules.first()


def _fire(schedule: Schedule, *, now: datetime) -> ScheduleRun:
    """Record the schedule's next due firing, with its task if it runs, and plan the next.

    A firing less than SCHEDULE_MISFIRE_GRACE_SECONDS behind is late, and runs. Older ones
    were missed (no cluster ran): they are recorded together as one run at the last of
    them, which runs once (catch-up `one`) or not at all (`skip`).
    """
    timing = schedule.timing()
    first = schedule.next_run_at
    cutoff = now - timedelta(seconds=settings.SCHEDULE_MISFIRE_GRACE_SECONDS)
    if first >= cutoff:
        scheduled_for, missed = first, 0
        outcome, catch_up = RunOutcome.FIRED, False
    else:
        scheduled_for, missed = timing.latest_due(first, cutoff - ONE_MICROSECOND)
        if schedule.catch_up_policy == CatchUpPolicy.ONE:
            outcome, catch_up = RunOutcome.FIRED, True
        else:
            outcome, catch_up = RunOutcome.MISSED, False
    if (outcome == RunOutcome.FIRED and schedule.overlap_policy == OverlapPolicy.SKIP
            and schedule.runs.filter(status__in=ACTIVE_STATUSES).exists()):
        outcome = RunOutcome.SKIPPED
    run = _run_record(schedule, scheduled_for=scheduled_for, trigger=RunTrigger.SCHEDULE,
                      outcome=outcome, catch_up=catch_up, missed_count=missed)
    schedule.next_run_at = timing.next_after(scheduled_for)
    fields = ["next_run_at", "updated_at"]
    if run.task_id is not None:
        schedule.last_run_at = run.fired_at
        fields.append("last_run_at")
    schedule.save(update_fields=fields)
    return run


def _run_record(schedule: Schedule, *, scheduled_for: datetime, trigger: str,
                outcome: str = RunOutcome.FIRED, catch_up: bool = False,
                missed_count: int = 0) -> ScheduleRun:
    """Insert the run row, and the task first if it fires (call inside a transaction)."""
    task, detail = None, ""
    if outcome == RunOutcome.FIRED:
        metadata = {"schedule_id": schedule.schedule_id,
                    "scheduled_for": scheduled_for.isoformat(), "trigger": trigger}
        if catch_up:
            metadata["catch_up"] = True
        try:
            with transaction.atomic():
                task = task_create(kind=schedule.kind, entity=schedule.entity,
                                   created_by=schedule.created_by,
                                   priority=TaskPriority(schedule.priority),
                                   params=schedule.params, metadata=metadata)
        except ApplicationError as exc:  # e.g. its kind is no longer registered
            outcome, detail = RunOutcome.ERROR, exc.message[:500]
            logger.error("schedule %s could not create its task: %s", schedule.schedule_id,
                         exc.message)
    return ScheduleRun.objects.create(
        schedule=schedule, scheduled_for=scheduled_for, fired_at=timezone.now(),
        trigger=trigger, outcome=outcome, status=task.status if task else outcome, task=task,
        task_public_id=task.task_id if task else "", catch_up=catch_up,
        missed_count=missed_count, detail=detail,
    )


def schedule_run_status_follow(*, task) -> None:
    """Copy a scheduled task's new status onto its run (called as the task changes)."""
    if task.metadata.get("schedule_id"):
        ScheduleRun.objects.filter(task_id=task.pk).update(status=task.status)
