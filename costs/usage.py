"""A request record's usage lines, kept on the record as compact JSON text in one column.

Each line is `[meter_id, price_id or null, "quantity", "cost"]`, plus a fifth element, the
breakdown object, only when it says more than `{unit: quantity}`. Amounts are decimal
strings, so they read back exactly on PostgreSQL and SQLite alike. Text rather than jsonb:
jsonb stores these short arrays in about three times the bytes (docs/ledger.md). Ad hoc SQL
reads it as `usage::jsonb` on PostgreSQL or with `json_each(usage)` on SQLite.
"""
import json
from dataclasses import dataclass, replace
from decimal import Decimal
from numbers import Number

from django.db import models


@dataclass(frozen=True)
class UsageLine:
    """What one meter (service, unit, model) consumed for a record, at one price."""

    meter_id: int
    price_id: int | None  # None: no price matched, so the cost is 0
    quantity: Decimal
    cost: Decimal
    breakdown: dict | None = None  # None: just {unit: quantity}

    @property
    def unpriced(self) -> bool:
        return self.price_id is None


def _is_counter(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def breakdown_of(line: UsageLine, unit: str) -> dict:
    """The line's breakdown as recorded (the stored form leaves out a bare {unit: quantity})."""
    if line.breakdown is not None:
        return line.breakdown
    return {unit: int(line.quantity) if line.quantity % 1 == 0 else float(line.quantity)}


def breakdown_compact(breakdown: dict, *, unit: str, quantity: Decimal) -> dict | None:
    """None when the breakdown says no more than {unit: quantity}, else the breakdown."""
    if breakdown.keys() == {unit} and _is_counter(breakdown[unit]) and (
            Decimal(str(breakdown[unit])) == quantity):
        return None
    return breakdown


def lines_merge(line: UsageLine, other: UsageLine, *, unit: str) -> UsageLine | None:
    """One line for both when they share meter and price and their breakdowns differ only
    in counters (numbers, which add); None when they must stay separate lines."""
    if (line.meter_id, line.price_id) != (other.meter_id, other.price_id):
        return None
    first, second = breakdown_of(line, unit), breakdown_of(other, unit)
    if first.keys() != second.keys():
        return None
    merged = {}
    for key, value in first.items():
        if _is_counter(value) and _is_counter(second[key]):
            merged[key] = value + second[key]
        elif value == second[key]:
            merged[key] = value
        else:
            return None
    quantity = line.quantity + other.quantity
    return replace(line, quantity=quantity, cost=line.cost + other.cost,
                   breakdown=breakdown_compact(merged, unit=unit, quantity=quantity))


def amount_text(value: Decimal) -> str:
    """An exact amount without trailing zeros: "0.02", "1500"."""
    return format(value.normalize(), "f")


def usage_dumps(lines: list[UsageLine]) -> str:
    rows = []
    for line in lines:
        row = [line.meter_id, line.price_id, amount_text(line.quantity), amount_text(line.cost)]
        if line.breakdown is not None:
            row.append(line.breakdown)
        rows.append(row)
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def usage_loads(text: str) -> list[UsageLine]:
    return [
        UsageLine(row[0], row[1], Decimal(row[2]), Decimal(row[3]),
                  row[4] if len(row) > 4 else None)
        for row in json.loads(text)
    ]


def usage_cost(lines: list[UsageLine]) -> Decimal:
    """The exact sum of the lines' costs."""
    return sum((line.cost for line in lines), Decimal(0))


class UsageField(models.TextField):
    """A list of UsageLine, stored as the compact JSON text above."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else usage_loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return usage_loads(value)

    def get_prep_value(self, value):
        if isinstance(value, list):
            return usage_dumps(value)
        return value

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))
