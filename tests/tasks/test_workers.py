"""The framework on real `manage.py qcluster` processes: order, crashes, cancellation, time."""
import os
import signal
import time

import pytest
from django.utils import timezone

from tasks.models import Task, TaskStatus
from tasks.services import task_cancel, task_create
from tests.processes import wait_for

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


def _status(task):
    return Task.objects.get(pk=task.pk).status


def _wait_status(task, status, timeout=30):
    wait_for(lambda: _status(task) == status, timeout, message=f"{task.task_id} -> {status}")
    task.refresh_from_db()
    return task


def _wait_running_with_progress(task, timeout=30):
    wait_for(
        lambda: Task.objects.filter(pk=task.pk, status="processing", progress__gt=0).exists(),
        timeout, message=f"{task.task_id} running with progress",
    )
    task.refresh_from_db()
    return task


def test_worker_priority_order_when_saturated(qcluster, settings):
    settings.MAX_CONCURRENT_TASKS = 1
    qcluster(MAX_CONCURRENT_TASKS=1)
    blocker = task_create(kind="demo.count", params={"steps": 10, "delay_seconds": 0.1})
    _wait_running_with_progress(blocker)
    # A task has arrived once task_create has returned: its row is committed, so any claim
    # that begins later sees it. (Its created_at is stamped before the commit: a claim may
    # begin after that stamp and still not see the row, which is not a priority inversion.)
    waiting, arrived = [], {}
    for name, priority in [
        ("low", "low"), ("normal-1", "normal"), ("critical-1", "critical"),
        ("high", "high"), ("normal-2", "normal"), ("critical-2", "critical"),
    ]:
        task = task_create(kind="demo.count", params={"steps": 1, "delay_seconds": 0},
                           priority=priority, metadata={"name": name})
        waiting.append(task)
        arrived[task.pk] = timezone.now()
    for task in waiting:
        _wait_status(task, TaskStatus.COMPLETED)
    waiting = [Task.objects.get(pk=task.pk) for task in waiting]
    # The one-worker cluster may have claimed one task ahead while the blocker ran (its
    # prefetch is one per worker); every other claim was made best first.
    claimed_ahead = [t for t in waiting if t.dispatched_at < arrived[waiting[-1].pk]]
    assert len(claimed_ahead) <= 1
    started = sorted(waiting, key=lambda task: task.started_at)
    expected = ["critical-1", "critical-2", "high", "normal-1", "normal-2", "low"]
    names = [task.metadata["name"] for task in started]
    assert names == [t.metadata["name"] for t in claimed_ahead] + [
        name for name in expected if name not in {t.metadata["name"] for t in claimed_ahead}]
    # A waiting task never started after a lower one that was claimed after it arrived.
    for higher in waiting:
        for lower in waiting:
            if higher.priority > lower.priority and lower.dispatched_at > arrived[higher.pk]:
                assert higher.started_at < lower.started_at, (higher.metadata, lower.metadata)
    assert all(task.started_at >= blocker.started_at for task in waiting)


def test_worker_sigkill_mid_task_is_retried_and_completes(qcluster):
    cluster = qcluster(TASK_HEARTBEAT_SECONDS=0.2, TASK_HEARTBEAT_TIMEOUT=2, RETRY_BASE_DELAY=0.1)
    task = task_create(kind="demo.count", params={"steps": 30, "delay_seconds": 0.1})
    task = _wait_running_with_progress(task)
    host, pid = task.worker.rsplit(":", 1)
    assert int(pid) != cluster.pid
    os.kill(int(pid), signal.SIGKILL)

    task = _wait_status(task, TaskStatus.COMPLETED, timeout=45)
    assert task.attempts == 2
    events = list(task.events.values_list("event_type", flat=True))
    assert events.count("task_started") == 2
    retrying = task.events.get(event_type="task_retrying")
    assert "worker lost" in retrying.data["error"]


def test_worker_sigkill_with_attempts_spent_fails(qcluster):
    qcluster(TASK_HEARTBEAT_SECONDS=0.2, TASK_HEARTBEAT_TIMEOUT=2)
    task = task_create(kind="demo.count", params={"steps": 30, "delay_seconds": 0.1}, max_attempts=1)
    task = _wait_running_with_progress(task)
    os.kill(int(task.worker.rsplit(":", 1)[1]), signal.SIGKILL)

    task = _wait_status(task, TaskStatus.FAILED, timeout=30)
    assert task.attempts == 1
    assert "worker lost" in task.error_message


def test_worker_cancel_running_task_stops_at_next_report(qcluster):
    qcluster()
    task = task_create(kind="demo.count", params={"steps": 200, "delay_seconds": 0.05})
    _wait_running_with_progress(task)
    task, message = task_cancel(task=task)
    assert "requested" in message

    task = _wait_status(task, TaskStatus.CANCELLED, timeout=15)
    assert task.progress < 1
    assert task.result is None
    assert task.events.last().event_type == "task_cancelled"


