"""End to end: a real qcluster runs the job, a real daphne serves the WebSocket and SSE.

On the embedded default (SQLite, no REDIS_URL) events reach daphne through the relay; with
PostgreSQL + Redis the worker pushes them through channels-redis. `make test` runs this
file in both modes.
"""
import http.client
import json
import time

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from tasks.live.addresses import live_mode
from tests.processes import start_daphne
from tests.tasks.live_steps import task_new

pytestmark = pytest.mark.processes

TERMINAL = {"completed", "failed", "cancelled"}


@pytest.fixture
def server(qcluster):
    """A qcluster and a daphne on the test database; yields daphne's port."""
    qcluster(TASK_PROGRESS_INTERVAL="0", Q_WORKERS="2", MAX_CONCURRENT_TASKS="2")
    daphne, port = start_daphne(LIVE_RELAY_POLL_SECONDS="0.05")
    yield port
    daphne.stop()
    print(f"--- daphne ({live_mode()} mode) ---\n{daphne.log()[-5000:]}")


@pytest.fixture
def token(user):
    return Token.objects.get_or_create(user=user)[0].key


def _http(port, method, path, token, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Authorization": f"Token {token}",
                          "Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else None


def _create(port, token, steps=30, delay=0.05):
    status, body = _http(port, "POST", "/api/tasks", token, {
        "kind": "demo.count", "params": {"steps": steps, "delay_seconds": delay}})
    assert status == 201, body
    return body


def _persisted_seqs(port, token, task_id, after=0):
    status, body = _http(port, "GET", f"/api/tasks/{task_id}/events?after={after}", token)
    assert status == 200
    return [event["seq"] for event in body["events"]]


def _until_terminal(ws, limit=60.0) -> list[dict]:
    messages, deadline = [], time.monotonic() + limit
    while time.monotonic() < deadline:
        message = json.loads(ws.recv(timeout=deadline - time.monotonic()))
        messages.append(message)
        if message["type"] == "task_update" and message["data"]["type"] in TERMINAL:
            return messages
    raise AssertionError(f"no terminal update in {limit} s: {messages[-3:]}")


def test_live_websocket_follows_a_worker_to_completion(server, token):
    with connect(f"ws://127.0.0.1:{server}/api/v1/ws/embedding-tasks?token={token}") as ws:
        created = _create(server, token)
        ws.send(json.dumps({"action": "subscribe", "task_id": created["task_id"]}))
        state = json.loads(ws.recv(timeout=10))
        messages = _until_terminal(ws)

    assert state["type"] == "progress_update" and state["task_id"] == created["task_id"]
    assert messages[-1]["data"]["type"] == "completed"
    assert messages[-1]["data"]["result"] == {"steps": 30, "attempt": 1}
    progress = [m["data"]["progress"] for m in messages if m["type"] == "progress_update"]
    assert progress and progress == sorted(progress) and progress[-1] == 100.0
    seqs = [m["seq"] for m in messages]
    assert seqs == _persisted_seqs(server, token, created["task_id"], after=state["seq"])


def test_live_websocket_reconnect_with_resume_loses_and_repeats_nothing(server, token):
    url = f"ws://127.0.0.1:{server}/ws/tasks/?token={token}"
    created = _create(server, token, steps=40, delay=0.05)
    task_id = created["task_id"]
    with connect(url) as ws:
        ws.send(json.dumps({"action": "subscribe", "task_id": task_id}))
        state = json.loads(ws.recv(timeout=10))
        first = []
        while len([m for m in first if m["type"] == "progress_update"]) < 5:
            first.append(json.loads(ws.recv(timeout=30)))
    time.sleep(0.5)  # the job goes on while the client is away

    with connect(url) as ws:
        ws.send(json.dumps({"action": "subscribe", "task_id": task_id,
                            "after": first[-1]["seq"]}))
        second = _until_terminal(ws)

    seqs = [m["seq"] for m in first + second]
    assert len(seqs) == len(set(seqs)), "a message was delivered twice"
    assert seqs == _persisted_seqs(server, token, task_id, after=state["seq"]), "a gap"
    assert second[0]["seq"] > first[-1]["seq"]


def test_live_websocket_tenancy_holds(server, token, other_entity):
    foreign = task_new(other_entity)
    with connect(f"ws://127.0.0.1:{server}/ws/tasks/?token={token}") as ws:
        ws.send(json.dumps({"action": "subscribe", "task_id": foreign.task_id}))
        error = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"action": "ping"}))
        pong = json.loads(ws.recv(timeout=10))

    assert error["type"] == "error" and error["code"] == "not_found"
    assert pong["type"] == "pong"


