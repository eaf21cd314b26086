"""The live-progress section of docs/benchmarks.md (figures from bench/live/run.py)."""
from bench.harness.sections import Target, judged, prose

ENGINES = {"pg": "Redis mode (PostgreSQL + Redis, workers push)",
           "sqlite": "embedded default (SQLite + in-memory layer + relay)"}
TARGETS_MS = {"pg": 25, "sqlite": 500}


def _ms(value) -> str:
    return f"{value:.1f} ms" if isinstance(value, (int, float)) else "-"


def live_render(results: dict) -> list[str]:
    sizes = results.get("live_sizes")
    if not sizes:
        return []
    lines = [
        "## Live progress: WebSocket push",
        "",
        f"Latency: a real qcluster runs `bench.live_ticker`, which reports progress "
        f"{sizes['latency_events']:,} times ({sizes['latency_interval'] * 1000:.0f} ms apart, "
        "`TASK_PROGRESS_INTERVAL=0` so every report is a persisted event) and stamps each "
        "report's wall time into its text; one WebSocket client on a real daphne (a non-staff "
        "member of the task's entity, `?token=`) times report -> receipt. The path measured is "
        "the whole one: the report's row update and event insert and commit, then Redis push "
        "(or the relay's poll, `LIVE_RELAY_POLL_SECONDS=0.1`), daphne, the socket.",
        "",
        "| mode | reports received | p50 | p95 | p99 | max | target p95 | the report's own "
        "write + commit p50 / p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for engine in ("pg", "sqlite"):
        value = results.get(f"live_latency_{engine}")
        if value is None:
            continue
        if "error" in value:
            lines.append(f"| {ENGINES[engine]} | failed: {value['error'][-300:]!r} | | | | | | |")
            continue
        stats, write = value["report_to_client_ms"], value.get("report_write_ms", {})
        met = stats.get("p95", 1e9) <= TARGETS_MS[engine]
        lines.append(
            f"| {ENGINES[engine]} | {value['received']:,} of "
            f"{value['persisted_progress_events']:,} | {_ms(stats.get('p50'))} | "
            f"{_ms(stats.get('p95'))} | {_ms(stats.get('p99'))} | {_ms(stats.get('max'))} | "
            f"<= {TARGETS_MS[engine]} ms: **{'met' if met else 'MISSED'}** | "
            f"{_ms(write.get('p50'))} / {_ms(write.get('p95'))} |"
        )
    lines += [
        "",
        "For comparison, the article clients poll every 2.5 s: a change waits 1.25 s on "
        "average and up to 2.5 s before a client can see it, plus the request itself.",
        "",
        f"Fan-out: {sizes['clients']:,} WebSocket clients on one daphne process, each "
        f"subscribed to one of {sizes['tasks']} running tasks; each task then reports "
        f"{sizes['events']} progress events and completes ({sizes['rate']} reports/s in all). "
        "An emitter process stands in for the tasks' workers (100 worker processes do not fit "
        "this machine) and reports through the real ProgressHandle, so writes, events and "
        "after-commit pushes are a worker's. Clients and emitter share the 2 cores with "
        "daphne. Memory is daphne's RSS growth from one warm connection to all connected and "
        "subscribed, per connection.",
        "",
        "| mode | deliveries (expected) | rate | clients with every event, in order | duplicates "
        "| msgs/s | latency p50 / p95 / p99 | connect all | RSS per connection |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for engine in ("pg", "sqlite"):
        value = results.get(f"live_fanout_{engine}")
        if value is None:
            continue
        if "error" in value:
            lines.append(f"| {ENGINES[engine]} | failed: {value['error'][-300:]!r} "
                         "| | | | | | | |")
            continue
        stats = value["report_to_client_ms"]
        lines.append(
            f"| {ENGINES[engine]} | {value['delivered']:,} ({value['expected_deliveries']:,}) | "
            f"{value['delivery_rate'] * 100:.2f}% | {value['clients_complete']:,} of "
            f"{value['clients']:,} | {value['duplicates']} | {value['messages_per_second']:,.0f} "
            f"| {_ms(stats.get('p50'))} / {_ms(stats.get('p95'))} / {_ms(stats.get('p99'))} | "
            f"{value['connect_seconds']:.1f} s | {value['kib_per_connection']:.0f} KiB "
            f"({value['daphne_rss_before_mib']:.0f} -> {value['daphne_rss_connected_mib']:.0f} "
            "MiB) |"
        )
    lines += ["", prose(__file__, "analysis.md"), ""]
    return lines


def live_summary(results: dict) -> list[Target]:
    """A worker's progress report -> WebSocket client, p95 (a target per mode)."""
    target = Target("live progress: report -> client p95 <= "
                    f"{TARGETS_MS['pg']} ms (Redis mode) / {TARGETS_MS['sqlite']} ms (embedded)",
                    "live")
    for engine in ("pg", "sqlite"):
        figure = judged(results.get(f"live_latency_{engine}"),
                        lambda v: _ms(v['report_to_client_ms'].get('p95')),
                        lambda v, engine=engine:
                        v["report_to_client_ms"].get("p95", 1e9) <= TARGETS_MS[engine])
        if figure:
            target.figures[engine] = figure
    return [target]
