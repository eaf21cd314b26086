"""The cost ledger at production size, written as usage_record leaves it (PostgreSQL COPY).

Shared by the ledger scenario (which then times the ledger's reads) and the admin
scenario (which adds tasks, documents and articles around the same records).

generate: fills the ledger with PostgreSQL COPY (psycopg `cursor.copy()`, text format) in
created_at order, so ids grow with time and the indexes grow as a live ledger's would; each
record carries its usage as `usage_record` leaves it (costs/usage.py: compact JSON text,
uses of one meter and price merged into one line, the record's `cost` and `unpriced`); then
VACUUM (ANALYZE), as autovacuum would have done to an insert-mostly table, and builds the
daily cost roll-up from the records (`daily_cost_rebuild`: COPY bypasses `usage_record`,
which keeps it). The data (seeded, reproducible):
- tasks arrive over `days` days (business hours busier), each for one of `entities`
  entities, Zipf-skewed (s=0.5: the largest has ~4% of the ledger, the median ~0.4%);
- a task has the API request that created it (95%; 0 usage lines, as in the app), one job
  attempt, a retry after a failed attempt (15%, twice at most), and sometimes a cancel
  request: ~2.1 records per task_id;
- kinds: upload (`file_upload`/`upload`, a new doc_id on its attempts: file_processor
  pages, transformer chunks, openai_embedding per batch of 16 chunks, a gpt summary on 60%),
  analyze (`article_analyze`, openai_chat input / cached input / output tokens per call,
  on one of the entity's documents half the time) and embed (`embedding_generate`,
  re-embeds one of the entity's documents in batches); a failed attempt keeps the lines
  it paid for before failing; 0.05% of chat lines are for a model without a price;
- usage at the default prices (costs/defaults.py), cost = quantity x unit price exactly.
"""
import bisect
import itertools
import math
import random
import time
from collections import deque
from datetime import datetime, timezone
from decimal import Decimal

DAY = 86400
SEED = 20251122
# Bijective scramblers (odd multipliers mod 2**bits): ids that look random, never collide.
_MUL48, _MUL64 = 0x9E3779B97F4B, 0x9E3779B97F4A7C15

# Hour-of-day weights (UTC): a business-day curve.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 10, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1]

EMBED_MODELS = [("text-embedding-3-small", 0.8), ("text-embedding-3-large", 0.2)]
CHAT_MODELS = [("gpt-4o-mini", 0.7), ("gpt-4.1-mini", 0.2), ("gpt-4o", 0.1)]
UNPRICED_MODEL = "gpt-5-preview"  # no price row: recorded as unpriced, cost 0
UNPRICED_SHARE = 0.0005

KINDS = [  # kind, share of tasks, operation_type, task_type
    ("upload", 0.45, "file_upload", "upload"),
    ("analyze", 0.30, "article_analyze", "analyze"),
    ("embed", 0.25, "embedding_generate", "embed"),
]
API_CREATED = 0.95   # tasks created through POST /api/tasks/ (the rest by other tasks)
RETRY_SHARE = 0.15   # an attempt fails and is retried (at most 3 attempts)
CANCEL_SHARE = 0.015
ERRORS = {
    503: "RetryableError: upstream 429 Too Many Requests (attempt will be retried)",
    500: "PermanentError: upstream 429 Too Many Requests; attempts exhausted",
    499: "cancelled by user",
}

# --- records ---------------------------------------------------------------------------


class _Prices:
    """The default prices (costs/defaults.py, loaded by migration): each one's id, and USD
    per unit as an integer of 1e-10 USD (the ledger's ten decimal places)."""

    def __init__(self):
        from costs.defaults import DEFAULT_PRICES
        from costs.models import Price

        ids = {(price.service_type, price.model, price.unit): price.pk
               for price in Price.objects.all()}
        self.by_key = {}
        for service_type, model, unit, unit_price, _note in DEFAULT_PRICES:
            scaled = unit_price * Decimal(10) ** 10
            if scaled != scaled.to_integral_value():
                raise SystemExit(f"price {unit_price} has more than 10 decimal places")
            self.by_key[(service_type, model, unit)] = (ids[(service_type, model, unit)],
                                                         int(scaled))

    def get(self, service_type: str, unit: str, model: str) -> tuple[int, int] | None:
        price = self.by_key.get((service_type, model, unit))
        if price is None:
            price = self.by_key.get((service_type, "", unit))
        return price


