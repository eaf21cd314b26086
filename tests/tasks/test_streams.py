"""The SSE stream (docs/live.md): task_event events with seq ids, Last-Event-ID, keep-alives,
tenancy."""
import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient
from rest_framework.authtoken.models import Token

from tests.tasks.live_steps import (  # noqa: F401  (close_thread_connections: a fixture)
    close_thread_connections, step_complete, step_fail, step_progress, step_start, task_new,
)

pytestmark = [
    pytest.mark.asyncio, pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


@pytest.fixture(autouse=True)
def _fast_relay(settings):
    settings.LIVE_RELAY_POLL_SECONDS = 0.02


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


class TokenClient(AsyncClient):
    """AsyncClient sending an Authorization header with every request."""

    def __init__(self, authorization: str):
        super().__init__()
        self.authorization = authorization

    async def get(self, path, *args, headers=None, **kwargs):
        headers = {"Authorization": self.authorization, **(headers or {})}
        return await super().get(path, *args, headers=headers, **kwargs)

    async def post(self, path, *args, headers=None, **kwargs):
        headers = {"Authorization": self.authorization, **(headers or {})}
        return await super().post(path, *args, headers=headers, **kwargs)


def _parse(raw: str) -> list[dict]:
    """SSE frames as dicts: id, event, data (decoded), or comment."""
    frames = []
    for block in raw.split("\n\n"):
        if not block.strip():
            continue
        frame = {}
        for line in block.split("\n"):
            field, _, value = line.partition(": ")
            if line.startswith(":"):
                frame["comment"] = line[1:].strip()
            elif field == "data":
                frame["data"] = json.loads(value)
            else:
                frame[field] = value
        frames.append(frame)
    return frames


async def _read_all(response, timeout=10) -> list[dict]:
    async def collect():
        return "".join([chunk.decode() async for chunk in response.streaming_content])
    return _parse(await asyncio.wait_for(collect(), timeout))


async def _finished_task(entity):
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)
    await database_sync_to_async(step_progress)(task, 1, 2)
    await database_sync_to_async(step_complete)(task, {"chunks": 2})
    return task


@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_stream_replays_a_finished_task_and_ends(entity, token, prefix):
    task = await _finished_task(entity)
    client = TokenClient(f"Token {token}")

    response = await client.get(f"{prefix}/tasks/{task.task_id}/stream")
    frames = [f for f in await _read_all(response) if f.get("event")]

    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert {f["event"] for f in frames} == {"task_event"}
    assert [f["data"]["event_type"] for f in frames] == [
        "task_started", "progress_update", "task_completed"]
    progress = frames[1]["data"]["data"]
    assert progress["text"] == "chunk 1 of 2" and progress["value"] == 0.5
    assert frames[2]["data"]["data"]["result"] == {"chunks": 2}
    ids = [int(f["id"]) for f in frames]
    assert ids == sorted(ids) and ids == [f["data"]["seq"] for f in frames]


async def test_stream_honours_last_event_id(entity, token):
    task = await _finished_task(entity)
    client = TokenClient(f"Bearer {token}")
    first = [f for f in await _read_all(await client.get(f"/api/tasks/{task.task_id}/stream"))
             if f.get("event")]

    response = await client.get(f"/api/tasks/{task.task_id}/stream",
                                headers={"Last-Event-ID": first[0]["id"]})
    rest = [f for f in await _read_all(response) if f.get("event")]

    assert [f["id"] for f in rest] == [f["id"] for f in first[1:]]


async def test_stream_after_the_end_is_204_so_eventsource_stops(entity, token):
    task = await _finished_task(entity)
    client = TokenClient(f"Token {token}")
    frames = [f for f in await _read_all(await client.get(f"/api/tasks/{task.task_id}/stream"))
              if f.get("event")]

    response = await client.get(f"/api/tasks/{task.task_id}/stream",
                                headers={"Last-Event-ID": frames[-1]["id"]})

    assert response.status_code == 204


