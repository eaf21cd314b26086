"""The visibility section of docs/benchmarks.md: job return -> WebSocket client."""
from bench.harness.sections import SHORT_ENGINE_LABEL as ENGINE_LABEL, Target, judged, num

TARGET_VISIBILITY_P95_MS = 50


def visibility_render(results: dict) -> list[str]:
    rows = {engine: results.get(f"visibility_{engine}") for engine in ("pg", "sqlite")}
    if not any(rows.values()):
        return []
    lines = [
        "## Visibility of batched completions",
        "",
        "From a job returning to its `completed` update reaching a WebSocket client, at the "
        "cluster's full rate (bench/visibility/driver.py): no-op tasks made ready together after "
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


def visibility_summary(results: dict) -> list[Target]:
    """Job return -> WebSocket client p95; judged in Redis mode only."""
    target = Target(f"visibility: job return -> client p95 <= {TARGET_VISIBILITY_P95_MS} ms "
                    "(Redis mode)", "visibility")
    for engine in ("pg", "sqlite"):
        figure = judged(results.get(f"visibility_{engine}"),
                        lambda v: f"{num(v['return_to_client_ms'].get('p95'))} ms",
                        lambda v, engine=engine: None if engine != "pg" else
                        v["return_to_client_ms"].get("p95", 1e9) <= TARGET_VISIBILITY_P95_MS)
        if figure:
            target.figures[engine] = figure
    return [target]
