"""The daily cost roll-up's SQL: add one usage line to it, or fill it from the whole ledger.

Both write exact sums. PostgreSQL's numeric adds exactly. SQLite keeps a decimal column as
a float of 15 significant digits, and adding floats drifts in the last places, so there
each amount is added as an integer count of its smallest unit (1e-10 USD, 1e-6 of a
quantity): exact for every value SQLite can hold.
"""
from datetime import timezone as dt_timezone

from django.db import connection, transaction

from costs.models import DailyCost, RequestRecord, UsageLine

COST_SCALE = 10 ** 10  # DailyCost.cost's and UsageLine.cost's decimal places
QUANTITY_SCALE = 10 ** 6

_TABLE = DailyCost._meta.db_table
_COLUMNS = "day, entity_id, service_type, unit, cost, quantity, line_count, unpriced_line_count"
# The conflict target names the partial unique index the row falls under (models.py).
_CONFLICT = {
    True: "(day, entity_id, service_type, unit) WHERE entity_id IS NOT NULL",
    False: "(day, service_type, unit) WHERE entity_id IS NULL",
}


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


def _daily_cost_add_sql(*, record: RequestRecord, line: UsageLine) -> tuple[str, list]:
    """One INSERT ... ON CONFLICT DO UPDATE adding `line` to its day's row: two processes
    adding to the same row at once both count (the second waits for the first's row)."""
    table = connection.ops.quote_name(_TABLE)
    day = record.created_at.astimezone(dt_timezone.utc).date()
    return (
        f"INSERT INTO {table} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, 1, %s) "
        f"ON CONFLICT {_CONFLICT[record.entity_id is not None]} DO UPDATE SET "
        f"cost = {_exact_add(f'{table}.cost', 'excluded.cost', COST_SCALE)}, "
        f"quantity = {_exact_add(f'{table}.quantity', 'excluded.quantity', QUANTITY_SCALE)}, "
        f"line_count = {table}.line_count + 1, "
        f"unpriced_line_count = {table}.unpriced_line_count + excluded.unpriced_line_count",
        [day, record.entity_id, line.service_type, line.unit, line.cost, line.quantity,
         int(line.unpriced)],
    )


def daily_cost_add(*, record: RequestRecord, line: UsageLine) -> None:
    """Add a usage line to its day's row, creating the row if it is the day's first."""
    with connection.cursor() as cursor:
        cursor.execute(*_daily_cost_add_sql(record=record, line=line))


def usage_line_insert(*, record: RequestRecord, line: UsageLine) -> None:
    """Insert an unsaved usage line and add it to its day's row, both or neither.

    On PostgreSQL that is one statement (a data-modifying WITH) sent in autocommit: one
    round trip where a transaction takes four (BEGIN, two INSERTs, COMMIT). A job's request
    thread records each answer this way before it sends its next request.
    """
    if connection.vendor != "postgresql":
        with transaction.atomic():
            line.save(force_insert=True)
            daily_cost_add(record=record, line=line)
        return
    fields = [field for field in UsageLine._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    day_sql, day_params = _daily_cost_add_sql(record=record, line=line)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH day AS ({day_sql}) "
            f"INSERT INTO {quote(UsageLine._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote('id')}",
            [*day_params,
             *(field.get_db_prep_save(getattr(line, field.attname), connection) for field in fields)],
        )
        line.pk = cursor.fetchone()[0]
    line._state.adding, line._state.db = False, connection.alias


def daily_cost_fill() -> None:
    """Insert every day's rows computed from the ledger into an empty roll-up."""
    table = connection.ops.quote_name(_TABLE)
    lines = connection.ops.quote_name(UsageLine._meta.db_table)
    records = connection.ops.quote_name(RequestRecord._meta.db_table)
    day = _utc_day("r.created_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({_COLUMNS}) "
            f"SELECT {day}, r.entity_id, l.service_type, l.unit, "
            f"{_exact_sum('l.cost', COST_SCALE)}, {_exact_sum('l.quantity', QUANTITY_SCALE)}, "
            "COUNT(*), SUM(CASE WHEN l.unpriced THEN 1 ELSE 0 END) "
            f"FROM {lines} l JOIN {records} r ON r.id = l.record_id "
            f"GROUP BY {day}, r.entity_id, l.service_type, l.unit"
        )


def daily_cost_lock() -> None:
    """Keep writers out of the roll-up until this transaction ends (PostgreSQL; SQLite's
    write transactions exclude each other already). Readers still see the committed rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(_TABLE)} IN EXCLUSIVE MODE")
