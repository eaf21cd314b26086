"""A record's usage lines as people and clients read them: meter and price ids resolved."""
from dataclasses import dataclass
from decimal import Decimal

from costs.meters import meters_get
from costs.pricing import prices_get
from costs.usage import UsageLine, breakdown_of


@dataclass(frozen=True)
class ServiceLine:
    """One `services_used` entry, with the unit, model and unit price it was billed at."""

    service_type: str
    unit: str
    model: str
    quantity: Decimal
    unit_price: Decimal | None
    cost: Decimal
    breakdown: dict
    unpriced: bool


def service_lines(usage: list[UsageLine]) -> list[ServiceLine]:
    """Resolve lines through the per-process meter and price caches."""
    meters = meters_get({line.meter_id for line in usage})
    prices = prices_get({line.price_id for line in usage if line.price_id is not None})
    described = []
    for line in usage:
        meter = meters[line.meter_id]
        price = prices.get(line.price_id)
        described.append(ServiceLine(
            service_type=meter.service_type, unit=meter.unit, model=meter.model,
            quantity=line.quantity, unit_price=price.unit_price if price else None,
            cost=line.cost, breakdown=breakdown_of(line, meter.unit), unpriced=line.unpriced,
        ))
    return described


def service_types(usage: list[UsageLine]) -> list[str]:
    """Each line's service type, in line order."""
    meters = meters_get({line.meter_id for line in usage})
    return [meters[line.meter_id].service_type for line in usage]
