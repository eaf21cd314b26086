from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, ConflictError
from tasks.models import Task, TaskPriority, TaskStatus
from tasks.reaper import reap
from tasks.registry import GROUP_KIND
from tasks.services import task_cancel, task_create, task_delete, task_retry, task_set_priority
from tasks.transitions import IllegalTransition, task_transition
from tests.tasks import jobs_for_tests  # noqa: F401  (registers test job kinds)

pytestmark = pytest.mark.django_db


def _events(task):
    return list(task.events.values_list("event_type", flat=True))


def _set(task, **fields):
    Task.objects.filter(pk=task.pk).update(**fields)
    task.refresh_from_db()
    return task


def test_task_create_defaults_from_settings(settings):
    settings.TASK_TIMEOUT, settings.RETRY_LIMIT = 120, 2
    task = task_create(kind="noop")
    assert (task.status, task.priority_name) == ("pending", "normal")
    assert task.timeout_seconds == 120 and task.max_attempts == 3
    assert task.task_id.startswith("task_")


def test_task_create_kind_overrides_timeout_and_retry_limit():
    task = task_create(kind="test.slow_kind")
    assert task.timeout_seconds == 7 and task.max_attempts == 2


def test_task_create_unknown_kind_names_accepted_kinds():
    with pytest.raises(ApplicationError) as error:
        task_create(kind="nope")
    assert "kind must be one of" in error.value.message and "noop" in error.value.message


def test_task_create_invalid_priority_names_accepted_values():
    with pytest.raises(ApplicationError) as error:
        task_create(kind="noop", priority="urgent")
    assert error.value.message == "priority must be one of low, normal, high, critical; got 'urgent'"


def test_task_transition_refuses_illegal_moves():
    task = _set(task_create(kind="noop"), status=TaskStatus.COMPLETED)
    with pytest.raises(IllegalTransition):
        task_transition(task=task, to=TaskStatus.PROCESSING)
    pending = task_create(kind="noop")
    with pytest.raises(IllegalTransition):
        task_transition(task=pending, to=TaskStatus.COMPLETED)


def test_task_transition_stamps_times_and_records_event():
    task = task_create(kind="noop")
    task_transition(task=task, to=TaskStatus.PROCESSING)
    assert task.started_at and task.attempts == 1 and task.completed_at is None
    task_transition(task=task, to=TaskStatus.COMPLETED, result={"ok": True})
    task.refresh_from_db()
    assert task.completed_at >= task.started_at and task.result == {"ok": True}
    assert _events(task) == ["task_started", "task_completed"]
    seqs = list(task.events.values_list("id", flat=True))
    assert seqs == sorted(seqs)


def test_task_cancel_pending_is_immediate():
    task, message = task_cancel(task=task_create(kind="noop"))
    assert task.status == TaskStatus.CANCELLED and "cancelled successfully" in message
    assert _events(task) == ["task_cancelled"]


def test_task_cancel_running_requests_cooperative_stop():
    task = _set(task_create(kind="noop"), status=TaskStatus.PROCESSING)
    task, message = task_cancel(task=task)
    assert task.status == TaskStatus.PROCESSING and task.cancel_requested
    assert "requested" in message
    task, _ = task_cancel(task=task)  # twice is harmless
    assert task.cancel_requested


def test_task_cancel_finished_is_conflict_and_twice_is_harmless():
    done = _set(task_create(kind="noop"), status=TaskStatus.COMPLETED)
    with pytest.raises(ConflictError) as error:
        task_cancel(task=done)
    assert "already completed" in error.value.message
    cancelled, _ = task_cancel(task=task_create(kind="noop"))
    again, message = task_cancel(task=cancelled)
    assert again.status == TaskStatus.CANCELLED and "already cancelled" in message


def test_task_retry_failed_gets_fresh_attempt_budget(settings):
    settings.RETRY_LIMIT = 3
    task = _set(task_create(kind="noop"), status=TaskStatus.FAILED, attempts=4, max_attempts=4,
                error_message="boom", dispatch_token="abc")
    task = task_retry(task=task)
    assert task.status == TaskStatus.PENDING and task.max_attempts == 8
    assert task.error_message == "" and task.dispatch_token == ""
    assert _events(task)[-1] == "task_retrying"


def test_task_retry_refuses_active_tasks():
    with pytest.raises(ConflictError):
        task_retry(task=task_create(kind="noop"))


