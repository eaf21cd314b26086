"""Which qcluster processes are alive: written by each cluster's tick, read by health checks."""
import functools
import hashlib
import os
import socket
import sys
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from tasks.models import ClusterHeartbeat, Task, TaskStatus
from tasks.registry import GROUP_KIND, job_kind_names

# A cluster that killed (not stopped) leaves its row; after this long it is forgotten.
FORGET_AFTER = timedelta(hours=1)


def cluster_stale_after() -> float:
    """Seconds without a tick after which a cluster counts as gone."""
    return max(10.0, 5 * settings.TASK_TICK_SECONDS)


def _identity() -> tuple[str, str, int]:
    cluster, host, pid = settings.Q_CLUSTER["name"], socket.gethostname(), os.getpid()
    return f"{cluster}@{host}:{pid}", host, pid


@functools.cache
def code_version() -> str:
    """A digest of this checkout's Python code (the project's apps and config).

    Clusters started from different checkouts differ here even when their job kinds agree;
    a stale checkout may run old code on the same tasks, so the operator must know.
    """
    from django.apps import apps

    base, installed = settings.BASE_DIR.resolve(), Path(sys.prefix).resolve()
    roots = {base / "config"} | {  # the project's own apps, not the packages (.venv may be here)
        path for path in (Path(config.path).resolve() for config in apps.get_app_configs())
        if path.is_relative_to(base) and not path.is_relative_to(installed)
    }
    digest = hashlib.sha256()
    for path in sorted(file for root in roots for file in root.rglob("*.py")):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _moment(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=dt_timezone.utc)


def cluster_heartbeat_beat(*, started_at: datetime, state=None, restarts: int = 0) -> None:
    """Record that this process's cluster is alive now, and how its sentinel fares
    (`state`: tasks.sentinel.ClusterState); forget long-dead clusters."""
    name, host, pid = _identity()
    now = timezone.now()
    health = {} if state is None else {
        "rebuilds": state.rebuilds + restarts,
        "last_rebuild_at": _moment(state.last_rebuild_at),
        "stalled_since": _moment(state.stalled_since),
    }
    if not ClusterHeartbeat.objects.filter(name=name).update(last_seen_at=now, **health):
        ClusterHeartbeat.objects.update_or_create(name=name, defaults={
            "cluster": settings.Q_CLUSTER["name"], "host": host, "pid": pid,
            "workers": settings.Q_CLUSTER["workers"], "started_at": started_at,
            "last_seen_at": now, "code_version": code_version(),
            "job_kinds": sorted(job_kind_names()), **health,
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


def cluster_flow() -> dict:
    """Is ready work being taken and started? The truth from the task table, not the clusters.

    `handed_out`: tasks a cluster claimed that no worker has started (in its pusher or its
    hand-off queue). `stalled`: those waiting longer than TASK_STALL_SECONDS, plus ready
    tasks nobody claimed for as long while the live clusters have idle workers: a healthy
    cluster never lets either happen. `stuck_clusters`: alive clusters that report tasks
    waiting in their hand-off queue while a worker idles, for as long (they rebuild
    themselves well before, normally).
    """
    now = timezone.now()
    stall = timedelta(seconds=settings.TASK_STALL_SECONDS)
    pending = Task.objects.filter(status=TaskStatus.PENDING)
    handed_out = pending.exclude(dispatch_token="")
    oldest = handed_out.order_by("dispatched_at").values_list("dispatched_at", flat=True).first()
    alive = ClusterHeartbeat.objects.filter(
        last_seen_at__gte=now - timedelta(seconds=cluster_stale_after()))
    stuck = list(alive.filter(stalled_since__lt=now - stall).values_list("name", flat=True))
    unclaimed = 0
    workers = alive.aggregate(n=Sum("workers"))["n"] or 0
    if workers > Task.objects.filter(status=TaskStatus.PROCESSING).exclude(kind=GROUP_KIND).count():
        unclaimed = pending.filter(
            dispatch_token="", prerequisites=None, created_at__lt=now - stall,
        ).exclude(kind=GROUP_KIND).filter(Q(run_after=None) | Q(run_after__lt=now - stall)).count()
    return {
        "handed_out": handed_out.count(),
        "unclaimed": unclaimed,
        "stalled": handed_out.filter(dispatched_at__lt=now - stall).count() + unclaimed,
        "oldest_handed_out_seconds": None if oldest is None else round(
            (now - oldest).total_seconds(), 3),
        "stuck_clusters": stuck,
    }


def cluster_stuck(flow: dict) -> bool:
    return bool(flow["stalled"] or flow["stuck_clusters"])


def cluster_rebuilt() -> list[ClusterHeartbeat]:
    """Live clusters that rebuilt themselves at least once, most recent first."""
    return list(ClusterHeartbeat.objects.filter(
        rebuilds__gt=0,
        last_seen_at__gte=timezone.now() - timedelta(seconds=cluster_stale_after()),
    ).order_by("-last_rebuild_at"))


def cluster_mismatch() -> dict | None:
    """Live clusters that run different code or different job kinds on this one database,
    or None when they agree.

    Two checkouts pointed at one database (a forgotten `make run` in an old clone, a
    half-finished deploy) share the queue: a task may run on either, and a kind one of them
    lacks fails there. Each fingerprint lists its clusters; `kinds_not_everywhere` names
    the job kinds some live cluster cannot run.
    """
    alive = ClusterHeartbeat.objects.filter(
        last_seen_at__gte=timezone.now() - timedelta(seconds=cluster_stale_after())
    ).order_by("name").values_list("name", "code_version", "job_kinds")
    fingerprints: dict[tuple, list[str]] = {}
    for name, version, kinds in alive:
        fingerprints.setdefault((version, tuple(sorted(kinds or []))), []).append(name)
    if len(fingerprints) < 2:
        return None
    kind_sets = [set(kinds) for _, kinds in fingerprints]
    return {
        "fingerprints": [
            {"code_version": version or "unknown (older code)", "job_kinds": list(kinds),
             "clusters": names}
            for (version, kinds), names in fingerprints.items()
        ],
        "kinds_not_everywhere": sorted(set.union(*kind_sets) - set.intersection(*kind_sets)),
    }


def cluster_mismatch_message(mismatch: dict) -> str:
    """One sentence for an operator: which clusters differ, and how."""
    groups = "; ".join(
        f"{', '.join(group['clusters'])} run code {group['code_version']}"
        for group in mismatch["fingerprints"])
    kinds = mismatch["kinds_not_everywhere"]
    missing = f"; job kinds not on every cluster: {', '.join(kinds)}" if kinds else ""
    return (f"clusters from different checkouts share this database ({groups}{missing}); "
            "stop the stale one, or give each checkout its own database")
