"""Schedules fired by real `manage.py qcluster` processes: on time, the overlap skip,
catch-up after the cluster was down, the cost of every run's attempts, and exactly once
with two clusters on PostgreSQL.

Interval schedules of one second keep these fast. Nothing asserts how fast: what is
checked is which firings made tasks, how many, and that the tasks ran.
"""
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from schedules.models import Schedule, ScheduleRun
from tasks.models import ClusterHeartbeat, Task
from tests.processes import attempt_records_closed, wait_for
from tests.schedules.helpers import make_schedule
from tests.tasks import jobs_for_tests  # noqa: F401  (registers test job kinds)

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

SECOND = timedelta(seconds=1)
CLUSTER_ENV = {"Q_WORKERS": "2", "TASK_PROGRESS_INTERVAL": "0"}


def _ticking(count: int = 1):
    wait_for(lambda: ClusterHeartbeat.objects.filter(cluster=settings.Q_CLUSTER["name"])
             .count() >= count, timeout=60, message=f"{count} cluster(s) to tick")


def _runs(schedule):
    return list(ScheduleRun.objects.filter(schedule=schedule).order_by("scheduled_for"))


def _on_the_grid(runs, start, step=SECOND) -> bool:
    """Whether the runs account for every firing from start on, each exactly once: a run
    stands for its own firing, or for the `missed_count` missed ones ending at it."""
    expected = start
    for run in runs:
        if run.scheduled_for != expected + (max(run.missed_count, 1) - 1) * step:
            return False
        expected = run.scheduled_for + step
    return True


def _scheduled_tasks(schedule):
    return Task.objects.filter(metadata__schedule_id=schedule.schedule_id)


def test_schedule_fires_every_second_on_time_and_its_tasks_run(qcluster, entity):
    qcluster(**CLUSTER_ENV)
    _ticking()
    start = timezone.now() + SECOND
    schedule = make_schedule(entity, interval_seconds=1, start_at=start,
                             overlap_policy="allow")

    wait_for(lambda: ScheduleRun.objects.filter(schedule=schedule).count() >= 4, timeout=30,
             message="four firings")
    Schedule.objects.filter(pk=schedule.pk).update(enabled=False)
    wait_for(lambda: not _scheduled_tasks(schedule).exclude(status="completed").exists(),
             timeout=30, message="the runs' tasks to complete")

    runs = _runs(schedule)
    # Every second from the start, none left out, none twice, none early.
    assert _on_the_grid(runs, start), [(r.scheduled_for, r.missed_count) for r in runs]
    assert all(run.fired_at >= run.scheduled_for for run in runs)
    assert {(run.outcome, run.catch_up, run.status) for run in runs} == {
        ("fired", False, "completed")}
    tasks = {task.task_id: task for task in _scheduled_tasks(schedule)}
    assert sorted(tasks) == sorted(run.task_public_id for run in runs)
    for run in runs:
        assert tasks[run.task_public_id].metadata["scheduled_for"] == run.scheduled_for.isoformat()


def test_schedule_overlap_skip_waits_for_the_running_task(qcluster, entity):
    qcluster(**CLUSTER_ENV)
    _ticking()
    schedule = make_schedule(entity, interval_seconds=1, start_at=timezone.now() + SECOND,
                             kind="demo.count", params={"steps": 5, "delay_seconds": 0.5})

    wait_for(lambda: _scheduled_tasks(schedule).count() >= 2, timeout=40,
             message="a second task, after the first ended")
    Schedule.objects.filter(pk=schedule.pk).update(enabled=False)
    wait_for(lambda: not _scheduled_tasks(schedule).exclude(status="completed").exists(),
             timeout=30, message="the tasks to complete")

    runs = _runs(schedule)
    fired = [run for run in runs if run.outcome == "fired"]
    assert len(fired) >= 2
    skipped = [run for run in runs if run.outcome == "skipped"]
    assert skipped, [run.outcome for run in runs]  # a 2.5 s task spans firings
    assert {run.outcome for run in runs} == {"fired", "skipped"}
    # The tasks never ran side by side: each started after the one before it ended.
    tasks = sorted((run.task for run in fired), key=lambda task: task.started_at)
    for earlier, later in zip(tasks, tasks[1:]):
        assert later.created_at >= earlier.completed_at


