"""Run every benchmark and write docs/benchmarks.md (`make bench`).

    python -m bench.run [--quick] [--only throughput,latency,progress,ledger] [--out PATH]

Each scenario gets a fresh database, its own django-q2 cluster name and its own real
processes (qcluster, and daphne for HTTP), started here and stopped before the next
scenario; everything is stopped and every benchmark database dropped on the way out,
including on failure or SIGTERM. `--quick` runs small counts to check the machinery and
writes var/bench/benchmarks-quick.md instead of the docs page. A run of some of the
scenarios (`--only ledger`) that writes the docs page keeps the other sections' figures
from the results the page was last written from (docs/benchmarks.json, committed), and says
so on the page. `--render-only` rewrites docs/benchmarks.md from docs/benchmarks.json and
runs nothing.

The layout: bench/harness/ is what every scenario shares (processes, databases, the
machine, the run's plumbing, report helpers); bench/<scenario>/ holds one scenario's
Django-side driver, its orchestration step (run.py) and its section of the page
(report.py). This module and bench/report.py sit on top: they alone import the scenarios,
and no scenario imports another's package.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import time
import traceback
from datetime import datetime, timezone

import redis

from bench.admin.run import admin_scenarios
from bench.articles.run import articles_scenarios
from bench.budgets.run import budgets_scenarios
from bench.drain.run import drain_scenarios, sleep_scenarios
from bench.embeddings.run import embeddings_scenarios
from bench.enqueue.run import enqueue_scenarios
from bench.harness.databases import pg_available
from bench.harness.machine import machine_describe, round_trips_probe
from bench.harness.processes import BENCH_VAR, PID_FILE, ROOT, BenchError
from bench.harness.runner import REDIS_URL, WORKERS, Bench
from bench.hostile.run import hostile_scenarios
from bench.kills.run import kills_scenarios
from bench.latency.run import latency_scenarios
from bench.ledger.run import ledger_scenarios
from bench.live.run import live_scenarios
from bench.progress.run import progress_scenarios
from bench.report import page_render
from bench.scaleout.run import scaleout_scenarios
from bench.throughput.run import throughput_scenarios
from bench.visibility.run import visibility_scenarios

# `budget`: a throughput run still going after this many seconds is cut off and reported
# with the rate of what finished, so that `make bench` stays within about 15 minutes.
FULL = {"count": 2000, "warmup": 100, "budget": 150, "latency_count": 200,
        "latency_warmup": 10, "steps": 100_000, "repeats": 8,
        "ledger_records": 1_000_000, "ledger_repeats": 30, "articles": 200,
        "enqueue_count": 10_000, "drain_count": 2000,
        "visibility_count": 1000}
QUICK = {"count": 300, "warmup": 30, "budget": 60, "latency_count": 30,
         "latency_warmup": 3, "steps": 20_000, "repeats": 2,
         "ledger_records": 20_000, "ledger_repeats": 10, "articles": 40,
         "enqueue_count": 2_000, "drain_count": 300,
         "visibility_count": 200}
# Each `--only` name and its orchestration step (bench/<scenario>/run.py), in the order
# they run: the ledger and admin scenarios last, as their 1 GB databases would evict the
# others' from the cache.
SCENARIO_RUNS = {
    "throughput": throughput_scenarios,  # and the statements per task
    "drain": drain_scenarios,
    "sleep": sleep_scenarios,
    "visibility": visibility_scenarios,
    "latency": latency_scenarios,
    "enqueue": enqueue_scenarios,
    "budgets": budgets_scenarios,
    "progress": progress_scenarios,
    "live": live_scenarios,
    "embeddings": embeddings_scenarios,
    "articles": articles_scenarios,
    "kills": kills_scenarios,
    "hostile": hostile_scenarios,
    "scaleout": scaleout_scenarios,
    "ledger": ledger_scenarios,
    "admin": admin_scenarios,
}
SCENARIOS = tuple(SCENARIO_RUNS)
# Result keys start with their scenario's name, except these, measured by another's step.
RESULT_SCENARIO = {"statements": "throughput"}
# The scenarios measure the engine, not the rate limits (docs/operations.md, "Rate limits").
for _rate in ("TASK_CREATE_RATE_USER", "TASK_CREATE_RATE_ENTITY", "UPLOAD_RATE_USER",
              "UPLOAD_RATE_ENTITY"):
    os.environ.setdefault(_rate, "off")


# What docs/benchmarks.md was last written from: committed, so that a partial run in any
# checkout keeps the other sections' figures.
DOCS_RESULTS = ROOT / "docs" / "benchmarks.json"


def _carry_over(results: dict, only: set[str]) -> None:
    """Keep the docs page's figures for the scenarios this run leaves out."""
    try:
        previous = json.loads(DOCS_RESULTS.read_text())
    except (OSError, ValueError):
        return
    carried = previous.get("carried_over", {})  # scenario -> date of the run that measured it
    for key, value in previous.items():
        prefix = key.split("_", 1)[0]
        scenario = RESULT_SCENARIO.get(prefix, prefix)
        if scenario in SCENARIOS and scenario not in only:
            results[key] = value
            results.setdefault("carried_over", {})[scenario] = carried.get(
                scenario, previous.get("date"))


