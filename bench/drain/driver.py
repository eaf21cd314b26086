"""Driver: drain N jobs queued before the cluster starts (`make bench`, scenarios `drain`
and `sleep`).

    python -m bench.drain.driver enqueue --mode tracked|bare --count N --tag NAME [--sleep-ms MS]
    python -m bench.drain.driver wait --mode tracked|bare --count N --tag NAME --cluster-pgid PID

`enqueue` runs with no cluster: tracked queues N `task_create(kind="bench.noop")` tasks,
bare N `async_task("bench.harness.jobs.bare_noop", save=False)` calls on django-q2's stock broker
for the mode (Redis or the ORM broker). Then the cluster is started and `wait` times the
drain apart from the enqueue: from the first job's side effect (one byte appended to a
counter file, the same in both modes) to the N-th, polled every millisecond. It reports
the rate, and the CPU of the driver and the cluster's processes per job.
"""
import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from bench.harness.cpu import group_cpu_seconds  # noqa: E402
from bench.harness.processes import BENCH_VAR, emit_result  # noqa: E402
from tasks.models import Task, TaskStatus  # noqa: E402
from tasks.services import task_create  # noqa: E402

POLL_SECONDS = 0.001
JOB_TIMEOUT = 60


def _counter(tag: str) -> str:
    directory = BENCH_VAR / "counters"
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory / f"{tag}-drain")


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _postgres_cpu_seconds() -> float:
    """CPU seconds used so far by PostgreSQL's processes on this machine (every backend:
    on a quiet machine, this benchmark's own). The input of docs/scale-out.md's ceiling."""
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                if not cmdline.read(9).startswith(b"postgres"):
                    continue
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def enqueue(mode: str, count: int, tag: str, sleep_ms: float) -> dict:
    path = _counter(tag)
    if os.path.exists(path):
        os.unlink(path)
    started = time.perf_counter()
    for _ in range(count):
        if mode == "tracked":
            task_create(kind="bench.noop", params={"path": path, "sleep_ms": sleep_ms})
        else:
            async_task("bench.harness.jobs.bare_noop", path, sleep_ms, save=False,
                       timeout=JOB_TIMEOUT + 5)
    return {"enqueue_seconds": time.perf_counter() - started}


def wait(mode: str, count: int, tag: str, cluster_pgid: int, budget: float) -> dict:
    path = _counter(tag)
    pgids = {os.getpgrp(), cluster_pgid}
    deadline = time.monotonic() + budget
    while _size(path) == 0:
        if time.monotonic() > deadline:
            raise SystemExit("no job ran within the budget")
        time.sleep(POLL_SECONDS)
    first = time.perf_counter()
    cpu_before = group_cpu_seconds(pgids)
    pg_before = _postgres_cpu_seconds()
    while (done := _size(path)) < count and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    last = time.perf_counter()
    if mode == "tracked":  # the last completions are written a moment after their job
        while (Task.objects.filter(status=TaskStatus.COMPLETED).count() < done
               and time.monotonic() < deadline):
            time.sleep(POLL_SECONDS)
        last = time.perf_counter()
    cpu = group_cpu_seconds(pgids) - cpu_before
    pg_cpu = _postgres_cpu_seconds() - pg_before
    connection.close()
    seconds = last - first
    return {"count": count, "done": done, "complete": done == count, "seconds": seconds,
            "rate": (done - 1) / seconds if seconds > 0 else None,
            "cpu_ms_per_job": cpu / max(done, 1) * 1000,
            "postgres_cpu_ms_per_job": pg_cpu / max(done, 1) * 1000
            if connection.vendor == "postgresql" else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["enqueue", "wait"])
    parser.add_argument("--mode", choices=["tracked", "bare"], required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--sleep-ms", type=float, default=0)
    parser.add_argument("--cluster-pgid", type=int, default=0)
    parser.add_argument("--budget", type=float, default=240)
    options = parser.parse_args()
    if options.phase == "enqueue":
        emit_result(enqueue(options.mode, options.count, options.tag, options.sleep_ms))
    else:
        emit_result(wait(options.mode, options.count, options.tag, options.cluster_pgid,
                         options.budget))


if __name__ == "__main__":
    main()
