"""The "Admin at production size" section of docs/benchmarks.md (issue 7)."""
from bench.harness.sections import Target, judged, measured_on, prose


def admin_render(results: dict) -> list[str]:
    value = results.get("admin")
    if not value:
        return []
    lines = ["## Admin at production size (issue 7)", ""]
    if "error" in value:
        return lines + [f"Failed: {value['error'].splitlines()[-1][:300]}", ""]
    generated, rows = value["generated"], value["rows"]
    target = value["target_ms"]
    lines += [
        f"A fresh PostgreSQL database filled by bench/admin/driver.py: {rows.get('tasks_task', 0):,} "
        f"tasks with {rows.get('tasks_taskevent', 0):,} events, "
        f"{rows.get('costs_requestrecord', 0):,} request records with "
        f"{generated.get('ledger', {}).get('lines', 0):,} uses recorded on them "
        "(bench/harness/ledger_fill.py's generator"
        + (f"; the daily cost roll-up built from them after the COPY: "
           f"{generated['ledger']['rollup_rows']:,} rows in "
           f"{generated['ledger']['rollup_seconds']:.0f} s"
           if "rollup_rows" in generated.get("ledger", {}) else "")
        + "), "
        f"{rows.get('embeddings_document', 0):,} documents with "
        f"{rows.get('embeddings_chunk', 0):,} chunks and {generated['articles']:,} articles "
        f"(COPY {generated['copy_seconds']:.0f} s for the tasks side, VACUUM ANALYZE "
        f"{generated['vacuum_analyze_seconds']:.0f} s). Each page is requested through the "
        "whole Django stack in the driver's process (Django's test Client, a logged-in "
        f"superuser: server time, no HTTP), once to warm up, then {value['repeats']} times. "
        f"Target: every page under {target:.0f} ms.",
        "",
        f"Measured on {measured_on(results, 'admin')}; machine as above.",
        "",
        "| page | p50 | p95 | max | SQL statements | SQL time | slowest statement | "
        f"under {target:.0f} ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    slow = []
    for key, page in value["pages"].items():
        ok = page["p50_ms"] < target
        if not ok:
            slow.append(page["label"])
        lines.append(
            f"| {page['label']} (`{page['path']}`) | {page['p50_ms']:.1f} ms | "
            f"{page['p95_ms']:.1f} ms | {page['max_ms']:.1f} ms | {page['queries']} | "
            f"{page['sql_ms']:.1f} ms | {page['slowest_sql_ms']:.1f} ms | "
            f"{'yes' if ok else '**no**'} |"
        )
    lines += ["", ("Every page's median is under the target." if not slow else
                   "Over the target: " + "; ".join(slow) + "."), ""]
    lines += [prose(__file__, "notes.md"), ""]
    return lines


def _slowest(value: dict) -> str:
    page = max(value["pages"].values(), key=lambda page: page["p50_ms"])
    return f"slowest p50 {page['p50_ms']:.0f} ms ({page['label']}) of {len(value['pages'])} pages"


def admin_summary(results: dict) -> list[Target]:
    """Every admin page at production size (PostgreSQL only) under its target."""
    value = results.get("admin")
    target_ms = (value or {}).get("target_ms", 500)
    target = Target(f"admin: every page's p50 < {target_ms:.0f} ms at production size",
                    "admin")
    figure = judged(value, _slowest, lambda v: all(
        page["p50_ms"] < v["target_ms"] for page in v["pages"].values()))
    if figure:
        target.figures["pg"] = figure
    return [target]
