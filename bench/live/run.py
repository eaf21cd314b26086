"""The live-progress scenarios of `make bench` (orchestrator side; drivers in bench/live/driver.py).

- `live_latency_<engine>`: worker progress report -> WebSocket client, over 1,000 reports
  (real qcluster and daphne), in Redis mode (pg) and on the embedded default (sqlite).
- `live_fanout_<engine>`: 1,000 WebSocket clients on one daphne across 100 running tasks.
"""
from bench.harness.processes import BENCH_VAR, free_port, run_driver, start_daphne

LIVE_FULL = {"latency_events": 1000, "latency_interval": 0.02, "clients": 1000, "tasks": 100,
             "events": 15, "rate": 100}
LIVE_QUICK = {"latency_events": 100, "latency_interval": 0.02, "clients": 100, "tasks": 10,
              "events": 5, "rate": 100}


def _env(bench, engine: str, name: str) -> dict:
    env = bench.env(engine, name, slots=2)
    # Every report is a persisted event here (no coalescing), so each one can be timed.
    return dict(env, TASK_JOB_MODULES="bench.harness.jobs,bench.live.jobs", TASK_PROGRESS_INTERVAL="0")


def live_latency(bench, engine: str, sizes: dict) -> dict:
    name = f"live_lat_{engine}"
    env = _env(bench, engine, name)
    cluster = bench.qcluster(engine, env, name)
    port = free_port()
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    try:
        return run_driver(
            env, "live.driver", "latency", "--port", str(port),
            "--events", str(sizes["latency_events"]),
            "--interval", str(sizes["latency_interval"]),
            timeout=120 + sizes["latency_events"] * sizes["latency_interval"] * 4,
            watch=[cluster, daphne],
        )
    finally:
        bench.stop_all()


def live_fanout(bench, engine: str, sizes: dict) -> dict:
    name = f"live_fan_{engine}"
    env = _env(bench, engine, name)
    port = free_port()
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    try:
        return run_driver(
            env, "live.driver", "fanout", "--port", str(port), "--daphne-pid", str(daphne.pid),
            "--clients", str(sizes["clients"]), "--tasks", str(sizes["tasks"]),
            "--events", str(sizes["events"]), "--rate", str(sizes["rate"]),
            "--dir", str(BENCH_VAR / "live" / name), timeout=900, watch=[daphne],
        )
    finally:
        bench.stop_all()


def live_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    """Run both live scenarios on each engine, recording into `results` through `attempt`."""
    sizes = LIVE_QUICK if quick else LIVE_FULL
    results["live_sizes"] = sizes
    for engine in engines:
        attempt(results, f"live_latency_{engine}", live_latency, bench, engine, sizes)
    for engine in engines:
        attempt(results, f"live_fanout_{engine}", live_fanout, bench, engine, sizes)
