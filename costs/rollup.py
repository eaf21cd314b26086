"""The ledger's SQL writes: a record's usage with its daily roll-up, and the roll-up's rebuild.

Both keep the roll-up exact. PostgreSQL's numeric adds exactly. SQLite keeps a decimal column
as a float of 15 significant digits, and adding floats drifts in the last places, so there
each amount is added as an integer count of its smallest unit (1e-10 USD, 1e-6 of a
quantity): exact for every value SQLite can hold.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from costs.models import DailyCost, Meter, RequestRecord

COST_SCALE = 10 ** 10  # DailyCost.cost's and a usage line's decimal places
QUANTITY_SCALE = 10 ** 6

_TABLE = DailyCost._meta.db_table
_RECORDS = RequestRecord._meta.db_table
_COLUMNS = ("day, entity_id, service_type, unit, cost, quantity, line_count, "
            "unpriced_line_count, record_count")
# Typed on PostgreSQL, which reads them in a SELECT list (usage_write's INSERT ... SELECT).
_TYPES = ("date", "bigint", "varchar", "varchar", "numeric", "numeric", "bigint", "bigint",
          "bigint")
# The conflict target names the partial unique index the row falls under (models.py).
_CONFLICT = {
    True: "(day, entity_id, service_type, unit) WHERE entity_id IS NOT NULL",
    False: "(day, service_type, unit) WHERE entity_id IS NULL",
}


@dataclass(frozen=True)
class DailyCostDelta:
    """What one usage_record call adds to its day's row."""

    day: date
    entity_id: int | None
    service_type: str
    unit: str
    cost: Decimal
    quantity: Decimal
    lines: int  # 1 when the use became a new line, 0 when it merged into one
    unpriced_lines: int
    records: int  # 1 when it is the record's first line of this service

    def params(self) -> list:
        return [self.day, self.entity_id, self.service_type, self.unit, self.cost,
                self.quantity, self.lines, self.unpriced_lines, self.records]


def _exact_add(left: str, right: str, scale: int) -> str:
    if connection.vendor == "sqlite":
        return (f"(CAST(ROUND({left} * {scale}) AS INTEGER) + "
                f"CAST(ROUND({right} * {scale}) AS INTEGER)) / {scale}.0")
    return f"{left} + {right}"


def _exact_sum(column: str, scale: int) -> str:
    if connection.vendor == "sqlite":
        return f"SUM(CAST(ROUND({column} * {scale}) AS INTEGER)) / {scale}.0"
    return f"SUM({column})"


def _utc_day(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"date({column})"  # SQLite stores aware datetimes as UTC text
    return f"({column} AT TIME ZONE 'UTC')::date"


def _values() -> str:
    if connection.vendor == "postgresql":
        return ", ".join(f"%s::{type_}" for type_ in _TYPES)
    return ", ".join(["%s"] * len(_TYPES))


def _on_conflict(delta: DailyCostDelta) -> str:
    """Add to the day's row when it exists: two writers adding to it at once both count
    (the second waits for the first's row)."""
    table = connection.ops.quote_name(_TABLE)
    counters = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in (
        "line_count", "unpriced_line_count", "record_count"))
    return (
        f"ON CONFLICT {_CONFLICT[delta.entity_id is not None]} DO UPDATE SET "
        f"cost = {_exact_add(f'{table}.cost', 'excluded.cost', COST_SCALE)}, "
        f"quantity = {_exact_add(f'{table}.quantity', 'excluded.quantity', QUANTITY_SCALE)}, "
        f"{counters}"
    )


def daily_cost_add(delta: DailyCostDelta) -> None:
    """Add one use to its day's row, creating the row if it is the day's first."""
    table = connection.ops.quote_name(_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({_COLUMNS}) VALUES ({_values()}) "
                       f"{_on_conflict(delta)}", delta.params())


def usage_write(*, record: RequestRecord, expected: str | None, usage: str, cost: Decimal,
                unpriced: bool, delta: DailyCostDelta) -> bool:
    """Store a record's new usage, cost and unpriced flag and add `delta` to the roll-up,
    both or neither; with `expected`, only while the stored usage is still that text.

    Returns whether it wrote. On PostgreSQL it is one statement (data-modifying WITHs) sent
    in autocommit: one round trip. A concurrent writer's UPDATE of the row waits for this
    one and then finds `expected` gone, so no use is ever lost.
    """
    quote = connection.ops.quote_name
    update = (f"UPDATE {quote(_RECORDS)} SET usage = %s, cost = %s, unpriced = %s "
              "WHERE id = %s" + (" AND usage = %s" if expected is not None else ""))
    update_params = [usage, cost, unpriced, record.pk,
                     *([expected] if expected is not None else [])]
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(update, update_params)
            if cursor.rowcount != 1:
                return False
            daily_cost_add(delta)
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH record AS ({update} RETURNING 1), day AS ("
            f"INSERT INTO {quote(_TABLE)} ({_COLUMNS}) SELECT {_values()} FROM record "
            f"{_on_conflict(delta)}) SELECT count(*) FROM record",
            [*update_params, *delta.params()],
        )
        return cursor.fetchone()[0] == 1


def _usage_elements() -> tuple[str, dict[str, str]]:
    """The FROM clause spreading each record's usage into its lines, and each line's parts."""
    if connection.vendor == "sqlite":
        part = "json_extract(e.value, '$[{}]')".format
        return "JOIN json_each(r.usage) e", {
            "meter": part(0), "price": part(1), "quantity": part(2), "cost": part(3),
            "position": "e.key",
        }
    return "CROSS JOIN LATERAL jsonb_array_elements(r.usage::jsonb) WITH ORDINALITY e(v, n)", {
        "meter": "(e.v->>0)::bigint", "price": "e.v->>1", "quantity": "(e.v->>2)::numeric",
        "cost": "(e.v->>3)::numeric", "position": "e.n",
    }


def daily_cost_fill() -> None:
    """Insert every day's rows computed from the records' usage into an empty roll-up."""
    quote = connection.ops.quote_name
    elements, part = _usage_elements()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(_TABLE)} ({_COLUMNS}) "
            f"SELECT day, entity_id, service_type, unit, "
            f"{_exact_sum('cost', COST_SCALE)}, {_exact_sum('quantity', QUANTITY_SCALE)}, "
            "COUNT(*), SUM(CASE WHEN price IS NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN service_position = 1 THEN 1 ELSE 0 END) FROM ("
            f"SELECT {_utc_day('r.created_at')} AS day, r.entity_id, m.service_type, m.unit, "
            f"{part['price']} AS price, {part['cost']} AS cost, "
            f"{part['quantity']} AS quantity, ROW_NUMBER() OVER ("
            f"PARTITION BY r.id, m.service_type ORDER BY {part['position']}) AS service_position "
            f"FROM {quote(_RECORDS)} r {elements} "
            f"JOIN {quote(Meter._meta.db_table)} m ON m.id = {part['meter']}"
            ") lines GROUP BY day, entity_id, service_type, unit"
        )


def daily_cost_lock() -> None:
    """Keep writers out of the roll-up until this transaction ends (PostgreSQL; SQLite's
    write transactions exclude each other already). Readers still see the committed rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(_TABLE)} IN EXCLUSIVE MODE")
