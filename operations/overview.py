"""The operator's overview in the admin: queue, running work, outcomes, money, warnings.

Money comes from the daily cost roll-up (costs.models.DailyCost), by UTC day: its size
does not grow with the ledger's.
"""
from datetime import timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from budgets.selectors import budget_alerts_current, budget_overview
from operations.charts import stacked_bars_svg
from costs.selectors import (
    cost_per_day_by_service, entity_top_by_cost, usage_unattributed_summary, usage_unpriced_summary,
)
from integrations.selectors import provider_errors_recent
from tasks.clusters import (
    cluster_flow, cluster_liveness, cluster_mismatch, cluster_mismatch_message, cluster_rebuilt,
    cluster_stuck,
)
from tasks.selectors import queue_depth, task_outcomes_since, task_running

CHART_DAYS = 30


def overview(request):
    now = timezone.now()
    today = now.astimezone(dt_timezone.utc).date()
    days = [today - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1)]
    month_start = today.replace(day=1)
    flow = cluster_flow()
    mismatch = cluster_mismatch()
    context = {
        **admin.site.each_context(request),
        "title": "Overview",
        "queue": queue_depth(),
        "running": task_running(),
        "outcomes": task_outcomes_since(since=now - timedelta(hours=24)),
        "clusters": cluster_liveness(),
        "flow": flow,
        "stuck": cluster_stuck(flow),
        "stall_seconds": f"{settings.TASK_STALL_SECONDS:g}",
        "rebuilt": cluster_rebuilt(),
        "mismatch": mismatch,
        "mismatch_message": mismatch and cluster_mismatch_message(mismatch),
        "chart": mark_safe(_cost_chart(days)),  # built from escaped parts
        "top_entities": entity_top_by_cost(first_day=month_start),
        "month_start": month_start,
        "unpriced": usage_unpriced_summary(),
        "unattributed": usage_unattributed_summary(),
        "provider_errors": provider_errors_recent(),
        "budgets": budget_overview(),
        "budget_alerts": budget_alerts_current(),
    }
    return TemplateResponse(request, "admin/overview.html", context)


def _cost_chart(days) -> str:
    rows = cost_per_day_by_service(first_day=days[0], last_day=days[-1])
    services = sorted({row["service_type"] for row in rows})
    index = {day: position for position, day in enumerate(days)}
    series = {service: [0] * len(days) for service in services}
    for row in rows:
        if row["day"] in index:
            series[row["service_type"]][index[row["day"]]] = row["cost"]
    return stacked_bars_svg([day.strftime("%b %d") for day in days], series)
