"""What a unit of a service costs at a given moment.

Prices are read on every usage line a job records, so each process keeps the price rows of
the (service, unit, model) it used for PRICE_CACHE_SECONDS. A price saved or deleted in a
process clears its cache at once; other processes see the change within that time, so give
a new price an `effective_from` at least that far ahead for an exact cut-over.

A usage line names the price it was recorded at by id; those prices were in force, and a
price in force is never changed or deleted (costs/admin.py), so they are cached by id for
good.
"""
import threading
import time
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from costs.models import Price

COST_PLACES = Decimal("0.0000000001")  # a usage line's cost keeps ten decimal places

_cache: dict[tuple[str, str, str], tuple[float, list[Price]]] = {}
_by_id: dict[int, Price] = {}
_cache_lock = threading.Lock()


def price_lookup(*, service_type: str, unit: str, model: str, at: datetime) -> Price | None:
    """The price in force at `at`: the model's own if it has one, else the service's."""
    in_force = [price for price in _candidates(service_type, unit, model)
                if price.effective_from <= at]
    return max(in_force, key=lambda price: (price.model != "", price.effective_from),
               default=None)


def _candidates(service_type: str, unit: str, model: str) -> list[Price]:
    """Every price row, past and future, that could apply to this service, unit and model."""
    key = (service_type, unit, model)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < settings.PRICE_CACHE_SECONDS:
        return cached[1]
    rows = list(Price.objects.filter(service_type=service_type, unit=unit,
                                     model__in=[model, ""]))
    with _cache_lock:
        _cache[key] = (now, rows)
    return rows


def prices_get(ids) -> dict[int, Price]:
    """The prices with these ids (read from the database only for ids not seen yet)."""
    missing = {pk for pk in ids if pk is not None and pk not in _by_id}
    if missing:
        found = Price.objects.in_bulk(missing)
        with _cache_lock:
            _by_id.update(found)
    return {pk: _by_id[pk] for pk in ids if pk in _by_id}


def price_cache_clear(**kwargs) -> None:
    """Forget every cached price (a price was saved or deleted, or a test starts)."""
    with _cache_lock:
        _cache.clear()
        _by_id.clear()


def cost_of(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Exact cost, rounded half-even to ten decimal places (well below a millionth of a cent)."""
    return (quantity * unit_price).quantize(COST_PLACES)
