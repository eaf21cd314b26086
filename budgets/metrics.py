"""Prometheus metrics of budgets, read from the alert table at scrape time (any process may
record an alert: a web request reserving, a worker's paid call)."""
from django.db.models import Count
from prometheus_client.core import CounterMetricFamily

from budgets.models import BudgetAlert


class BudgetCollector:
    """Soft-threshold alerts recorded, by entity and budget (its label, e.g. month)."""

    def collect(self):
        alerts = CounterMetricFamily(
            "taskledger_budget_alerts",
            "Budget alerts: a budget's spend plus reservations reached its soft threshold "
            "(once per budget and period).", labels=["entity", "budget"])
        rows = (BudgetAlert.objects.order_by().values_list("entity__entity_id", "budget_label")
                .annotate(count=Count("id")))
        for entity_id, label, count in rows:
            alerts.add_metric([entity_id, label], count)
        yield alerts
