"""The drain and realistic-job sections of docs/benchmarks.md (bench/drain/driver.py)."""
from bench.harness.sections import SHORT_ENGINE_LABEL as ENGINE_LABEL, Target, num

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


def drain_summary(results: dict) -> list[Target]:
    """Drain rate (no-op jobs) and wall time (20 ms jobs), tracked against bare."""
    drain = Target(f"drain: tracked >= {TARGET_DRAIN_RATIO:.0%} of bare's rate", "drain")
    sleep = Target(f"20 ms jobs: tracked wall <= {TARGET_SLEEP_WALL}x bare", "sleep")
    for engine in ("pg", "sqlite"):
        for target, scenario in ((drain, "drain"), (sleep, "sleep")):
            rows = _rows(results, scenario, engine)
            if not any(rows.values()):
                continue
            if not all(rows.values()) or any("error" in v for v in rows.values()):
                target.figures[engine] = ("failed", False)
            elif scenario == "drain":
                ratio = rows["tracked"]["rate"] / rows["bare"]["rate"]
                target.figures[engine] = (f"{ratio:.0%}", ratio >= TARGET_DRAIN_RATIO)
            else:
                wall = rows["tracked"]["seconds"] / rows["bare"]["seconds"]
                target.figures[engine] = (f"{wall:.2f}x", wall <= TARGET_SLEEP_WALL)
    return [drain, sleep]
