"""The progress-reporting section of docs/benchmarks.md."""
from bench.harness.sections import ENGINE_LABEL, Target, error_line, judged, num

TARGET_PROGRESS_RATIO = 1.20


def progress_render(results: dict) -> list[str]:
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
            lines.append(f"| {label} | failed: {error_line(value)} | | | | | | |")
            continue
        pair_ratios = ", ".join(f"{r:.2f}" for r in value["task_ratios"])
        lines.append(
            f"| {label} | {num(value['task_seconds_silent'], 2)} s | "
            f"{num(value['task_seconds_reporting'], 2)} s | {num(value['task_ratio'], 3)}x "
            f"({pair_ratios}) | {num(value['cpu_ratio'], 3)}x | "
            f"{num(value['overhead_us_per_report_cpu'], 2)} us / "
            f"{num(value['overhead_us_per_report_wall'], 2)} us | "
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


def progress_summary(results: dict) -> list[Target]:
    """Reporting at every step against a silent run: wall time, and rows written."""
    wall = Target(f"progress: reporting run <= {TARGET_PROGRESS_RATIO}x the silent one (wall)",
                  "progress")
    rows = Target("progress: rows written bounded (< 1 per 100 reports)", "progress")
    steps = results["sizes"]["steps"]
    for engine in ("pg", "sqlite"):
        value = results.get(f"progress_{engine}")
        figure = judged(value, lambda v: f"{v['task_ratio']:.3f}x",
                        lambda v: v["task_ratio"] <= TARGET_PROGRESS_RATIO)
        if figure:
            wall.figures[engine] = figure
        figure = judged(
            value,
            lambda v: f"{v['reporting_events'] + v['reporting_row_updates']} rows",
            lambda v: v["reporting_events"] + v["reporting_row_updates"] < steps / 100)
        if figure:
            rows.figures[engine] = figure
    return [wall, rows]
