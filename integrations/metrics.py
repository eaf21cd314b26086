"""Prometheus metrics of the outside services, read from the database at scrape time.

Requests to the providers fail in worker processes (and, for search queries, in web
processes) while any daphne serves /metrics, so the counts are rows, not in-process counters.
"""
from prometheus_client.core import CounterMetricFamily

from integrations.models import ProviderErrorCount


class ProviderErrorCollector:
    """Failed requests to AI providers, by provider and type."""

    def collect(self):
        errors = CounterMetricFamily(
            "taskledger_provider_errors",
            "Failed requests to AI providers, by provider and type.",
            labels=["provider", "type"])
        for provider, error_type, count in (ProviderErrorCount.objects.order_by()
                                            .values_list("provider", "error_type", "count")):
            errors.add_metric([provider, error_type], count)
        yield errors