class _Meters:
    """Meter ids, created on first use as usage_record creates them."""

    def __init__(self):
        self.ids = {}

    def get(self, service_type: str, unit: str, model: str) -> int:
        key = (service_type, unit, model)
        if key not in self.ids:
            from costs.meters import meter_id

            self.ids[key] = meter_id(service_type=service_type, unit=unit, model=model)
        return self.ids[key]


def _money(units_1e10: int) -> str:
    return f"{units_1e10 // 10**10}.{units_1e10 % 10**10:010d}"


def _amount(units_1e10: int) -> str:
    """As costs/usage.py writes an amount: no trailing zeros."""
    return _money(units_1e10).rstrip("0").rstrip(".")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(sep=" ")


class Generator:
    """Produces the ledger's rows in created_at order, as COPY text lines."""

    def __init__(self, *, records: int, entities: list[tuple[int, list[int]]], days: int,
                 end: float, seed: int = SEED):
        self.rng = random.Random(seed)
        self.target_records = records
        self.entities = entities  # (pk, member user pks)
        weights = [1 / (rank + 1) ** 0.5 for rank in range(len(entities))]
        self.entity_cum = list(itertools.accumulate(weights))
        self.days, self.end = days, end
        self.start = end - days * DAY
        self.hour_cum = list(itertools.accumulate(HOUR_WEIGHTS))
        self.kind_cum = list(itertools.accumulate(share for _, share, _, _ in KINDS))
        self.prices = _Prices()
        self.meters = _Meters()
        self.docs = {pk: deque(maxlen=300) for pk, _ in entities}
        self.counters = {"request": 0, "task": 0, "doc": 0}
        self.record_id = 0
        self.uses = 0  # usage_record calls the records stand for
        self.lines = 0  # lines stored (uses of one meter and price on a record merged)
        self.tasks = 0
        self.unpriced = 0

    # ids -------------------------------------------------------------------------------
    def _next(self, name: str) -> int:
        self.counters[name] += 1
        return self.counters[name]

    def request_id(self) -> str:
        return f"req_{(self._next('request') * _MUL48 + 0x5A17) & (2**48 - 1):012x}"

    def task_id(self) -> str:
        return f"task_{(self._next('task') * _MUL64 + 0x7A5C) & (2**64 - 1):016x}"

    def doc_id(self) -> str:
        return f"doc_{(self._next('doc') * _MUL48 + 0xD0C) & (2**48 - 1):012x}"

    def _pick(self, options):
        roll, total = self.rng.random(), 0.0
        for value, share in options:
            total += share
            if roll < total:
                return value
        return options[-1][0]

    # usage -----------------------------------------------------------------------------
    def _chat_call(self, model, lines, input_low, input_high):
        rng = self.rng
        if rng.random() < UNPRICED_SHARE:
            model = UNPRICED_MODEL
        prompt = rng.randint(input_low, input_high)
        lines.append(("openai_chat", "input_tokens", prompt, model))
        if rng.random() < 0.47:
            lines.append(("openai_chat", "cached_input_tokens", rng.randint(256, prompt), model))
        lines.append(("openai_chat", "output_tokens", rng.randint(80, 1200), model))

    def _usage(self, kind: str) -> tuple[list, float]:
        """Usage lines a successful attempt of `kind` records, and its duration in seconds."""
        rng = self.rng
        lines = []
        if kind == "upload":
            pages = min(400, max(1, int(rng.lognormvariate(math.log(8), 0.9))))
            chunks = max(1, round(pages * rng.uniform(2, 6)))
            lines.append(("file_processor", "pages", pages, ""))
            lines.append(("transformer", "chunks", chunks, ""))
            model = self._pick(EMBED_MODELS)
            for first in range(0, chunks, 16):
                batch = min(16, chunks - first)
                lines.append(("openai_embedding", "input_tokens",
                              batch * rng.randint(180, 480), model))
            if rng.random() < 0.6:
                self._chat_call(self._pick(CHAT_MODELS), lines, 1500, 12000)
            return lines, pages * rng.uniform(0.2, 0.6) + 0.5
        if kind == "analyze":
            model = self._pick(CHAT_MODELS)
            calls = rng.randint(1, 3)
            for _ in range(calls):
                self._chat_call(model, lines, 600, 6000)
            return lines, calls * rng.uniform(1.5, 8)
        chunks = rng.randint(16, 160)
        model = self._pick(EMBED_MODELS)
        for first in range(0, chunks, 16):
            batch = min(16, chunks - first)
            lines.append(("openai_embedding", "input_tokens",
                          batch * rng.randint(180, 480), model))
        return lines, chunks * rng.uniform(0.02, 0.08) + 0.3

    # records ---------------------------------------------------------------------------
    def _task_records(self, arrival: float) -> list[tuple]:
        """Every record of one task: (created_at, fields, usage) tuples, unsorted."""
        rng = self.rng
        entity_pk, members = self.entities[
            bisect.bisect(self.entity_cum, rng.random() * self.entity_cum[-1])
        ]
        user_pk = rng.choice(members)
        kind, _, operation_type, task_type = KINDS[
            bisect.bisect(self.kind_cum, rng.random() * self.kind_cum[-1])
        ]
        task_id = self.task_id()
        docs = self.docs[entity_pk]
        if kind == "upload":
            doc_id = self.doc_id()
            docs.append(doc_id)
        elif docs and (kind == "embed" or rng.random() < 0.5):
            doc_id = rng.choice(docs)
        elif kind == "embed":
            doc_id = self.doc_id()
            docs.append(doc_id)
        else:
            doc_id = ""
        records = []
        if rng.random() < API_CREATED:
            took = rng.uniform(0.008, 0.045)
            records.append((arrival, (
                task_id, "", entity_pk, user_pk, "task_create", kind, "/api/tasks", "POST",
                201, round(took * 1000, 3), "", arrival + took), []))
        planned, duration = self._usage(kind)
        started = arrival + rng.uniform(0.03, 1.5)
        cancel = rng.random() < CANCEL_SHARE
        for attempt in range(1, 4):
            failing = rng.random() < RETRY_SHARE
            if cancel:
                took = duration * rng.uniform(0.1, 0.9)
                at = started + took * rng.uniform(0.1, 0.9)
                records.append((at, (
                    task_id, "", entity_pk, user_pk, "task_cancel", kind,
                    "/api/tasks/{task_id}/cancel", "POST", 200,
                    round(rng.uniform(0.01, 0.05) * 1000, 3), "", at + 0.02), []))
                status, usage = 499, planned[:rng.randint(0, len(planned) - 1)]
            elif failing:
                took = duration * rng.uniform(0.05, 0.9)
                status = 503 if attempt < 3 else 500
                usage = planned[:rng.randint(0, len(planned) - 1)]
            else:
                took, status, usage = duration * rng.uniform(0.8, 1.25), 200, planned
            records.append((started, (
                task_id, doc_id, entity_pk, user_pk, operation_type, task_type,
                f"job:{kind}", "JOB", status, round(took * 1000, 3), ERRORS.get(status, ""),
                started + took), usage))
            if status != 503:
                break
            started += took + 2 * 2 ** attempt * rng.uniform(0.75, 1.25)
        self.tasks += 1
        return records

    def _arrivals(self, day: int, count: int) -> list[float]:
        rng, base = self.rng, self.start + day * DAY
        hours = [bisect.bisect(self.hour_cum, rng.random() * self.hour_cum[-1])
                 for _ in range(count)]
        return sorted(base + hour * 3600 + rng.random() * 3600 for hour in hours)

    def rows(self, *, records_per_task: float):
        """Yield COPY rows of records in created_at order, `target_records` records.

        Each day gets the tasks still needed spread over the days left, so the ledger ends
        at `end` with the number of records asked for; the last day has a few tasks too
        many and loses the records that come after the target (open work at that moment).
        """
        pending: list[tuple] = []
        created = emitted = 0
        for day in range(self.days + 1):
            if day < self.days:
                days_left = self.days - day
                count = max(0, round((self.target_records - created) / records_per_task
                                     / days_left * (1.02 if days_left == 1 else 1)))
                for arrival in self._arrivals(day, count):
                    task_records = self._task_records(arrival)
                    created += len(task_records)
                    pending.extend(task_records)
                horizon = self.start + (day + 1) * DAY
            else:
                horizon = float("inf")
            pending.sort(key=lambda record: record[0])
            cut = bisect.bisect_left([record[0] for record in pending], horizon)
            ready, pending = pending[:cut], pending[cut:]
            for created_at, fields, usage in ready:
                if emitted >= self.target_records:
                    return
                emitted += 1
                yield self._format(created_at, fields, usage)

    def _stored_usage(self, usage) -> tuple[str, int, bool]:
        """The record's usage as costs/usage.py stores it, its cost in 1e-10 USD, unpriced.

        Every breakdown is {unit: quantity}, so none is stored; uses of one meter and price
        merge, as usage_record merges them.
        """
        lines = {}  # (meter id, price id) -> [quantity, cost]
        for service_type, unit, quantity, model in usage:
            self.uses += 1
            price = self.prices.get(service_type, unit, model)
            if price is None:
                self.unpriced += 1
            key = (self.meters.get(service_type, unit, model), price and price[0])
            line = lines.setdefault(key, [0, 0])
            line[0] += quantity
            line[1] += quantity * price[1] if price else 0
        self.lines += len(lines)
        text = ",".join(
            f'[{meter},{"null" if price is None else price},"{quantity}","{_amount(cost)}"]'
            for (meter, price), (quantity, cost) in lines.items()
        )
        cost = sum(cost for _, cost in lines.values())
        return f"[{text}]", cost, any(price is None for _, price in lines)

    def _format(self, created_at, fields, usage) -> str:
        (task_id, doc_id, entity_pk, user_pk, operation_type, task_type, endpoint, method,
         status, took_ms, error, completed_at) = fields
        self.record_id += 1
        text, cost, unpriced = self._stored_usage(usage)
        return (
            f"{self.record_id}\t{self.request_id()}\t{task_id}\t{doc_id}\t{entity_pk}\t"
            f"{user_pk}\t{operation_type}\t{task_type}\t{endpoint}\t{method}\t{status}\t"
            f"{took_ms}\t{error}\t{_iso(created_at)}\t{_iso(completed_at)}\t{text}\t"
            f"{_money(cost)}\t{'t' if unpriced else 'f'}\n"
        )


