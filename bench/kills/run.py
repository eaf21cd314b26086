"""The worker-kill scenarios of `make bench` (orchestrator side; driver in bench/kills/driver.py).

On each engine: 2,000 one-step jobs of 20 ms through one cluster of two workers, once
calm and once while a random worker is SIGKILLed every 2 s (issue 15).
"""
from bench.harness.processes import run_driver

KILLS_FULL = {"count": 2000, "job_ms": 20, "kill_every": 2}
KILLS_QUICK = {"count": 300, "job_ms": 20, "kill_every": 2}


def kills_run(bench, engine: str, calm: bool) -> dict:
    sizes = bench.sizes["kills"]
    name = f"kills_{engine}_{'calm' if calm else 'kill'}"
    env = bench.env(engine, name, slots=2)
    cluster = bench.qcluster(engine, env, name)
    args = ["--count", str(sizes["count"]), "--job-ms", str(sizes["job_ms"]),
            "--kill-every", str(sizes["kill_every"]), "--cluster-pid", str(cluster.pid)]
    try:
        return run_driver(env, "kills.driver", *args, *(["--calm"] if calm else []), timeout=700,
                          watch=[cluster])
    finally:
        bench.stop_all()


def kills_scenarios(bench, results: dict, attempt, engines, *, quick: bool) -> None:
    results["kills_sizes"] = KILLS_QUICK if quick else KILLS_FULL
    bench.sizes["kills"] = results["kills_sizes"]
    for engine in engines:
        for calm in (True, False):
            attempt(results, f"kills_{engine}_{'calm' if calm else 'kill'}", kills_run, bench,
                    engine, calm)
