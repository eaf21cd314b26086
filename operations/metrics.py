"""GET /metrics in Prometheus' text format, for a scraper on an allowed network or with the token.

Access: `Authorization: Bearer $METRICS_TOKEN` when METRICS_TOKEN is set, or a client address
inside METRICS_ALLOWED_NETWORKS (loopback by default). Anything else is a 403 saying which.
"""
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from budgets.metrics import BudgetCollector
from costs.metrics import LedgerCollector
from integrations.metrics import ProviderErrorCollector
from schedules.metrics import ScheduleCollector
from tasks.metrics import TaskCollector

registry = CollectorRegistry(auto_describe=False)
registry.register(TaskCollector())
registry.register(ProviderErrorCollector())
registry.register(LedgerCollector())
registry.register(ScheduleCollector())
registry.register(BudgetCollector())


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(
        header.removeprefix("Bearer ").strip(), token
    ):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        return JsonResponse({
            "detail": "metrics are served to METRICS_ALLOWED_NETWORKS or with "
                      "'Authorization: Bearer <METRICS_TOKEN>'",
            "code": "forbidden",
        }, status=403)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
