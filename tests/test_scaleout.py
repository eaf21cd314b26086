"""Scale-out, proven: two daphne instances and two qcluster processes on one PostgreSQL and
one Redis, as two machines would run them (docs/scale-out.md).

Both clusters share one Q_CLUSTER_NAME (one Redis queue, one channel-layer prefix); the
daphnes share the same settings. Nothing here talks to a process directly except over
HTTP and WebSockets, and the database is read only to count what happened.
"""
import http.client
import json
import os
import signal
import time

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from costs.models import RequestRecord
from costs.services import JOB_METHOD
from tasks.models import ClusterHeartbeat, Task, TaskEvent, TaskEventType
from tests.processes import attempt_records_closed, start_daphne, wait_for

pytestmark = [
    pytest.mark.processes,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and settings.REDIS_URL),
        reason="scale-out needs a shared PostgreSQL and Redis (the PostgreSQL + Redis run)",
    ),
]

# One configuration for every process, as every machine of a deployment would have.
# Heartbeats are short so that a killed cluster's task is recovered within seconds.
DEPLOYMENT_ENV = {
    "MAX_CONCURRENT_TASKS": "4",
    "Q_WORKERS": "2",
    "TASK_TICK_SECONDS": "0.2",
    "TASK_PROGRESS_INTERVAL": "0",
    "TASK_HEARTBEAT_SECONDS": "0.2",
    "TASK_HEARTBEAT_TIMEOUT": "1.5",
    "RETRY_BASE_DELAY": "0.2",
}
TERMINAL = {"completed", "failed", "cancelled"}


class Deployment:
    """Two API instances (daphne) and two worker clusters (qcluster) on shared services."""

    def __init__(self, qcluster):
        self.clusters = [qcluster(**DEPLOYMENT_ENV), qcluster(**DEPLOYMENT_ENV)]
        self.daphnes, self.ports = [], []
        try:
            for _ in range(2):
                daphne, port = start_daphne(**DEPLOYMENT_ENV)
                self.daphnes.append(daphne)
                self.ports.append(port)
            wait_for(self._both_clusters_ticking, timeout=60, message="both clusters to tick")
        except BaseException:
            self.stop()
            raise

    @staticmethod
    def _both_clusters_ticking():
        return ClusterHeartbeat.objects.filter(cluster=settings.Q_CLUSTER["name"]).count() >= 2

    def cluster_of(self, worker: str) -> int:
        """Which cluster (0 or 1) a task's `host:pid` worker process belongs to."""
        pid = int(worker.rsplit(":", 1)[1])
        group = os.getpgid(pid)  # each cluster runs in its own process group
        return [cluster.pid for cluster in self.clusters].index(group)

    def stop(self):
        for daphne in self.daphnes:
            daphne.stop()
            print(f"--- {daphne.log_path.name} ---\n{daphne.log()[-3000:]}")


@pytest.fixture
def deployment(qcluster):
    running = Deployment(qcluster)
    yield running
    running.stop()  # the clusters are stopped by the qcluster fixture


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


