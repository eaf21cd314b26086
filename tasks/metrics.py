"""Prometheus metrics of the task framework, read from the database at scrape time.

Workers are separate processes (several clusters, several machines), so in-process
counters would each see a slice; the task table sees everything. Every figure here is one
grouped query.
"""
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from tasks.clusters import cluster_flow, cluster_liveness, cluster_stuck
from tasks.models import ClusterHeartbeat, Task, TaskPriority, TaskStatus

DURATION_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


class TaskCollector:
    """Tasks by kind and status, queue depth by priority, durations, retries, live clusters."""

    def collect(self):
        tasks = GaugeMetricFamily(
            "taskledger_tasks", "Tasks kept (see TASK_RETENTION_DAYS) by kind and status.",
            labels=["kind", "status"])
        for kind, status, count in (Task.objects.order_by().values_list("kind", "status")
                                    .annotate(count=Count("id"))):
            tasks.add_metric([kind, status], count)
        yield tasks

        depth = GaugeMetricFamily(
            "taskledger_queue_depth", "Pending tasks by priority.", labels=["priority"])
        pending = dict(Task.objects.filter(status=TaskStatus.PENDING).order_by()
                       .values_list("priority").annotate(count=Count("id")))
        for priority in TaskPriority:
            depth.add_metric([priority.label], pending.get(priority.value, 0))
        yield depth

        yield from _durations()

        retries = CounterMetricFamily(
            "taskledger_task_retries", "Attempts beyond each task's first, by kind.",
            labels=["kind"])
        for kind, count in (Task.objects.filter(attempts__gt=1).order_by().values_list("kind")
                            .annotate(retries=Sum(F("attempts") - 1))):
            retries.add_metric([kind], count)
        yield retries

        liveness = cluster_liveness()
        yield GaugeMetricFamily("taskledger_clusters_alive",
                                "qcluster processes that ticked recently.",
                                value=liveness["clusters"])
        yield GaugeMetricFamily("taskledger_workers_alive",
                                "Worker processes of the clusters alive.",
                                value=liveness["workers"])
        flow = cluster_flow()
        yield GaugeMetricFamily(
            "taskledger_cluster_stuck",
            "1 while tasks handed to the workers wait past TASK_STALL_SECONDS unstarted, or a "
            "cluster reports its hand-off queue stalled that long; else 0.",
            value=int(cluster_stuck(flow)))
        yield GaugeMetricFamily(
            "taskledger_tasks_handed_out",
            "Tasks handed to django-q2 that no worker has started (in the broker or a "
            "cluster's hand-off queue).", value=flow["handed_out"])
        rebuilds = CounterMetricFamily(
            "taskledger_cluster_rebuilds",
            "Times a live cluster rebuilt its queues and processes after a death or a wedge.",
            labels=["cluster"])
        for name, count in ClusterHeartbeat.objects.values_list("name", "rebuilds"):
            rebuilds.add_metric([name], count)
        yield rebuilds


def _durations():
    """Completed tasks' last-attempt run time (start to completion), by kind, as a histogram."""
    duration = ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())
    buckets = {
        f"le_{index}": Count("id", filter=Q(duration__lte=timedelta(seconds=bound)))
        for index, bound in enumerate(DURATION_BUCKETS)
    }
    rows = (Task.objects.filter(status=TaskStatus.COMPLETED, started_at__isnull=False)
            .order_by().annotate(duration=duration).values("kind")
            .annotate(count=Count("id"), total=Sum("duration"), **buckets))
    family = HistogramMetricFamily(
        "taskledger_task_duration_seconds", "Run time of completed tasks' last attempt.",
        labels=["kind"])
    for row in rows:
        cumulative = [(str(float(bound)), row[f"le_{index}"])
                      for index, bound in enumerate(DURATION_BUCKETS)]
        cumulative.append(("+Inf", row["count"]))
        family.add_metric([row["kind"]], cumulative, sum_value=row["total"].total_seconds())
    yield family
