"""The drain and realistic-job sections of docs/benchmarks.md (bench/drain.py)."""
from bench.sections import SHORT_ENGINE_LABEL as ENGINE_LABEL


def num(value, digits=1):
    return "n/a" if value is None else f"{value:,.{digits}f}"

TARGET_DRAIN_RATIO = 0.5    # tracked keeps at least half of bare's drain rate (aim: 100%)
TARGET_SLEEP_WALL = 1.05    # 20 ms jobs: tracked's wall time at most 1.05x bare's


def _rows(results: dict, scenario: str, engine: str) -> dict:
    return {mode: results.get(f"{scenario}_{engine}_{mode}") for mode in ("bare", "tracked")}


def drain_render(results: dict) -> list[str]:
    if not any(key.startswith(("drain_", "sleep_")) for key in results):
        return []
    count = results["sizes"].get("drain_count", 2000)
    lines = [
        "## Drain and realistic jobs",
        "",
        f"{count:,} jobs queued before the cluster starts, timed apart from the enqueue: from "
        "the first job's side effect to the last (a byte appended to a counter file, polled "
        "every millisecond), and for tracked until the last task row is `completed`. Bare: "
        "`async_task(..., save=False)` on django-q2's stock broker for the mode (Redis, or the "
        "ORM broker). Tracked: `task_create`. *Drain*: no-op jobs; target: tracked keeps at "
        f"least {TARGET_DRAIN_RATIO:.0%} of bare's rate. *20 ms jobs*: each sleeps 20 ms; "
        f"target: tracked's wall time at most {TARGET_SLEEP_WALL}x bare's. "
        f"{results['workers']} workers.",
        "",
        "| database + broker | jobs | bare jobs/s | tracked jobs/s | tracked / bare | "
        "bare wall | tracked wall | CPU per job bare / tracked | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for scenario, label in (("drain", "no-op"), ("sleep", "20 ms")):
        for engine in ("pg", "sqlite"):
            rows = _rows(results, scenario, engine)
            if not any(rows.values()):
                continue
            bare, tracked = rows["bare"] or {}, rows["tracked"] or {}
            failed = [f"{mode}: {v['error'][-200:]}" for mode, v in rows.items()
                      if v and "error" in v]
            if failed:
                lines.append(f"| {ENGINE_LABEL[engine]} | {label} | failed: "
                             f"{'; '.join(failed)} | | | | | | |")
                continue
            ratio = tracked["rate"] / bare["rate"]
            wall = tracked["seconds"] / bare["seconds"]
            met = (ratio >= TARGET_DRAIN_RATIO if scenario == "drain"
                   else wall <= TARGET_SLEEP_WALL)
            lines.append(
                f"| {ENGINE_LABEL[engine]} | {label} | {num(bare['rate'])} | "
                f"{num(tracked['rate'])} | {ratio:.2f} | {num(bare['seconds'], 2)} s | "
                f"{num(tracked['seconds'], 2)} s | {num(bare['cpu_ms_per_job'], 2)} / "
                f"{num(tracked['cpu_ms_per_job'], 2)} ms | {'met' if met else '**missed**'} |")
    pg = results.get("drain_pg_tracked") or {}
    if pg.get("postgres_cpu_ms_per_job") is not None:
        lines += ["", f"PostgreSQL's own CPU per tracked no-op while draining: "
                      f"{pg['postgres_cpu_ms_per_job']:.2f} ms (every backend on the machine; "
                      "docs/scale-out.md estimates the ceiling from it)."]
    return lines + [""]


TARGET_STATEMENTS = 3


def statements_render(results: dict) -> list[str]:
    rows = {engine: results.get(f"statements_{engine}") for engine in ("pg", "sqlite")}
    if not any(rows.values()):
        return []
    lines = [
        "## Statements per tracked task",
        "",
        "Counted in one process along a cluster's path (bench/statements.py): `task_create`, "
        "claims of `Q_WORKERS` tasks (the pusher), each attempt started and run (a worker), "
        "the outcomes written in batches of B (the closer). Every statement sent to the "
        "database counts, the live pushes' cost reads included (Redis mode); transaction "
        "control does not, commits are shown apart. The closer's batch size is whatever "
        "waited while the previous batch committed: 1 when the cluster is quiet, more under "
        f"load. Target: at most {TARGET_STATEMENTS} statements per task, amortised.",
        "",
        "| database | batch B | statements per task | create / claim / start / close | "
        "commits per task |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for engine, value in rows.items():
        if not value:
            continue
        if "error" in value:
            lines.append(f"| {ENGINE_LABEL[engine]} | failed: {value['error'][-200:]} | | | |")
            continue
        for run in value["runs"]:
            phases = run["by_phase"]
            lines.append(
                f"| {ENGINE_LABEL[engine]} | {run['batch']} | {run['statements_per_task']:.2f} | "
                f"{phases['create']:.2f} / {phases['claim']:.2f} / {phases['start']:.2f} / "
                f"{phases['close']:.2f} | {run['commits_per_task']:.2f} |")
    return lines + [""]


TARGET_VISIBILITY_P95_MS = 50


def visibility_render(results: dict) -> list[str]:
    rows = {engine: results.get(f"visibility_{engine}") for engine in ("pg", "sqlite")}
    if not any(rows.values()):
        return []
    lines = [
        "## Visibility of batched completions",
        "",
        "From a job returning to its `completed` update reaching a WebSocket client, at the "
        "cluster's full rate (bench/visibility.py): no-op tasks made ready together after "
        "the clients (4 connections on one daphne) subscribed to all of them. The trip: the "
        "result queue, the closer's batch and its commit, the push (Redis) or the relay's "
        f"poll (SQLite). Target (Redis mode): p95 at most {TARGET_VISIBILITY_P95_MS} ms.",
        "",
        "| database | tasks | received | tasks/s | p50 | p95 | p99 | max | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for engine, value in rows.items():
        if not value:
            continue
        if "error" in value:
            lines.append(f"| {ENGINE_LABEL[engine]} | failed: {value['error'][-200:]} "
                         "| | | | | | | |")
            continue
        ms = value["return_to_client_ms"]
        met = "" if engine != "pg" else (
            "met" if ms.get("p95", 1e9) <= TARGET_VISIBILITY_P95_MS else "**missed**")
        lines.append(
            f"| {ENGINE_LABEL[engine]} | {value['count']} | {value['received']} | "
            f"{num(value['rate'])} | {num(ms.get('p50'))} ms | {num(ms.get('p95'))} ms | "
            f"{num(ms.get('p99'))} ms | {num(ms.get('max'))} ms | {met} |")
    for engine, value in rows.items():
        if value and "closer_to_client_ms" in value:
            closer, client = value["return_to_closer_ms"], value["closer_to_client_ms"]
            lines.append(
                f"\n- {ENGINE_LABEL[engine]}, the trip in two legs: job return -> the closer's "
                f"batch (its `completed` event stamped) p50 {num(closer.get('p50'))} ms, p95 "
                f"{num(closer.get('p95'))} ms; then commit + push -> client p50 "
                f"{num(client.get('p50'))} ms, p95 {num(client.get('p95'))} ms.")
    for engine, value in rows.items():
        if value and value.get("missed"):
            lines.append(f"\n- {ENGINE_LABEL[engine]}: {len(value['missed'])} completion(s) "
                         f"never reached a client within 60 s: {value['missed']}")
    return lines + [""]
