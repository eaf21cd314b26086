"""Health endpoints for load balancers, orchestrators and operators.

- GET /livez: the process answers. No dependency is checked, so a restart is the remedy
  when it fails (a liveness probe).
- GET /readyz: this web instance can serve: its database and its channel layer answer, and
  work handed to the workers is being started. A load balancer keeps the instance in
  rotation while it is 200 (a readiness probe). Worker heartbeats are left out on purpose:
  with every qcluster down the API still answers and tasks wait as pending, and taking
  every web instance out would turn a worker problem into an outage. A stuck cluster is
  different: it has taken tasks that nobody will run, so accepting more would only lose them
  from sight (TASK_STALL_SECONDS).
- GET /healthz: everything the deployment needs, each check with its state: database,
  broker, channel layer and worker heartbeats. For operators and monitoring. Live clusters
  from different checkouts (other code or other job kinds) on one database degrade it:
  each may take the other's tasks. /readyz leaves that out, since a rolling deploy passes
  through it.

Each check reports its state and how long it took; any failing check makes the answer 503
naming it. No authentication and no secrets: they say what is down, never how it is
configured.
"""
import asyncio
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_q.brokers import get_broker

from tasks.clusters import (
    cluster_flow, cluster_liveness, cluster_mismatch, cluster_mismatch_message,
    cluster_stale_after, cluster_stuck,
)


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"backend": connection.vendor}


class Degraded(Exception):
    """A check that answers, but says the service is not doing its work."""

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.details = details


def _broker() -> dict:
    """The queue is the task table (tasks.broker): `queued` counts tasks a cluster claimed
    and no worker started yet, `ready` those waiting to be claimed."""
    return {"backend": get_broker().info(),
            "queued": cluster_flow()["handed_out"],
            "ready": get_broker().queue_size()}


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
    flow = cluster_flow()
    report = {**liveness, "heartbeat_age_seconds": round(age, 3), **flow}
    if cluster_stuck(flow):
        raise Degraded(_stuck_message(flow), **report)
    mismatch = cluster_mismatch()
    if mismatch is not None:
        raise Degraded(cluster_mismatch_message(mismatch), **report, mismatch=mismatch)
    return report


def _work_flowing() -> dict:
    """Readiness: no stuck cluster (an absent one is fine, see above)."""
    try:
        flow = cluster_flow()
    except DatabaseError:  # the database check names it
        return {"status": "unknown", "error": "the database does not answer"}
    if cluster_stuck(flow):
        raise Degraded(_stuck_message(flow), **flow)
    return flow


def _stuck_message(flow: dict) -> str:
    if flow["stalled"]:
        claimed = flow["stalled"] - flow["unclaimed"]
        return (f"{flow['stalled']} task(s) have not started in {settings.TASK_STALL_SECONDS:g} s "
                f"while workers idle ({claimed} claimed by a cluster, {flow['unclaimed']} "
                "not claimed)")
    return f"stuck cluster(s): {', '.join(flow['stuck_clusters'])}"


READY_CHECKS = {"database": _database, "channel_layer": _channel_layer, "workers": _work_flowing}
HEALTH_CHECKS = {"database": _database, "broker": _broker, "channel_layer": _channel_layer,
                 "workers": _workers}


def _report(checks: dict) -> JsonResponse:
    """Run the checks; 200 when all pass, else 503 with `failing` naming the ones that did not."""
    results, failing = {}, []
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            result = {"status": "ok", **check()}
        except Degraded as exc:
            failing.append(name)
            result = {"status": "degraded", "error": str(exc), **exc.details}
        except Exception as exc:  # a health check reports failures, it does not raise them
            failing.append(name)
            result = {"status": "fail", "error": str(exc) or type(exc).__name__}
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        results[name] = result
    states = {result["status"] for result in results.values()}
    status = "fail" if "fail" in states else "degraded" if "degraded" in states else "ok"
    body = {"status": status, "checks": results}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


@never_cache
@require_safe
def livez(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    return _report(READY_CHECKS)


@never_cache
@require_safe
def healthz(request):
    return _report(HEALTH_CHECKS)
