"""What a unit of a service costs at a given moment."""
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, IntegerField, Value, When

from costs.models import Price

COST_PLACES = Decimal("0.0000000001")  # UsageLine.cost keeps ten decimal places


def price_lookup(*, service_type: str, unit: str, model: str, at: datetime) -> Price | None:
    """The price in force at `at`: the model's own if it has one, else the service's."""
    return (
        Price.objects.filter(service_type=service_type, unit=unit, model__in=[model, ""],
                             effective_from__lte=at)
        .annotate(specific=Case(When(model="", then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
        .order_by("-specific", "-effective_from")
        .first()
    )


def cost_of(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Exact cost, rounded half-even to ten decimal places (well below a millionth of a cent)."""
    return (quantity * unit_price).quantize(COST_PLACES)
