"""Driver: tracked jobs through a qcluster while its workers are SIGKILLed (issue 15).

    python -m bench.kills.driver --count 2000 --job-ms 20 --kill-every 2 --cluster-pid PID [--calm]

Submits `count` `demo.count` tasks of one step of `job-ms` and, unless `--calm`, SIGKILLs
a random worker of the cluster every `kill-every` seconds until every task has ended.
Reports whether every task ended exactly once in a terminal state, the rate, and for each
kill the time to the cluster's next task start, and to the first start on a worker forked
after the kill (the rebuilt generation).
"""
import argparse
import os
import random
import signal
import statistics
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from bench.harness.processes import cluster_workers, emit_result  # noqa: E402
from tasks.models import Task, TaskEventType, TaskStatus  # noqa: E402
from tasks.services import task_create  # noqa: E402

TERMINAL = (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)


def _killer(cluster_pid: int, every: float, stop: threading.Event, kills: list) -> None:
    while not stop.wait(every):
        workers = cluster_workers(cluster_pid)
        if not workers:
            continue
        victim = random.choice(workers)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            continue
        kills.append((time.time(), victim))


def _run(count: int, job_ms: float, cluster_pid: int, kill_every: float | None) -> dict:
    params = {"steps": 1, "delay_seconds": job_ms / 1000}
    stop, kills = threading.Event(), []
    killer = None
    if kill_every:
        killer = threading.Thread(target=_killer, args=(cluster_pid, kill_every, stop, kills),
                                  daemon=True)
        killer.start()
    started = time.perf_counter()
    pks = [task_create(kind="demo.count", params=params).pk for _ in range(count)]
    tasks = Task.objects.filter(pk__in=pks)
    deadline = time.monotonic() + 600
    while tasks.filter(status__in=TERMINAL).count() < count and time.monotonic() < deadline:
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    stop.set()
    if killer:
        killer.join()
    return {"seconds": seconds, **_outcome(tasks, count, seconds), **_recovery(pks, kills)}


def _outcome(tasks, count: int, seconds: float) -> dict:
    ends = tasks.annotate(ends=Count("events", filter=Q(events__event_type__in=[
        TaskEventType.COMPLETED, TaskEventType.FAILED, TaskEventType.CANCELLED])))
    statuses = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    completed = statuses.get(TaskStatus.COMPLETED, 0)
    return {
        "count": count,
        "statuses": statuses,
        "terminal": sum(statuses.get(status, 0) for status in TERMINAL),
        "ended_exactly_once": ends.filter(ends=1).count(),
        "retried": tasks.filter(attempts__gt=1).count(),
        "rate": completed / seconds,
    }


def _recovery(pks: list[int], kills: list) -> dict:
    """Per kill: seconds to the next task start anywhere, and to the first start on a
    worker that did not exist before the kill."""
    starts = sorted(
        (started.timestamp(), worker) for started, worker in
        Task.objects.filter(pk__in=pks, started_at__isnull=False)
        .values_list("started_at", "worker"))
    next_start, new_worker = [], []
    for moment, _ in kills:
        seen = {worker for at, worker in starts if at < moment}
        after = [(at, worker) for at, worker in starts if at >= moment]
        if after:
            next_start.append(after[0][0] - moment)
        fresh = [at for at, worker in after if worker not in seen]
        if fresh:
            new_worker.append(fresh[0] - moment)

    def summary(values):
        return {"p50": round(statistics.median(values), 3), "max": round(max(values), 3),
                "n": len(values)} if values else None

    return {"kills": len(kills), "to_next_start": summary(next_start),
            "to_new_worker_start": summary(new_worker)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--job-ms", type=float, default=20)
    parser.add_argument("--kill-every", type=float, default=2.0)
    parser.add_argument("--cluster-pid", type=int, required=True)
    parser.add_argument("--calm", action="store_true", help="no kills: the baseline")
    options = parser.parse_args()
    result = _run(options.count, options.job_ms, options.cluster_pid,
                  None if options.calm else options.kill_every)
    connection.close()
    emit_result({"calm": options.calm, "job_ms": options.job_ms,
                 "kill_every": options.kill_every, **result})


if __name__ == "__main__":
    main()