def _engines(pg_ok: bool) -> list[str]:
    return ["pg", "sqlite"] if pg_ok else ["sqlite"]


def _attempt(results: dict, key: str, func, *args) -> None:
    """Run one scenario; a failure is recorded in the report instead of ending the run."""
    started = time.monotonic()
    print(f"bench: {key} ...", flush=True)
    try:
        results[key] = func(*args)
    except BenchError as exc:
        results[key] = {"error": str(exc)[-3000:]}
    except Exception:
        results[key] = {"error": traceback.format_exc()[-3000:]}
    results[key]["wall_seconds"] = round(time.monotonic() - started, 1)
    summary = {k: v for k, v in results[key].items() if not isinstance(v, (dict, list))}
    print(f"bench: {key}: {json.dumps(summary, default=str)[:400]}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--out", default=None)
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite the page without running anything: docs/benchmarks.md "
                             "from docs/benchmarks.json, or (--quick, --out) the page from the "
                             "last run's var/bench/results.json")
    options = parser.parse_args()
    only = set(options.only.split(","))
    sizes = QUICK if options.quick else FULL
    out = options.out or (BENCH_VAR / "benchmarks-quick.md" if options.quick
                          else ROOT / "docs" / "benchmarks.md")

    if options.render_only:
        # The docs page is rendered from the results it was written from (committed), so
        # a change to the report's code rewrites it with the same figures.
        docs_page = not options.quick and not options.out
        results = json.loads((DOCS_RESULTS if docs_page else BENCH_VAR / "results.json")
                             .read_text())
        if results.get("quick") and not options.quick and not options.out:
            raise SystemExit("the last run was --quick; pass --quick or --out")
        with open(out, "w") as page:
            page.write(page_render(results))
        return 0

    # SIGTERM (the shell wrapper's time limit) unwinds through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(BENCH_VAR / "logs", ignore_errors=True)
    PID_FILE.write_text("")

    pg_ok = pg_available()
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pg_ok = False  # the production pair is PostgreSQL + Redis; without Redis, skip both
    started = time.monotonic()
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": options.quick,
        "sizes": sizes,
        "workers": WORKERS,
        "machine": machine_describe(REDIS_URL, pg_ok),
        "probe": round_trips_probe(REDIS_URL, pg_ok) if pg_ok else {},
        "pg_available": pg_ok,
    }
    bench = Bench(sizes)
    try:
        for scenario, scenarios in SCENARIO_RUNS.items():
            if scenario in only:
                scenarios(bench, results, _attempt, _engines(pg_ok), quick=options.quick)
    finally:
        bench.cleanup()
    results["total_seconds"] = round(time.monotonic() - started, 1)
    if not options.quick and not options.out and set(SCENARIOS) - only:
        _carry_over(results, only)
    (BENCH_VAR / "results.json").write_text(json.dumps(results, indent=2, default=str))
    if not options.quick and not options.out:
        DOCS_RESULTS.write_text(json.dumps(results, indent=2, default=str))
    with open(out, "w") as page:
        page.write(page_render(results))
    print(f"bench: wrote {out} in {results['total_seconds']:.0f} s", flush=True)
    failed = [key for key, value in results.items() if isinstance(value, dict) and "error" in value]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
