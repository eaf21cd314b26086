"""Drivers for the live-progress benchmarks (run by bench/live/run.py in child processes).

    python -m bench.live.driver latency --port P --events 1000 --interval 0.02
    python -m bench.live.driver fanout --port P --daphne-pid PID --clients 1000 --tasks 100 --events 20
    python -m bench.live.driver emit --tasks 100 --events 20 --rate 200 --dir DIR

`latency`: a real qcluster runs `bench.live_ticker`, which reports progress `events` times,
each report stamped with its wall time; one WebSocket client on a real daphne receives the
`progress_update`s and times report -> receipt.

`fanout`: `clients` WebSocket clients on one daphne, each subscribed to one of `tasks`
running tasks; `emit` (another process) stands in for the tasks' workers and reports
progress through the real ProgressHandle (same writes, events and after-commit push as a
worker; 100 worker processes do not fit a 2-core machine). Every client must receive every
event of its task; the result gives the delivery rate, the latency under load, and daphne's
memory per connection.
"""
import argparse
import asyncio
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.db import transaction  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from bench.harness.processes import emit_result  # noqa: E402
from bench.harness.stats import percentiles  # noqa: E402
from bench.harness.tokens import member_token  # noqa: E402
from tasks.live.addresses import live_mode  # noqa: E402
from tasks.models import Task, TaskEvent, TaskStatus  # noqa: E402
from tasks.progress import ProgressHandle  # noqa: E402
from tasks.services import task_create  # noqa: E402
from tasks.transitions import task_lock, task_transition  # noqa: E402


def _report_time(message: dict) -> float | None:
    text = message.get("data", {}).get("text") or ""
    return float(text[2:]) if text.startswith("t=") else None


# --- latency ------------------------------------------------------------------------------
async def latency(port: int, events: int, interval: float) -> dict:
    token, entity = await sync_to_async(member_token)()
    task = await sync_to_async(task_create)(
        kind="bench.live_ticker", entity=entity,
        params={"events": events, "interval": interval, "wait_seconds": 2.0})
    delays, seqs = [], []
    url = f"ws://127.0.0.1:{port}/ws/tasks/?token={token}"
    async with connect(url, max_queue=None) as ws:
        await ws.send(json.dumps({"action": "subscribe", "task_id": task.task_id}))
        deadline = time.monotonic() + 60 + events * interval * 3
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(ws.recv(), deadline - time.monotonic())
            received = time.time()
            message = json.loads(raw)
            if message["type"] == "progress_update" and message.get("event_type") != "state":
                reported = _report_time(message)
                if reported is not None:
                    delays.append((received - reported) * 1000)
                    seqs.append(message["seq"])
            if message["type"] == "task_update" and message["data"]["type"] in (
                    "completed", "failed", "cancelled"):
                break
    persisted = await sync_to_async(
        lambda: TaskEvent.objects.filter(task=task, event_type="progress_update").count())()
    await asyncio.sleep(0.5)
    result = await sync_to_async(lambda: Task.objects.get(pk=task.pk).result)() or {}
    return {
        "report_write_ms": percentiles(result.get("write_ms", [])),
        "mode": live_mode(), "events": events, "interval_ms": interval * 1000,
        "received": len(delays), "persisted_progress_events": persisted,
        "duplicates": len(seqs) - len(set(seqs)),
        "report_to_client_ms": percentiles(delays),
    }


# --- fan-out ------------------------------------------------------------------------------
def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _client(url: str, task_id: str, connected: list, results: list,
                  gate: asyncio.Semaphore):
    async with gate:
        ws = await connect(url, max_queue=None, open_timeout=60)
        await ws.send(json.dumps({"action": "subscribe", "task_id": task_id}))
        state = json.loads(await ws.recv())
    connected.append(1)
    seqs, delays = [], []
    if state["data"]["status"] in ("completed", "failed", "cancelled"):
        await ws.close()  # ended before this client subscribed: counted as incomplete
        results.append({"task_id": task_id, "after": state["seq"], "seqs": [], "delays": []})
        return
    try:
        async for raw in ws:
            received = time.time()
            message = json.loads(raw)
            if message.get("seq", 0) <= state["seq"]:
                continue
            seqs.append(message["seq"])
            reported = _report_time(message)
            if reported is not None:
                delays.append((received - reported) * 1000)
            if message["type"] == "task_update" and message["data"]["type"] == "completed":
                break
    finally:
        await ws.close()
    results.append({"task_id": task_id, "after": state["seq"], "seqs": seqs, "delays": delays})


