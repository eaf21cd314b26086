"""How a request tells the ledger what it was about (task, document, entity, operation)."""
from core.logcontext import log_context_task


def ledger_annotate(request, **fields) -> None:
    """Attach task_id, doc_id, entity, operation_type or task_type to the request's record."""
    request = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    ledger = getattr(request, "ledger", None)
    if ledger is not None:
        ledger.update(fields)
    log_context_task(fields.get("task_id", ""))


class LedgerViewMixin:
    """DRF views: name the operation `<basename>_<action>` unless the view says otherwise."""

    def initial(self, request, *args, **kwargs):
        action = getattr(self, "action", None) or request.method.lower()
        ledger_annotate(request, operation_type=f"{getattr(self, 'basename', 'api')}_{action}")
        super().initial(request, *args, **kwargs)
