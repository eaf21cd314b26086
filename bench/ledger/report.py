"""The "Ledger" section of docs/benchmarks.md, from bench/ledger/driver.py's results.

The figures are rewritten by every run; how to read them (bench/ledger/analysis.md) was written
from the run named in it and the investigations made beside it. Re-read it when the
figures move.
"""
from bench.harness.sections import Target, prose

TARGET_RATIO = 3.0          # single-task / single-document endpoint vs the SQL it issues
TARGET_ROLLUP_MS = 200.0    # a 30-day roll-up by service for one entity
TARGET_ADMIN_MS = 500.0     # the request-record changelist with a filter applied
TARGET_BYTES = 500.0        # per request record, with its ~3 uses and all indexes

ENDPOINTS = [  # key, label, target kind
    ("task_cost", "`GET /api/tasks/{task_id}/cost`", "ratio"),
    ("document_cost", "`GET /api/documents/{doc_id}/cost`", "ratio"),
    ("requests_by_task", "`GET /api/requests?task_id=…`", None),
    ("requests_by_doc", "`GET /api/requests?doc_id=…`", None),
    ("rollup_median_entity", "`GET /api/entities/{id}/costs?group_by=service`, median entity",
     "rollup"),
    ("rollup_largest_entity", "the same, largest entity", "rollup"),
    ("admin_median_entity", "admin changelist `?entity_id=ID`, median entity", "admin"),
    ("admin_largest_entity", "admin changelist `?entity_id=ID`, largest entity", "admin"),
    ("admin_operation_type", "admin changelist `?operation_type=article_analyze`", "admin"),
]



def _num(value, digits=1):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MiB"


def _verdict(met: bool) -> str:
    return "**met**" if met else "**MISSED**"


def _target(kind, endpoint) -> tuple[str, bool | None]:
    server = endpoint["server_ms"]["p50"]
    if kind == "ratio":
        met = endpoint["ratio"] is not None and endpoint["ratio"] <= TARGET_RATIO
        return f"<= {TARGET_RATIO:g}x raw SQL: {_verdict(met)}", met
    if kind == "rollup":
        met = server < TARGET_ROLLUP_MS
        return f"< {TARGET_ROLLUP_MS:g} ms: {_verdict(met)}", met
    if kind == "admin":
        met = server < TARGET_ADMIN_MS
        return f"< {TARGET_ADMIN_MS:g} ms: {_verdict(met)}", met
    return "", None


