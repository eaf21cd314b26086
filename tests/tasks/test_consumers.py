"""The live-progress WebSocket as a client sees it: its protocol (docs/live.md), auth, tenancy, limits.

In-process (WebsocketCommunicator); events come from the real services, committed, and
reach the consumer the way they do in production: pushed through channels-redis when
REDIS_URL is set, read back by the relay on the embedded default.
"""
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from embeddings.services import EMBED_KIND
from tasks.models import TaskStatus
from tasks.live.routing import websocket_application
from tests.factories import UserFactory
from tests.tasks.live_steps import (  # noqa: F401  (close_thread_connections: a fixture)
    close_thread_connections, step_complete, step_fail, step_progress, step_start, task_new,
)

pytestmark = [
    pytest.mark.asyncio, pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
]

APP = websocket_application()
PATHS = ["/ws/tasks/", "/api/v1/ws/embedding-tasks"]


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture(autouse=True)
def _fast_relay(settings):
    settings.LIVE_RELAY_POLL_SECONDS = 0.02


async def _open(path="/ws/tasks/", *, token=None, headers=None):
    url = f"{path}?token={token}" if token else path
    communicator = WebsocketCommunicator(APP, url, headers=headers or [])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _send(communicator, message):
    await communicator.send_to(text_data=json.dumps(message))
    return await communicator.receive_json_from(timeout=5)


# --- authentication and origin ------------------------------------------------------------


async def test_consumer_anonymous_connection_closed_with_4401(db):
    communicator = await _open()

    error = await communicator.receive_json_from(timeout=5)
    closed = await communicator.receive_output(timeout=5)

    assert error["type"] == "error" and error["code"] == "not_authenticated"
    assert closed == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()


async def test_consumer_wrong_token_is_anonymous_even_with_a_session(user):
    cookie = await database_sync_to_async(_session_cookie)(user)
    communicator = await _open(token="not-a-token", headers=[(b"cookie", cookie)])

    await communicator.receive_json_from(timeout=5)
    assert (await communicator.receive_output(timeout=5))["code"] == 4401
    await communicator.disconnect()


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@pytest.mark.parametrize("path", PATHS)
async def test_consumer_token_in_query_authenticates_on_both_paths(path, token):
    communicator = await _open(path, token=token)

    assert (await _send(communicator, {"action": "ping"}))["type"] == "pong"
    await communicator.disconnect()


async def test_consumer_session_cookie_authenticates(user):
    cookie = await database_sync_to_async(_session_cookie)(user)
    communicator = await _open(headers=[(b"cookie", cookie)])

    assert (await _send(communicator, {"action": "ping"}))["type"] == "pong"
    await communicator.disconnect()


