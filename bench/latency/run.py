"""The latency scenario for bench/run.py: HTTP POST to job start (bench/latency/driver.py)."""
from bench.harness.processes import free_port, run_driver, start_daphne
from bench.harness.runner import WORKERS


def latency_run(bench, engine: str) -> dict:
    name = f"lat_{engine}"
    env = bench.env(engine, name, slots=WORKERS)
    port = free_port()
    cluster = bench.qcluster(engine, env, name)
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    try:
        return run_driver(
            env, "latency.driver", "--port", str(port),
            "--count", str(bench.sizes["latency_count"]),
            "--warmup", str(bench.sizes["latency_warmup"]),
            timeout=300, watch=[cluster, daphne],
        )
    finally:
        bench.stop_all()


def latency_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    for engine in engines:
        attempt(results, f"latency_{engine}", latency_run, bench, engine)
