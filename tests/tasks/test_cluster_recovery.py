"""No death wedges a cluster: real qcluster processes, killed at any point, keep running work.

django-q2's processes hand work over through multiprocessing queues whose locks a killed
process can leave held; tasks.sentinel rebuilds the queues instead of reusing them. Each
test kills what a user, the OOM killer or a hard timeout would, then asks for new work.
"""
import os
import signal
import time
from pathlib import Path

import pytest
from django.test import Client

from tasks.models import ClusterHeartbeat, Task, TaskStatus
from tasks.services import task_cancel, task_create
from tests.processes import freeze, wait_for
from tests.tasks import jobs_for_workers  # noqa: F401  (registers test.deaf_block here too)

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

RECOVERY_SECONDS = 30  # the promise: a new task starts within this long of any kill
FAST_ENV = {"TASK_HEARTBEAT_SECONDS": "0.2", "TASK_HEARTBEAT_TIMEOUT": "3",
            "RETRY_BASE_DELAY": "0.1", "TASK_PROGRESS_INTERVAL": "0",
            "TASK_JOB_MODULES": "tests.tasks.jobs_for_workers"}


def _title(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return children


class Tree:
    """A qcluster's processes by role, as their titles (setproctitle) name them."""

    def __init__(self, cluster):
        self.cluster = cluster

    @property
    def sentinel(self) -> int:
        sentinels = _children(self.cluster.pid)
        assert len(sentinels) == 1, f"{self.cluster} has children {sentinels}"
        return sentinels[0]

    def role(self, word: str) -> list[int]:
        return [pid for pid in _children(self.sentinel) if f" {word}" in _title(pid)]

    def workers(self) -> list[int]:
        return self.role("idle") + self.role("processing")

    def ready(self, workers: int) -> bool:
        try:
            return (len(self.workers()) == workers and self.role("pusher")
                    and self.role("monitor"))
        except (AssertionError, OSError):
            return False


def _start(qcluster, workers=2, **env) -> Tree:
    tree = Tree(qcluster(**{"Q_WORKERS": workers, "MAX_CONCURRENT_TASKS": workers,
                            **FAST_ENV, **env}))
    wait_for(lambda: tree.ready(workers), 30, message="the cluster's processes")
    # Its first tick: the cluster has started (its sentinel set the start event).
    wait_for(lambda: ClusterHeartbeat.objects.filter(pid=tree.cluster.pid).exists(), 30,
             message="the cluster's first heartbeat")
    return tree


def _kill(pids) -> None:
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


def _noops(count: int) -> list[Task]:
    return [task_create(kind="demo.count", params={"steps": 1, "delay_seconds": 0})
            for _ in range(count)]


def _all_end(tasks, status=TaskStatus.COMPLETED, timeout=RECOVERY_SECONDS) -> list[Task]:
    pks = [task.pk for task in tasks]
    wait_for(lambda: Task.objects.filter(pk__in=pks, status=status).count() == len(pks),
             timeout, message=f"{len(pks)} task(s) to end {status}")
    return list(Task.objects.filter(pk__in=pks))


def _rebuilds(tree) -> int:
    return ClusterHeartbeat.objects.filter(pid=tree.cluster.pid).values_list(
        "rebuilds", flat=True).first() or 0


def test_killing_every_idle_worker_then_ten_tasks_complete_within_30_s(qcluster):
    tree = _start(qcluster, workers=5)
    _all_end(_noops(1))

    _kill(tree.role("idle"))
    tasks = _noops(10)

    for task in _all_end(tasks):
        assert task.attempts == 1
    assert "rebuilding its queues" in tree.cluster.log()


def test_killing_one_idle_worker_twenty_times_each_followed_by_a_task(qcluster):
    tree = _start(qcluster, workers=3)
    for round_ in range(20):
        _kill(tree.role("idle")[:1])
        _all_end(_noops(1))
        wait_for(lambda: tree.ready(3) and len(tree.role("idle")) == 3, 30,
                 message=f"round {round_}: three idle workers")
    wait_for(lambda: _rebuilds(tree) == 20, 10, message="twenty rebuilds in the heartbeat")


@pytest.mark.parametrize("kind, params", [
    ("demo.count", {"steps": 1, "delay_seconds": 60}),  # django-q2's SIGALRM interrupts it
    ("test.deaf_block", {"seconds": 60}),  # deaf to SIGALRM: the sentinel kills the worker
], ids=["interruptible", "deaf"])
def test_a_job_blocked_past_its_hard_timeout_then_ten_tasks_complete(qcluster, kind, params):
    _start(qcluster, workers=1)  # the ten can only run once the blocked worker is replaced
    blocked = task_create(kind=kind, params=params, timeout_seconds=1, max_attempts=1)

    [blocked] = _all_end([blocked], TaskStatus.FAILED)
    tasks = _noops(10)

    assert blocked.error_message == "timed out after 1 s" and blocked.attempts == 1
    _all_end(tasks)


def _long_task(steps=400) -> Task:
    task = task_create(kind="demo.count", params={"steps": steps, "delay_seconds": 0.05})
    wait_for(lambda: Task.objects.filter(pk=task.pk, status="processing", progress__gt=0).exists(),
             30, message="the long task to run")
    return Task.objects.get(pk=task.pk)


@pytest.mark.parametrize("role", ["pusher", "monitor"])
def test_killing_the_pusher_or_the_monitor_keeps_work_running(qcluster, role):
    tree = _start(qcluster, workers=2)
    running = _long_task(steps=60)

    _kill(tree.role(role))
    tasks = _noops(10)

    _all_end(tasks)
    [running] = _all_end([running])
    # The busy worker was left to finish its job: one attempt, started once, ended once.
    assert running.attempts == 1
    assert running.events.filter(event_type="task_started").count() == 1
    assert running.events.filter(event_type="task_completed").count() == 1


def test_killing_a_worker_mid_job_retries_its_task_once_and_new_work_runs(qcluster):
    tree = _start(qcluster, workers=2)
    running = _long_task(steps=40)
    worker = int(running.worker.rsplit(":", 1)[1])
    assert worker in tree.workers()

    _kill([worker])
    killed_at = time.monotonic()
    tasks = _noops(5)

    _all_end(tasks)
    [running] = _all_end([running], timeout=45)
    assert running.attempts == 2
    assert running.events.filter(event_type="task_completed").count() == 1
    retrying = running.events.get(event_type="task_retrying")
    # Recovered when the sentinel saw the death, not after the heartbeat timeout.
    assert retrying.data["error"].startswith(f"worker lost: worker {worker} died (exit code -9)")
    assert time.monotonic() - killed_at < RECOVERY_SECONDS


def test_killing_the_sentinel_restarts_the_cluster_without_leftovers(qcluster):
    tree = _start(qcluster, workers=2)
    old = tree.sentinel
    old_children = _children(old)

    _kill([old])
    tasks = _noops(5)

    _all_end(tasks)
    wait_for(lambda: tree.ready(2), 30, message="the restarted cluster")
    assert tree.sentinel != old
    assert not [pid for pid in old_children if Path(f"/proc/{pid}").exists()]
    assert "restarting the cluster" in tree.cluster.log()


def test_killing_the_qcluster_process_stops_its_workers(qcluster):
    tree = _start(qcluster, workers=2)
    processes = [tree.sentinel, *_children(tree.sentinel)]

    os.kill(tree.cluster.pid, signal.SIGKILL)

    wait_for(lambda: not [pid for pid in processes if Path(f"/proc/{pid}").exists()
                          and not _title(pid) == ""], 15,
             message="the orphaned sentinel to stop its processes")


def test_frozen_workers_are_replaced_by_the_watchdog(qcluster):
    """SIGSTOP: alive, so no death is announced, but a frozen idle worker can hold the
    hand-off queue's lock; the watchdog sees work waiting while workers idle."""
    tree = _start(qcluster, workers=2, CLUSTER_WEDGE_SECONDS="1")
    freeze(tree.role("idle"))

    _all_end(_noops(3), timeout=15)
    assert "waited 1 s in the hand-off queue while a worker idled" in tree.cluster.log()


def _health(path):
    response = Client().get(path)
    return response.status_code, response.json()


def test_health_is_degraded_while_the_cluster_is_stuck_and_ok_once_it_recovers(qcluster,
                                                                               settings):
    settings.TASK_STALL_SECONDS = 1
    tree = _start(qcluster, workers=2)
    frozen = [tree.sentinel, *_children(tree.sentinel)]  # the qcluster process still ticks
    freeze(frozen)
    try:
        stuck = _noops(2)
        time.sleep(1.5)
        status, body = _health("/healthz")
        ready_status, ready = _health("/readyz")
        metrics = Client().get("/metrics").content.decode()
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)

    assert status == 503 and body["failing"] == ["workers"]
    workers = body["checks"]["workers"]
    assert workers["status"] == "degraded" and workers["stalled"] == 2
    assert ("2 task(s) have not started in 1 s while workers idle (0 claimed by a cluster, "
            "2 not claimed)") in workers["error"]
    assert body["checks"]["broker"]["ready"] == 2
    assert ready_status == 503 and ready["checks"]["workers"]["status"] == "degraded"
    assert "taskledger_cluster_stuck 1.0" in metrics

    _all_end(stuck)
    assert _health("/healthz")[0] == 200 and _health("/readyz")[0] == 200
    assert "taskledger_cluster_stuck 0.0" in Client().get("/metrics").content.decode()


