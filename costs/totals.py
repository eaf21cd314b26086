"""What some of the ledger cost, per service: the one place its usage lines are summed.

A task's, a document's or an entity's cost, the admin's columns and the API's roll-ups all
add up here, exactly (Decimal): the usage lines of some records (costs/usage.py), and rows
of the daily roll-up (costs/rollup.py) standing for whole days of them.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from costs.meters import meters_get
from costs.usage import UsageLine


@dataclass
class ServiceTotal:
    """One service's share: its cost, the records with a line of it, its quantity per unit,
    its lines and how many of them had no price (counted as $0)."""

    cost: Decimal = Decimal(0)
    records: int = 0
    quantities: dict[str, Decimal] = field(default_factory=dict)
    lines: int = 0
    unpriced_lines: int = 0


@dataclass
class CostTotals:
    """Per-service totals, services in the order they first appeared."""

    services: dict[str, ServiceTotal] = field(default_factory=dict)

    def add_usages(self, usages: Iterable[list[UsageLine]]) -> "CostTotals":
        """Add each record's usage lines (one list per record)."""
        usages = list(usages)
        meters = meters_get({line.meter_id for usage in usages for line in usage})
        for usage in usages:
            seen = set()
            for line in usage:
                meter = meters[line.meter_id]
                total = self._service(meter.service_type)
                total.cost += line.cost
                total.quantities[meter.unit] = (
                    total.quantities.get(meter.unit, Decimal(0)) + line.quantity)
                total.lines += 1
                total.unpriced_lines += line.unpriced
                if meter.service_type not in seen:
                    seen.add(meter.service_type)
                    total.records += 1
        return self

    def add_rolled_up(self, *, service_type: str, cost: Decimal, unit: str | None = None,
                      quantity: Decimal = Decimal(0), records: int = 0, lines: int = 0,
                      unpriced_lines: int = 0) -> None:
        """Add what the daily roll-up holds for a service (and unit) over some days."""
        total = self._service(service_type)
        total.cost += cost
        total.records += records
        total.lines += lines
        total.unpriced_lines += unpriced_lines
        if unit is not None:
            total.quantities[unit] = total.quantities.get(unit, Decimal(0)) + quantity

    def _service(self, service_type: str) -> ServiceTotal:
        total = self.services.get(service_type)
        if total is None:
            total = self.services[service_type] = ServiceTotal()
        return total

    @property
    def by_service(self) -> dict[str, Decimal]:
        """Each service's cost, services in name order."""
        return {service: self.services[service].cost for service in sorted(self.services)}

    @property
    def total(self) -> Decimal:
        return sum(self.by_service.values(), Decimal(0))

    @property
    def lines(self) -> int:
        return sum(total.lines for total in self.services.values())

    @property
    def unpriced_lines(self) -> int:
        return sum(total.unpriced_lines for total in self.services.values())

    @property
    def unpriced(self) -> bool:
        return self.unpriced_lines > 0


def usage_totals(usages: Iterable[list[UsageLine]]) -> CostTotals:
    """Per-service totals of some records' usage (one list of lines per record)."""
    return CostTotals().add_usages(usages)