def _http(port, method, path, token, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else None


def _create(port, token, *, steps, delay):
    status, body = _http(port, "POST", "/api/tasks", token, {
        "kind": "demo.count", "params": {"steps": steps, "delay_seconds": delay}})
    assert status == 201, body
    return body["task_id"]


def _follow(ws, task_ids, limit=60.0) -> dict[str, list[dict]]:
    """Read the socket until every task in `task_ids` has ended; messages per task."""
    messages = {task_id: [] for task_id in task_ids}
    open_tasks, deadline = set(task_ids), time.monotonic() + limit
    while open_tasks:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{len(open_tasks)} task(s) never ended: {sorted(open_tasks)[:3]}")
        message = json.loads(ws.recv(timeout=remaining))
        assert message["type"] in {"progress_update", "task_update"}, message
        messages[message["task_id"]].append(message)
        if message["type"] == "task_update" and message["data"]["type"] in TERMINAL:
            open_tasks.discard(message["task_id"])
    return messages


def _persisted_seqs(task_id) -> list[int]:
    return list(TaskEvent.objects.filter(task__task_id=task_id).values_list("id", flat=True))


def _attempt_records(task_id):
    attempt_records_closed(task_id)
    return RequestRecord.objects.filter(task_id=task_id, method=JOB_METHOD).order_by("id")


def test_scaleout_tasks_through_either_api_run_exactly_once_on_both_clusters(deployment, token):
    """40 tasks, created alternately through daphne A and B, followed live from daphne A."""
    with connect(f"ws://127.0.0.1:{deployment.ports[0]}/ws/tasks/?token={token}") as ws:
        created = []
        for number in range(40):
            task_id = _create(deployment.ports[number % 2], token, steps=4, delay=0.02)
            ws.send(json.dumps({"action": "subscribe", "task_id": task_id, "after": 0}))
            created.append(task_id)
        messages = _follow(ws, created)

    tasks = {task.task_id: task for task in Task.objects.filter(task_id__in=created)}
    assert len(tasks) == 40
    for task_id in created:
        task = tasks[task_id]
        assert (task.status, task.attempts) == ("completed", 1), (task_id, task.error_message)
        assert task.result == {"steps": 4, "attempt": 1}
        events = list(task.events.values_list("event_type", flat=True))
        assert events.count(TaskEventType.STARTED) == 1, events
        assert events.count(TaskEventType.COMPLETED) == 1, events
        assert events.count(TaskEventType.PROGRESS) == 4, events
        records = list(_attempt_records(task_id).values_list("status_code", flat=True))
        assert records == [200], f"{task_id}: attempt records {records}"
        # Daphne A saw every event of every task, whichever API created it and whichever
        # cluster ran it, once each and in order.
        assert [m["seq"] for m in messages[task_id]] == _persisted_seqs(task_id), task_id
    by_cluster = [deployment.cluster_of(tasks[task_id].worker) for task_id in created]
    assert set(by_cluster) == {0, 1}, "every task ran under one cluster; the other never worked"
    # The point of the live path: a task created through daphne B and run under cluster B
    # reached a client of daphne A over the shared channel layer.
    assert any(cluster == 1 for cluster in by_cluster[1::2])


def test_scaleout_websocket_on_one_instance_sees_progress_live_from_the_other_cluster(
        deployment, token):
    """A client subscribed before the task starts receives each step as the worker makes it."""
    with connect(f"ws://127.0.0.1:{deployment.ports[0]}/ws/tasks/?token={token}") as ws:
        task_ids = [_create(deployment.ports[1], token, steps=15, delay=0.05) for _ in range(4)]
        for task_id in task_ids:
            ws.send(json.dumps({"action": "subscribe", "task_id": task_id, "after": 0}))
        messages = _follow(ws, task_ids)

    clusters = {}
    for task_id in task_ids:
        task = Task.objects.get(task_id=task_id)
        clusters[task_id] = deployment.cluster_of(task.worker)
        seqs = [m["seq"] for m in messages[task_id]]
        assert seqs == _persisted_seqs(task_id), f"{task_id}: a gap or a repeat"
        progress = [m["data"]["progress"] for m in messages[task_id]
                    if m["type"] == "progress_update"]
        assert progress == sorted(progress) and len(progress) == 15 and progress[-1] == 100.0
        assert messages[task_id][-1]["data"]["type"] == "completed"
    # Four tasks on four slots over two clusters of two workers: both clusters ran some.
    assert set(clusters.values()) == {0, 1}, clusters


def test_scaleout_killed_cluster_loses_nothing(deployment, token):
    """SIGKILL the cluster running a task: the other cluster's reaper recovers it, it completes."""
    url = f"ws://127.0.0.1:{deployment.ports[0]}/api/v1/ws/embedding-tasks?token={token}"
    with connect(url) as ws:
        task_id = _create(deployment.ports[1], token, steps=40, delay=0.05)
        ws.send(json.dumps({"action": "subscribe", "task_id": task_id, "after": 0}))
        first_worker = wait_for(
            lambda: Task.objects.filter(task_id=task_id, status="processing",
                                        processed_units__gte=5)
            .values_list("worker", flat=True).first(),
            timeout=30, message="the task to be under way",
        )
        victim = deployment.cluster_of(first_worker)
        os.killpg(deployment.clusters[victim].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        messages = _follow(ws, [task_id], limit=45)[task_id]
    recovered_in = time.monotonic() - killed_at

    task = Task.objects.get(task_id=task_id)
    assert (task.status, task.attempts) == ("completed", 2), task.error_message
    assert task.result == {"steps": 40, "attempt": 2}
    assert deployment.cluster_of(task.worker) == 1 - victim, "the dead cluster finished it?"
    retry = [m for m in messages if m["type"] == "task_update" and m["data"]["type"] == "retrying"]
    assert len(retry) == 1 and "worker lost" in retry[0]["data"]["error_message"]
    assert [m["seq"] for m in messages] == _persisted_seqs(task_id), "a gap or a repeat"
    records = list(_attempt_records(task_id).values_list("status_code", "error_message"))
    assert len(records) == 2, records
    assert records[0][0] == 500 and "worker lost" in records[0][1]
    assert records[1] == (200, "")
    assert recovered_in < 30


def test_scaleout_worker_with_another_secret_key_runs_the_tasks_it_claims(qcluster, api):
    """The queue carries no signature across machines: a cluster signs and checks only its
    own hand-off messages. (Before the task table was the queue, such a worker dropped
    every task: "Failed to push task to queue".) The key matters for sessions (tasks.W001)."""
    cluster = qcluster(**DEPLOYMENT_ENV, SECRET_KEY="another-machines-generated-key")
    wait_for(lambda: ClusterHeartbeat.objects.exists(), timeout=60,
             message="the cluster to start")
    response = api.post("/api/tasks", {"kind": "demo.count", "params": {"steps": 1}},
                        format="json")
    assert response.status_code == 201, response.json()

    task = Task.objects.get(task_id=response.json()["task_id"])
    wait_for(lambda: Task.objects.filter(pk=task.pk, status="completed").exists(), timeout=30,
             message="the task to complete on the cluster with another key")
    assert "Failed to push task to queue" not in cluster.log()
