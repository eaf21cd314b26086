"""Render bench/run.py's results as docs/benchmarks.md."""
from bench.admin_report import admin_render
from bench.analysis import ANALYSIS
from bench.articles_report import articles_render
from bench.drain_report import drain_render, statements_render, visibility_render
from bench.embeddings_report import embeddings_render
from bench.budgets_report import budgets_render
from bench.enqueue_report import enqueue_render
from bench.kills_report import kills_render
from bench.ledger_report import ledger_render
from bench.live_report import live_render
from bench.scaleout_report import scaleout_render

TARGET_THROUGHPUT_RATIO = 0.80
TARGET_PROGRESS_RATIO = 1.20
# Tracked tasks are queued in the task table on both; bare django-q2 uses its stock broker.
ENGINE_LABEL = {
    "pg": "PostgreSQL + Redis (bare: Redis broker)",
    "sqlite": "SQLite, embedded default (bare: ORM broker)",
}


def _num(value, digits=1, suffix=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"


def _error(result: dict) -> str:
    first = result["error"].strip().splitlines()
    return first[0][:200] if first else "failed"


def _machine(results: dict) -> list[str]:
    m = results["machine"]
    probe = results.get("probe") or {}
    lines = [
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gib']} GiB; Linux {m['kernel']}",
        f"- Python {m['python']}, Django {m['django']}, django-q2 {m['django_q2']}, "
        f"DRF {m['djangorestframework']}, daphne {m['daphne']}, psycopg {m['psycopg']}",
        f"- PostgreSQL {m.get('postgresql', 'not available')}, "
        f"Redis {m.get('redis_server') or 'not available'}, SQLite {m['sqlite']}",
    ]
    if probe:
        lines.append(
            f"- Loopback cost measured at the start of the run: PostgreSQL `SELECT 1` "
            f"{_num(probe.get('pg_select_1_ms'), 2)} ms, new PostgreSQL connection "
            f"{_num(probe.get('pg_connect_ms'), 1)} ms, Redis `RPUSH` "
            f"{_num(probe.get('redis_rpush_ms'), 2)} ms, new Redis connection + `RPUSH` "
            f"{_num(probe.get('redis_connect_rpush_ms'), 2)} ms. (A bare-metal machine does a "
            "loopback round trip in ~0.03-0.1 ms; this VM is 5-10x slower, and both paths below "
            "are made of round trips.)"
        )
    lines.append("")
    return lines


def _throughput_rows(results: dict, engine: str) -> list[tuple[str, int, int, dict]]:
    rows = []
    for key, value in results.items():
        parts = key.split("_")
        if key.startswith(f"throughput_{engine}_") and len(parts) == 5:
            rows.append((parts[2], int(parts[3]), int(parts[4]), value))
    return rows


def _throughput(results: dict) -> list[str]:
    sizes = results["sizes"]
    lines = [
        "## 1. Throughput: tracked vs bare django-q2",
        "",
        f"{sizes['count']:,} no-op jobs, timed from the first `task_create()` / `async_task()` to "
        f"the last completion, after a {sizes['warmup']}-job warm-up on the already running "
        f"cluster. {results['workers']} django-q2 workers in every run (`Q_WORKERS`, one per "
        "core); the same `Q_CLUSTER` settings for both sides (TaskLedger's: `save_limit=0`, "
        "`recycle=500`, `poll=0.1`), bare jobs enqueued with `save=False` and a hard timeout "
        "like TaskLedger's own. Tracked: `task_create(kind=\"bench.noop\")` in a loop, "
        "`manage.py qcluster` with its tick, claiming from the task table. Bare: "
        "`async_task(\"bench.jobs.bare_noop\")` in a loop, `manage.py qcluster --no-tick`. "
        "Both jobs append one byte to a counter "
        "file; a tracked run ends when its last task row is `completed`. CPU per job is the "
        "CPU time of the driver and the whole qcluster process tree during the run divided by "
        "the jobs (PostgreSQL's and Redis's own CPU not included; SQLite's is, in-process); "
        "unlike tasks/s it barely moves when a neighbour loads the machine. The bare run is "
        "repeated after the tracked ones and the ratio uses the mean of the two. "
        f"A run still going after {sizes['budget']} s is cut off and its rate is that of the jobs "
        "that finished. Target: tracked >= 80% of bare.",
        "",
        "| database + broker | run | `MAX_CONCURRENT_TASKS` | tasks/s | tracked / bare | "
        "CPU per job | creating / enqueueing took | median dispatched -> started | "
        "median started -> completed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for engine in ("pg", "sqlite"):
        rows = _throughput_rows(results, engine)
        bare_rates = [v["rate"] for mode, _, _, v in rows if mode == "bare" and "error" not in v]
        bare_rate = sum(bare_rates) / len(bare_rates) if bare_rates else None
        for mode, slots, round_, value in rows:
            label = f"{mode}" + (f" (#{round_})" if mode == "bare" else "")
            if "error" in value:
                lines.append(f"| {ENGINE_LABEL[engine]} | {label} | {slots} | "
                             f"failed: {_error(value)} | | | | | |")
                continue
            ratio = value["rate"] / bare_rate if mode == "tracked" and bare_rate else None
            partial = "" if value.get("complete", True) else (
                f" (cut off: {value['done']:,} of {value['count']:,} in {value['seconds']:.0f} s)"
            )
            tracked = mode == "tracked"
            lines.append(
                f"| {ENGINE_LABEL[engine]} | {label} | {slots if tracked else ''} | "
                f"{_num(value['rate'])}{partial} | {_num(ratio, 2) if ratio else ''} | "
                f"{_num(value.get('cpu_ms_per_job'), 1, ' ms')} | "
                f"{_num(value['submit_seconds'])} s | "
                f"{_num(value.get('median_ms_dispatch_to_start'), 1, ' ms') if tracked else ''} | "
                f"{_num(value.get('median_ms_start_to_complete'), 1, ' ms') if tracked else ''} |"
            )
            if ratio is not None:
                met = ratio >= TARGET_THROUGHPUT_RATIO
                verdicts.append(
                    f"- {ENGINE_LABEL[engine]}, `MAX_CONCURRENT_TASKS={slots}`: tracked keeps "
                    f"{ratio:.0%} of bare throughput: target **{'met' if met else 'MISSED'}**."
                )
    lines += ["", *verdicts, ""]
    return lines


def _latency(results: dict) -> list[str]:
    sizes = results["sizes"]
    lines = [
        "## 2. Latency: HTTP POST to job start",
        "",
        f"{sizes['latency_count']} sequential `POST /api/tasks/` "
        "(`{\"kind\": \"bench.noop\"}`, DRF token of a staff user) against a real daphne, "
        "each sent once the previous task "
        "completed; latency is the task's `started_at` (stamped by the worker as it marks the "
        "task processing, just before calling the job) minus the moment the request was sent. "
        f"{results['workers']} workers, `MAX_CONCURRENT_TASKS={results['workers']}`.",
        "",
        "| database + broker | POST -> started p50 | p95 | max | POST response p50 | p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for engine in ("pg", "sqlite"):
        value = results.get(f"latency_{engine}")
        if value is None:
            continue
        if "error" in value:
            lines.append(f"| {ENGINE_LABEL[engine]} | failed: {_error(value)} | | | | |")
            continue
        start, response = value["post_to_start_ms"], value["post_response_ms"]
        lines.append(
            f"| {ENGINE_LABEL[engine]} | {_num(start['p50'])} ms | {_num(start['p95'])} ms | "
            f"{_num(start['max'])} ms | {_num(response['p50'])} ms | {_num(response['p95'])} ms |"
        )
    lines += [
        "",
        "Reference (DESIGN.md section 3): bare django-q2 enqueue -> result p50 is 7.6 ms on the "
        "Redis broker and 120 ms on the ORM broker (it polls every `poll` seconds; TaskLedger "
        "sets `Q_POLL` = 0.1 s).",
        "",
    ]
    return lines


def _progress(results: dict) -> list[str]:
    sizes = results["sizes"]
    lines = [
        "## 3. Progress reporting cost",
        "",
        f"`bench.hash`: {sizes['steps']:,} steps, each hashing a 32 KiB buffer (SHA-256), as a "
        f"tracked task through a real qcluster; once calling `progress.set_units(step, total)` "
        f"at every step, once silent, back to back; {sizes['repeats']} such pairs (alternating "
        "which goes first), ratios taken per pair, medians shown. Task time is `started_at` -> "
        "`completed_at` (wall); CPU is the job thread's own CPU time over the loop, which a "
        "noisy neighbour does not inflate. Rows written are the task's persisted events and the "
        "UPDATEs of its row (counted by a trigger installed in the benchmark database), "
        "including the dispatch claim, start, heartbeats and completion. Targets: reporting "
        "run <= 1.2x the silent one; rows written bounded (not one per report).",
        "",
        "| database | silent task | reporting task | wall ratio (per pair) | CPU ratio | "
        "overhead per report (CPU / wall) | events (progress) reporting / silent | "
        "row UPDATEs reporting / silent |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for engine in ("sqlite", "pg"):
        value = results.get(f"progress_{engine}")
        if value is None:
            continue
        label = ENGINE_LABEL[engine]
        if "error" in value:
            lines.append(f"| {label} | failed: {_error(value)} | | | | | | |")
            continue
        pair_ratios = ", ".join(f"{r:.2f}" for r in value["task_ratios"])
        lines.append(
            f"| {label} | {_num(value['task_seconds_silent'], 2)} s | "
            f"{_num(value['task_seconds_reporting'], 2)} s | {_num(value['task_ratio'], 3)}x "
            f"({pair_ratios}) | {_num(value['cpu_ratio'], 3)}x | "
            f"{_num(value['overhead_us_per_report_cpu'], 2)} us / "
            f"{_num(value['overhead_us_per_report_wall'], 2)} us | "
            f"{value['reporting_events']} ({value['reporting_progress_events']}) / "
            f"{value['silent_events']} | {value['reporting_row_updates']} / "
            f"{value['silent_row_updates']} |"
        )
        met = value["task_ratio"] <= TARGET_PROGRESS_RATIO
        cpu_met = value["cpu_ratio"] <= TARGET_PROGRESS_RATIO
        rows = value["reporting_events"] + value["reporting_row_updates"]
        bounded = rows < sizes["steps"] / 100
        verdicts.append(
            f"- {label}: {sizes['steps']:,} reports cost {value['task_ratio']:.3f}x the silent "
            f"run's wall time (target <= 1.2x: **{'met' if met else 'MISSED'}**; "
            f"CPU {value['cpu_ratio']:.3f}x: {'within' if cpu_met else 'over'} target) and "
            f"wrote {rows} rows, against {value['silent_events'] + value['silent_row_updates']} "
            f"for the silent run (target bounded: **{'met' if bounded else 'MISSED'}**)."
        )
    isolated = [results[f"progress_{e}"].get("isolated_us_per_report") for e in ("sqlite", "pg")
                if "error" not in results.get(f"progress_{e}", {"error": 1})]
    if isolated:
        verdicts.append(
            f"- In isolation (no job work around it, nothing written) one coalesced "
            f"`set_units()` call costs {min(isolated):.2f} us in the driver process."
        )
    lines += ["", *verdicts, ""]
    return lines


def report_render(results: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (scripts/bench.sh -> bench/run.py) on {results['date']}; "
        f"the whole run took {results.get('total_seconds', 0):.0f} s. Every figure below is "
        "rewritten by the next run; the analysis section is kept in bench/analysis.py.",
        "",
    ]
    if results.get("quick"):
        lines += ["**Quick mode: small counts, figures not comparable with a full run.**", ""]
    carried = results.get("carried_over") or {}
    if carried:
        by_date = {}
        for scenario, date in sorted(carried.items()):
            by_date.setdefault(date, []).append(scenario)
        lines += ["This run measured only some scenarios (`--only`); the figures for "
                  + "; ".join(f"{', '.join(names)} are those of the run of {date}"
                              for date, names in by_date.items())
                  + " (kept in docs/benchmarks.json).", ""]
    if not results.get("pg_available"):
        lines += ["PostgreSQL or Redis was not reachable: only the embedded default was "
                  "measured.", ""]
    lines += _machine(results)
    lines += [
        "How it runs: each scenario gets a fresh database (a PostgreSQL database cloned from "
        "a template migrated with `manage.py migrate`, or a copy of a migrated SQLite file under "
        "var/bench/), its own `Q_CLUSTER_NAME`, and real `manage.py qcluster` (and daphne) "
        "processes started and stopped by the benchmark. On PostgreSQL, qcluster runs with "
        "`DB_POOL=0` (see \"Connection pool and fork\" below); daphne keeps the default pool. "
        "The machine is shared and noisy: compare ratios within one run, not across runs.",
        "",
    ]
    lines += _throughput(results)
    lines += drain_render(results)
    lines += statements_render(results)
    lines += visibility_render(results)
    lines += _latency(results)
    lines += enqueue_render(results)
    lines += budgets_render(results)
    lines += _progress(results)
    lines += articles_render(results)
    lines += kills_render(results)
    lines += [ANALYSIS.strip(), ""]
    lines += ledger_render(results)
    lines += admin_render(results)
    lines += embeddings_render(results)
    lines += live_render(results)
    lines += scaleout_render(results)
    return "\n".join(lines)
