"""Every job attempt is a ledger record; paid usage survives failures, retries and cancels."""
from decimal import Decimal

import pytest
from costs.models import RequestRecord
from tasks.dispatch import claim
from tasks.models import Task, TaskStatus
from tasks.runner import task_run
from tasks.services import task_cancel, task_create
from tests.ledger import lines_of
from tests.processes import wait_for
from tests.tasks import jobs_for_tests  # noqa: F401  (registers test job kinds)


def _run(task):
    claim(10)
    task_run(task_pk=task.pk, token=Task.objects.get(pk=task.pk).dispatch_token)
    task.refresh_from_db()
    return task


def _task_cost(task_id) -> Decimal:
    return sum(line.cost for line in lines_of(RequestRecord.objects.filter(task_id=task_id)))


@pytest.mark.django_db
def test_attempt_record_carries_task_entity_and_outcome(entity):
    task = _run(task_create(kind="test.metered", entity=entity, metadata={"doc_id": "doc_xyz789"}))
    record = RequestRecord.objects.get(task_id=task.task_id)
    assert (record.operation_type, record.task_type, record.method) == ("file_upload", "upload", "JOB")
    assert record.endpoint == "job:test.metered" and record.doc_id == "doc_xyz789"
    assert record.entity == entity and record.status_code == 200 and record.completed_at
    assert _task_cost(task.task_id) == Decimal("0.155")


@pytest.mark.django_db
def test_failed_attempt_keeps_paid_usage_and_retry_adds_its_own(entity):
    task = _run(task_create(kind="test.metered", entity=entity, params={"fail_first": True}))
    assert task.status == TaskStatus.PENDING
    first = RequestRecord.objects.get(task_id=task.task_id)
    assert first.status_code == 503 and "unavailable" in first.error_message
    assert _task_cost(task.task_id) == Decimal("0.02")  # the pages were paid for

    Task.objects.filter(pk=task.pk).update(run_after=None)
    task = _run(task)
    assert task.status == TaskStatus.COMPLETED
    records = RequestRecord.objects.filter(task_id=task.task_id).order_by("id")
    assert [r.status_code for r in records] == [503, 200]
    assert _task_cost(task.task_id) == Decimal("0.02") * 2 + Decimal("0.135")


@pytest.mark.django_db
def test_permanent_failure_and_unknown_kind_are_recorded():
    task = task_create(kind="noop")
    Task.objects.filter(pk=task.pk).update(kind="gone.kind")
    task = _run(task)
    record = RequestRecord.objects.get(task_id=task.task_id)
    assert record.status_code == 500 and "unknown job kind" in record.error_message


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_cost_so_far_is_visible_while_running_and_kept_when_cancelled(qcluster, entity):
    qcluster(TASK_JOB_MODULES="tests.tasks.jobs_for_tests")
    task = task_create(kind="test.metered", entity=entity, params={"wait_for_cancel": True})
    wait_for(lambda: _task_cost(task.task_id) == Decimal("0.155"), 30, message="usage while running")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PROCESSING
    running = RequestRecord.objects.get(task_id=task.task_id)
    assert running.status_code is None and running.completed_at is None

    task_cancel(task=task)
    wait_for(lambda: Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED, 20)
    wait_for(lambda: RequestRecord.objects.get(task_id=task.task_id).status_code == 499, 10)
    assert _task_cost(task.task_id) == Decimal("0.155")


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_killed_worker_attempt_is_closed_and_its_usage_kept(qcluster, entity):
    import os
    import signal

    qcluster(TASK_JOB_MODULES="tests.tasks.jobs_for_tests", TASK_HEARTBEAT_SECONDS=0.2,
             TASK_HEARTBEAT_TIMEOUT=2)
    task = task_create(kind="test.metered", entity=entity, params={"wait_for_cancel": True},
                       max_attempts=1)
    wait_for(lambda: _task_cost(task.task_id) == Decimal("0.155"), 30, message="usage while running")
    task.refresh_from_db()
    os.kill(int(task.worker.rsplit(":", 1)[1]), signal.SIGKILL)
    wait_for(lambda: Task.objects.get(pk=task.pk).status == TaskStatus.FAILED, 30)
    record = RequestRecord.objects.get(task_id=task.task_id)
    assert record.status_code == 500 and "worker lost" in record.error_message
    assert _task_cost(task.task_id) == Decimal("0.155")
