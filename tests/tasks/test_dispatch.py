"""Claiming ready tasks from the task table: order, limits, owners, and no lock between claims."""
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tasks.dispatch import claim
from tasks.models import Task, TaskStatus
from tasks.reaper import dispatches_release
from tasks.services import task_create


def _claimed() -> set[int]:
    return set(Task.objects.exclude(dispatch_token="").values_list("pk", flat=True))


@pytest.mark.django_db
def test_claim_takes_highest_priority_then_oldest():
    low = task_create(kind="noop", priority="low")
    normal = task_create(kind="noop", priority="normal")
    critical = task_create(kind="noop", priority="critical")
    older_high = task_create(kind="noop", priority="high")
    newer_high = task_create(kind="noop", priority="high")
    claims = claim(4)
    assert [c.pk for c in claims] == [critical.pk, older_high.pk, newer_high.pk, normal.pk]
    assert Task.objects.get(pk=low.pk).dispatch_token == ""


@pytest.mark.django_db
def test_claim_never_takes_more_than_its_limit_nor_a_claimed_task():
    for _ in range(5):
        task_create(kind="noop")
    first = claim(3)
    assert len(first) == 3 and len({c.token for c in first}) == 1
    second = claim(3)
    assert len(second) == 2 and not {c.pk for c in first} & {c.pk for c in second}
    assert claim(3) == [] and claim(0) == []
    assert all(Task.objects.get(pk=c.pk).dispatch_token == c.token for c in first + second)


@pytest.mark.django_db
def test_claim_skips_tasks_waiting_for_prerequisites_or_backoff_and_groups():
    first = task_create(kind="noop")
    second = task_create(kind="noop", prerequisites=[first])
    later = task_create(kind="noop")
    task_create(kind="group")
    Task.objects.filter(pk=later.pk).update(run_after=timezone.now() + timedelta(minutes=1))
    assert [c.pk for c in claim(10)] == [first.pk]
    Task.objects.filter(pk=first.pk).update(status=TaskStatus.COMPLETED)
    assert [c.pk for c in claim(10)] == [second.pk]


@pytest.mark.django_db
def test_a_cluster_releases_its_own_claims_and_no_other():
    for _ in range(4):
        task_create(kind="noop")
    mine, theirs = claim(2, owner="aaaa1111"), claim(2, owner="bbbb2222")
    assert all(c.token.startswith("aaaa1111") for c in mine)
    later = (timezone.now() + timedelta(seconds=1)).timestamp()
    assert dispatches_release(handed_out_before=later, owner="aaaa1111") == 2
    assert _claimed() == {c.pk for c in theirs}


@pytest.mark.django_db(transaction=True)
def test_racing_claimers_never_claim_a_task_twice():
    """Eight claimers in parallel threads, each on its own connection, 40 ready tasks."""
    for _ in range(40):
        Task.objects.create(kind="noop")
    claims: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def race():
        try:
            connection.ensure_connection()
            barrier.wait()
            for _ in range(10):
                claims.extend(c.pk for c in claim(2))
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
    assert len(claims) == len(set(claims)) == 40


@pytest.mark.django_db(transaction=True)
def test_a_claim_does_not_wait_for_another_clusters_claim_in_flight():
    """PostgreSQL: a claim skips the rows another claim holds (SKIP LOCKED), it never waits
    for it; there is no lock that every claim takes. Fails with a plain FOR UPDATE."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; there is nothing to skip")
    best, other = task_create(kind="noop", priority="critical"), task_create(kind="noop")
    holding, release, seen = threading.Event(), threading.Event(), []

    def in_flight():  # another cluster's claim, its transaction still open
        try:
            with transaction.atomic():
                Task.objects.select_for_update().get(pk=best.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=in_flight)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            seen = claim(2)
    finally:
        release.set()
        thread.join(10)
    assert [c.pk for c in seen] == [other.pk]
