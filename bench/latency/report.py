"""The latency section of docs/benchmarks.md: HTTP POST to job start."""
from bench.harness.sections import ENGINE_LABEL, Target, error_line, judged, num

# A task posted to an idle cluster starts within this, at the median.
TARGET_LATENCY_P50_MS = 20


def latency_render(results: dict) -> list[str]:
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
            lines.append(f"| {ENGINE_LABEL[engine]} | failed: {error_line(value)} | | | | |")
            continue
        start, response = value["post_to_start_ms"], value["post_response_ms"]
        lines.append(
            f"| {ENGINE_LABEL[engine]} | {num(start['p50'])} ms | {num(start['p95'])} ms | "
            f"{num(start['max'])} ms | {num(response['p50'])} ms | {num(response['p95'])} ms |"
        )
    lines += [
        "",
        "Reference (measured on django-q2 1.11): bare django-q2 enqueue -> result p50 is "
        "7.6 ms on the Redis broker and 120 ms on the ORM broker (it polls every `poll` seconds; TaskLedger's "
        "default `Q_POLL` is 0.02 s; with Redis a created task also wakes idle pushers at once: "
        "docs/tasks.md).",
        "",
    ]
    return lines


def latency_summary(results: dict) -> list[Target]:
    """HTTP POST -> job started, p50."""
    target = Target(f"latency: POST -> started p50 <= {TARGET_LATENCY_P50_MS} ms", "latency")
    for engine in ("pg", "sqlite"):
        figure = judged(results.get(f"latency_{engine}"),
                        lambda v: f"{num(v['post_to_start_ms']['p50'])} ms",
                        lambda v: v["post_to_start_ms"]["p50"] <= TARGET_LATENCY_P50_MS)
        if figure:
            target.figures[engine] = figure
    return [target]
