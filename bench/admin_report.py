"""The "Admin at production size" section of docs/benchmarks.md (issue 7)."""
from bench.sections import measured_on

ADMIN_NOTES = """
What keeps the big tables' pages fast (issue 7), each in config/admin_changelist.py or the
app's admin.py: the page count stops at 10,001 (`CappedCountPaginator`: a `COUNT(*)` over
`LIMIT 10001`, unordered; past it the page says "more than 10,000"), no "N total" count
(`show_full_result_count = False`) and no facet counts; the date hierarchy is bounded by
MIN and MAX of created_at instead of Django's SELECT DISTINCT over every matching row;
filters list small tables (entities, knowledge bases) or fixed choices (kinds from the job
registry, providers from the settings), never a column's distinct values over a big table;
search matches whole ids (task, document, request, entity ids resolved first, so each is an
index lookup); sorting only on indexed columns; chunks list newest documents first through
the (document, position) index instead of following the document's own order (a join and a
sort over every chunk).

Fixed after measuring (run of 2026-11-22 11:04 UTC against 11:11 UTC, same data): the
entity changelist summed every listed entity's whole ledger for its "cost to date" column
(one grouped query over all 3,007,660 usage lines: 1,241 ms p50, 1,153 ms of it SQL); it
now shows the cost of the last 24 h (an index range on request records, 76 ms) linked to
those records, and the change page keeps the cost to date.
Before the run, the same reasoning removed from the big tables what Django does by default
and that grows with the table: the paginator's full COUNT(*), SELECT DISTINCT for the date
hierarchy and for the chunk "model" and article "provider" filters, iexact (UPPER()) id
search, and the chunk order through the document's own ordering.

The admin overview (not a changelist or change page, reported here all the same) took
1,764 ms p50 (run of 2026-11-22 12:09 UTC): its 30-day cost chart and this month's top
entities were two aggregates over ~1,000,000 usage lines each (the slower 1,110 ms). Both
now read the daily cost roll-up (costs.DailyCost, docs/ledger.md: a row per UTC day,
entity, service and unit, kept by `usage_record`; 109,084 rows for this ledger's 90 days,
built after the COPY by `daily_cost_rebuild` in 5-8 s). With that alone the page took
357 ms (run of 12:44 UTC), 192 ms of it counting every task by status for the queue card,
which shows only waiting and running tasks: it now counts those two by index
(`queue_depth`). The entity change page's cost to date reads the same roll-up (217 ms
before, summing the largest entity's usage lines).

Still slowest: filters on pending tasks (290-450 ms over the last three runs) spend most
of their SQL in the date hierarchy's MIN/MAX, which walks the created_at index from the
other end past the finished tasks (an index on (status, created_at) would make it a
lookup); sorting tasks by priority (200-290 ms) sorts within a priority.
"""



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
        f"A fresh PostgreSQL database filled by bench/admin.py: {rows.get('tasks_task', 0):,} "
        f"tasks with {rows.get('tasks_taskevent', 0):,} events, "
        f"{rows.get('costs_requestrecord', 0):,} request records with "
        f"{generated.get('ledger', {}).get('lines', 0):,} uses recorded on them "
        "(bench/ledger.py's generator"
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
    lines += [ADMIN_NOTES.strip(), ""]
    return lines
