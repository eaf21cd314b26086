"""The progress-reporting scenario for bench/run.py (bench/progress/driver.py)."""
from bench.harness.processes import run_driver
from bench.harness.runner import WORKERS


def progress_run(bench, engine: str) -> dict:
    name = f"prog_{engine}"
    env = bench.env(engine, name, slots=WORKERS)
    cluster = bench.qcluster(engine, env, name)
    try:
        return run_driver(
            env, "progress.driver", "--steps", str(bench.sizes["steps"]),
            "--repeats", str(bench.sizes["repeats"]), timeout=400, watch=[cluster],
        )
    finally:
        bench.stop_all()


def progress_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    for engine in engines[::-1]:
        attempt(results, f"progress_{engine}", progress_run, bench, engine)
