"""WebSocket limits as a client sees them: failed `?token=` per address, frames per
connection, subscriptions per connection; past them an error frame, then 4429."""
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from tasks.live.limits import FrameBudget
from tasks.live.routing import websocket_application
from tests.tasks.live_steps import close_thread_connections, task_new  # noqa: F401

APP = websocket_application()


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


async def _open(token: str, address: str = "127.0.0.1"):
    communicator = WebsocketCommunicator(APP, f"/ws/tasks/?token={token}")
    communicator.scope["client"] = (address, 50000)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _send(communicator, message):
    await communicator.send_to(text_data=json.dumps(message))
    return await communicator.receive_json_from(timeout=5)


async def _closed_with(communicator) -> int:
    return (await communicator.receive_output(timeout=5))["code"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_live_wrong_tokens_past_the_rate_close_with_4429(token):
    codes = []
    for _attempt in range(30):
        communicator = await _open("wrong-token", "203.0.113.7")
        await communicator.receive_json_from(timeout=5)
        codes.append(await _closed_with(communicator))
        await communicator.disconnect()

    refused = await _open("wrong-token", "203.0.113.7")
    error = await refused.receive_json_from(timeout=5)
    refused_code = await _closed_with(refused)
    held_back = await _open(token, "203.0.113.7")
    await held_back.receive_json_from(timeout=5)
    held_back_code = await _closed_with(held_back)
    elsewhere = await _open(token, "198.51.100.2")

    assert codes == [4401] * 30
    assert error["code"] == "too_many_failed_authentications"
    assert "the limit is 30/min (AUTH_FAILURE_RATE)" in error["message"]
    assert 0 < error["retry_after"] <= 60
    assert refused_code == held_back_code == 4429
    assert (await _send(elsewhere, {"action": "ping"}))["type"] == "pong"
    for communicator in (refused, held_back, elsewhere):
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_live_frames_over_the_rate_get_an_error_frame(token, settings):
    settings.LIVE_FRAME_RATE, settings.LIVE_ABUSE_STRIKES = "3/min", 100
    communicator = await _open(token)

    answers = [(await _send(communicator, {"action": "ping"}))["type"] for _ in range(3)]
    error = await _send(communicator, {"action": "ping"})

    assert answers == ["pong"] * 3
    assert error["type"] == "error" and error["code"] == "rate_limited"
    assert "more than 3/min frames on this connection (LIVE_FRAME_RATE)" in error["message"]
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_live_sustained_frame_abuse_closes_with_4429(token, settings):
    settings.LIVE_FRAME_RATE, settings.LIVE_ABUSE_STRIKES = "3/min", 5
    communicator = await _open(token)
    for _ in range(3):
        await _send(communicator, {"action": "ping"})

    errors = [await _send(communicator, {"action": "ping"}) for _ in range(5)]
    code = await _closed_with(communicator)

    assert [error["code"] for error in errors] == ["rate_limited"] * 5
    assert "closing this connection after 5 refused frames" in errors[-1]["message"]
    assert "closing" not in errors[-2]["message"]
    assert code == 4429
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_live_subscriptions_past_the_limit_close_with_4429(entity, token, settings):
    settings.LIVE_MAX_SUBSCRIPTIONS, settings.LIVE_ABUSE_STRIKES = 1, 3
    settings.LIVE_FRAME_RATE = "1000/day"  # no pause here refills the whole budget
    tasks = [await database_sync_to_async(task_new)(entity) for _ in range(2)]
    communicator = await _open(token)
    state = await _send(communicator, {"action": "subscribe", "task_id": tasks[0].task_id})

    errors = [await _send(communicator, {"action": "subscribe", "task_id": tasks[1].task_id})
              for _ in range(3)]

    assert state["type"] == "progress_update"
    assert [error["code"] for error in errors] == ["too_many_subscriptions"] * 3
    assert await _closed_with(communicator) == 4429
    await communicator.disconnect()


def test_frame_budget_refills_at_its_rate_and_a_full_refill_forgives():
    clock = [0.0]
    budget = FrameBudget(rate="2/s", strikes=3, clock=lambda: clock[0])

    assert [budget.take() for _ in range(4)] == [True, True, False, False]
    clock[0] += 0.5  # one frame's worth
    assert (budget.take(), budget.take(), budget.strikes) == (True, False, 3)
    assert budget.abused
    clock[0] += 1.0  # the whole budget back
    assert budget.take() and budget.strikes == 0 and not budget.abused


@pytest.mark.django_db(transaction=True)
def test_stream_wrong_tokens_past_the_rate_are_429(entity, token):
    from django.test import Client

    task = task_new(entity)
    path = f"/api/tasks/{task.task_id}/stream"
    codes = [Client().get(path, {"token": "wrong"}, REMOTE_ADDR="203.0.113.7").status_code
             for _ in range(30)]

    refused = Client().get(path, {"token": token}, REMOTE_ADDR="203.0.113.7")
    elsewhere = Client().get(path, HTTP_AUTHORIZATION="Token wrong", REMOTE_ADDR="198.51.100.2")

    assert codes == [401] * 30
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert "the limit is 30/min (AUTH_FAILURE_RATE)" in refused.json()["detail"]
    assert elsewhere.status_code == 401
