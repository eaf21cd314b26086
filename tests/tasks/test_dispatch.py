import threading

import pytest
from django.db import connection

from tasks.dispatch import dispatch, slots_in_use
from tasks.models import Task, TaskStatus
from tasks.services import task_create


@pytest.mark.django_db
def test_dispatch_claims_highest_priority_then_oldest(settings):
    settings.MAX_CONCURRENT_TASKS = 2
    low = task_create(kind="noop", priority="low")
    normal = task_create(kind="noop", priority="normal")
    critical = task_create(kind="noop", priority="critical")
    dispatch()  # on_commit does not fire inside the test transaction; dispatch by hand
    claimed = set(Task.objects.exclude(dispatch_token="").values_list("pk", flat=True))
    assert claimed == {critical.pk, normal.pk}
    assert Task.objects.get(pk=low.pk).dispatch_token == ""


@pytest.mark.django_db
def test_dispatch_never_exceeds_free_slots(settings):
    settings.MAX_CONCURRENT_TASKS = 3
    for _ in range(5):
        task_create(kind="noop")
    assert len(dispatch()) == 3
    assert dispatch() == []
    assert slots_in_use() == 3


@pytest.mark.django_db
def test_dispatch_skips_tasks_waiting_for_prerequisites_or_backoff(settings):
    from datetime import timedelta

    from django.utils import timezone

    first = task_create(kind="noop")
    second = task_create(kind="noop", prerequisites=[first])
    later = task_create(kind="noop")
    Task.objects.filter(pk=later.pk).update(run_after=timezone.now() + timedelta(minutes=1))
    assert dispatch() == [first.pk]
    Task.objects.filter(pk=first.pk).update(status=TaskStatus.COMPLETED)
    assert dispatch() == [second.pk]


@pytest.mark.django_db(transaction=True)
def test_dispatch_racing_dispatchers_never_claim_a_task_twice(settings):
    """Eight dispatchers in parallel threads, each on its own connection, 40 ready tasks."""
    settings.MAX_CONCURRENT_TASKS = 10
    for _ in range(40):
        Task.objects.create(kind="noop")
    claims: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def race():
        try:
            connection.ensure_connection()
            barrier.wait()
            for _ in range(5):
                claims.extend(dispatch())
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors
    assert len(claims) == len(set(claims)) == 10
    assert slots_in_use() == 10
