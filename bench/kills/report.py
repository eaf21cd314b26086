"""The worker-kill section of docs/benchmarks.md (figures from bench/kills/run.py)."""
from bench.harness.sections import SHORT_ENGINE_LABEL, Target, measured_on


def _seconds(summary: dict | None) -> str:
    if not summary:
        return "n/a"
    return f"{summary['p50']:.2f} s / {summary['max']:.2f} s"


def _row(engine: str, calm: dict | None, killed: dict | None) -> str:
    label = SHORT_ENGINE_LABEL[engine]
    for value in (calm, killed):
        if value is None:
            return f"| {label} | not run | | | | | |"
        if "error" in value:
            return f"| {label} | failed: {value['error'][-200:]!r} | | | | | |"
    once = (killed["terminal"] == killed["ended_exactly_once"] == killed["count"])
    return (f"| {label} | {killed['terminal']:,} of {killed['count']:,}"
            f"{'' if once else ' **(not all exactly once)**'} | {killed['kills']} | "
            f"{killed['retried']} | {calm['rate']:.0f} / {killed['rate']:.0f} tasks/s "
            f"(**{killed['rate'] / calm['rate']:.2f}x**) | {_seconds(killed['to_next_start'])} | "
            f"{_seconds(killed['to_new_worker_start'])} |")


def kills_render(results: dict) -> list[str]:
    sizes = results.get("kills_sizes")
    if not sizes:
        return []
    lines = [
        "## Worker kills: no death wedges a cluster (issue 15)",
        "",
        f"{sizes['count']:,} `demo.count` tasks of one {sizes['job_ms']} ms step through one "
        "cluster of two workers, once calm and once while a random worker is SIGKILLed every "
        f"{sizes['kill_every']} s until the last task ends. Measured "
        f"{measured_on(results, 'kills')}. \"Ended once\": terminal, with exactly one "
        "completed, failed or cancelled event. \"Next start\": from a kill to the next task "
        "start on any worker; \"new worker\": to the first start on a worker forked after the "
        "kill, i.e. the rebuilt generation (p50 / max).",
        "",
        "| engine | ended once | kills | retried | calm / with kills | next start | "
        "new worker |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for engine in ("pg", "sqlite"):
        calm, killed = results.get(f"kills_{engine}_calm"), results.get(f"kills_{engine}_kill")
        if calm or killed:
            lines.append(_row(engine, calm, killed))
    lines.append("")
    return lines


def kills_summary(results: dict) -> list[Target]:
    """With a worker SIGKILLed every few seconds, every task still ends exactly once."""
    target = Target("worker kills: every task ends exactly once", "kills")
    for engine in ("pg", "sqlite"):
        calm, killed = results.get(f"kills_{engine}_calm"), results.get(f"kills_{engine}_kill")
        if not (calm or killed):
            continue
        if not killed or "error" in killed or not calm or "error" in calm:
            target.figures[engine] = ("failed", False)
            continue
        target.figures[engine] = (
            f"{killed['ended_exactly_once']:,} of {killed['count']:,} ({killed['kills']} kills)",
            killed["terminal"] == killed["ended_exactly_once"] == killed["count"])
    return [target]
