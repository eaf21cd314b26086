from datetime import datetime, timezone
from decimal import Decimal

from django.db import migrations

from articles.defaults import DEFAULT_COST_INDICES

# A cached analysis is recorded as a line at $0 (service-wide: any model of the service).
CACHED_PRICES = [("openai_chat", "cached_results"), ("offline_analyzer", "cached_results")]
EFFECTIVE_FROM = datetime(2025, 1, 1, tzinfo=timezone.utc)


def load(apps, schema_editor):
    CostIndex = apps.get_model("articles", "CostIndex")
    for code, name, unit, description, keywords in DEFAULT_COST_INDICES:
        CostIndex.objects.get_or_create(code=code, defaults={
            "name": name, "unit": unit, "description": description, "keywords": keywords})
    Price = apps.get_model("costs", "Price")
    for service_type, unit in CACHED_PRICES:
        Price.objects.get_or_create(
            service_type=service_type, model="", unit=unit, effective_from=EFFECTIVE_FROM,
            defaults={"unit_price": Decimal(0), "note": "a cached article analysis costs nothing"})


def unload(apps, schema_editor):
    Price = apps.get_model("costs", "Price")
    for service_type, unit in CACHED_PRICES:
        Price.objects.filter(service_type=service_type, model="", unit=unit,
                             effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("costs", "0004_ledger_storage"),
    ]

    operations = [migrations.RunPython(load, unload)]
