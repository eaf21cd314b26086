"""Move every usage line onto its record's `usage`, lines of one meter and price merged as
usage_record merges them, and recompute the daily cost roll-up from the result (its
record_count is new, and merged lines count once). Exact: Decimals throughout, in Python.

A line kept its unit price, not the price row: the row is the one that was in force for
its service, unit and model when the record was created, at that unit price (prices in
force are never changed or deleted, so it exists). Going back writes one line row per
(merged) line.
"""
from collections import defaultdict
from datetime import timezone as dt_timezone
from decimal import Decimal
from itertools import groupby

from django.db import migrations

from costs.usage import UsageLine, breakdown_compact, breakdown_of, lines_merge, usage_cost

BATCH = 1000


class _Catalogue:
    """Meter ids (created as needed) and price ids for the old lines."""

    def __init__(self, apps):
        self.meter_model = apps.get_model("costs", "Meter")
        self.meters = {}
        self.prices = defaultdict(list)
        for price in apps.get_model("costs", "Price").objects.all():
            self.prices[(price.service_type, price.unit, price.model)].append(price)

    def meter_id(self, service_type: str, unit: str, model: str) -> int:
        key = (service_type, unit, model)
        if key not in self.meters:
            self.meters[key] = self.meter_model.objects.get_or_create(
                service_type=service_type, unit=unit, model=model)[0].pk
        return self.meters[key]

    def price_id(self, service_type: str, unit: str, model: str, unit_price: Decimal, at) -> int:
        candidates = [price for price in self.prices[(service_type, unit, model)]
                      + (self.prices[(service_type, unit, "")] if model else [])
                      if price.unit_price == unit_price]
        in_force = [price for price in candidates if price.effective_from <= at]
        chosen = max(in_force or candidates, default=None,
                     key=lambda price: (price.model != "", price.effective_from))
        if chosen is None:
            raise RuntimeError(f"no price row of {service_type}/{model} per {unit} at "
                               f"{unit_price}: a usage line cannot name the price it was billed at")
        return chosen.pk


def _move(apps, schema_editor):
    RequestRecord = apps.get_model("costs", "RequestRecord")
    DailyCost = apps.get_model("costs", "DailyCost")
    catalogue = _Catalogue(apps)
    # (day, entity, service, unit) -> [cost, quantity, lines, unpriced lines, records]
    daily = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0, 0])
    rows = (
        apps.get_model("costs", "UsageLine").objects.order_by("record_id", "id")
        .values_list("record_id", "record__created_at", "record__entity_id", "service_type",
                     "unit", "model", "quantity", "breakdown", "unit_price", "cost", "unpriced")
        .iterator(chunk_size=2000)
    )
    updated = []
    for record_id, lines in groupby(rows, key=lambda row: row[0]):
        usage, services = [], set()
        for (_, created_at, entity_id, service_type, unit, model, quantity, breakdown,
             unit_price, cost, unpriced) in lines:
            line = UsageLine(
                meter_id=catalogue.meter_id(service_type, unit, model),
                price_id=None if unpriced else catalogue.price_id(
                    service_type, unit, model, unit_price, created_at),
                quantity=quantity, cost=cost,
                breakdown=breakdown_compact(breakdown, unit=unit, quantity=quantity)
                if breakdown else None,
            )
            day = daily[(created_at.astimezone(dt_timezone.utc).date(), entity_id,
                         service_type, unit)]
            day[0] += cost
            day[1] += quantity
            for index, existing in enumerate(usage):
                merged = lines_merge(existing, line, unit=unit)
                if merged is not None:
                    usage[index] = merged
                    break
            else:
                usage.append(line)
                day[2] += 1
                day[3] += line.unpriced
                day[4] += service_type not in services
                services.add(service_type)
        updated.append(RequestRecord(pk=record_id, usage=usage, cost=usage_cost(usage),
                                     unpriced=any(line.unpriced for line in usage)))
        if len(updated) >= BATCH:
            RequestRecord.objects.bulk_update(updated, ["usage", "cost", "unpriced"])
            updated.clear()
    RequestRecord.objects.bulk_update(updated, ["usage", "cost", "unpriced"])
    DailyCost.objects.all().delete()
    DailyCost.objects.bulk_create([
        DailyCost(day=day, entity_id=entity_id, service_type=service_type, unit=unit,
                  cost=cost, quantity=quantity, line_count=lines, unpriced_line_count=unpriced,
                  record_count=records)
        for (day, entity_id, service_type, unit), (cost, quantity, lines, unpriced, records)
        in daily.items()
    ], batch_size=BATCH)


def _move_back(apps, schema_editor):
    """One usage line row per (merged) line, for going back to 0007."""
    LineRow = apps.get_model("costs", "UsageLine")
    meters = {meter.pk: meter for meter in apps.get_model("costs", "Meter").objects.all()}
    prices = dict(apps.get_model("costs", "Price").objects.values_list("pk", "unit_price"))
    rows = (apps.get_model("costs", "RequestRecord").objects.exclude(usage="[]")
            .values_list("pk", "usage").iterator(chunk_size=2000))
    created = []
    for record_id, usage in rows:
        for line in usage:
            meter = meters[line.meter_id]
            created.append(LineRow(
                record_id=record_id, service_type=meter.service_type, unit=meter.unit,
                model=meter.model, quantity=line.quantity, cost=line.cost,
                breakdown=breakdown_of(line, meter.unit), unit_price=prices.get(line.price_id),
                unpriced=line.unpriced,
            ))
        if len(created) >= BATCH:
            LineRow.objects.bulk_create(created)
            created.clear()
    LineRow.objects.bulk_create(created)


class Migration(migrations.Migration):

    dependencies = [
        ("costs", "0007_usage_on_record"),
    ]

    operations = [
        migrations.RunPython(_move, _move_back),
    ]
