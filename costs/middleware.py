"""Every API response carries X-Request-ID; every API write is recorded in the ledger."""
import logging
import re
import time

from django.conf import settings
from django.utils import timezone

from core.logcontext import log_context_request
from costs.services import REQUEST_ID_PATTERN, request_id_new, request_record_open

logger = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def endpoint_pattern(request) -> str:
    """The route pattern (`/api/tasks/{task_id}/cancel`), never the raw path."""
    match = request.resolver_match
    if match is None:
        return "unmatched"
    route = _GROUP.sub(r"{\1}", match.route)
    route = route.replace("^", "").replace("$", "").replace("/?", "/").replace("//", "/")
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route.strip("/")


class RequestLedgerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else request_id_new()
        request.ledger = {}
        started_at, started = timezone.now(), time.perf_counter()
        log_context_request(request.request_id)
        response = self.get_response(request)
        if self._metered(request):
            elapsed_ms = (time.perf_counter() - started) * 1000
            request.request_id = self._record(request, response, started_at, elapsed_ms)
        response["X-Request-ID"] = request.request_id
        return response

    @staticmethod
    def _metered(request) -> bool:
        user = getattr(request, "user", None)
        return (
            request.path.startswith("/api/")
            and user is not None and user.is_authenticated
            and (request.method not in SAFE_METHODS or settings.TRACK_READ_REQUESTS)
        )

    @staticmethod
    def _record(request, response, started_at, elapsed_ms) -> str:
        ledger = request.ledger
        writes = request.method not in SAFE_METHODS
        error = ""
        if response.status_code >= 400:
            data = getattr(response, "data", None)
            error = str(data.get("detail", "")) if isinstance(data, dict) else ""
            error = error or f"HTTP {response.status_code}"
        try:
            record = request_record_open(
                request_id=request.request_id,
                operation_type=ledger.get("operation_type") or "api_request",
                task_type=ledger.get("task_type", ""),
                endpoint=endpoint_pattern(request),
                method=request.method,
                entity=ledger.get("entity"),
                user=request.user,
                # A tracked read is kept for audit, but a polling client must not inflate
                # a task's or document's request count, so only writes are attributed.
                task_id=ledger.get("task_id", "") if writes else "",
                doc_id=ledger.get("doc_id", "") if writes else "",
                created_at=started_at,
                status_code=response.status_code,
                processing_time_ms=round(elapsed_ms, 3),
                completed_at=timezone.now(),
                error_message=error,
            )
        except Exception:
            logger.exception("could not record request %s in the ledger", request.request_id)
            return request.request_id
        return record.request_id