def _endpoint_rows(value: dict) -> tuple[list[str], list[str]]:
    lines = [
        "| request | server p50 | server p90 | of which in `execute()` p50 | round trip p50 "
        "(daphne) | SQL replayed p50 (statements) | server / SQL | first request | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    verdicts = []
    for key, label, kind in ENDPOINTS:
        endpoint = value["endpoints"].get(key)
        if endpoint is None:
            continue
        target, met = _target(kind, endpoint)
        lines.append(
            f"| {label} | {_num(endpoint['server_ms']['p50'])} ms | "
            f"{_num(endpoint['server_ms']['p90'])} ms | "
            f"{_num(endpoint.get('in_execute_ms', {}).get('p50'))} ms | "
            f"{_num(endpoint['round_trip_ms']['p50'])} ms | "
            f"{_num(endpoint['raw_sql_ms']['p50'], 2)} ms ({endpoint['statements']}) | "
            f"{_num(endpoint['ratio'], 1)}x | {_num(endpoint['first_ms'])} ms | {target} |"
        )
        if met is not None:
            verdicts.append((key, label, met, endpoint))
    return lines, verdicts


def _statements(value: dict, keys: list[str]) -> list[str]:
    """Per-statement medians of the replayed SQL, slowest first, for some endpoints."""
    lines = []
    for key in keys:
        endpoint = value["endpoints"].get(key)
        if not endpoint:
            continue
        lines += [f"`{key}` ({endpoint['statements']} statements; replayed, p50 each):", ""]
        for row in sorted(endpoint["statement_detail"], key=lambda r: -r["p50_ms"]):
            sql = " ".join(row["sql"].split())
            lines.append(f"- {row['p50_ms']:.2f} ms: `{sql[:160]}{'…' if len(sql) > 160 else ''}`")
        lines.append("")
    return lines


def _plans(value: dict, keys: list[str]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of each endpoint that missed."""
    lines = []
    for key in keys:
        rows = [row for row in value["endpoints"][key]["statement_detail"] if "explain" in row]
        if not rows:
            continue
        slowest = max(rows, key=lambda row: row["p50_ms"])
        lines += [f"`{key}`, slowest statement, `EXPLAIN (ANALYZE, BUFFERS)` in this run:", "",
                  "```", *slowest["explain"], "```", ""]
    return lines


def _sizes(value: dict) -> tuple[list[str], bool]:
    sizes = value["sizes"]
    records = value["records"]
    lines = [
        "| table | rows | heap | indexes | TOAST + maps | total | per request record |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for table, info in sizes["tables"].items():
        lines.append(
            f"| `{table}` | {info['rows']:,} | {_mib(info['heap_bytes'])} | "
            f"{_mib(info['index_bytes'])} | {_mib(info['other_bytes'])} | "
            f"{_mib(info['total_bytes'])} | {info['total_bytes'] / records:,.0f} B |"
        )
    per_record = sizes["bytes_per_record"]
    lines.append(f"| total | | | | | {_mib(sizes['total_bytes'])} | **{per_record:,.0f} B** |")
    lines += ["", "Per index (bytes per request record):", ""]
    for table, info in sizes["tables"].items():
        parts = ", ".join(f"`{name}` {size / records:,.0f}"
                          for name, size in info["indexes"].items())
        avg = info.get("avg_tuple_bytes")
        lines.append(f"- `{table}` (average row {_num(avg, 0)} B as stored): {parts}")
    lines.append("")
    return lines, per_record < TARGET_BYTES


def ledger_render(results: dict) -> list[str]:
    value = results.get("ledger")
    if value is None:
        return []
    records = value.get("records") or value.get("generated", {}).get("records") or 0
    lines = [f"## Ledger: reads on {records:,} request records", ""]
    if "error" in value:
        first = value["error"].strip().splitlines()
        return lines + [f"Failed: {first[0][:300] if first else 'failed'}", "",
                        "```", value["error"][-1500:], "```", ""]
    generated = value["generated"]
    largest, median = value["entities"]["largest"], value["entities"]["median"]
    lines += [
        f"A fresh PostgreSQL database (`taskledger_bench_ledger`, migrated) filled by "
        f"bench/harness/ledger_fill.py with {generated['records']:,} request records and "
        f"{generated['lines']:,} uses recorded on them ({generated['lines'] / generated['records']:.2f} "
        f"per record, as many `usage_record` calls; "
        + (f"{generated['stored_lines']:,} usage lines once the uses of one meter and price on "
           f"a record are merged, {generated['stored_lines'] / generated['records']:.2f} per "
           "record" if "stored_lines" in generated else "one line each")
        + f") of {generated['tasks']:,} tasks and {generated['documents']:,} documents, "
        f"spread over {generated['entities']} entities (Zipf-skewed: the largest, "
        f"`{largest['entity_id']}`, has {largest['records']:,} records, the median one "
        f"{median['records']:,}) and {generated['days']} days up to the run. A task has the "
        "API request that created it, one attempt per try (15% retried) and sometimes a cancel "
        f"(median {_num(value['records_per_sampled_task'], 0)} records per sampled task_id, "
        f"{_num(value['records_per_sampled_doc'], 0)} per doc_id); usage of file_processor, "
        "transformer, openai_embedding and openai_chat at the default prices; "
        f"{generated['unpriced_lines']:,} unpriced uses. The usage is on the records (one "
        "JSON text column, [docs/ledger.md](ledger.md#how-usage-is-stored)); loaded with "
        f"`COPY ... FROM STDIN` (psycopg `cursor.copy()`) in created_at order with "
        f"every index in place in {generated['copy_seconds']:.0f} s (FK checks "
        f"{generated['fk_checks']}), then `VACUUM (ANALYZE)` in "
        f"{generated['vacuum_analyze_seconds']:.0f} s, as autovacuum would have done to an "
        "insert-mostly table"
        + (f"; the daily cost roll-up (`daily_cost_rebuild`) then took "
           f"{generated['rollup_seconds']:.0f} s for {generated['rollup_rows']:,} rows."
           if "rollup_rows" in generated else "."),
        "",
        f"Each request below is timed {value['repeats']} times (task and document requests "
        f"each with a different sampled id, after one warm-up pass over all of them) as "
        "**server time**: Django's request handling (`BaseHandler.get_response`: every "
        "middleware, DRF, every query and the rendering) called in the driver process against "
        "the same database, with the same settings as daphne, without HTTP (the connection is "
        "kept between requests, so the pool checkout daphne does per request is not in it; "
        "until 2026-11-22 16:40 UTC this went through Django's test `Client`, whose own "
        "per-request instrumentation added ~0.1-0.3 ms); and as **round trip**: over "
        "HTTP "
        "on loopback against a daphne started by the benchmark (staff user, DRF token for "
        "the API, a session cookie for the admin). **SQL replayed**: the statements the same "
        "request issued, captured with `CaptureQueriesContext` and executed as they are "
        "through a separate psycopg connection, every row fetched, summed per request "
        "(authentication's own queries included). \"Of which in `execute()`\": the part of "
        "the server time spent inside Django's cursor `execute()` calls (sending, the "
        "server's work, receiving the rows), via `connection.execute_wrapper`; the rest is "
        "Python. \"First request\" is the driver's first "
        f"request of that URL (for the first admin row it also fills the per-process cache of "
        f"filter choices). In the last 30 days the largest entity has "
        f"{largest['records_30d']:,} records / {largest['lines_30d'] or 0:,} lines and the "
        f"median one {median['records_30d']:,} records; the roll-up by service reads whole "
        "days from the daily roll-up and only the edge days' records.",
        "",
    ]
    rows, verdicts = _endpoint_rows(value)
    lines += rows + [""]
    size_lines, size_met = _sizes(value)
    lines += ["Storage (after `VACUUM (ANALYZE)`; `pg_total_relation_size` of the records "
              "(their usage included) and the meters, indexes included, divided by the request "
              "records):", ""]
    lines += size_lines
    lines += ["Targets:", ""]
    for key, label, met, endpoint in verdicts:
        if key in ("task_cost", "document_cost"):
            detail = (f"{endpoint['server_ms']['p50']:.1f} ms against "
                      f"{endpoint['raw_sql_ms']['p50']:.2f} ms of SQL = {endpoint['ratio']:.1f}x "
                      f"(target <= {TARGET_RATIO:g}x)")
        else:
            limit = TARGET_ROLLUP_MS if key.startswith("rollup") else TARGET_ADMIN_MS
            detail = f"{endpoint['server_ms']['p50']:.1f} ms (target < {limit:g} ms)"
        lines.append(f"- {label}: {detail}: {_verdict(met)}.")
    lines.append(
        f"- Bytes per request record with its lines and indexes: "
        f"{value['sizes']['bytes_per_record']:,.0f} B (target < {TARGET_BYTES:g} B): "
        f"{_verdict(size_met)}."
    )
    lines += ["", "Where the SQL time goes (replayed statements):", ""]
    lines += _statements(value, ["task_cost", "rollup_largest_entity", "admin_operation_type"])
    lines += _plans(value, [key for key, _, met, _ in verdicts
                            if not met and not key.endswith("_cost")])
    lines += [prose(__file__, "analysis.md"), ""]
    return lines


# How the summary names each endpoint within its target's row.
_SHORT = {"task_cost": "task", "document_cost": "document",
          "rollup_median_entity": "median entity", "rollup_largest_entity": "largest entity",
          "admin_median_entity": "median entity", "admin_largest_entity": "largest entity",
          "admin_operation_type": "by operation type"}


def ledger_summary(results: dict) -> list[Target]:
    """The ledger's targets at 1,000,000 records (PostgreSQL only), one row per kind."""
    names = {"ratio": f"ledger: cost endpoints <= {TARGET_RATIO:g}x the SQL they issue",
             "rollup": f"ledger: 30-day roll-up by service < {TARGET_ROLLUP_MS:g} ms",
             "admin": f"ledger: request-record changelist, filtered, < {TARGET_ADMIN_MS:g} ms"}
    targets = {kind: Target(name, "ledger") for kind, name in names.items()}
    size = Target(f"ledger: < {TARGET_BYTES:g} B per request record, indexes included",
                  "ledger")
    value = results.get("ledger")
    if value and "error" in value:
        for target in (*targets.values(), size):
            target.figures["pg"] = ("failed", False)
    elif value:
        for kind, target in targets.items():
            judged_ = []
            for key, _, endpoint_kind in ENDPOINTS:
                endpoint = value["endpoints"].get(key)
                if endpoint_kind != kind or endpoint is None:
                    continue
                _, met = _target(kind, endpoint)
                figure = (f"{_num(endpoint['ratio'], 1)}x" if kind == "ratio"
                          else f"{_num(endpoint['server_ms']['p50'])} ms")
                judged_.append((f"{_SHORT[key]} {figure}", met))
            if judged_:
                target.figures["pg"] = ("; ".join(text for text, _ in judged_),
                                        all(met for _, met in judged_))
        per_record = value["sizes"]["bytes_per_record"]
        size.figures["pg"] = (f"{per_record:,.0f} B", per_record < TARGET_BYTES)
    return [*targets.values(), size]
