"""Driver: the cost ledger at production size (request records with their usage, reads on them).

    python -m bench.ledger.driver generate --records 1000000 --entities 200 --days 90
    python -m bench.ledger.driver measure --port PORT --repeats 30

Run by bench/run.py (`python -m bench.run --only ledger` runs this benchmark alone), each
phase in its own process with DATABASE_URL pointing at a fresh, migrated PostgreSQL
database; `measure` needs a daphne serving that database on PORT.

generate: fills the ledger (bench/harness/ledger_fill.py, which the admin scenario
shares).

measure: every endpoint timed in this process through Django's request handler (server-side
time: middleware, view, SQL, serialisation; no HTTP) and over HTTP against the daphne
(round trip on loopback); the SQL each request issued (CaptureQueriesContext) replayed
with psycopg on its own connection; EXPLAIN (ANALYZE, BUFFERS) of the slowest statements;
table and index sizes. Prints one `RESULT {json}` line (bench.harness.processes.emit_result).
"""
import argparse
import http.client
import os
import random
import statistics
import time

import django

from bench.harness.ledger_fill import SEED, dsn_of_default, generate

# --- statistics ------------------------------------------------------------------------


def _median(values):
    return statistics.median(values) if values else None


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"p50": _median(ms), "p90": _percentile(ms, 0.9), "min": min(ms), "max": max(ms),
            "n": len(ms)}


# --- measure ---------------------------------------------------------------------------


def _raw_connection():
    import psycopg

    return psycopg.connect(**dsn_of_default(), autocommit=True)


def _replay(raw, statements: list[str]) -> list[float]:
    """Execute the captured statements as they are, fetching every row; seconds each."""
    times = []
    for sql in statements:
        began = time.perf_counter()
        cursor = raw.execute(sql)
        if cursor.description is not None:
            cursor.fetchall()
        times.append(time.perf_counter() - began)
    return times