def test_task_delete_only_finished():
    with pytest.raises(ConflictError):
        task_delete(task=task_create(kind="noop"))
    done = _set(task_create(kind="noop"), status=TaskStatus.COMPLETED)
    task_delete(task=done)
    assert not Task.objects.filter(pk=done.pk).exists()


def test_task_set_priority_changes_dispatch_order():
    task = task_set_priority(task=task_create(kind="noop"), priority="critical")
    assert task.priority_name == "critical"


def test_prerequisite_failure_cancels_dependents_with_reason():
    first = task_create(kind="noop")
    second = task_create(kind="noop", prerequisites=[first])
    third = task_create(kind="noop", prerequisites=[second])
    task_transition(task=first, to=TaskStatus.PROCESSING)
    task_transition(task=first, to=TaskStatus.FAILED, error_message="boom")
    second.refresh_from_db(), third.refresh_from_db()
    assert second.status == third.status == TaskStatus.CANCELLED
    assert second.error_message == f"prerequisite {first.task_id} failed"
    assert third.error_message == f"prerequisite {second.task_id} cancelled"
    with pytest.raises(ConflictError) as error:
        task_retry(task=second)
    assert "retry it first" in error.value.message


def test_prerequisite_already_lost_cancels_new_task():
    lost, _ = task_cancel(task=task_create(kind="noop"))
    task = task_create(kind="noop", prerequisites=[lost])
    assert task.status == TaskStatus.CANCELLED


def test_group_rolls_up_children_progress_and_status():
    group = task_create(kind=GROUP_KIND)
    a = task_create(kind="noop", parent=group)
    b = task_create(kind="noop", parent=group)
    task_transition(task=a, to=TaskStatus.PROCESSING)
    group.refresh_from_db()
    assert group.status == TaskStatus.PROCESSING
    task_transition(task=a, to=TaskStatus.COMPLETED, progress=1.0)
    group.refresh_from_db()
    assert group.progress == pytest.approx(0.5) and group.progress_text == "1 of 2 subtasks completed"
    task_transition(task=b, to=TaskStatus.PROCESSING)
    task_transition(task=b, to=TaskStatus.FAILED, error_message="x")
    group.refresh_from_db()
    assert group.status == TaskStatus.FAILED and b.task_id in group.error_message


def test_group_cancel_cancels_unfinished_children():
    group = task_create(kind=GROUP_KIND)
    children = [task_create(kind="noop", parent=group) for _ in range(3)]
    group, _ = task_cancel(task=group)
    assert group.status == TaskStatus.CANCELLED
    assert all(Task.objects.get(pk=c.pk).status == TaskStatus.CANCELLED for c in children)


def test_reaper_retries_task_whose_heartbeat_stopped(settings):
    settings.TASK_HEARTBEAT_TIMEOUT = 5
    task = task_create(kind="noop")
    task_transition(task=task, to=TaskStatus.PROCESSING)
    _set(task, heartbeat_at=timezone.now() - timedelta(seconds=6))
    assert reap() == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING and task.run_after > timezone.now()
    assert "worker lost" in task.error_message


def test_reaper_fails_task_that_overran_its_timeout():
    task = task_create(kind="noop", timeout_seconds=10)
    task_transition(task=task, to=TaskStatus.PROCESSING)
    _set(task, started_at=timezone.now() - timedelta(seconds=30), heartbeat_at=timezone.now())
    reap()
    task.refresh_from_db()
    assert task.status == TaskStatus.FAILED and task.error_message == "timed out after 10 s"


def test_reaper_redispatches_claims_that_never_started(settings):
    task = _set(task_create(kind="noop"), dispatch_token="old",
                dispatched_at=timezone.now() - timedelta(minutes=5))
    reap()
    task.refresh_from_db()
    assert task.dispatch_token == "" and task.dispatched_at is None


def test_task_set_priority_of_finished_task_is_conflict():
    done = _set(task_create(kind="noop"), status=TaskStatus.COMPLETED)
    with pytest.raises(ConflictError):
        task_set_priority(task=done, priority="high")


def test_priority_names_are_taken_in_any_case():
    """Embedding clients name priorities `HIGH`; the task keeps the one priority."""
    assert task_create(kind="noop", priority="HIGH").priority == TaskPriority.HIGH
    assert task_create(kind="noop", priority="Critical").priority_name == "critical"
    with pytest.raises(ApplicationError):
        task_create(kind="noop", priority="URGENT")
