"""GET /healthz: is every part this service needs up? For load balancers and operators.

Each check reports its own state and how long it took; any failing check makes the answer
503, so a load balancer takes the instance out. No authentication and no secrets: it says
what is down, never how it is configured.
"""
import asyncio
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_q.brokers import get_broker

from tasks.clusters import cluster_liveness, cluster_stale_after

def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"backend": connection.vendor}

def _broker() -> dict:
    """The queue's length, which needs the broker to answer (the ORM broker is the database)."""
    return {"backend": "redis" if settings.REDIS_URL else "orm",
            "queued": get_broker().queue_size()}

def _channel_layer() -> dict:
    """A message through the layer and back, with a deadline."""
    layer = get_channel_layer()

    async def round_trip():

        channel = await layer.new_channel("healthz.")
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "healthz", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        if message.get("token") != token:
            raise RuntimeError("channel layer returned another message")

    async_to_sync(round_trip)()
    return {"backend": "redis" if settings.REDIS_URL else "in-memory"}

def _workers() -> dict:
    liveness = cluster_liveness()
    age = liveness["heartbeat_age_seconds"]
    if not liveness["clusters"]:
        raise RuntimeError(
            "no qcluster has ticked in the last "
            f"{cluster_stale_after():g} s" + ("" if age is None else f" (newest {age:.1f} s ago)")
        )
    return {**liveness, "heartbeat_age_seconds": round(age, 3)}

CHECKS = {"database": _database, "broker": _broker, "channel_layer": _channel_layer,
          "workers": _workers}

@never_cache
@require_GET
def healthz(request):
    checks, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"status": "ok", **check()}
        except Exception as exc:  # a health check reports failures, it does not raise them
            healthy = False
            result = {"status": "fail", "error": str(exc) or type(exc).__name__}
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        checks[name] = result
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks},
                        status=200 if healthy else 503)