def _is_read(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def _explain(raw, sql: str) -> list[str]:
    rows = raw.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
    return [row[0] for row in rows]


class Measure:
    def __init__(self, options):
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.core.handlers.base import BaseHandler
        from django.test.client import RequestFactory
        from rest_framework.authtoken.models import Token

        user, _ = get_user_model().objects.get_or_create(
            username="bench-operator",
            defaults={"is_staff": True, "is_superuser": True},
        )
        self.token = Token.objects.get_or_create(user=user)[0].key
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)  # a session in the database: daphne accepts it too
        self.session_cookie = self.client.cookies["sessionid"].value
        # Timed requests go straight to Django's request handling (middleware, view,
        # rendering), as a server hands them over; the test Client adds its own per-request
        # instrumentation (template and exception signal hooks connected and disconnected on
        # every request, which also empties the signals' receiver caches), not server time.
        self.handler = BaseHandler()
        self.handler.load_middleware()
        self.factory = RequestFactory(HTTP_HOST="127.0.0.1")
        self.options = options
        self.raw = _raw_connection()
        self.http = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)

    def _headers(self, api: bool) -> dict:
        if api:
            return {"Authorization": f"Token {self.token}"}
        return {"Cookie": f"sessionid={self.session_cookie}"}

    def inprocess(self, path: str, api: bool, db_seconds: list | None = None) -> float:
        """Seconds for one request through the whole Django stack, in this process.

        `db_seconds` collects the time spent inside cursor.execute() (sending, the server's
        work, receiving every row; not turning rows into Python objects).
        """
        from django.db import connection

        extra = ({"HTTP_AUTHORIZATION": f"Token {self.token}"} if api
                 else {"HTTP_COOKIE": f"sessionid={self.session_cookie}"})
        request = self.factory.get(path, **extra)
        spent = [0.0]

        def timed(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - began

        with connection.execute_wrapper(timed):
            began = time.perf_counter()
            response = self.handler.get_response(request)
            elapsed = time.perf_counter() - began
        if db_seconds is not None:
            db_seconds.append(spent[0])
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}: "
                             f"{response.content[:400]!r}")
        return elapsed

    def over_http(self, path: str, api: bool) -> float:
        began = time.perf_counter()
        self.http.request("GET", path, headers=self._headers(api))
        response = self.http.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - began
        if response.status != 200:
            raise SystemExit(f"daphne: GET {path} answered {response.status}: {body[:400]!r}")
        return elapsed

    def captured(self, path: str, api: bool) -> list[dict]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        extra = {"HTTP_AUTHORIZATION": f"Token {self.token}"} if api else {}
        with CaptureQueriesContext(connection) as context:
            self.client.get(path, **extra)
        return [{"sql": query["sql"], "ms": float(query["time"]) * 1000}
                for query in context.captured_queries]

    def endpoint(self, name: str, paths: list[str], *, api: bool) -> dict:
        """Server-side (in-process), round trip (daphne) and SQL replay, one sample per path."""
        print(f"ledger: {name} ...", flush=True)
        first_ms = self.inprocess(paths[0], api) * 1000  # cold-ish: first sight of it here
        for path in paths:  # warm: every id once, so that each method meets the same cache
            self.inprocess(path, api)
        inprocess, raw_total, db_seconds, first_statements = [], [], [], None
        per_statement: list[list[float]] = []
        for index, path in enumerate(paths):
            statements = [q["sql"] for q in self.captured(path, api)]
            replayable = [sql for sql in statements if _is_read(sql)]
            if first_statements is None:
                first_statements = statements
                per_statement = [[] for _ in replayable]
            # Alternate which goes first, so neither always meets the cache the other left.
            if index % 2:
                replay = _replay(self.raw, replayable)
                inprocess.append(self.inprocess(path, api, db_seconds))
            else:
                inprocess.append(self.inprocess(path, api, db_seconds))
                replay = _replay(self.raw, replayable)
            raw_total.append(sum(replay))
            if len(replay) == len(per_statement):
                for slot, seconds in zip(per_statement, replay):
                    slot.append(seconds)
        for path in paths[:3]:
            self.over_http(path, api)  # warm the daphne process and its pool
        round_trip = [self.over_http(path, api) for path in paths]
        replayed = [sql for sql in first_statements if _is_read(sql)]
        statement_rows = [{"sql": sql, "p50_ms": _median(times) * 1000}
                          for sql, times in zip(replayed, per_statement)]
        slowest = sorted(range(len(statement_rows)),
                         key=lambda i: -statement_rows[i]["p50_ms"])[:2]
        for position in slowest:
            row = statement_rows[position]
            row["explain"] = _explain(self.raw, row["sql"])
        server = _summary_ms(inprocess)
        raw = _summary_ms(raw_total)
        return {
            "paths": paths[:3],
            "distinct_paths": len(set(paths)),
            "first_ms": first_ms,
            "server_ms": server,
            "round_trip_ms": _summary_ms(round_trip),
            "raw_sql_ms": raw,
            "in_execute_ms": _summary_ms(db_seconds),
            "ratio": server["p50"] / raw["p50"] if raw["p50"] else None,
            "statements": len(first_statements),
            "not_replayed": len(first_statements) - len(replayed),
            "statement_detail": statement_rows,
        }


def _sample(raw, sql: str, count: int, rng: random.Random) -> list:
    values = [row[0] for row in raw.execute(sql).fetchall()]
    if len(values) < count:
        raise SystemExit(f"only {len(values)} candidates for {sql!r}")
    return rng.sample(values, count)


def _sizes(raw, tables: list[str], records: int) -> dict:
    out = {"tables": {}}
    total = 0
    for table in tables:
        heap, toast_and_all, indexes = raw.execute(
            "SELECT pg_relation_size(%s), pg_total_relation_size(%s), pg_indexes_size(%s)",
            [table, table, table]).fetchone()
        rows = raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        index_rows = raw.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass ORDER BY 2 DESC", [table]).fetchall()
        sample = raw.execute(
            f'SELECT avg(pg_column_size(t.*)) FROM "{table}" t TABLESAMPLE SYSTEM (1)'
        ).fetchone()[0]
        out["tables"][table] = {
            "rows": rows,
            "heap_bytes": heap,
            "other_bytes": toast_and_all - heap - indexes,  # TOAST, free space and VM maps
            "index_bytes": indexes,
            "total_bytes": toast_and_all,
            "avg_tuple_bytes": float(sample) if sample is not None else None,
            "indexes": {name: size for name, size in index_rows},
        }
        total += toast_and_all
    out["total_bytes"] = total
    out["bytes_per_record"] = total / records if records else None
    return out


