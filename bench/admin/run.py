"""The admin scenario for bench/run.py (issue 7): fill a database, then time every page."""
from bench.harness.processes import run_driver

# The full run's sizes; --quick (ledger_records 20,000) scales them down with the ledger.
FULL_TASKS = 1_000_000
FULL_DOCUMENTS = 50_000
FULL_ARTICLES = 20_000


def admin_run(bench) -> dict:
    """1,000,000 tasks and 1,000,000 request records; every changelist and change page."""
    name = "admin"
    env = bench.env("pg", name, slots=1)
    records = bench.sizes["ledger_records"]
    scale = records / 1_000_000
    generated = run_driver(
        env, "admin.driver", "generate", "--records", str(records),
        "--tasks", str(int(FULL_TASKS * scale)),
        "--documents", str(max(200, int(FULL_DOCUMENTS * scale))),
        "--articles", str(max(100, int(FULL_ARTICLES * scale))),
        timeout=1800,
    )
    measured = run_driver(
        env, "admin.driver", "measure", "--repeats", "15" if scale >= 1 else "5",
        "--long-task-id", generated["long_task_id"], timeout=900,
    )
    return {"generated": generated, **measured}


def admin_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    if "pg" in engines:  # its database is as large as the ledger's
        attempt(results, "admin", admin_run, bench)
