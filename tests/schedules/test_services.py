"""The tick's firing, at chosen moments: policies, the unique key, errors, metrics."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest

from schedules.metrics import ScheduleCollector
from schedules.models import RunOutcome, Schedule, ScheduleRun
from schedules.services import _fire, schedule_fire_due, schedules_fire
from tasks.models import Task, TaskStatus
from tasks.retention import tasks_purge_finished
from tasks.services import task_cancel
from tests.schedules.helpers import make_schedule

pytestmark = pytest.mark.django_db

MINUTE = timedelta(seconds=60)


def _due(entity, **fields) -> Schedule:
    """A schedule every minute whose first firing is a minute from now."""
    fields.setdefault("interval_seconds", 60)
    return make_schedule(entity, start_at=timezone.now() + MINUTE, **fields)


def _finish_runs():
    for task in Task.objects.filter(status=TaskStatus.PENDING):
        task_cancel(task=task)


def test_schedules_fire_on_time_creates_one_task_with_the_firing_in_its_metadata(entity):
    schedule = _due(entity)
    due = schedule.next_run_at

    assert schedules_fire(now=due - timedelta(milliseconds=1)) == 0
    assert schedules_fire(now=due + timedelta(milliseconds=300)) == 1

    run = ScheduleRun.objects.get()
    task = run.task
    assert (run.outcome, run.status, run.scheduled_for, run.missed_count) == (
        RunOutcome.FIRED, "pending", due, 0)
    assert task.metadata == {"schedule_id": schedule.schedule_id,
                             "scheduled_for": due.isoformat(), "trigger": "schedule"}
    assert (task.kind, task.entity) == ("noop", entity)
    schedule.refresh_from_db()
    assert schedule.next_run_at == due + MINUTE
    assert schedule.last_run_at == run.fired_at


def test_schedules_fire_overlap_skip_records_a_skipped_run_and_no_task(entity):
    schedule = _due(entity)
    due = schedule.next_run_at
    schedules_fire(now=due)

    assert schedules_fire(now=due + MINUTE) == 1  # the first task is still pending

    assert Task.objects.count() == 1
    skipped = ScheduleRun.objects.get(scheduled_for=due + MINUTE)
    assert (skipped.outcome, skipped.status, skipped.task) == ("skipped", "skipped", None)
    _finish_runs()
    assert ScheduleRun.objects.get(scheduled_for=due).status == "cancelled"  # follows its task
    schedules_fire(now=due + 2 * MINUTE)
    assert Task.objects.count() == 2


def test_schedules_fire_overlap_allow_runs_alongside(entity):
    schedule = _due(entity, overlap_policy="allow")
    schedules_fire(now=schedule.next_run_at)
    schedules_fire(now=schedule.next_run_at + MINUTE)
    assert Task.objects.filter(status=TaskStatus.PENDING).count() == 2


@override_settings(SCHEDULE_MISFIRE_GRACE_SECONDS=5)
def test_schedules_fire_catch_up_skip_passes_over_firings_missed(entity):
    schedule = _due(entity)
    due = schedule.next_run_at
    back = due + 10 * MINUTE + timedelta(seconds=30)  # no cluster for ten and a half minutes

    assert schedules_fire(now=back) == 1

    run = ScheduleRun.objects.get()
    assert (run.outcome, run.task, run.scheduled_for, run.missed_count) == (
        "missed", None, due + 10 * MINUTE, 11)
    assert not Task.objects.exists()
    schedule.refresh_from_db()
    assert schedule.next_run_at == due + 11 * MINUTE
    assert schedule.last_run_at is None


@override_settings(SCHEDULE_MISFIRE_GRACE_SECONDS=5)
def test_schedules_fire_catch_up_one_runs_once_for_all_missed(entity):
    schedule = _due(entity, catch_up_policy="one")
    due = schedule.next_run_at

    schedules_fire(now=due + 10 * MINUTE + timedelta(seconds=30))

    run = ScheduleRun.objects.get()
    assert (run.outcome, run.catch_up, run.missed_count) == ("fired", True, 11)
    assert Task.objects.get().metadata["catch_up"] is True


@override_settings(SCHEDULE_MISFIRE_GRACE_SECONDS=5)
def test_schedules_fire_late_within_grace_runs_and_older_ones_are_missed(entity):
    schedule = _due(entity, overlap_policy="allow")
    due = schedule.next_run_at

    assert schedules_fire(now=due + 3 * MINUTE + timedelta(seconds=2)) == 2

    missed, late = ScheduleRun.objects.order_by("scheduled_for")
    assert (missed.outcome, missed.scheduled_for, missed.missed_count) == (
        "missed", due + 2 * MINUTE, 3)
    assert (late.outcome, late.catch_up, late.scheduled_for, late.missed_count) == (
        "fired", False, due + 3 * MINUTE, 0)


def test_schedules_fire_a_late_tick_fires_every_firing_within_the_grace(entity):
    schedule = _due(entity, overlap_policy="allow", interval_seconds=1)
    due = schedule.next_run_at

    assert schedules_fire(now=due + timedelta(seconds=2.5)) == 3

    runs = ScheduleRun.objects.order_by("scheduled_for")
    assert [(run.scheduled_for, run.outcome) for run in runs] == [
        (due + n * timedelta(seconds=1), "fired") for n in range(3)]
    assert Task.objects.count() == 3


def test_schedule_fire_the_unique_key_lets_one_firing_commit_once(entity):
    """Two clusters that both read the schedule as due: the second firing's run insert
    collides with the first's, and its task goes with it."""
    schedule = _due(entity, overlap_policy="allow")
    now = schedule.next_run_at
    stale = Schedule.objects.get(pk=schedule.pk)  # what the second cluster read

    assert schedule_fire_due(schedule_pk=schedule.pk, now=now) is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        _fire(stale, now=now)

    assert Task.objects.count() == 1
    assert ScheduleRun.objects.count() == 1
    assert schedule_fire_due(schedule_pk=schedule.pk, now=now) is None  # no longer due