def measure(options) -> dict:
    from django.db import connection
    from django.db.models import Count

    from costs.models import Entity, Meter, RequestRecord

    rng = random.Random(SEED + 1)
    session = Measure(options)
    raw = session.raw
    record_table, meter_table = RequestRecord._meta.db_table, Meter._meta.db_table
    records, lines = raw.execute(
        f'SELECT count(*), sum(json_array_length(usage::json)) FROM "{record_table}"'
    ).fetchone()
    per_entity = list(
        RequestRecord.objects.order_by().values_list("entity").annotate(n=Count("id"))
        .order_by("-n", "entity")
    )
    largest_pk, largest_n = per_entity[0]
    median_pk, median_n = per_entity[len(per_entity) // 2]
    entity_ids = dict(Entity.objects.values_list("pk", "entity_id"))
    n = options.repeats
    sample = f'FROM "{record_table}" TABLESAMPLE SYSTEM (2) REPEATABLE (7)'
    task_ids = _sample(raw, f"SELECT task_id {sample} WHERE task_id <> '' AND method = 'JOB'",
                       n, rng)
    doc_ids = _sample(raw, f"SELECT doc_id {sample} WHERE doc_id <> ''", n, rng)
    task_records = [raw.execute(f'SELECT count(*) FROM "{record_table}" WHERE task_id = %s',
                                [t]).fetchone()[0] for t in task_ids]
    doc_records = [raw.execute(f'SELECT count(*) FROM "{record_table}" WHERE doc_id = %s',
                               [d]).fetchone()[0] for d in doc_ids]
    window = raw.execute(
        f'SELECT count(*), sum(json_array_length(usage::json)) FROM "{record_table}" '
        "WHERE entity_id = %s AND created_at >= now() - interval '30 days'",
        [largest_pk]).fetchone()
    window_median = raw.execute(
        f'SELECT count(*) FROM "{record_table}" WHERE entity_id = %s AND created_at >= now() - '
        "interval '30 days'", [median_pk]).fetchone()[0]

    endpoints = {}
    plan = [
        ("task_cost", [f"/api/tasks/{t}/cost" for t in task_ids], True),
        ("document_cost", [f"/api/documents/{d}/cost" for d in doc_ids], True),
        ("requests_by_task", [f"/api/requests?task_id={t}" for t in task_ids], True),
        ("requests_by_doc", [f"/api/requests?doc_id={d}" for d in doc_ids], True),
        ("rollup_median_entity",
         [f"/api/entities/{entity_ids[median_pk]}/costs?group_by=service"] * n, True),
        ("rollup_largest_entity",
         [f"/api/entities/{entity_ids[largest_pk]}/costs?group_by=service"] * n, True),
        ("admin_median_entity",
         [f"/admin/costs/requestrecord/?entity_id={entity_ids[median_pk]}"] * n, False),
        ("admin_largest_entity",
         [f"/admin/costs/requestrecord/?entity_id={entity_ids[largest_pk]}"] * n, False),
        ("admin_operation_type",
         ["/admin/costs/requestrecord/?operation_type=article_analyze"] * n, False),
    ]
    for name, paths, api in plan:
        endpoints[name] = session.endpoint(name, paths, api=api)
    session.http.close()
    result = {
        "records": records,
        "lines": lines,
        "repeats": n,
        "entities": {
            "largest": {"entity_id": entity_ids[largest_pk], "records": largest_n,
                        "records_30d": window[0], "lines_30d": window[1]},
            "median": {"entity_id": entity_ids[median_pk], "records": median_n,
                       "records_30d": window_median},
        },
        "records_per_sampled_task": _median(task_records),
        "records_per_sampled_doc": _median(doc_records),
        "endpoints": endpoints,
        "sizes": _sizes(raw, [record_table, meter_table], records),
        "postgres_settings": dict(raw.execute(
            "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'jit', 'random_page_cost', 'effective_cache_size')"
        ).fetchall()),
    }
    raw.close()
    connection.close()
    return result


def main() -> None:
    from bench.harness.processes import emit_result

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="phase", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--records", type=int, default=1_000_000)
    gen.add_argument("--entities", type=int, default=200)
    gen.add_argument("--days", type=int, default=90)
    mes = sub.add_parser("measure")
    mes.add_argument("--port", type=int, required=True)
    mes.add_argument("--repeats", type=int, default=30)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    emit_result(generate(options) if options.phase == "generate" else measure(options))


if __name__ == "__main__":
    main()
