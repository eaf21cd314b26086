"""The bulk-creation section of docs/benchmarks.md (figures from bench/enqueue/driver.py)."""
from bench.harness.sections import SHORT_ENGINE_LABEL, Target, judged

TARGET = 5000


def enqueue_render(results: dict) -> list[str]:
    keys = [key for key in ("enqueue_pg", "enqueue_sqlite") if key in results]
    if not keys:
        return []
    lines = [
        "## Bulk creation",
        "",
        "Tasks created in bulk with no cluster running (bench/enqueue/driver.py): "
        "`task_create_many()` in one process, 1,000 tasks per call, then the same count "
        "through `POST /api/tasks/batch` on a real daphne, 1,000 items per request. "
        f"Target: {TARGET:,} tasks/s each.",
        "",
        "| database | tasks | `task_create_many` | batch endpoint |",
        "| --- | ---: | ---: | ---: |",
    ]
    verdicts = []
    for key in keys:
        result, label = results[key], SHORT_ENGINE_LABEL[key.split("_", 1)[1]]
        if "error" in result:
            lines.append(f"| {label} | failed: {result['error'][-200:]!r} | | |")
            continue
        lines.append(f"| {label} | {result['count']:,} | {result['service_rate']:,.0f} tasks/s | "
                     f"{result['endpoint_rate']:,.0f} tasks/s |")
        for name, rate in (("task_create_many", result["service_rate"]),
                           ("the batch endpoint", result["endpoint_rate"])):
            verdicts.append(f"- {label}, {name}: {rate:,.0f} tasks/s: target "
                            f"**{'met' if rate >= TARGET else 'MISSED'}**.")
    return lines + [""] + verdicts + [""]


def enqueue_summary(results: dict) -> list[Target]:
    """Bulk creation rates: the service and the batch endpoint."""
    service = Target(f"task_create_many >= {TARGET:,} tasks/s", "enqueue")
    endpoint = Target(f"batch endpoint >= {TARGET:,} tasks/s", "enqueue")
    for engine in ("pg", "sqlite"):
        for target, field in ((service, "service_rate"), (endpoint, "endpoint_rate")):
            figure = judged(results.get(f"enqueue_{engine}"),
                            lambda v, field=field: f"{v[field]:,.0f}/s",
                            lambda v, field=field: v[field] >= TARGET)
            if figure:
                target.figures[engine] = figure
    return [service, endpoint]
