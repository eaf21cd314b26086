"""Outcomes are written in batches by the cluster's closer: a kill at any point loses none.

A worker hands each attempt's outcome to the closer (django-q2's monitor process, replaced
by tasks.closer), which writes a batch of them in one transaction. These tests kill the
closer while an outcome waits for it, and while it is inside its transaction; in both the
task runs again (at-least-once, the attempt counted) and ends exactly once. The heartbeat
timeout is set far beyond the tests' deadline, so only the sentinel's recovery of the lost
outcomes (tasks.sentinel.Sentinel.rebuild) can pass them.
"""
import os
import signal
import time

import pytest
from django.db import connection, transaction

from costs.models import RequestRecord
from costs.services import JOB_METHOD
from tasks.models import Task, TaskEventType, TaskStatus
from tasks.services import task_create
from tests.processes import wait_for
from tests.tasks.test_cluster_recovery import _start

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

SLOW_REAPER = {"TASK_HEARTBEAT_TIMEOUT": "120"}
DEADLINE = 20  # far less than the heartbeat timeout


def _marked(tmp_path) -> tuple[Task, object]:
    path = tmp_path / "runs"
    return task_create(kind="test.marked", params={"path": str(path)}), path


def _runs(path) -> int:
    return path.stat().st_size if path.exists() else 0


def _ended_once(task: Task, path) -> Task:
    wait_for(lambda: Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED, DEADLINE,
             message="the task to complete after the closer was killed")
    task.refresh_from_db()
    assert task.attempts == 2 and _runs(path) == 2  # the lost attempt counted, and rerun
    assert task.events.filter(event_type=TaskEventType.COMPLETED).count() == 1
    assert list(task.events.filter(event_type__in=[
        TaskEventType.COMPLETED, TaskEventType.FAILED, TaskEventType.CANCELLED,
    ]).values_list("event_type", flat=True)) == [TaskEventType.COMPLETED]
    records = RequestRecord.objects.filter(task_id=task.task_id, method=JOB_METHOD)
    assert sorted(records.values_list("status_code", flat=True)) == [200, 500]
    return task


def test_closer_killed_while_an_outcome_waits_for_it(qcluster, tmp_path):
    tree = _start(qcluster, **SLOW_REAPER)
    closer = tree.role("monitor")[0]
    os.kill(closer, signal.SIGSTOP)  # results now wait in the queue
    task, path = _marked(tmp_path)
    wait_for(lambda: _runs(path) == 1 and len(tree.role("idle")) == 2, DEADLINE,
             message="the job to have run and its worker to be idle again")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PROCESSING  # not written yet

    os.kill(closer, signal.SIGKILL)

    _ended_once(task, path)
    assert "monitor" in tree.cluster.log() and "rebuilding" in tree.cluster.log()


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_closer_killed_inside_its_transaction(qcluster, tmp_path):
    tree = _start(qcluster, **SLOW_REAPER)
    closer = tree.role("monitor")[0]
    os.kill(closer, signal.SIGSTOP)
    task, path = _marked(tmp_path)
    wait_for(lambda: _runs(path) == 1 and len(tree.role("idle")) == 2, DEADLINE,
             message="the job to have run")
    record = RequestRecord.objects.get(task_id=task.task_id, method=JOB_METHOD)

    with transaction.atomic():
        # Hold the attempt's ledger record: the closer's transaction updates the task and
        # inserts its event, then waits here, uncommitted.
        RequestRecord.objects.filter(pk=record.pk).update(error_message="")
        os.kill(closer, signal.SIGCONT)
        if connection.vendor == "postgresql":
            wait_for(_waiting_for_a_lock, DEADLINE, message="the closer to wait on the record")
        else:
            time.sleep(1.5)  # SQLite shows no waiter: give the closer time to reach it
        os.kill(closer, signal.SIGKILL)

    task = _ended_once(task, path)
    assert task.result == {"ran": True}
