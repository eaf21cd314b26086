from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tasks.models import Task, TaskEvent, TaskStatus
from tasks.services import task_create

pytestmark = pytest.mark.django_db


def _finished(days_ago: float, status=TaskStatus.COMPLETED):
    task = task_create(kind="noop")
    Task.objects.filter(pk=task.pk).update(
        status=status, completed_at=timezone.now() - timedelta(days=days_ago)
    )
    TaskEvent.objects.create(task=task, event_type="task_completed")
    return task


def test_purge_tasks_removes_only_old_finished_tasks_and_their_events():
    old_done, old_failed = _finished(40), _finished(31, TaskStatus.FAILED)
    recent = _finished(2)
    active = task_create(kind="noop")
    Task.objects.filter(pk=active.pk).update(created_at=timezone.now() - timedelta(days=90))
    out = StringIO()
    call_command("purge_tasks", "--older-than", "30d", stdout=out)
    assert "Deleted 2 finished task(s)" in out.getvalue()
    remaining = set(Task.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, active.pk}
    assert not TaskEvent.objects.filter(task_id__in=[old_done.pk, old_failed.pk]).exists()


def test_purge_tasks_defaults_to_retention_setting(settings):
    settings.TASK_RETENTION_DAYS = 3
    _finished(4), _finished(1)
    call_command("purge_tasks", stdout=StringIO())
    assert Task.objects.count() == 1


def test_purge_tasks_rejects_malformed_age():
    with pytest.raises(CommandError, match="--older-than must be a number followed by"):
        call_command("purge_tasks", "--older-than", "a month")


def test_purge_is_scheduled_daily():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="tasks.workers.tasks_purge")
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_ensure_operator_from_environment(monkeypatch):
    monkeypatch.setenv("TASKLEDGER_ADMIN_USER", "ops")
    monkeypatch.setenv("TASKLEDGER_ADMIN_PASSWORD", "s3cret-pass")
    call_command("ensure_operator", stdout=StringIO())
    user = get_user_model().objects.get(username="ops")
    assert user.is_staff and user.is_superuser and user.check_password("s3cret-pass")
    assert Token.objects.filter(user=user).exists()


def test_ensure_operator_generates_password_shown_once(monkeypatch):
    monkeypatch.delenv("TASKLEDGER_ADMIN_USER", raising=False)
    monkeypatch.delenv("TASKLEDGER_ADMIN_PASSWORD", raising=False)
    first, second = StringIO(), StringIO()
    call_command("ensure_operator", "--url", "http://127.0.0.1:8765/", stdout=first)
    call_command("ensure_operator", stdout=second)
    user = get_user_model().objects.get(username="admin")
    password = first.getvalue().split("password:")[1].split()[0]
    token = first.getvalue().split("API token:")[1].split()[0]
    assert user.check_password(password)
    assert Token.objects.get(user=user).key == token
    assert "http://127.0.0.1:8765/api/tasks/" in first.getvalue()  # where make run's PORT says
    assert password not in second.getvalue()


def test_drf_create_token_command_works(staff):
    out = StringIO()
    call_command("drf_create_token", staff.username, stdout=out)
    assert Token.objects.get(user=staff).key in out.getvalue()


def _operator_token(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("operator_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_operator_token_prints_the_operators_token_again(monkeypatch):
    monkeypatch.delenv("TASKLEDGER_ADMIN_USER", raising=False)
    monkeypatch.delenv("TASKLEDGER_ADMIN_PASSWORD", raising=False)
    first = StringIO()
    call_command("ensure_operator", stdout=first)
    printed_once = first.getvalue().split("API token:")[1].split()[0]

    again, _ = _operator_token()
    named, _ = _operator_token("admin")

    assert again == named == printed_once


def test_operator_token_rotate_replaces_the_token(staff):
    old = Token.objects.create(user=staff).key

    new, note = _operator_token(staff.username, "--rotate")

    assert new != old and Token.objects.get(user=staff).key == new
    assert not Token.objects.filter(key=old).exists()
    assert "the old one no longer works" in note
    assert _operator_token(staff.username)[0] == new


def test_operator_token_finds_the_operator_made_under_another_name(monkeypatch):
    monkeypatch.setenv("TASKLEDGER_ADMIN_USER", "ops")
    call_command("ensure_operator", stdout=StringIO())
    monkeypatch.delenv("TASKLEDGER_ADMIN_USER")

    token, _ = _operator_token()

    assert token == Token.objects.get(user__username="ops").key


def test_operator_token_unknown_user_is_refused():
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        _operator_token("nobody")
