"""Driver: push N no-op jobs through a running qcluster and time them end to end.

    python -m bench.throughput.driver --mode tracked|bare --count 2000 --warmup 100 --tag NAME

`tracked`: N `tasks.services.task_create(kind="bench.noop")` calls; the dispatcher hands
them to django-q2 as slots free up. `bare`: N `async_task("bench.harness.jobs.bare_noop", save=False)`
calls straight onto the same broker. Both jobs append one byte to a counter file, so the
run is over when the file holds N bytes (and, for tracked, every task row is completed).
The clock runs from the first create / enqueue to the last completion, after a warm-up
round on the same cluster.
"""
import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from bench.harness.cpu import group_cpu_seconds  # noqa: E402
from bench.harness.processes import BENCH_VAR, emit_result  # noqa: E402
from tasks.models import Task, TaskStatus  # noqa: E402
from tasks.services import task_create  # noqa: E402

POLL_SECONDS = 0.005
JOB_TIMEOUT = 60


def _counter(tag: str, phase: str) -> str:
    directory = BENCH_VAR / "counters"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{tag}-{phase}"
    path.unlink(missing_ok=True)
    return str(path)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _submit(mode: str, count: int, path: str) -> list[int]:
    pks = []
    for _ in range(count):
        if mode == "tracked":
            pks.append(task_create(kind="bench.noop", params={"path": path}).pk)
        else:
            # Same hard timeout and save=False as the dispatcher's own async_task call.
            async_task("bench.harness.jobs.bare_noop", path, save=False, timeout=JOB_TIMEOUT + 5)
    return pks


def _wait(mode: str, count: int, path: str, pks: list[int], deadline: float) -> int:
    """Wait until all `count` jobs ran (and, tracked, completed); return how many did."""
    while _size(path) < count:
        if time.monotonic() > deadline:
            return _size(path)
        time.sleep(POLL_SECONDS)
    if mode == "tracked":
        finished = Task.objects.filter(pk__in=pks, status=TaskStatus.COMPLETED)
        while (done := finished.count()) < count:
            if time.monotonic() > deadline:
                return done
            time.sleep(POLL_SECONDS)
    return count


def _phase(mode: str, count: int, tag: str, phase: str, budget: float, pgids: set[int]) -> dict:
    path = _counter(tag, phase)
    cpu_before = group_cpu_seconds(pgids)
    started = time.perf_counter()
    deadline = time.monotonic() + budget
    pks = _submit(mode, count, path)
    submitted = time.perf_counter()
    done = _wait(mode, count, path, pks, deadline)
    ended = time.perf_counter()
    cpu = group_cpu_seconds(pgids) - cpu_before
    # A run cut off by its time budget reports the rate of what finished, flagged.
    result = {
        "count": count,
        "done": done,
        "complete": done == count,
        "seconds": ended - started,
        "submit_seconds": submitted - started,
        "rate": done / (ended - started),
        "cpu_ms_per_job": cpu / max(done, 1) * 1000,
    }
    if mode == "tracked":
        result.update(_tracked_breakdown(pks))
    return result


def _tracked_breakdown(pks: list[int]) -> dict:
    """Where a tracked task's time went, from its own timestamps (medians, ms)."""
    rows = list(
        Task.objects.filter(pk__in=pks).values_list(
            "created_at", "dispatched_at", "started_at", "completed_at"
        )
    )

    def median_ms(pairs):
        values = [(b - a).total_seconds() * 1000 for a, b in pairs if a and b]
        return round(statistics.median(values), 2) if values else None

    return {
        "median_ms_dispatch_to_start": median_ms((d, s) for _, d, s, _ in rows),
        "median_ms_start_to_complete": median_ms((s, c) for _, _, s, c in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["tracked", "bare"], required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--budget", type=float, default=240)
    parser.add_argument("--cluster-pgid", type=int, required=True)
    options = parser.parse_args()
    pgids = {os.getpgrp(), options.cluster_pgid}

    warmup = _phase(options.mode, options.warmup, options.tag, "warmup", 90, pgids)
    if not warmup["complete"]:
        raise SystemExit(f"warm-up: only {warmup['done']} of {options.warmup} jobs ran in 90 s")
    time.sleep(0.5)  # let the warm-up's last commits and the tick settle
    run = _phase(options.mode, options.count, options.tag, "run", options.budget, pgids)
    connection.close()
    emit_result({
        "mode": options.mode,
        "workers": settings.Q_CLUSTER["workers"],
        "slots": settings.MAX_CONCURRENT_TASKS,
        "warmup_rate": warmup["rate"],
        **run,
    })


if __name__ == "__main__":
    main()
