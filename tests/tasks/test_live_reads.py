"""Redis mode: an attempt's start and end reach a subscriber with no database read between.

Before delivering a pushed state change, a stream reads the events it may lack
(tasks.live.messages.needs_backfill). A push that names the state change it follows needs
no read once that one was delivered: a worker's start names none before a first attempt,
and the closer's end names the attempt's start. A read per state change on daphne's one database
thread was most of the job-return-to-client time at full load (bench/visibility/driver.py).
"""
import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from rest_framework.authtoken.models import Token

from tasks.live import selectors
from tasks.live.messages import needs_backfill
from tasks.outcomes import outcomes_close
from tasks.runner import attempt_run
from tests.tasks.live_steps import (  # noqa: F401  (close_thread_connections: a fixture)
    close_thread_connections, task_new,
)
from tests.tasks.test_consumers import _open, _send
from tests.tasks.test_lost_pushes import _pushes_lost

pytestmark = [
    pytest.mark.asyncio, pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
    pytest.mark.skipif(not settings.REDIS_URL, reason="pushes go through Redis (the "
                       "embedded relay reads the database in order and never backfills)"),
]

CLAIM = "test-claim-1"


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def reads(monkeypatch):
    """The backfill reads the live path makes (the real function, counted)."""
    calls = []
    real = selectors.live_events_between

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "live_events_between", counted)
    return calls


def _run_attempt(task):
    """A worker's attempt as a cluster runs it: start, job, then the closer's batch."""
    outcome = attempt_run(task_pk=task.pk, token=CLAIM, kind=task.kind)
    outcomes_close([outcome])


async def _subscribed(entity, token):
    task = await database_sync_to_async(task_new)(entity, dispatch_token=CLAIM)
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})
    return task, communicator


async def test_a_first_attempt_reaches_the_client_with_no_read(entity, token, reads):
    task, communicator = await _subscribed(entity, token)

    await database_sync_to_async(_run_attempt)(task)
    received = [await communicator.receive_json_from(timeout=5) for _ in range(2)]

    assert [m["event_type"] for m in received] == ["task_started", "task_completed"]
    assert reads == []
    await communicator.disconnect()


async def test_an_end_whose_start_push_was_lost_brings_the_start_first(entity, token, reads):
    task, communicator = await _subscribed(entity, token)

    def start_lost_then_end():
        with _pushes_lost():
            outcome = attempt_run(task_pk=task.pk, token=CLAIM, kind=task.kind)
        outcomes_close([outcome])

    await database_sync_to_async(start_lost_then_end)()
    received = [await communicator.receive_json_from(timeout=5) for _ in range(2)]

    assert [m["event_type"] for m in received] == ["task_started", "task_completed"]
    assert len(reads) == 1
    await communicator.disconnect()


async def test_needs_backfill_only_when_the_state_change_before_is_missing():
    event = {"event_type": "task_completed", "after_seq": 7}
    assert not needs_backfill(event, 7) and not needs_backfill(event, 9)
    assert needs_backfill(event, 6)
    assert needs_backfill({"event_type": "task_failed", "after_seq": None}, 100)
    assert not needs_backfill({"event_type": "progress_update", "after_seq": None}, 0)