async def test_consumer_foreign_origin_refused(token):
    communicator = WebsocketCommunicator(
        APP, f"/ws/tasks/?token={token}", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()

    assert not connected
    await communicator.disconnect()


async def test_consumer_own_origin_accepted(token):
    communicator = WebsocketCommunicator(
        APP, f"/ws/tasks/?token={token}", headers=[(b"origin", b"http://127.0.0.1:8000")]
    )
    connected, _ = await communicator.connect()

    assert connected
    await communicator.disconnect()


# --- subscribe: state first, then live ------------------------------------------------------


async def test_consumer_subscribe_sends_current_state_first(entity, token):
    task = await database_sync_to_async(task_new)(entity, kind=EMBED_KIND)
    await database_sync_to_async(step_start)(task)
    await database_sync_to_async(step_progress)(task, 3, 10)
    communicator = await _open(token=token)

    state = await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    assert state["type"] == "progress_update"
    assert state["task_id"] == task.task_id
    assert state["data"]["progress"] == 30.0
    assert state["data"]["processed_chunks"] == 3
    assert state["data"]["total_chunks"] == 10
    assert state["data"]["status"] == "processing"
    assert state["data"]["text"] == "chunk 3 of 10"
    assert state["data"]["eta"] is not None
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_consumer_live_events_follow_in_order_with_chunk_ids(entity, token):
    task = await database_sync_to_async(task_new)(entity, kind=EMBED_KIND)
    communicator = await _open("/api/v1/ws/embedding-tasks", token=token)
    state = await _send(communicator, {"action": "subscribe", "task_id": task.task_id})
    assert state["data"]["status"] == "pending"

    await database_sync_to_async(step_start)(task)
    await database_sync_to_async(step_progress)(task, 1, 2)
    await database_sync_to_async(step_complete)(task, {"chunk_ids": ["chunk-1", "chunk-2"]})
    started = await communicator.receive_json_from(timeout=5)
    progress = await communicator.receive_json_from(timeout=5)
    completed = await communicator.receive_json_from(timeout=5)

    assert started["type"] == "task_update" and started["data"]["type"] == "started"
    assert progress["type"] == "progress_update"
    assert progress["data"]["progress"] == 50.0
    assert progress["data"]["processed_chunks"] == 1 and progress["data"]["total_chunks"] == 2
    assert completed == {
        "type": "task_update", "task_id": task.task_id, "seq": completed["seq"],
        "event_type": "task_completed",
        "data": {"type": "completed", "status": "completed", "attempt": 1, "cost_usd": 0.0,
                 "result": {"chunk_ids": ["chunk-1", "chunk-2"]}, "progress": 100.0,
                 "chunk_ids": ["chunk-1", "chunk-2"]},
    }
    assert state["seq"] < started["seq"] < progress["seq"] < completed["seq"]
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_consumer_failed_update_carries_error_and_retry_count(entity, token):
    task = await database_sync_to_async(task_new)(entity, attempts=3)
    await database_sync_to_async(step_start)(task)  # the fourth attempt
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    await database_sync_to_async(step_fail)(task, "Rate limit exceeded")
    failed = await communicator.receive_json_from(timeout=5)

    assert failed["type"] == "task_update"
    assert failed["data"]["type"] == "failed"
    assert failed["data"]["error_message"] == "Rate limit exceeded"
    assert failed["data"]["retry_count"] == 3
    await communicator.disconnect()


async def test_consumer_retrying_update_then_started_again(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    await database_sync_to_async(step_fail)(task, "upstream 503", retryable=True)
    retrying = await communicator.receive_json_from(timeout=5)

    assert retrying["data"]["type"] == "retrying"
    assert retrying["data"]["error_message"] == "upstream 503"
    assert retrying["data"]["retry_count"] == 1
    assert retrying["data"]["run_after"]
    await communicator.disconnect()


async def test_consumer_finished_task_state_ends_with_its_outcome(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)
    await database_sync_to_async(step_fail)(task, "bad PDF")
    communicator = await _open(token=token)

    state = await _send(communicator, {"action": "subscribe", "task_id": task.task_id})
    outcome = await communicator.receive_json_from(timeout=5)

    assert state["data"]["status"] == "failed"
    assert outcome["type"] == "task_update"
    assert outcome["data"]["type"] == "failed"
    assert outcome["data"]["error_message"] == "bad PDF"
    assert outcome["seq"] == state["seq"]
    await communicator.disconnect()


async def test_consumer_cancel_reaches_subscriber(entity, token):
    from tasks.services import task_cancel

    task = await database_sync_to_async(task_new)(entity)
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    await database_sync_to_async(task_cancel)(task=task)
    cancelled = await communicator.receive_json_from(timeout=5)

    assert cancelled["data"]["type"] == "cancelled"
    assert cancelled["data"]["status"] == TaskStatus.CANCELLED
    await communicator.disconnect()


# --- resume ---------------------------------------------------------------------------------


async def test_consumer_progress_names_chunks_only_for_a_kind_that_counts_chunks(entity, token):
    """`processed_chunks` means chunks: an embedding task has them (and the generic names);
    a task of another kind has only processed_units / total_units, live and on subscribe."""
    embedding = await database_sync_to_async(task_new)(entity, kind=EMBED_KIND)
    other = await database_sync_to_async(task_new)(entity)
    communicator = await _open("/api/v1/ws/embedding-tasks", token=token)
    await _send(communicator, {"action": "subscribe", "task_id": embedding.task_id})
    await _send(communicator, {"action": "subscribe", "task_id": other.task_id})
    live = {}
    for task in (embedding, other):
        await database_sync_to_async(step_start)(task)
        await database_sync_to_async(step_progress)(task, 2, 5)
        await communicator.receive_json_from(timeout=5)  # started
        live[task.task_id] = (await communicator.receive_json_from(timeout=5))["data"]
    await communicator.disconnect()
    communicator = await _open(token=token)
    states = {task.task_id: (await _send(communicator, {"action": "subscribe",
                                                        "task_id": task.task_id}))["data"]
              for task in (embedding, other)}

    for data in (live[embedding.task_id], states[embedding.task_id]):
        assert (data["processed_chunks"], data["total_chunks"]) == (2, 5)
        assert (data["processed_units"], data["total_units"]) == (2, 5)
    for data in (live[other.task_id], states[other.task_id]):
        assert (data["processed_units"], data["total_units"]) == (2, 5)
        assert "processed_chunks" not in data and "total_chunks" not in data
    await communicator.disconnect()


async def test_consumer_subscribe_after_replays_missed_events_then_live(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)
    first = await _open(token=token)
    await _send(first, {"action": "subscribe", "task_id": task.task_id})
    await database_sync_to_async(step_progress)(task, 1, 4)
    seen = (await first.receive_json_from(timeout=5))["seq"]
    await first.disconnect()

    await database_sync_to_async(step_progress)(task, 2, 4)  # missed while away
    await database_sync_to_async(step_progress)(task, 3, 4)
    second = await _open(token=token)
    await second.send_json_to({"action": "subscribe", "task_id": task.task_id, "after": seen})
    replayed = [await second.receive_json_from(timeout=5) for _ in range(2)]
    await database_sync_to_async(step_complete)(task, {"ok": True})
    live = await second.receive_json_from(timeout=5)

    assert [m["data"]["processed_units"] for m in replayed] == [2, 3]
    assert live["data"]["type"] == "completed"
    seqs = [m["seq"] for m in replayed] + [live["seq"]]
    assert seqs == sorted(set(seqs)) and seqs[0] > seen
    events = await database_sync_to_async(lambda: list(task.events.values_list("id", flat=True)))()
    assert [s for s in events if s > seen] == seqs
    assert await second.receive_nothing(timeout=0.3)
    await second.disconnect()


# --- tenancy --------------------------------------------------------------------------------


async def test_consumer_foreign_task_gives_error_and_no_data(other_entity, token):
    task = await database_sync_to_async(task_new)(other_entity)
    communicator = await _open(token=token)

    error = await _send(communicator, {"action": "subscribe", "task_id": task.task_id})
    await database_sync_to_async(step_start)(task)

    assert error == {"type": "error", "code": "not_found",
                     "message": f"Task {task.task_id} not found", "task_id": task.task_id}
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_consumer_staff_sees_every_task(other_entity, db):
    staff = await database_sync_to_async(UserFactory)(username="ops", is_staff=True)
    key = (await database_sync_to_async(Token.objects.create)(user=staff)).key
    task = await database_sync_to_async(task_new)(other_entity)
    communicator = await _open(token=key)

    state = await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    assert state["type"] == "progress_update"
    await communicator.disconnect()


# --- errors and limits ----------------------------------------------------------------------


@pytest.mark.parametrize("frame, code", [
    ("{not json", "invalid_json"),
    ("[1, 2]", "invalid_message"),
    ('{"action": "dance"}', "unknown_action"),
    ('{"task_id": "x"}', "unknown_action"),
    ('{"action": "subscribe"}', "invalid_task_id"),
    ('{"action": "subscribe", "task_id": 7}', "invalid_task_id"),
    ('{"action": "subscribe", "task_id": "t", "after": -1}', "invalid_after"),
    ('{"action": "subscribe", "task_id": "t", "after": "5"}', "invalid_after"),
    ('{"action": "subscribe", "task_id": "no_such_task"}', "not_found"),
    ('{"action": "unsubscribe", "task_id": "no_such_task"}', "not_subscribed"),
    ('{"action": "unsubscribe", "task_id": ["a", "list"]}', "invalid_task_id"),
    ('{"action": "subscribe", "task_id": {"a": "dict"}}', "invalid_task_id"),
])
async def test_consumer_bad_frame_gives_error_and_stays_open(frame, code, token):
    communicator = await _open(token=token)

    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from(timeout=5)

    assert error["type"] == "error" and error["code"] == code and error["message"]
    assert (await _send(communicator, {"action": "ping"}))["type"] == "pong"
    await communicator.disconnect()


async def test_consumer_unknown_action_names_accepted_ones(token):
    communicator = await _open(token=token)

    error = await _send(communicator, {"action": "dance"})

    assert error["message"] == ("action must be one of subscribe, unsubscribe, ping, "
                                "get_queue_status; got 'dance'")
    await communicator.disconnect()


async def test_consumer_oversized_frame_refused_with_reason(token, settings):
    settings.LIVE_MAX_FRAME_BYTES = 1024
    communicator = await _open(token=token)

    error = await _send(communicator, {"action": "ping", "pad": "x" * 2000})

    assert error["code"] == "frame_too_large"
    assert "at most 1024 accepted" in error["message"]
    assert (await _send(communicator, {"action": "ping"}))["type"] == "pong"
    await communicator.disconnect()


async def test_consumer_subscription_count_is_limited(entity, token, settings):
    settings.LIVE_MAX_SUBSCRIPTIONS = 2
    tasks = [await database_sync_to_async(task_new)(entity) for _ in range(3)]
    communicator = await _open(token=token)
    for task in tasks[:2]:
        await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    error = await _send(communicator, {"action": "subscribe", "task_id": tasks[2].task_id})
    await communicator.send_json_to({"action": "unsubscribe", "task_id": tasks[0].task_id})
    state = await _send(communicator, {"action": "subscribe", "task_id": tasks[2].task_id})

    assert error["code"] == "too_many_subscriptions"
    assert "at most 2 subscriptions per connection" in error["message"]
    assert state["type"] == "progress_update" and state["task_id"] == tasks[2].task_id
    await communicator.disconnect()


async def test_consumer_unsubscribe_stops_events(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    await communicator.send_json_to({"action": "unsubscribe", "task_id": task.task_id})
    assert await communicator.receive_nothing(timeout=0.2)
    await database_sync_to_async(step_start)(task)

    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


# --- queue status and ping ------------------------------------------------------------------


async def test_consumer_queue_status_counts_visible_tasks(entity, other_entity, token):
    await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(task_new)(other_entity)
    communicator = await _open(token=token)

    status = await _send(communicator, {"action": "get_queue_status"})

    assert status["type"] == "queue_status"
    assert status["data"]["queue_size"] == 1
    assert set(status["data"]) >= {"queue_size", "active_tasks", "max_concurrent_tasks",
                                   "status_counts", "queue_by_priority"}
    await communicator.disconnect()


async def test_consumer_ping_answers_pong_with_time(token):
    communicator = await _open(token=token)

    pong = await _send(communicator, {"action": "ping"})

    assert pong["type"] == "pong" and pong["timestamp"]
    await communicator.disconnect()


async def test_consumer_survives_an_idle_channel_layer(entity, token):
    """Regression: redis-py 8's default 5 s socket timeout killed idle consumers (1011)."""
    task = await database_sync_to_async(task_new)(entity)
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    assert await communicator.receive_nothing(timeout=6.5)
    await database_sync_to_async(step_start)(task)
    started = await communicator.receive_json_from(timeout=5)

    assert started["data"]["type"] == "started"
    await communicator.disconnect()


@pytest.mark.skipif(not settings.REDIS_URL, reason="only pushes through Redis can be lost")
async def test_consumer_state_change_backfills_lost_pushes(entity, token):
    from tasks.live.push import push_connect
    from tasks.signals import task_event_committed

    task = await database_sync_to_async(task_new)(entity)
    communicator = await _open(token=token)
    state = await _send(communicator, {"action": "subscribe", "task_id": task.task_id})
    task_event_committed.disconnect(dispatch_uid="tasks.live.push")  # these pushes are "lost"
    try:
        await database_sync_to_async(step_start)(task)
        await database_sync_to_async(step_progress)(task, 1, 2)
    finally:
        push_connect()
    assert await communicator.receive_nothing(timeout=0.3)

    await database_sync_to_async(step_complete)(task, {"ok": True})
    received = [await communicator.receive_json_from(timeout=5) for _ in range(3)]

    assert [m["event_type"] for m in received] == [
        "task_started", "progress_update", "task_completed"]
    assert [m["seq"] for m in received] == sorted({m["seq"] for m in received})
    assert received[0]["seq"] > state["seq"]
    await communicator.disconnect()


async def test_consumer_failed_action_gives_error_and_stays_open(token, monkeypatch):
    from tasks.live import consumers

    def broken(**kwargs):
        raise RuntimeError("database restarting")

    monkeypatch.setattr(consumers, "queue_status", broken)
    communicator = await _open(token=token)

    error = await _send(communicator, {"action": "get_queue_status"})

    assert error["code"] == "server_error"
    assert "database restarting" not in error["message"]
    assert (await _send(communicator, {"action": "ping"}))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="the relay is the embedded default's")
async def test_consumer_relay_runs_only_while_someone_follows(entity, token):
    from tasks.live.relay import relay

    task = await database_sync_to_async(task_new)(entity)
    first, second = await _open(token=token), await _open(token=token)
    assert not relay.running

    await _send(first, {"action": "subscribe", "task_id": task.task_id})
    await _send(second, {"action": "subscribe", "task_id": task.task_id})
    assert relay.running
    await first.disconnect()
    assert relay.running
    await second.disconnect()

    assert not relay.running
