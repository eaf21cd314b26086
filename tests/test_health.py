"""GET /healthz: every part the service needs, each with its state; 503 when one is down."""
import pytest
from django.test import Client
from django_q.conf import Conf

from tasks.models import ClusterHeartbeat
from tests.processes import wait_for


def _health():
    response = Client().get("/healthz")
    return response.status_code, response.json()


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


def test_healthz_reports_an_unreachable_redis_as_down(db, settings, monkeypatch):
    """The broker and the channel layer, each on its own, say they are down and why."""
    dead = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(Conf, "REDIS", dead)
    monkeypatch.setattr(Conf, "ORM", None)
    settings.REDIS_URL = dead
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [dead]}}}

    status, body = _health()

    assert status == 503
    assert body["checks"]["database"]["status"] == "ok"
    for part in ("broker", "channel_layer"):
        assert body["checks"][part]["status"] == "fail"
        assert body["checks"][part]["error"]