def test_worker_cancelled_pending_task_never_runs(qcluster, settings):
    settings.MAX_CONCURRENT_TASKS = 1
    qcluster(MAX_CONCURRENT_TASKS=1)
    blocker = task_create(kind="demo.count", params={"steps": 10, "delay_seconds": 0.1})
    _wait_running_with_progress(blocker)
    waiting = task_create(kind="demo.count", params={"steps": 1, "delay_seconds": 0})
    after = task_create(kind="demo.count", params={"steps": 1, "delay_seconds": 0})
    task_cancel(task=waiting)

    _wait_status(after, TaskStatus.COMPLETED)
    waiting.refresh_from_db()
    assert waiting.status == TaskStatus.CANCELLED
    assert waiting.attempts == 0 and waiting.started_at is None
    assert not waiting.events.filter(event_type="task_started").exists()


def test_worker_retries_with_backoff_then_completes(qcluster):
    qcluster(RETRY_BASE_DELAY=0.3)
    task = task_create(kind="demo.count", params={"steps": 2, "delay_seconds": 0, "fail_attempts": 2})
    task = _wait_status(task, TaskStatus.COMPLETED)
    assert task.attempts == 3 and task.retry_count == 2
    delays = [e.data["delay_seconds"] for e in task.events.filter(event_type="task_retrying")]
    assert delays[0] == pytest.approx(0.3, rel=0.11) and delays[1] == pytest.approx(0.6, rel=0.11)
    starts = list(task.events.filter(event_type="task_started").values_list("created_at", flat=True))
    assert (starts[1] - starts[0]).total_seconds() >= 0.27
    assert (starts[2] - starts[1]).total_seconds() >= 0.54


def test_worker_retry_limit_reached_fails_with_last_error(qcluster):
    qcluster(RETRY_BASE_DELAY=0.05)
    task = task_create(kind="demo.count", params={"steps": 1, "delay_seconds": 0, "fail_attempts": 99})
    task = _wait_status(task, TaskStatus.FAILED)
    assert task.attempts == task.max_attempts == 4  # RETRY_LIMIT=3 retries after the first
    assert task.retry_count == 3
    assert task.error_message == "demo failure at step 1 of attempt 4 (gave up after 4 attempts)"


def test_worker_permanent_error_fails_at_once(qcluster):
    qcluster(RETRY_BASE_DELAY=0.05)
    task = task_create(
        kind="demo.count",
        params={"steps": 1, "delay_seconds": 0, "fail_attempts": 5, "failure": "permanent"},
    )
    task = _wait_status(task, TaskStatus.FAILED)
    assert task.attempts == 1
    assert task.error_message == "demo failure at step 1 of attempt 1"


def test_worker_timeout_of_reporting_job_fails_cleanly(qcluster):
    qcluster()
    task = task_create(kind="demo.count", params={"steps": 100, "delay_seconds": 0.1}, timeout_seconds=1)
    task = _wait_status(task, TaskStatus.FAILED, timeout=20)
    assert task.error_message == "timed out after 1 s"
    assert task.attempts == 1
    assert (task.completed_at - task.started_at).total_seconds() < 3


def test_worker_timeout_of_blocked_job_is_enforced(qcluster):
    """A job stuck in one long call (no reports) is interrupted by django-q2's hard limit."""
    qcluster()
    task = task_create(kind="demo.count", params={"steps": 1, "delay_seconds": 30}, timeout_seconds=1)
    task = _wait_status(task, TaskStatus.FAILED, timeout=25)
    assert task.error_message == "timed out after 1 s"
    assert (task.completed_at - task.started_at).total_seconds() < 15


def test_worker_two_clusters_run_each_task_exactly_once(qcluster):
    qcluster(Q_WORKERS=3)
    qcluster(Q_WORKERS=3)
    tasks = [task_create(kind="demo.count", params={"steps": 2, "delay_seconds": 0.02}) for _ in range(30)]
    for task in tasks:
        _wait_status(task, TaskStatus.COMPLETED, timeout=60)
    for task in tasks:
        assert task.attempts == 1
        assert task.events.filter(event_type="task_started").count() == 1


def test_a_new_task_wakes_an_idle_pusher_at_once(qcluster, settings):
    """Redis mode: a commit that makes a task ready wakes the pushers (tasks.ready), so an
    idle cluster that polls only every 10 s starts each new task well within a second."""
    if not settings.REDIS_URL:
        pytest.skip("without Redis the pushers poll (Q_POLL); there is no wake-up to test")
    qcluster(Q_POLL="10")
    warm = task_create(kind="noop")
    _wait_status(warm, TaskStatus.COMPLETED, timeout=30)  # its pusher is now subscribed
    for _ in range(3):
        time.sleep(0.3)  # the pusher is back in its 10 s wait
        task = task_create(kind="noop")
        _wait_status(task, TaskStatus.COMPLETED, timeout=30)
        assert (task.started_at - task.created_at).total_seconds() < 1.5