RECORD_FIELDS = ("id", "request_id", "task_id", "doc_id", "entity", "user", "operation_type",
                 "task_type", "endpoint", "method", "status_code", "processing_time_ms",
                 "error_message", "created_at", "completed_at", "usage", "cost", "unpriced")


def copy_sql(model, field_names) -> str:
    """COPY statement for these fields; refuses a schema with a required column left out."""
    from django.db import models as dj_models

    meta = model._meta
    columns = [meta.get_field(name).column for name in field_names]
    for field in meta.concrete_fields:
        if (field.column not in columns and not field.null and field.db_default is
                dj_models.NOT_PROVIDED):
            raise SystemExit(
                f"{meta.db_table}.{field.column} is NOT NULL without a database default: "
                "bench/harness/ledger_fill.py needs to learn about it"
            )
    return f'COPY "{meta.db_table}" ({", ".join(columns)}) FROM STDIN'


def _setup_people(entity_count: int) -> list[tuple[int, list[int]]]:
    from django.contrib.auth import get_user_model

    from costs.models import Entity

    User = get_user_model()
    entities = Entity.objects.bulk_create(
        [Entity(entity_id=f"company_{number:03d}", name=f"Company {number}")
         for number in range(1, entity_count + 1)]
    )
    users = User.objects.bulk_create(
        [User(username=f"member_{number:03d}_{slot}", password="!")
         for number in range(1, entity_count + 1) for slot in (1, 2)]
    )
    pairs = [users[index:index + 2] for index in range(0, len(users), 2)]
    Membership = Entity.members.through
    Membership.objects.bulk_create([
        Membership(entity_id=entity.pk, user_id=user.pk)
        for entity, pair in zip(entities, pairs) for user in pair
    ])
    return [(entity.pk, [user.pk for user in pair]) for entity, pair in zip(entities, pairs)]


