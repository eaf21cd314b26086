"""The budgets scenario for bench/run.py: estimates against actual spend, and the overshoot
at a hard cap (bench/budgets/driver.py makes its own database from the scenario's and runs
the jobs in process)."""
from bench.harness.processes import run_driver
from bench.harness.runner import WORKERS


def budgets_run(bench, engine: str) -> dict:
    env = bench.env(engine, f"budget_{engine}", slots=WORKERS)
    return run_driver(env, "budgets.driver", "--json", "--analyses",
                      str(bench.sizes["articles"]), timeout=900)


def budgets_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    for engine in engines[:1]:
        attempt(results, f"budgets_{engine}", budgets_run, bench, engine)
