"""Prices are cached per process: exact for changes made here, bounded staleness elsewhere."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from costs.models import Price
from costs.pricing import price_lookup

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _lookup(model="text-embedding-3-small"):
    price = price_lookup(service_type="openai_embedding", unit="input_tokens", model=model, at=NOW)
    return price.unit_price if price else None


def test_price_lookup_prefers_the_models_own_price_then_the_latest_in_force():
    Price.objects.create(service_type="svc", unit="u", model="", unit_price=Decimal("1"),
                         effective_from=NOW - timedelta(days=9))
    Price.objects.create(service_type="svc", unit="u", model="m", unit_price=Decimal("2"),
                         effective_from=NOW - timedelta(days=10))
    Price.objects.create(service_type="svc", unit="u", model="m", unit_price=Decimal("3"),
                         effective_from=NOW + timedelta(days=1))  # not yet in force

    assert price_lookup(service_type="svc", unit="u", model="m", at=NOW).unit_price == 2
    assert price_lookup(service_type="svc", unit="u", model="other", at=NOW).unit_price == 1
    assert price_lookup(service_type="svc", unit="u", model="m",
                        at=NOW + timedelta(days=2)).unit_price == 3
    assert price_lookup(service_type="svc", unit="x", model="m", at=NOW) is None


def test_price_saved_in_this_process_applies_at_once(settings):
    settings.PRICE_CACHE_SECONDS = 3600
    before = _lookup()
    Price.objects.create(service_type="openai_embedding", unit="input_tokens",
                         model="text-embedding-3-small", unit_price=before * 2,
                         effective_from=NOW - timedelta(seconds=1))

    assert _lookup() == before * 2


def test_price_changed_by_another_process_applies_after_the_cache_period(settings):
    settings.PRICE_CACHE_SECONDS = 3600
    before = _lookup()
    # A queryset update sends no signal: as if another process had changed the price.
    Price.objects.filter(service_type="openai_embedding", model="text-embedding-3-small",
                         unit="input_tokens").update(unit_price=before * 3)

    assert _lookup() == before  # still the cached row
    settings.PRICE_CACHE_SECONDS = 0
    assert _lookup() == before * 3