def _records_per_task() -> float:
    """Expected records per task of the model above (to size the number of tasks)."""
    retries = RETRY_SHARE + RETRY_SHARE ** 2  # expected extra attempts
    return API_CREATED + 1 + retries + CANCEL_SHARE


def dsn_of_default() -> dict:
    """psycopg connection arguments for Django's default database."""
    from django.db import connection

    settings = connection.settings_dict
    dsn = dict(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
               host=settings["HOST"], port=settings["PORT"])
    return {key: value for key, value in dsn.items() if value}


def generate(options) -> dict:
    import psycopg

    from costs.models import RequestRecord
    from costs.services import daily_cost_rebuild

    started = time.monotonic()
    entities = _setup_people(options.entities)
    end = time.time()
    generator = Generator(records=options.records, entities=entities, days=options.days,
                          end=end)
    dsn = dsn_of_default()
    record_copy = copy_sql(RequestRecord, RECORD_FIELDS)
    fk_checks = "skipped per row (session_replication_role=replica)"
    with psycopg.connect(**dsn) as conn:
        try:
            # The rows are consistent by construction; skip 2M per-row FK triggers.
            conn.execute("SET session_replication_role = replica")
        except psycopg.Error:
            conn.rollback()
            fk_checks = "checked per row (not a superuser)"
        with conn.cursor().copy(record_copy) as record_out:
            buffer = []
            for record_row in generator.rows(records_per_task=_records_per_task()):
                buffer.append(record_row)
                if len(buffer) >= 4000:
                    record_out.write("".join(buffer))
                    buffer.clear()
            record_out.write("".join(buffer))
        conn.commit()
    copied = time.monotonic()
    record_table = RequestRecord._meta.db_table
    with psycopg.connect(**dsn, autocommit=True) as conn:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{record_table}', 'id'), "
                     f"(SELECT max(id) FROM \"{record_table}\"))")
        conn.execute(f'VACUUM (ANALYZE) "{record_table}"')
    vacuumed = time.monotonic()
    # COPY bypasses usage_record, which keeps the daily roll-up: build it as after a restore.
    rollup_rows = daily_cost_rebuild()
    rolled_up = time.monotonic()
    with psycopg.connect(**dsn, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # the roll-up and the small tables too
    return {
        "records": generator.record_id,
        "lines": generator.uses,
        "stored_lines": generator.lines,
        "tasks": generator.tasks,
        "documents": generator.counters["doc"],
        "entities": len(entities),
        "days": options.days,
        "unpriced_lines": generator.unpriced,
        "period_end": _iso(end),
        "copy_seconds": round(copied - started, 1),
        "vacuum_analyze_seconds": round(vacuumed - copied + time.monotonic() - rolled_up, 1),
        "rollup_rows": rollup_rows,
        "rollup_seconds": round(rolled_up - vacuumed, 1),
        "fk_checks": fk_checks,
    }
