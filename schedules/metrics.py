"""Prometheus metrics of schedules, read from their run records at scrape time.

Firings happen in every cluster's tick, on any machine, so in-process counters would each
see a slice; the run table sees them all (as tasks.metrics reads the task table).
"""
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily

from schedules.models import RunTrigger, ScheduleRun
from tasks.models import ACTIVE_STATUSES

DELAY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600)


class ScheduleCollector:
    """Runs by schedule and status, and how late each firing was behind its due time."""

    def collect(self):
        runs = CounterMetricFamily(
            "taskledger_schedule_runs",
            "Schedule firings that are over, by schedule and status: the task's final status "
            "(completed, failed, cancelled), or skipped, missed or error when it made none.",
            labels=["schedule", "status"])
        rows = (ScheduleRun.objects.exclude(status__in=ACTIVE_STATUSES).order_by()
                .values_list("schedule__schedule_id", "status").annotate(count=Count("id")))
        for schedule_id, status, count in rows:
            runs.add_metric([schedule_id, status], count)
        yield runs
        yield _delays()


def _delays() -> HistogramMetricFamily:
    """Seconds from each scheduled firing's due time to its recording, per schedule."""
    delay = ExpressionWrapper(F("fired_at") - F("scheduled_for"), output_field=DurationField())
    buckets = {
        f"le_{index}": Count("id", filter=Q(delay__lte=timedelta(seconds=bound)))
        for index, bound in enumerate(DELAY_BUCKETS)
    }
    rows = (ScheduleRun.objects.filter(trigger=RunTrigger.SCHEDULE).order_by()
            .annotate(delay=delay).values("schedule__schedule_id")
            .annotate(count=Count("id"), total=Sum("delay"), **buckets))
    family = HistogramMetricFamily(
        "taskledger_schedule_firing_delay_seconds",
        "How long after its due time each scheduled firing was recorded.", labels=["schedule"])
    for row in rows:
        cumulative = [(str(float(bound)), row[f"le_{index}"])
                      for index, bound in enumerate(DELAY_BUCKETS)]
        cumulative.append(("+Inf", row["count"]))
        family.add_metric([row["schedule__schedule_id"]], cumulative,
                          sum_value=row["total"].total_seconds())
    return family