def test_live_websocket_anonymous_closed_with_4401(server):
    from websockets.exceptions import ConnectionClosed

    with connect(f"ws://127.0.0.1:{server}/ws/tasks/") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=10)

    assert closed.value.rcvd.code == 4401


def _sse_read(port, token, task_id, *, last_event_id=None, stop_after=None):
    """Read `task_event`s until the stream ends (or `stop_after` of them); return them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {token}", "Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    conn.request("GET", f"/api/tasks/{task_id}/stream", headers=headers)
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    events, frame = [], {}
    for raw in response:
        line = raw.decode().rstrip("\n")
        if line:
            field, _, value = line.partition(": ")
            frame[field] = value
            continue
        if frame.get("event") == "task_event":
            events.append({"id": int(frame["id"]), **json.loads(frame["data"])})
            if stop_after and len(events) >= stop_after:
                break
        frame = {}
    conn.close()
    return events


def test_live_sse_resumes_with_last_event_id_and_ends(server, token):
    created = _create(server, token, steps=30, delay=0.05)
    assert created["stream_url"] == f"/api/tasks/{created['task_id']}/stream"

    first = _sse_read(server, token, created["task_id"], stop_after=4)
    time.sleep(0.3)
    rest = _sse_read(server, token, created["task_id"], last_event_id=first[-1]["id"])

    ids = [e["id"] for e in first + rest]
    assert ids == _persisted_seqs(server, token, created["task_id"])
    assert first[0]["event_type"] == "task_started"
    assert rest[-1]["event_type"] == "task_completed"
    assert rest[-1]["data"]["result"] == {"steps": 30, "attempt": 1}


def test_live_sse_foreign_task_is_404(server, token, other_entity):
    foreign = task_new(other_entity)

    status, body = _http(server, "GET", f"/api/v1/tasks/{foreign.task_id}/stream", token)

    assert status == 404 and body == {"detail": f"Task {foreign.task_id} not found",
                                      "code": "not_found"}


def test_live_mode_matches_the_configuration():
    assert live_mode() == ("push" if settings.REDIS_URL else "relay")


def test_live_websocket_frames_too_large(server, token):
    """Up to daphne's 1 MiB limit our consumer answers with a reason; past it daphne drops it."""
    from websockets.exceptions import ConnectionClosed

    with connect(f"ws://127.0.0.1:{server}/ws/tasks/?token={token}", max_size=None) as ws:
        ws.send(json.dumps({"action": "ping", "pad": "x" * 10_000}))
        refused = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"action": "ping"}))
        pong = json.loads(ws.recv(timeout=10))
        ws.send("x" * (2 * 1024 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)

    with connect(f"ws://127.0.0.1:{server}/ws/tasks/?token={token}") as ws:
        ws.send(json.dumps({"action": "ping"}))
        still_serving = json.loads(ws.recv(timeout=10))

    assert refused["code"] == "frame_too_large" and pong["type"] == "pong"
    assert closed.value.rcvd is None or closed.value.rcvd.code == 1009
    assert still_serving["type"] == "pong"


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                    reason="the connection pool exists on PostgreSQL")
def test_live_sse_streams_hold_no_database_connection(transactional_db, token, entity):
    """Eight open streams on a pool of two connections: the API still answers at once."""
    import socket

    task = task_new(entity)
    daphne, port = start_daphne(DB_POOL_MAX_SIZE="2", LIVE_KEEPALIVE_SECONDS="0.5")
    streams = []
    try:
        for _ in range(8):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", f"/api/tasks/{task.task_id}/stream",
                         headers={"Authorization": f"Token {token}"})
            response = conn.getresponse()
            assert response.status == 200
            assert response.read(6) == b"retry:"
            streams.append((conn, response))
        started = time.monotonic()
        status, body = _http(port, "GET", f"/api/tasks/{task.task_id}", token)
        answered_in = time.monotonic() - started
        keepalive = b"".join(streams[0][1].read1(4096) for _ in range(3))
    except socket.timeout:
        raise AssertionError(f"daphne stopped answering:\n{daphne.log()[-3000:]}")
    finally:
        for conn, _ in streams:
            conn.close()
        daphne.stop()

    assert status == 200 and body["task_id"] == task.task_id
    assert answered_in < 5
    assert b"keep-alive" in keepalive
