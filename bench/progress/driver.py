"""Driver: a job reporting progress at every one of 100,000 steps vs the same job silent.

    python -m bench.progress.driver --steps 100000 --repeats 3

Both run as tracked tasks (`bench.hash`) through a running qcluster, in back-to-back
pairs, one at a time. Each step hashes a 32 KiB buffer, so the silent job runs a few
seconds. Measured per run: the job's own loop wall and CPU time, the task's started_at ->
completed_at, the events persisted for the task, and the UPDATEs of its row, counted by a
trigger this driver installs on tasks_task (benchmark database only).
"""
import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.harness.processes import emit_result  # noqa: E402
from tasks.models import Task, TaskEvent, TaskStatus  # noqa: E402
from tasks.progress import ProgressHandle  # noqa: E402
from tasks.services import task_create  # noqa: E402

TASK_BUDGET_SECONDS = 120

_TRIGGERS = {
    "sqlite": [
        "CREATE TABLE IF NOT EXISTS bench_row_updates (task_pk bigint NOT NULL)",
        "CREATE TRIGGER IF NOT EXISTS bench_count_task_updates AFTER UPDATE ON tasks_task "
        "BEGIN INSERT INTO bench_row_updates (task_pk) VALUES (NEW.id); END",
    ],
    "postgresql": [
        "CREATE TABLE IF NOT EXISTS bench_row_updates (task_pk bigint NOT NULL)",
        "CREATE OR REPLACE FUNCTION bench_count_task_update() RETURNS trigger AS $$ "
        "BEGIN INSERT INTO bench_row_updates (task_pk) VALUES (NEW.id); RETURN NEW; END; "
        "$$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS bench_count_task_updates ON tasks_task",
        "CREATE TRIGGER bench_count_task_updates AFTER UPDATE ON tasks_task "
        "FOR EACH ROW EXECUTE FUNCTION bench_count_task_update()",
    ],
}


def _install_update_counter() -> None:
    with connection.cursor() as cursor:
        for statement in _TRIGGERS[connection.vendor]:
            cursor.execute(statement)


def _row_updates(task_pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_row_updates WHERE task_pk = %s", [task_pk])
        return cursor.fetchone()[0]


def _report_call_us(calls: int = 200_000) -> float:
    """Microseconds per `set_units` call that is coalesced away (no write), in isolation."""
    handle = ProgressHandle(task=Task(task_id="bench-isolated"), interval=1e9)
    handle._last_write = time.monotonic()  # as if it had just written: every call coalesces
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for step in range(calls):
            handle.set_units(step, calls)
        best = min(best, time.perf_counter() - started)
    return best / calls * 1e6


def _run(*, steps: int, report: bool) -> dict:
    task = task_create(kind="bench.hash", params={"steps": steps, "report": report})
    deadline = time.monotonic() + TASK_BUDGET_SECONDS
    while True:
        task.refresh_from_db()
        if task.status == TaskStatus.COMPLETED:
            break
        if task.status in (TaskStatus.FAILED, TaskStatus.CANCELLED):
            raise SystemExit(f"bench.hash ended {task.status}: {task.error_message}")
        if time.monotonic() > deadline:
            raise SystemExit(f"bench.hash did not finish within {TASK_BUDGET_SECONDS} s")
        time.sleep(0.05)
    events = dict(
        TaskEvent.objects.filter(task=task).values_list("event_type").annotate(n=Count("id"))
        .order_by()
    )
    return {
        "report": report,
        "loop_seconds": task.result["loop_seconds"],
        "loop_cpu_seconds": task.result["loop_cpu_seconds"],
        "task_seconds": (task.completed_at - task.started_at).total_seconds(),
        "progress_writes": task.result["progress_writes"],
        "events": sum(events.values()),
        "progress_events": events.get("progress_update", 0),
        "row_updates": _row_updates(task.pk),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()

    _install_update_counter()
    _run(steps=options.steps // 10, report=True)  # warm-up: worker, imports, connections
    pairs = []
    for repeat in range(options.repeats):
        # A pair runs back to back, alternating which goes first, so that a slow patch of
        # a noisy machine hits both sides of a pair; the ratios are taken per pair.
        order = (False, True) if repeat % 2 == 0 else (True, False)
        runs = {report: _run(steps=options.steps, report=report) for report in order}
        pairs.append((runs[False], runs[True]))

    def pair_median(func):
        return statistics.median(func(silent, chatty) for silent, chatty in pairs)

    connection.close()
    emit_result({
        "steps": options.steps,
        "repeats": options.repeats,
        "task_seconds_silent": statistics.median(s["task_seconds"] for s, _ in pairs),
        "task_seconds_reporting": statistics.median(c["task_seconds"] for _, c in pairs),
        "task_ratio": pair_median(lambda s, c: c["task_seconds"] / s["task_seconds"]),
        "task_ratios": [c["task_seconds"] / s["task_seconds"] for s, c in pairs],
        "loop_cpu_seconds_silent": statistics.median(s["loop_cpu_seconds"] for s, _ in pairs),
        "loop_cpu_seconds_reporting": statistics.median(c["loop_cpu_seconds"] for _, c in pairs),
        "cpu_ratio": pair_median(lambda s, c: c["loop_cpu_seconds"] / s["loop_cpu_seconds"]),
        "overhead_us_per_report_cpu": pair_median(
            lambda s, c: (c["loop_cpu_seconds"] - s["loop_cpu_seconds"]) / options.steps * 1e6),
        "isolated_us_per_report": _report_call_us(),
        "overhead_us_per_report_wall": pair_median(
            lambda s, c: (c["loop_seconds"] - s["loop_seconds"]) / options.steps * 1e6),
        "reporting_events": max(c["events"] for _, c in pairs),
        "reporting_progress_events": max(c["progress_events"] for _, c in pairs),
        "reporting_row_updates": max(c["row_updates"] for _, c in pairs),
        "silent_events": max(s["events"] for s, _ in pairs),
        "silent_row_updates": max(s["row_updates"] for s, _ in pairs),
        "runs": [run for pair in pairs for run in pair],
    })


if __name__ == "__main__":
    main()
