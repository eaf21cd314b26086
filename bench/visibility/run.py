"""The visibility scenario for bench/run.py: job return -> WebSocket client at full
throughput (bench/visibility/driver.py)."""
from bench.harness.processes import free_port, run_driver, start_daphne
from bench.harness.runner import WORKERS


def visibility_run(bench, engine: str) -> dict:
    name = f"vis_{engine}"
    env = dict(bench.env(engine, name, slots=WORKERS), LIVE_FRAME_RATE="100000/s",
               LIVE_MAX_SUBSCRIPTIONS="1000")
    cluster = bench.qcluster(engine, env, name)
    port = free_port()
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    try:
        return run_driver(env, "visibility.driver", "--port", str(port),
                          "--count", str(bench.sizes["visibility_count"]),
                          timeout=300, watch=[cluster, daphne])
    finally:
        bench.stop_all()


def visibility_scenarios(bench, results: dict, attempt, engines: list[str], *,
                         quick: bool) -> None:
    for engine in engines:
        attempt(results, f"visibility_{engine}", visibility_run, bench, engine)
