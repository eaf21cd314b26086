"""The ledger scenario for bench/run.py: the cost ledger at 1,000,000 records, filled
(bench/harness/ledger_fill.py), then read (bench/ledger/driver.py). PostgreSQL only."""
import os

from bench.harness.processes import free_port, run_driver, start_daphne
from bench.harness.runner import WORKERS


def ledger_run(bench) -> dict:
    name = "ledger"
    env = bench.env("pg", name, slots=WORKERS)
    records = int(os.environ.get("BENCH_LEDGER_RECORDS", bench.sizes["ledger_records"]))
    generated = run_driver(env, "ledger.driver", "generate", "--records", str(records),
                           timeout=900)
    port = free_port()
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    try:
        measured = run_driver(
            env, "ledger.driver", "measure", "--port", str(port),
            "--repeats", str(bench.sizes["ledger_repeats"]), timeout=600, watch=[daphne],
        )
    finally:
        bench.stop_all()
    return {"generated": generated, **measured}


def ledger_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    if "pg" in engines:
        attempt(results, "ledger", ledger_run, bench)