def test_schedules_fire_end_at_ends_the_schedule(entity):
    start = timezone.now() + MINUTE
    schedule = make_schedule(entity, interval_seconds=60, start_at=start,
                             end_at=start + MINUTE, overlap_policy="allow")
    schedules_fire(now=start)
    schedules_fire(now=start + MINUTE)
    schedule.refresh_from_db()
    assert schedule.next_run_at is None
    assert schedules_fire(now=start + 10 * MINUTE) == 0
    assert Task.objects.count() == 2


def test_schedules_fire_a_kind_gone_is_an_error_run_and_the_others_still_fire(entity):
    broken = _due(entity, name="broken")
    Schedule.objects.filter(pk=broken.pk).update(kind="gone.kind")
    working = _due(entity, name="working")

    assert schedules_fire(now=working.next_run_at) == 2

    failed = ScheduleRun.objects.get(schedule=broken)
    assert (failed.outcome, failed.task) == ("error", None)
    assert "kind must be one of" in failed.detail
    assert ScheduleRun.objects.get(schedule=working).task is not None


def test_schedule_metrics_count_finished_runs_and_histogram_the_delay(entity):
    schedule = _due(entity)
    due = schedule.next_run_at
    schedules_fire(now=due)
    schedules_fire(now=due + MINUTE)  # skipped: the first is pending
    ScheduleRun.objects.update(fired_at=F("scheduled_for") + timedelta(seconds=0.3))
    registry = CollectorRegistry()
    registry.register(ScheduleCollector())

    text = generate_latest(registry).decode()

    label = f'schedule="{schedule.schedule_id}"'
    assert f'taskledger_schedule_runs_total{{{label},status="skipped"}} 1.0' in text
    assert 'status="pending"' not in text  # counted once it is over
    _finish_runs()
    text = generate_latest(registry).decode()
    assert f'taskledger_schedule_runs_total{{{label},status="cancelled"}} 1.0' in text
    assert f'taskledger_schedule_firing_delay_seconds_bucket{{le="0.25",{label}}} 0.0' in text
    assert f'taskledger_schedule_firing_delay_seconds_bucket{{le="0.5",{label}}} 2.0' in text
    assert f'taskledger_schedule_firing_delay_seconds_count{{{label}}} 2.0' in text


def test_the_daily_purge_removes_runs_past_their_retention_but_a_schedules_latest(entity,
                                                                                   settings):
    settings.SCHEDULE_RUN_RETENTION_DAYS = 30
    schedule, other = _due(entity), _due(entity, name="other")
    now = timezone.now()

    def run(owner, days_ago, outcome=RunOutcome.FIRED, status="completed"):
        return ScheduleRun.objects.create(
            schedule=owner, scheduled_for=now - timedelta(days=days_ago), fired_at=now,
            outcome=outcome, status=status)

    old = [run(schedule, 40), run(schedule, 35, RunOutcome.SKIPPED, "skipped")]
    still_running = run(schedule, 33, status="processing")
    recent = run(schedule, 2)
    only = run(other, 50)  # its schedule's latest run: its last status and cost stay

    tasks_purge_finished()

    assert set(ScheduleRun.objects.all()) == {still_running, recent, only}
    assert not ScheduleRun.objects.filter(pk__in=[r.pk for r in old]).exists()
