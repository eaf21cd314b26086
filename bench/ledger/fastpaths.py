"""The ledger's two fixed-SQL reads against the ORM reads they replace, within one run.

    DATABASE_URL=postgres://.../DB python -m bench.ledger.fastpaths --rounds 20 --ids 20

DB is a migrated PostgreSQL database with a ledger in it, e.g. filled by
`python -m bench.ledger.driver generate --records 50000 --entities 20 --days 30`.

Token authentication (core/authentication.py) and a task's or document's cost rows
(costs/selectors.py) are read with fixed SQL (core/fixedsql.py) for the ledger target
"cost endpoints <= 3x the SQL they issue" (docs/benchmarks.md). This times
`GET /api/tasks/{task_id}/cost`, `GET /api/documents/{doc_id}/cost` and, as a plain API
request, `GET /api/tasks/queue/status`, each with either read as fixed SQL or through the
ORM (DRF's own TokenAuthentication, a queryset), the four combinations interleaved request
by request so that a loaded machine slows them alike. Server time and SQL replayed are
taken as bench/ledger/driver.py takes them: Django's request handler in this process, and
the SELECTs the request issued run again through a separate psycopg connection.
"""
import argparse
import os
import random
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--ids", type=int, default=20, help="task and document ids sampled")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    import psycopg
    from django.contrib.auth import get_user_model
    from django.core.handlers.base import BaseHandler
    from django.db import connection
    from django.test.client import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from rest_framework import exceptions
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication
    from rest_framework.authtoken.models import Token
    from rest_framework.views import APIView

    from bench.harness.ledger_fill import dsn_of_default
    from core import authentication
    from core.throttling import FailedAuthenticationThrottle
    from costs import selectors

    class OrmTokenAuthentication(DrfTokenAuthentication):
        """DRF's own token lookup, with the same failed-authentication throttle."""

        def authenticate(self, request):
            throttle = FailedAuthenticationThrottle()
            throttle.check(request)
            try:
                return super().authenticate(request)
            except exceptions.AuthenticationFailed:
                throttle.failure_record()
                raise

    class OrmBearerAuthentication(OrmTokenAuthentication):
        keyword = "Bearer"

    fixed_rows = selectors._cost_rows

    def orm_rows(*, user, column, value):
        return [list(row) for row in selectors.request_record_visible(user=user)
                .filter(**{column: value}).order_by()
                .values_list("created_at", "completed_at", "usage", "task_id")]

    fixed_token = (authentication.TokenAuthentication, authentication.BearerTokenAuthentication)
    orm_token = (OrmTokenAuthentication, OrmBearerAuthentication)
    variants = {
        "token fixed, rows fixed": (fixed_token, fixed_rows),
        "token ORM,   rows fixed": (orm_token, fixed_rows),
        "token fixed, rows ORM  ": (fixed_token, orm_rows),
        "token ORM,   rows ORM  ": (orm_token, orm_rows),
    }

    def use(variant: str) -> None:
        token_classes, rows = variants[variant]
        APIView.authentication_classes = [*token_classes, SessionAuthentication]
        selectors._cost_rows = rows

    raw = psycopg.connect(**dsn_of_default(), autocommit=True)
    user, _ = get_user_model().objects.get_or_create(username="bench-fastpaths",
                                                     defaults={"is_staff": True})
    key = Token.objects.get_or_create(user=user)[0].key
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT task_id FROM costs_requestrecord WHERE task_id <> '' "
                       "LIMIT 2000")
        task_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT DISTINCT doc_id FROM costs_requestrecord WHERE doc_id <> '' "
                       "LIMIT 2000")
        doc_ids = [row[0] for row in cursor.fetchall()]
    paths = {
        "task cost": [f"/api/tasks/{task_id}/cost"
                      for task_id in rng.sample(task_ids, options.ids)],
        "document cost": [f"/api/documents/{doc_id}/cost"
                          for doc_id in rng.sample(doc_ids, options.ids)],
        "queue status": ["/api/tasks/queue/status"] * options.ids,
    }
    handler = BaseHandler()
    handler.load_middleware()
    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def server_seconds(path: str) -> float:
        request = factory.get(path, HTTP_AUTHORIZATION=f"Token {key}")
        began = time.perf_counter()
        response = handler.get_response(request)
        elapsed = time.perf_counter() - began
        if response.status_code not in (200, 202):
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return elapsed

    def sql_seconds(path: str) -> tuple[float, int]:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            handler.get_response(factory.get(path, HTTP_AUTHORIZATION=f"Token {key}"))
        statements = [query["sql"] for query in captured.captured_queries
                      if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        began = time.perf_counter()
        for sql in statements:
            cursor = raw.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
        return time.perf_counter() - began, len(statements)

    for variant in variants:  # warm-up: every variant on every path once
        use(variant)
        for group in paths.values():
            for path in group:
                server_seconds(path)
    server = {(variant, name): [] for variant in variants for name in paths}
    sql = {(variant, name): [] for variant in variants for name in paths}
    statements = {}
    for _ in range(options.rounds):
        for name, group in paths.items():
            for index, path in enumerate(group):
                order = list(variants)
                rng.shuffle(order)
                for variant in order:
                    use(variant)
                    if index % 2:  # alternate which meets the cache the other left
                        spent, count = sql_seconds(path)
                        server[(variant, name)].append(server_seconds(path))
                    else:
                        server[(variant, name)].append(server_seconds(path))
                        spent, count = sql_seconds(path)
                    sql[(variant, name)].append(spent)
                    statements[(variant, name)] = count
    print(f"{connection.vendor}, {options.rounds} rounds x {options.ids} ids, "
          f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    for name in paths:
        first = None
        for variant in variants:
            server_ms = statistics.median(server[(variant, name)]) * 1000
            sql_ms = statistics.median(sql[(variant, name)]) * 1000
            first = server_ms if first is None else first
            print(f"{name:14} {variant}: server p50 {server_ms:.2f} ms ({server_ms - first:+.2f}), "
                  f"SQL p50 {sql_ms:.2f} ms ({statements[(variant, name)]} statements), "
                  f"server / SQL {server_ms / sql_ms:.2f}x")


if __name__ == "__main__":
    main()
