"""Prometheus metrics of the ledger: money spent by service and entity, and unpriced usage.

Costs are summed from the daily roll-up (a row per day, entity, service and unit), never
from the records, so a scrape's work grows with days and entities, not with traffic;
unpriced lines are read from the records flagged unpriced, through their partial index.
The figures are still computed at most once per METRICS_LEDGER_CACHE_SECONDS in each web
process.
"""
import threading
import time
from collections import Counter

from django.conf import settings
from django.db.models import Sum
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from costs.models import DailyCost
from costs.selectors import usage_unpriced_summary


class LedgerCollector:
    def __init__(self):
        self._lock = threading.Lock()
        self._cached_at = None
        self._rows = []
        self._unpriced = []

    def collect(self):
        self._refresh()
        cost = CounterMetricFamily(
            "taskledger_cost_usd", "Money recorded in the ledger, by service and entity.",
            labels=["service", "entity"])
        for service, entity, total in self._rows:
            cost.add_metric([service, entity or ""], float(total))
        yield cost
        unpriced = GaugeMetricFamily(
            "taskledger_unpriced_usage_lines",
            "Usage lines recorded at cost 0 because no price matched, by service and model.",
            labels=["service", "model"])
        for service, model, count in self._unpriced:
            unpriced.add_metric([service, model], count)
        yield unpriced

    def _refresh(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._cached_at is not None and (
                now - self._cached_at < settings.METRICS_LEDGER_CACHE_SECONDS
            ):
                return
            self._rows = list(
                DailyCost.objects.order_by().values_list("service_type", "entity__entity_id")
                .annotate(total=Sum("cost"))
            )
            unpriced = Counter()
            for row in usage_unpriced_summary():
                unpriced[(row["service_type"], row["model"])] += row["lines"]
            self._unpriced = [(service, model, count)
                              for (service, model), count in unpriced.items()]
            self._cached_at = now
