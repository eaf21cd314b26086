"""The "Ledger" section of docs/benchmarks.md, from bench/ledger.py's results.

The figures are rewritten by every run; the interpretation (LEDGER_ANALYSIS) was written
from the run named in it and the investigations made beside it. Re-read it when the
figures move.
"""
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
    ("admin_median_entity", "admin changelist `?entity__id__exact=N`, median entity", "admin"),
    ("admin_largest_entity", "admin changelist `?entity__id__exact=N`, largest entity", "admin"),
    ("admin_operation_type", "admin changelist `?operation_type=article_analyze`", "admin"),
]

LEDGER_ANALYSIS = """
### Ledger: interpretation

Kept in bench/ledger_report.py; written from the runs of 2026-11-22 08:04 and 08:19 UTC
(task cost 4.8x and 3.5x its SQL, document cost 4.1x and 3.3x, largest-entity roll-up 397
and 312 ms, 939 B per record in both) and from one-off experiments on a second database
generated the same way (1,000,000 records): extra indexes, copies of the tables in other
shapes, and variants of the views mounted through a throwaway URLconf in a script. No
project code was changed; "measured" below means on that copy. Python on this VM is about
2.5x slower than on a current laptop (`python -m timeit "sum(range(10000))"`: 264 us), which
inflates every Python-bound figure here, and the machine's noise moves a ratio between runs
by up to about 1 (the task cost endpoint: 4.8x, then 3.5x; 3.5x in the interleaved
experiment below).

**Single-task and single-document cost (target: within 3x of their SQL): met since the
change below (2.2x and 1.5x in the run of 09:34 UTC); before it, missed, and the time was
Python, not PostgreSQL.** Each request issues three statements, all index lookups:
DRF's token lookup, the records aggregate (the partial `request_task_idx` /
`request_doc_idx`), and the per-service sum over the lines (`record_id` index); replayed,
they take 2-3 ms together. The request takes 8-10 ms in-process, of which 2.2-2.7 ms is
inside `execute()`, and the rest is Python. Measured in-process on the copy, medians of 300:

- middleware plus a plain Django view: 0.4 ms; a DRF `APIView` without authentication: 0.65 ms;
- DRF's `TokenAuthentication` adds about 3.4 ms: its `select_related("user").get(key=...)`
  costs 2.2 ms in Python and on the wire, of which its SQL is 0.5 ms;
- `selectors.task_cost()` alone takes 4.3 ms for 1.0 ms of SQL: `_cost_summary()` builds two
  ORM queries (an `aggregate()`, and a grouped `values_list().annotate()` over an
  `IN (subquery)`), and their compilation and result handling cost about 1.6 ms each;
- `TaskCostSerializer(...).data` plus JSON rendering: 2.1 ms for a dict with six keys.

Variants of `GET /api/tasks/{task_id}/cost`, interleaved over 300 task ids against the same
database (same JSON out):

| variant | server time | SQL it issues | ratio |
| --- | ---: | ---: | ---: |
| as shipped | 10.0 ms | 2.90 ms (3 statements) | 3.5x |
| return the dict without `TaskCostSerializer` | 9.4 ms | 2.85 ms | 3.3x |
| and look up the token with one plain SQL query (`User.from_db`) | 8.1 ms | 2.79 ms | 2.9x |
| and the summary as one SQL statement | 4.0 ms | 2.07 ms (2 statements) | 1.9x |

Done (costs/selectors.py `_cost_summary`, costs/apis.py): the summary is one statement, a
`UNION ALL` over a CTE of the records (the ORM compiles the records' filter, tenancy
included), and the views return the selector's dict without a serializer pass (DRF's encoder
renders `Decimal` as a JSON number, as `MoneyField` did). Two statements remain: the token
lookup and the summary. A leaner token authentication (one plain query) would save another
~1.3 ms on every API request; not done, since DRF's own is what operators expect to audit.

**30-day roll-up by service: median entity ~45-50 ms (met); largest entity 300-400 ms
(MISSED).**
The largest entity (`company_001`, 3.7% of the ledger) has about 12,500 records and 37,400
lines in the window. Of the five statements, two take 120-215 ms each: the per-(service, unit)
aggregate, and a second pass that counts openai_chat's distinct records (chat is billed in
several units). Both do the same join, and the plan above shows why they are slow: the
planner reads the window through `request_created_idx` (created_at alone) and filters on
the entity, discarding ~321,000 rows (96% of what it reads), instead of using
`request_entity_created_idx`. It is not a bad estimate: through (entity, created_at) it would
still visit a heap page for nearly every one of the 12,500 records, because they are
interleaved with 199 other entities' records, and at `random_page_cost = 4` that costs more
than the created_at range scan, which reads the heap in order. (`SET random_page_cost = 1.1`
does not change the plan.) Recommended, in costs/models.py:

1. make the entity index covering: `models.Index(fields=["entity", "created_at"],
   include=["id"], name="request_entity_created_idx")` (PostgreSQL only; +8 MB per million
   records). The records side becomes an Index Only Scan with no heap fetches: measured, the
   aggregate went from 237 ms to 90 ms and the whole endpoint for the largest entity from
   303 ms to 129 ms (median entity 37 -> 32 ms);
2. fold the second pass into the first (costs/selectors.py `_service_groups`):
   `GROUP BY GROUPING SETS ((service_type, unit), (service_type))` with
   `COUNT(DISTINCT record_id)` returns the per-service record count from the same scan
   (measured 88 ms for both together with 1), which should bring the endpoint to ~100 ms.

Not worth it: a covering index on the lines (`record_id` INCLUDE service_type, unit,
quantity, cost) is 199 MB and saved 5 ms. Past ~30,000 records per entity in a window, the
join over lines grows linearly (a few microseconds per line); at that size the answer is a
daily roll-up table (entity, day, service, unit -> cost, quantity, records) maintained when
usage is recorded, with only the two partial days at the window's edges read from the ledger.
Records counted per day add up exactly, because a record belongs to one day.

**Admin changelist with a filter: 185-320 ms (met).** With an entity filter the SQL is
9-17 ms; the rest is rendering 100 rows of 12 columns and the 200-entity filter list. With
`?operation_type=` the paginator's `COUNT(*)` is a parallel sequential scan of the records
(110-145 ms); an index on (operation_type, created_at) makes it 23 ms (42 MB): optional.
The first admin page a process serves takes 650-880 ms: the filter choices
(`CachedColumnValuesFilter`) run `SELECT DISTINCT operation_type, task_type, status_code`
over the whole ledger (~290 ms) and keep it in Django's default local-memory cache, so every
daphne process pays it again every 5 minutes. Recommended (config/settings.py): `CACHES` on
Redis, already a dependency, so one process fills it for all.

**Storage: ~940 B per request record with its lines and indexes (target 500 B): MISSED.**
Per record, from the table above: the record's row ~182 B (172 B tuples), its nine indexes
~229 B, three usage-line rows ~425 B (136 B each: 24 B tuple header, `breakdown` 33 B,
`model` 16, `service_type` 15, `unit` 13, `id` and `record_id` 16, three numerics 16,
padding), and the lines' two indexes ~102 B (primary key 68, record FK 34). Seed 000's
600-800 B is a JSON document with no index. Measured on copies of the tables:

1. drop the `..._request_id_..._like` index (Django adds a `varchar_pattern_ops` index to
   every unique `CharField` on PostgreSQL; nothing searches request ids by prefix, the admin
   search is exact): declare uniqueness with `models.UniqueConstraint(fields=["request_id"])`
   instead of `unique=True`: -39 B;
2. `entity` FK with `db_index=False` (the (entity, created_at) index serves it): -7 B
   (and +8 B for the INCLUDE above);
3. store `breakdown` only when it says more than `{unit: quantity}` (NULL otherwise, filled in
   when read; in the generated ledger, as in seed 000's example, it never does): -78 B;
4. keep (service_type, unit, model) in a small table and give each line a smallint key to it,
   numeric columns first so nothing is padded: -152 B.

That is ~670 B, about 29% less, with no change in behaviour; smallint codes for
operation_type, task_type, endpoint and method would save ~30 B more. A composite primary
key (record, line number) instead of `id` plus the FK index saves only ~7 B. Under 500 B is
not reachable with one row per usage line and this index set: every PostgreSQL row costs
28 B before its data, and the record's indexes alone are ~190 B even trimmed. Measured: the
usage stored on the record as four arrays (meter ids, quantities, unit prices, costs), with
no usage-line table, is 459 B per record with freshly built indexes (~480 B once they have
aged), at the price of `unnest()` in every per-service query. Recommended: do 1-4, and set
the target at ~700 B, or take the inline design if 500 B is a hard limit.
"""


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
        f"bench/ledger.py with {generated['records']:,} request records and "
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
        "**server time**: Django's test `Client` in the driver process against the same "
        "database, with the same settings as daphne, so middleware, DRF, every query and the "
        "rendering, without HTTP (the test client keeps its connection between requests, so "
        "the pool checkout daphne does per request is not in it); and as **round trip**: over "
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
    lines += [LEDGER_ANALYSIS.strip(), ""]
    return lines
