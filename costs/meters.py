"""Meter ids, cached per process: a record's usage lines name their meter by id.

A meter never changes once created (service type, unit and model are its identity) and is
never deleted, so the cache never goes stale. Only a test's rollback or flush takes rows
away: tests clear the cache, and the browser tests, whose servers outlive the flush, put the
rows back (tests/pages/conftest.py).
"""
import threading

from costs.models import Meter

_ids: dict[tuple[str, str, str], int] = {}
_meters: dict[int, Meter] = {}
_lock = threading.Lock()


def _remember(meters) -> None:
    with _lock:
        for meter in meters:
            _ids[(meter.service_type, meter.unit, meter.model)] = meter.pk
            _meters[meter.pk] = meter


def meter_id(*, service_type: str, unit: str, model: str) -> int:
    """The id of the meter for this service, unit and model, created on first use."""
    found = _ids.get((service_type, unit, model))
    if found is None:
        # get_or_create survives a race: the loser's insert fails on meter_unique, and it
        # reads the winner's row.
        meter, _ = Meter.objects.get_or_create(service_type=service_type, unit=unit, model=model)
        _remember([meter])
        found = meter.pk
    return found


def meters_get(ids) -> dict[int, Meter]:
    """The meters with these ids (read from the database only for ids not seen yet)."""
    missing = {pk for pk in ids if pk not in _meters}
    if missing:
        _remember(Meter.objects.filter(pk__in=missing))
    return {pk: _meters[pk] for pk in ids if pk in _meters}


def meter_cache_clear() -> None:
    with _lock:
        _ids.clear()
        _meters.clear()
