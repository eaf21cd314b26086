"""Drivers for the scale-out benchmarks (run by bench/scaleout/run.py in child processes).

    python -m bench.scaleout.driver throughput --ports P1,P2 --cluster-pgids G1,G2 --count 200
    python -m bench.scaleout.driver recovery --port P --cluster-pgids G1,G2

`throughput`: `count` I/O-bound `demo.count` tasks (5 steps of 40 ms, each reported: the
shape of a job that waits on a provider) are POSTed round-robin to the given daphne
instances; the result is completed tasks per second from the first POST to the last
completion, and how many tasks each cluster ran.

`recovery`: one `demo.count` task runs; once it is under way the cluster running it gets
SIGKILL on its whole process group (as a lost machine would). The result is the time from
the kill to the task running again under the other cluster, and to its completion, with
whatever heartbeat and tick settings the processes were started with.
"""
import argparse
import http.client
import json
import os
import signal
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()


from bench.harness.processes import emit_result  # noqa: E402
from bench.harness.tokens import staff_token  # noqa: E402
from costs.models import RequestRecord  # noqa: E402
from costs.services import JOB_METHOD  # noqa: E402
from tasks.models import Task, TaskEvent, TaskEventType, TaskStatus  # noqa: E402

STEPS, STEP_SECONDS = 5, 0.04


def _post(conn: http.client.HTTPConnection, token: str, params: dict) -> str:
    conn.request("POST", "/api/tasks/", body=json.dumps({"kind": "demo.count", "params": params}),
                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    payload = response.read()
    if response.status != 201:
        raise SystemExit(f"POST /api/tasks/ answered {response.status}: {payload[:500]!r}")
    return json.loads(payload)["task_id"]


def _cluster_of(worker: str, pgids: list[int]) -> int | None:
    try:
        return pgids.index(os.getpgid(int(worker.rsplit(":", 1)[1])))
    except (ValueError, ProcessLookupError, IndexError):
        return None


def throughput(ports: list[int], pgids: list[int], count: int) -> dict:
    token = staff_token()
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for port in ports]
    started = time.monotonic()
    task_ids = [_post(conns[n % len(conns)], token, {"steps": STEPS, "delay_seconds": STEP_SECONDS})
                for n in range(count)]
    posted = time.monotonic() - started
    deadline = started + 60 + count * STEPS * STEP_SECONDS * 2
    finished = Task.objects.filter(task_id__in=task_ids).exclude(
        status__in=[TaskStatus.PENDING, TaskStatus.PROCESSING])
    while finished.count() < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {finished.count()} of {count} tasks finished in time")
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    rows = list(Task.objects.filter(task_id__in=task_ids).values_list("status", "attempts", "worker"))
    per_cluster = [0] * len(pgids)
    for _, _, worker in rows:
        cluster = _cluster_of(worker, pgids)
        if cluster is not None:
            per_cluster[cluster] += 1
    attempts = RequestRecord.objects.filter(task_id__in=task_ids, method=JOB_METHOD).count()
    return {
        "count": count, "instances": len(ports), "clusters": len(pgids),
        "completed": sum(status == TaskStatus.COMPLETED for status, _, _ in rows),
        "attempt_records": attempts, "max_attempts": max(a for _, a, _ in rows),
        "per_cluster": per_cluster, "post_seconds": round(posted, 2),
        "seconds": round(elapsed, 2), "tasks_per_second": round(count / elapsed, 2),
        "task_seconds": STEPS * STEP_SECONDS,
    }


def _event_time(task: Task, event_type: str, attempt: int):
    event = TaskEvent.objects.filter(task=task, event_type=event_type,
                                     data__attempt=attempt).order_by("id").first()
    return event.created_at if event else None


def recovery(port: int, pgids: list[int], steps: int, step_seconds: float) -> dict:
    token = staff_token()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    task_id = _post(conn, token, {"steps": steps, "delay_seconds": step_seconds})
    deadline = time.monotonic() + 60
    while True:
        task = Task.objects.get(task_id=task_id)
        if task.status == TaskStatus.PROCESSING and (task.processed_units or 0) >= 3:
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"task never got under way: {task.status}")
        time.sleep(0.02)
    victim = _cluster_of(task.worker, pgids)
    from django.utils import timezone
    killed_at = timezone.now()
    os.killpg(pgids[victim], signal.SIGKILL)
    deadline = time.monotonic() + 180
    while task.status != TaskStatus.COMPLETED:
        if time.monotonic() > deadline or task.status in (TaskStatus.FAILED, TaskStatus.CANCELLED):
            raise SystemExit(f"task not recovered: {task.status} {task.error_message}")
        time.sleep(0.05)
        task.refresh_from_db()
    restarted = _event_time(task, TaskEventType.STARTED, 2)
    reaped = _event_time(task, TaskEventType.RETRYING, 1)
    records = list(RequestRecord.objects.filter(task_id=task_id, method=JOB_METHOD)
                   .order_by("id").values_list("status_code", flat=True))
    return {
        "attempts": task.attempts, "attempt_status_codes": records,
        "recovered_by_other_cluster": _cluster_of(task.worker, pgids) == 1 - victim,
        "kill_to_reaped_seconds": round((reaped - killed_at).total_seconds(), 2),
        "kill_to_running_again_seconds": round((restarted - killed_at).total_seconds(), 2),
        "kill_to_completed_seconds": round((task.completed_at - killed_at).total_seconds(), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["throughput", "recovery"])
    parser.add_argument("--ports", default="")
    parser.add_argument("--cluster-pgids", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--step-seconds", type=float, default=0.05)
    options = parser.parse_args()
    ports = [int(port) for port in options.ports.split(",") if port]
    pgids = [int(pgid) for pgid in options.cluster_pgids.split(",")]
    if options.scenario == "throughput":
        emit_result(throughput(ports, pgids, options.count))
    else:
        emit_result(recovery(ports[0], pgids, options.steps, options.step_seconds))


if __name__ == "__main__":
    main()