async def test_stream_failed_task_carries_error(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)
    await database_sync_to_async(step_fail)(task, "Rate limit exceeded")
    client = TokenClient(f"Token {token}")

    frames = await _read_all(await client.get(f"/api/tasks/{task.task_id}/stream"))

    failed = frames[-1]["data"]
    assert failed["event_type"] == "task_failed"
    assert failed["data"]["error"] == "Rate limit exceeded"


async def test_stream_follows_a_running_task_live_until_its_end(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    await database_sync_to_async(step_start)(task)
    client = TokenClient(f"Token {token}")
    response = await client.get(f"/api/tasks/{task.task_id}/stream")
    reading = asyncio.ensure_future(_read_all(response))
    await asyncio.sleep(0.3)
    assert not reading.done()

    await database_sync_to_async(step_progress)(task, 1, 2)
    await database_sync_to_async(step_progress)(task, 2, 2)
    await database_sync_to_async(step_complete)(task, {"chunks": 2})
    frames = [f for f in await reading if f.get("event")]

    assert [f["data"]["event_type"] for f in frames] == [
        "task_started", "progress_update", "progress_update", "task_completed"]
    assert [f["data"]["data"].get("processed_units") for f in frames[1:3]] == [1, 2]
    ids = [int(f["id"]) for f in frames]
    assert ids == sorted(set(ids))


async def test_stream_sends_keep_alives_while_idle(entity, token, settings):
    settings.LIVE_KEEPALIVE_SECONDS = 0.2
    task = await database_sync_to_async(task_new)(entity)
    client = TokenClient(f"Token {token}")
    response = await client.get(f"/api/tasks/{task.task_id}/stream")
    chunks = []

    async def read():
        async for chunk in response.streaming_content:
            chunks.append(chunk.decode())
            if sum(": keep-alive" in c for c in chunks) >= 2:
                return
    await asyncio.wait_for(read(), 5)

    assert chunks[0].startswith("retry: ")
    assert sum(": keep-alive" in c for c in chunks) >= 2


async def test_stream_foreign_task_is_404(other_entity, token):
    task = await database_sync_to_async(task_new)(other_entity)
    client = TokenClient(f"Token {token}")

    response = await client.get(f"/api/tasks/{task.task_id}/stream")

    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": f"Task {task.task_id} not found",
                                            "code": "not_found"}


async def test_stream_anonymous_is_401(entity):
    task = await database_sync_to_async(task_new)(entity)

    response = await AsyncClient().get(f"/api/tasks/{task.task_id}/stream")

    assert response.status_code == 401
    assert json.loads(response.content)["code"] == "not_authenticated"


async def test_stream_wrong_token_is_401(entity):
    task = await database_sync_to_async(task_new)(entity)
    client = TokenClient("Token nope")

    response = await client.get(f"/api/tasks/{task.task_id}/stream")

    assert response.status_code == 401


async def test_stream_session_authenticates(entity, user):
    task = await _finished_task(entity)
    client = AsyncClient()
    await client.aforce_login(user)

    response = await client.get(f"/api/tasks/{task.task_id}/stream")

    assert response.status_code == 200
    assert len([f for f in await _read_all(response) if f.get("event")]) == 3


async def test_stream_bad_last_event_id_is_400(entity, token):
    task = await database_sync_to_async(task_new)(entity)
    client = TokenClient(f"Token {token}")

    response = await client.get(f"/api/tasks/{task.task_id}/stream",
                                headers={"Last-Event-ID": "yesterday"})

    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "invalid_after"


async def test_task_create_response_has_stream_url(entity, token):
    client = TokenClient(f"Token {token}")

    response = await client.post("/api/tasks", {"kind": "noop"}, content_type="application/json")

    body = json.loads(response.content)
    assert response.status_code == 201
    assert body["stream_url"] == f"/api/tasks/{body['task_id']}/stream"
