"""Which qcluster processes are alive: written by each cluster's tick, read by health checks."""
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tasks.models import ClusterHeartbeat

# A cluster that killed (not stopped) leaves its row; after this long it is forgotten.
FORGET_AFTER = timedelta(hours=1)


def cluster_stale_after() -> float:
    """Seconds without a tick after which a cluster counts as gone."""
    return max(10.0, 5 * settings.TASK_TICK_SECONDS)


def _identity() -> tuple[str, str, int]:
    cluster, host, pid = settings.Q_CLUSTER["name"], socket.gethostname(), os.getpid()
    return f"{cluster}@{host}:{pid}", host, pid


def cluster_heartbeat_beat(*, started_at: datetime) -> None:
    """Record that this process's cluster is alive now; forget long-dead ones."""
    name, host, pid = _identity()
    now = timezone.now()
    if not ClusterHeartbeat.objects.filter(name=name).update(last_seen_at=now):
        ClusterHeartbeat.objects.update_or_create(name=name, defaults={
            "cluster": settings.Q_CLUSTER["name"], "host": host, "pid": pid,
            "workers": settings.Q_CLUSTER["workers"], "started_at": started_at,
            "last_seen_at": now,
        })
        ClusterHeartbeat.objects.filter(last_seen_at__lt=now - FORGET_AFTER).delete()


def cluster_heartbeat_remove() -> None:
    """Forget this process's cluster: it is stopping cleanly."""
    ClusterHeartbeat.objects.filter(name=_identity()[0]).delete()


def cluster_liveness() -> dict:
    """Clusters alive now (ticked recently), their workers, and the freshest heartbeat's age."""
    now = timezone.now()
    alive = list(ClusterHeartbeat.objects.filter(
        last_seen_at__gte=now - timedelta(seconds=cluster_stale_after())
    ).values_list("last_seen_at", "workers"))
    newest = ClusterHeartbeat.objects.order_by("-last_seen_at").values_list(
        "last_seen_at", flat=True).first()
    return {
        "clusters": len(alive),
        "workers": sum(workers for _, workers in alive),
        "heartbeat_age_seconds": None if newest is None else (now - newest).total_seconds(),
    }
