"""One attempt run in-process: how each way of ending is recorded."""
import pytest

from costs.models import RequestRecord
from costs.services import JOB_METHOD
from tasks.dispatch import claim
from tasks.models import Task, TaskEventType, TaskStatus
from tasks.progress import ProgressHandle
from tasks.runner import task_run
from tasks.services import task_create
from tasks.signals import task_event_committed
from tasks.transitions import task_transition
from tests.tasks import jobs_for_tests  # noqa: F401  (registers test job kinds)

pytestmark = pytest.mark.django_db


def _run(task):
    claim(10)
    token = Task.objects.get(pk=task.pk).dispatch_token
    assert token, "the task was not dispatched"
    task_run(task_pk=task.pk, token=token)
    task.refresh_from_db()
    return task


def test_task_run_completes_with_result_and_full_progress():
    task = _run(task_create(kind="demo.count", params={"steps": 3, "delay_seconds": 0}))
    assert task.status == TaskStatus.COMPLETED and task.progress == 1.0
    assert task.result == {"steps": 3, "attempt": 1}
    assert task.processed_units == task.total_units == 3
    assert task.worker


def test_task_run_unserialisable_result_fails_with_reason():
    task = _run(task_create(kind="test.unserialisable"))
    assert task.status == TaskStatus.FAILED
    assert task.error_message.startswith("the job returned a result that is not JSON-serialisable")


def test_task_run_kind_retry_on_error_is_retried_later():
    task = _run(task_create(kind="test.flaky_io"))
    assert task.status == TaskStatus.PENDING and task.run_after is not None
    assert task.error_message.startswith("ConnectionError: an unexpected error")
    assert task.events.last().event_type == "task_retrying"


def test_task_run_unexpected_exception_fails_at_once():
    task = _run(task_create(kind="test.crash"))
    assert task.status == TaskStatus.FAILED and task.attempts == 1
    assert task.error_message == (
        f"ZeroDivisionError: an unexpected error; the worker's log has its details under "
        f"task {task.task_id}")


def test_task_run_unexpected_exception_text_goes_to_the_log_not_the_task(caplog):
    """A library's message can name a server path or SQL: the task, its event and its
    ledger record say only the error's type; the log keeps the text, with the task id."""
    task = _run(task_create(kind="test.leaky"))
    record = RequestRecord.objects.get(task_id=task.task_id, method=JOB_METHOD)
    said = [task.error_message, record.error_message, str(task.events.last().data)]
    for text in said:
        assert "OSError" in text and "/srv" not in text and "SELECT" not in text
    logged = [r for r in caplog.records if r.name == "tasks.runner" and r.levelname == "ERROR"]
    assert logged and task.task_id in logged[0].getMessage()
    assert "/srv/taskledger" in str(logged[0].exc_info[1])


def test_task_run_unknown_kind_fails_naming_registered_kinds():
    task = task_create(kind="noop")
    Task.objects.filter(pk=task.pk).update(kind="removed.kind")
    task = _run(task)
    assert task.status == TaskStatus.FAILED
    assert "unknown job kind 'removed.kind'" in task.error_message


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind, status_code", [
    ("demo.count", 200), ("test.flaky_io", 503), ("test.crash", 500), ("test.unserialisable", 500),
])
def test_task_run_final_event_is_published_with_its_attempt_record_closed(kind, status_code):
    """Whoever hears the final event (a live client showing the cost) finds the attempt's
    ledger record closed: both are written in one transaction."""
    seen = []

    def on_event(sender, event, task, **kwargs):
        if event.event_type not in (TaskEventType.STARTED, TaskEventType.PROGRESS):
            seen.append(RequestRecord.objects.get(task_id=task.task_id, method=JOB_METHOD).status_code)

    task_event_committed.connect(on_event)
    try:
        _run(task_create(kind=kind, params={"steps": 2, "delay_seconds": 0}
                         if kind == "demo.count" else {}))
    finally:
        task_event_committed.disconnect(on_event)
    assert seen == [status_code]


def test_task_run_stale_dispatch_is_a_no_op():
    task = task_create(kind="noop")
    claim(10)
    task_run(task_pk=task.pk, token="not-the-current-token")
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING and task.attempts == 0


def _processing(**params):
    task = task_create(kind="noop", **params)
    Task.objects.filter(pk=task.pk).update(dispatch_token="t")
    task.refresh_from_db()
    task_transition(task=task, to=TaskStatus.PROCESSING)
    return task


def test_progress_reports_are_coalesced():
    task = _processing()
    handle = ProgressHandle(task=task, interval=3600)
    for step in range(1, 100_001):
        handle.set_units(step, 100_000)
    handle.flush()
    assert handle.writes == 2  # the first report, then the final flush
    assert task.events.filter(event_type="progress_update").count() == 2
    task.refresh_from_db()
    assert task.processed_units == 100_000 and task.progress == 1.0


def test_progress_value_is_clamped_and_eta_derived():
    task = _processing()
    handle = ProgressHandle(task=task, interval=0)
    handle.send_progress("half", 0.5)
    task.refresh_from_db()
    assert task.progress_text == "half" and task.eta is not None
    handle.send_progress_value(7)
    task.refresh_from_db()
    assert task.progress == 1.0


def test_progress_after_cancel_request_raises_task_cancelled():
    from tasks.errors import TaskCancelled

    task = _processing()
    handle = ProgressHandle(task=task, interval=0)
    handle.request_cancel()
    assert handle.is_cancelled
    with pytest.raises(TaskCancelled):
        handle.send_progress_text("still going")


def test_progress_of_attempt_that_lost_its_task_stops_it():
    from tasks.errors import TaskCancelled

    task = _processing()
    handle = ProgressHandle(task=task, interval=0)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.PENDING, dispatch_token="")
    with pytest.raises(TaskCancelled):
        handle.send_progress_value(0.3)
    assert handle.lost