def test_schedule_catch_up_after_the_cluster_was_down(qcluster, entity):
    env = {**CLUSTER_ENV, "SCHEDULE_MISFIRE_GRACE_SECONDS": "1"}
    first = qcluster(**env)
    _ticking()
    first.stop()
    # While no cluster runs: three firings each of a skip and a one schedule, then the end.
    start = timezone.now() + SECOND
    passed_over = make_schedule(entity, name="skip", interval_seconds=1, start_at=start,
                                end_at=start + 2 * SECOND, catch_up_policy="skip")
    caught_up = make_schedule(entity, name="one", interval_seconds=1, start_at=start,
                              end_at=start + 2 * SECOND, catch_up_policy="one")
    ends_at = start + 2 * SECOND + timedelta(seconds=2.5)  # more than the grace after the last
    time.sleep(max(0.0, (ends_at - timezone.now()).total_seconds()))

    qcluster(**env)
    wait_for(lambda: not Schedule.objects.filter(next_run_at__isnull=False).exists(),
             timeout=60, message="both schedules to be fired and ended")
    wait_for(lambda: not _scheduled_tasks(caught_up).exclude(status="completed").exists(),
             timeout=30, message="the catch-up task to complete")

    [missed] = _runs(passed_over)
    assert (missed.outcome, missed.task, missed.missed_count) == ("missed", None, 3)
    assert missed.scheduled_for == start + 2 * SECOND
    assert not _scheduled_tasks(passed_over).exists()
    [once] = _runs(caught_up)
    assert (once.outcome, once.catch_up, once.missed_count, once.status) == (
        "fired", True, 3, "completed")
    assert once.scheduled_for == start + 2 * SECOND
    assert _scheduled_tasks(caught_up).get().metadata["catch_up"] is True


def test_schedule_cost_rolls_up_every_attempt_of_every_run(qcluster, entity, api):
    """Each run of `test.metered` pays 10 pages, fails, is retried and pays 10 pages and 45
    chunks: 0.02 + 0.02 + 0.135 = 0.175 USD over two attempt records."""
    qcluster(**CLUSTER_ENV, TASK_JOB_MODULES="tests.tasks.jobs_for_tests", RETRY_BASE_DELAY="0.1")
    _ticking()
    schedule = make_schedule(entity, kind="test.metered", params={"fail_first": True},
                             interval_seconds=1, start_at=timezone.now() + SECOND)

    wait_for(lambda: _scheduled_tasks(schedule).filter(status="completed").count() >= 3,
             timeout=60, message="three completed runs")
    Schedule.objects.filter(pk=schedule.pk).update(enabled=False)
    wait_for(lambda: not _scheduled_tasks(schedule).exclude(status="completed").exists(),
             timeout=30, message="the last run to complete")
    runs = [run for run in _runs(schedule) if run.outcome == "fired"]
    for run in runs:
        attempt_records_closed(run.task_public_id)

    response = api.get(f"/api/schedules/{schedule.schedule_id}/cost")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert Decimal(str(body["total_cost_usd"])) == Decimal("0.175") * len(runs)
    assert {k: Decimal(str(v)) for k, v in body["breakdown_by_service"].items()} == {
        "file_processor": Decimal("0.04") * len(runs),
        "transformer": Decimal("0.135") * len(runs)}
    assert (body["run_count"], body["request_count"], body["final"]) == (
        len(runs), 2 * len(runs), True)
    answer = api.get(f"/api/schedules/{schedule.schedule_id}").json()
    assert Decimal(str(answer["last_run_cost_usd"])) == Decimal("0.175")
    assert Decimal(str(answer["cost_last_30_days_usd"])) == Decimal("0.175") * len(runs)
    assert answer["last_run_status"] == "completed"


@pytest.mark.postgres
@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                    reason="two clusters share one PostgreSQL (the PostgreSQL run)")
def test_schedule_fires_exactly_once_per_firing_with_two_clusters(qcluster, entity):
    env = {**CLUSTER_ENV, "TASK_TICK_SECONDS": "0.05"}  # both look at every firing, often
    qcluster(**env)
    qcluster(**env)
    _ticking(2)
    start = timezone.now() + SECOND
    schedules = [make_schedule(entity, name=f"s{n}", interval_seconds=1, start_at=start,
                               overlap_policy="allow") for n in range(3)]

    wait_for(lambda: all(len(_runs(schedule)) >= 6 for schedule in schedules), timeout=40,
             message="six firings of each schedule")
    Schedule.objects.update(enabled=False)
    wait_for(lambda: not Task.objects.exclude(status="completed").exists(), timeout=30,
             message="every task to complete")

    for schedule in schedules:
        runs = _runs(schedule)
        assert _on_the_grid(runs, start), [(r.scheduled_for, r.missed_count) for r in runs]
        assert {run.outcome for run in runs} == {"fired"}
        tasks = list(_scheduled_tasks(schedule).values_list("task_id", "metadata"))
        assert len(tasks) == len(runs)  # not one task more than firings
        assert sorted(task_id for task_id, _ in tasks) == sorted(r.task_public_id for r in runs)
        assert len({metadata["scheduled_for"] for _, metadata in tasks}) == len(runs)
