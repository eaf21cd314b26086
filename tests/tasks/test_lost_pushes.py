"""Redis mode: a push that never arrives delays an event, never loses it.

A push can be lost: a process killed between its commit and its sender thread's send, a
full channel. The persisted events are the truth, so a stream quiet for
LIVE_CATCHUP_SECONDS reads them back. Here the push is switched off while the task ends:
without the catch-up, the client would wait for its terminal event forever.
"""
import asyncio
import contextlib
import json

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from rest_framework.authtoken.models import Token

from tasks.live.push import task_event_push
from tasks.signals import task_event_committed
from tests.tasks.live_steps import (  # noqa: F401  (close_thread_connections: a fixture)
    close_thread_connections, step_complete, step_start, task_new,
)
from tests.tasks.test_consumers import _open, _send
from tests.tasks.test_streams import TokenClient, _parse

pytestmark = [
    pytest.mark.asyncio, pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
    pytest.mark.skipif(not settings.REDIS_URL, reason="pushes go through Redis (the "
                       "embedded relay reads the database and loses nothing)"),
]


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture(autouse=True)
def _fast_catch_up(settings):
    settings.LIVE_CATCHUP_SECONDS = 0.2


@contextlib.contextmanager
def _pushes_lost():
    task_event_committed.disconnect(dispatch_uid="tasks.live.push")
    try:
        yield
    finally:
        task_event_committed.connect(task_event_push, dispatch_uid="tasks.live.push")


async def test_websocket_gets_the_events_whose_push_was_lost(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    communicator = await _open(token=token)
    await _send(communicator, {"action": "subscribe", "task_id": task.task_id})

    with _pushes_lost():
        await database_sync_to_async(step_start)(task)
        await database_sync_to_async(step_complete)(task, {"ok": True})
    started = await communicator.receive_json_from(timeout=5)
    completed = await communicator.receive_json_from(timeout=5)

    assert started["data"]["type"] == "started"
    assert completed["data"]["type"] == "completed" and completed["seq"] > started["seq"]
    assert await communicator.receive_nothing(timeout=0.6)  # each once, then quiet
    await communicator.disconnect()


async def test_sse_stream_gets_the_events_whose_push_was_lost(entity, token, settings):
    settings.LIVE_KEEPALIVE_SECONDS = 30
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)  # pushed, and replayed by the stream
    response = await TokenClient(f"Token {token}").get(f"/api/tasks/{task.task_id}/stream")
    chunks, ending = [], []

    async def complete_unpushed():
        with _pushes_lost():
            await database_sync_to_async(step_complete)(task, {"ok": True})

    async def read():
        async for chunk in response.streaming_content:
            chunks.append(chunk.decode())
            if "task_started" in chunk.decode():
                # The replay is done: the stream now waits for pushes, and none will come.
                ending.append(asyncio.create_task(complete_unpushed()))

    await asyncio.wait_for(read(), 5)  # the stream ends after the terminal event
    await ending[0]

    frames = [frame for frame in _parse("".join(chunks)) if frame.get("event")]
    assert [frame["data"]["event_type"] for frame in frames] == ["task_started",
                                                                 "task_completed"]
    assert json.dumps(frames[-1]["data"]["data"]["result"]) == '{"ok": true}'