def test_a_cluster_reports_its_own_stall_before_it_rebuilds(qcluster, settings, staff):
    settings.TASK_STALL_SECONDS = 1
    tree = _start(qcluster, workers=2, CLUSTER_WEDGE_SECONDS="30")
    freeze(tree.role("idle"))
    _noops(1)

    wait_for(lambda: _health("/healthz")[1]["checks"]["workers"].get("stuck_clusters"), 15,
             message="the cluster's stall to reach its heartbeat")
    client = Client()
    client.force_login(staff)
    page = client.get("/admin/overview/").content.decode()
    for pid in tree.role("idle"):
        os.kill(pid, signal.SIGKILL)  # a death: the cluster rebuilds now
    name = ClusterHeartbeat.objects.get(pid=tree.cluster.pid).name
    assert "Stuck:" in page and name in page


def test_a_healthy_cluster_takes_over_what_a_frozen_one_held(qcluster):
    """Cluster A (one worker, busy) has claimed a task ahead, then A freezes whole (its
    qcluster process still ticks). A's claim is released after DISPATCH_STALE_SECONDS and
    B runs it; A, thawed, finds its copy stale."""
    env = {"MAX_CONCURRENT_TASKS": "5", "DISPATCH_STALE_SECONDS": "3",
           "CLUSTER_WEDGE_SECONDS": "60"}
    a = _start(qcluster, workers=1, **env)
    blocker = _long_task(steps=2000)
    held = _noops(3)
    time.sleep(0.5)  # A's pusher claims one ahead, into A's own queue
    frozen = [a.sentinel, *_children(a.sentinel)]
    freeze(frozen)
    try:
        b = _start(qcluster, workers=2, **env)
        done = _all_end(held, timeout=3 + RECOVERY_SECONDS)
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        task_cancel(task=Task.objects.get(pk=blocker.pk), reason="the test is over")

    # One of the three was in A's own queue: released, not taken by B at once.
    assert "claimed task(s) that no worker started" in a.cluster.log() + b.cluster.log()
    host = os.uname().nodename
    assert not {task.worker for task in done} & {f"{host}:{pid}" for pid in frozen}
    time.sleep(1)  # A's copies reach its thawed worker: stale, they run nothing
    for task in done:
        assert task.events.filter(event_type="task_started").count() == 1


def test_a_stopping_cluster_finishes_its_job_and_hands_back_what_its_queue_held(qcluster):
    """Without that, the task its queue held would stay claimed for DISPATCH_STALE_SECONDS.
    A one-worker cluster claims one task ahead of its busy worker, and no more."""
    tree = _start(qcluster, workers=1)
    running = _long_task(steps=30)  # 1.5 s
    held = _noops(3)
    time.sleep(0.5)  # the pusher claims one into the cluster's own queue
    tokens = dict(Task.objects.filter(pk__in=[task.pk for task in held])
                  .values_list("pk", "dispatch_token"))
    assert sorted(bool(token) for token in tokens.values()) == [False, False, True]

    tree.cluster.stop()

    [running] = Task.objects.filter(pk=running.pk)
    assert running.status == TaskStatus.COMPLETED and running.attempts == 1
    # None started once the cluster was stopping, and the claim that went with the
    # cluster's queue was released: each is ready again for any cluster.
    for task in Task.objects.filter(pk__in=tokens):
        assert (task.status, task.started_at, task.dispatch_token) == (TaskStatus.PENDING, None, "")
    _start(qcluster, workers=1)
    _all_end(held, timeout=10)
