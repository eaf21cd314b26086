"""The drain scenarios for bench/run.py: jobs queued before the cluster starts, drained
(bench/drain/driver.py); `drain` with no-op jobs, `sleep` with 20 ms ones."""
from bench.harness.processes import run_driver
from bench.harness.runner import WORKERS


def drain_run(bench, engine: str, mode: str, sleep_ms: float = 0) -> dict:
    name = f"drain_{engine}_{mode}_{int(sleep_ms)}"
    env = bench.env(engine, name, slots=WORKERS)
    if mode == "bare":
        env["Q_STOCK_BROKER"] = "1"
    args = ["--mode", mode, "--count", str(bench.sizes["drain_count"]),
            "--tag", f"{bench.run_id}-{name}"]
    enqueued = run_driver(env, "drain.driver", "enqueue", *args, "--sleep-ms", str(sleep_ms),
                          timeout=600)
    cluster = bench.qcluster(engine, env, name, tick=mode == "tracked")
    try:
        return {**enqueued, **run_driver(
            env, "drain.driver", "wait", *args, "--cluster-pgid", str(cluster.pid),
            "--budget", str(bench.sizes["budget"]),
            timeout=bench.sizes["budget"] + 60, watch=[cluster])}
    finally:
        bench.stop_all()


def _scenarios(scenario: str, sleep_ms: float, bench, results: dict, attempt,
               engines: list[str]) -> None:
    for engine in engines:
        for mode in ("bare", "tracked"):
            attempt(results, f"{scenario}_{engine}_{mode}", drain_run, bench, engine, mode,
                    sleep_ms)


def drain_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    _scenarios("drain", 0, bench, results, attempt, engines)


def sleep_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    _scenarios("sleep", 20, bench, results, attempt, engines)
