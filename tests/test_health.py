"""/livez, /readyz and /healthz: each part checked with its state; 503 naming what is down."""
import pytest
from django.db import connection
from django.test import Client
from django_q.conf import Conf

from tasks.models import ClusterHeartbeat
from tests.processes import wait_for


def _health(path="/healthz"):
    response = Client().get(path)
    return response.status_code, response.json()


@pytest.fixture
def dead_redis(settings, monkeypatch):
    """The broker and the channel layer on a Redis nobody listens to."""
    dead = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(Conf, "REDIS", dead)
    monkeypatch.setattr(Conf, "ORM", None)
    settings.REDIS_URL = dead
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [dead]}}}


@pytest.fixture
def unreachable_database(django_db_blocker):
    """The default database pointed at a server (or SQLite file) that cannot be opened."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/taskledger/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    with django_db_blocker.unblock():
        yield
        connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.processes
def test_healthz_ok_while_a_qcluster_ticks_and_503_once_it_stopped(qcluster):
    status, body = _health()
    assert status == 503
    assert body["checks"]["workers"]["status"] == "fail"
    assert "no qcluster has ticked" in body["checks"]["workers"]["error"]

    cluster = qcluster()
    status, body = wait_for(lambda: (lambda r: r if r[0] == 200 else None)(_health()),
                            message="/healthz to turn 200 with a cluster ticking")

    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "broker": "ok", "channel_layer": "ok", "workers": "ok"}
    assert body["checks"]["workers"]["clusters"] == 1
    assert 0 <= body["checks"]["workers"]["heartbeat_age_seconds"] < 10
    heartbeat = ClusterHeartbeat.objects.get()
    assert heartbeat.pid != 0 and heartbeat.workers >= 1

    cluster.stop()  # a clean stop forgets the cluster at once

    assert not ClusterHeartbeat.objects.exists()
    status, body = _health()
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_needs_no_login_and_is_never_cached(db):
    response = Client().get("/healthz")
    assert response.status_code in (200, 503)
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_an_unreachable_redis_as_down(db, dead_redis):
    """The channel layer says it is down and why; the queue, being the task table, is not."""
    status, body = _health()

    assert status == 503
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"
    assert body["checks"]["channel_layer"]["status"] == "fail"
    assert body["checks"]["channel_layer"]["error"]


# --- /livez and /readyz, for load balancers and orchestrators ----------------------------


def test_livez_answers_without_touching_any_dependency(dead_redis):
    """No database access is allowed in this test: /livez must not need one."""
    for method in ("get", "head"):
        response = getattr(Client(), method)("/livez")
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
    assert Client().get("/livez").json() == {"status": "ok"}
    assert Client().post("/livez").status_code == 405


def test_readyz_stays_ready_without_workers_while_healthz_reports_them(db):
    """No qcluster is running: the web instance can still serve, so it stays in rotation."""
    status, body = _health("/readyz")

    assert status == 200
    assert body["status"] == "ok" and "failing" not in body
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "channel_layer": "ok", "workers": "ok"}
    assert _health("/healthz")[1]["failing"] == ["workers"]


def test_readyz_names_an_unreachable_database(unreachable_database):
    status, body = _health("/readyz")

    assert status == 503
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["error"]
    assert body["checks"]["channel_layer"]["status"] == "ok"
    assert _health("/livez") == (200, {"status": "ok"})  # alive: a restart would not help


def test_readyz_names_a_channel_layer_that_is_down(db, dead_redis):
    status, body = _health("/readyz")

    assert status == 503
    assert body["failing"] == ["channel_layer"]
    assert body["checks"]["database"]["status"] == "ok"