async def fanout(port: int, daphne_pid: int, clients: int, tasks: int, events: int,
                 rate: float, work_dir: Path) -> dict:
    token, _ = await sync_to_async(member_token)()
    shutil.rmtree(work_dir, ignore_errors=True)  # a previous run's "go" would start at once
    work_dir.mkdir(parents=True, exist_ok=True)
    emitter = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.live.driver", "emit", "--tasks", str(tasks), "--events",
        str(events), "--rate", str(rate), "--dir", str(work_dir))
    ids_file = work_dir / "tasks.json"
    while not ids_file.exists():
        if emitter.returncode is not None:
            raise SystemExit("the emitter exited before creating its tasks")
        await asyncio.sleep(0.1)
    task_ids = json.loads(ids_file.read_text())

    url = f"ws://127.0.0.1:{port}/ws/tasks/?token={token}"
    # One warm connection first, so the baseline includes what the first client loads.
    async with connect(url) as ws:
        await ws.send(json.dumps({"action": "ping"}))
        await ws.recv()
    await asyncio.sleep(0.5)
    rss_before = _rss_kib(daphne_pid)
    connected, results, gate = [], [], asyncio.Semaphore(50)
    started = time.monotonic()
    runners = [asyncio.create_task(_client(url, task_ids[i % tasks], connected, results, gate)) for i in range(clients)]
    while len(connected) < clients:
        failed = [r for r in runners if r.done() and r.exception()]
        if failed:
            raise failed[0].exception()
        if time.monotonic() - started > 300:
            raise SystemExit(f"only {len(connected)} of {clients} clients connected in 300 s")
        await asyncio.sleep(0.1)
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(1.0)
    rss_connected = _rss_kib(daphne_pid)

    (work_dir / "go").write_text("go")
    emit_started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*runners), timeout=600)
    deliver_seconds = time.monotonic() - emit_started
    await emitter.wait()

    expected = await sync_to_async(_expected_seqs)(results)
    delivered = sum(len(r["seqs"]) for r in results)
    wanted = sum(len(expected[(r["task_id"], r["after"])]) for r in results)
    complete = sum(r["seqs"] == expected[(r["task_id"], r["after"])] for r in results)
    duplicates = sum(len(r["seqs"]) - len(set(r["seqs"])) for r in results)
    delays = [d for r in results for d in r["delays"]]
    return {
        "mode": live_mode(), "clients": clients, "tasks": tasks, "events_per_task": events,
        "expected_deliveries": wanted, "delivered": delivered,
        "delivery_rate": delivered / wanted if wanted else 0.0,
        "clients_complete": complete, "duplicates": duplicates,
        "connect_seconds": round(connect_seconds, 2),
        "deliver_seconds": round(deliver_seconds, 2),
        "messages_per_second": round(delivered / deliver_seconds, 1) if deliver_seconds else 0,
        "daphne_rss_before_mib": round(rss_before / 1024, 1),
        "daphne_rss_connected_mib": round(rss_connected / 1024, 1),
        "kib_per_connection": round((rss_connected - rss_before) / clients, 1),
        "report_to_client_ms": percentiles(delays),
    }


def _expected_seqs(results: list[dict]) -> dict:
    """Every persisted event of each client's task after the state it was shown."""
    expected = {}
    for result in results:
        key = (result["task_id"], result["after"])
        if key not in expected:
            expected[key] = list(
                TaskEvent.objects.filter(task__task_id=result["task_id"], id__gt=result["after"])
                .order_by("id").values_list("id", flat=True))
    return expected


# --- the emitter (stands in for the tasks' workers) ----------------------------------------
def emit(tasks: int, events: int, rate: float, work_dir: Path) -> None:
    _, entity = member_token()
    handles = []
    for _ in range(tasks):
        task = Task.objects.create(kind="bench.live_ticker", entity=entity)
        with transaction.atomic():
            task = task_transition(task=task_lock(task.pk), to=TaskStatus.PROCESSING)
        handles.append(ProgressHandle(task=task, interval=0))
    (work_dir / "tasks.json").write_text(json.dumps([h.task_id for h in handles]))
    while not (work_dir / "go").exists():
        time.sleep(0.05)
    pause = 1.0 / rate
    for i in range(1, events + 1):
        for handle in handles:
            started = time.monotonic()
            handle.send_progress(f"t={time.time():.6f}", i / events)
            time.sleep(max(0.0, pause - (time.monotonic() - started)))
    for handle in handles:
        with transaction.atomic():
            task_transition(task=task_lock(handle.task.pk), to=TaskStatus.COMPLETED,
                            event_data={"result": {"events": events}}, result={"events": events},
                            progress=1.0)
    from tasks.live.push import pusher

    pusher.flush(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["latency", "fanout", "emit"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--daphne-pid", type=int)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=0.02)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--rate", type=float, default=200.0, help="emitted events per second")
    parser.add_argument("--dir", type=Path, default=Path("var/bench/live"))
    options = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 8192)), hard))
    if options.command == "latency":
        emit_result(asyncio.run(latency(options.port, options.events, options.interval)))
    elif options.command == "fanout":
        emit_result(asyncio.run(fanout(options.port, options.daphne_pid, options.clients,
                                       options.tasks, options.events, options.rate,
                                       options.dir)))
    else:
        emit(options.tasks, options.events, options.rate, options.dir)


if __name__ == "__main__":
    main()
