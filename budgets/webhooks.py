"""BUDGET_WEBHOOK_URL: each budget alert POSTed as JSON by a tracked task, retried with backoff.

The delivery is a task of its own (kind `budgets.alert_webhook`), so it never runs inside
the request or the job that crossed the threshold, it is retried by the task framework's
backoff (RETRY_BASE_DELAY * 2**(n-1)) on a network error or a 5xx/429 answer, and every
attempt is noted on the alert (attempts, last answer, sent or failed).
"""
import json
import urllib.error
import urllib.request

from django.conf import settings

from budgets.models import BudgetAlert
from budgets.services import WEBHOOK_KIND, webhook_attempt_record
from tasks.errors import PermanentError, RetryableError
from tasks.registry import job_register

WEBHOOK_RETRY_LIMIT = 5


def alert_payload(alert: BudgetAlert) -> dict:
    """The webhook's JSON body."""
    return {
        "event": "budget.threshold_crossed",
        "alert_id": alert.pk,
        "entity_id": alert.budget.entity.entity_id,
        "budget": {"id": alert.budget_id, "label": alert.budget_label,
                   "mode": alert.budget.mode, "period": alert.budget.period,
                   "service_type": alert.budget.service_type or None,
                   "task_kind": alert.budget.task_kind or None},
        "amount_usd": str(alert.amount_usd.normalize()),
        "spent_usd": str(alert.spent_usd.normalize()),
        "reserved_usd": str(alert.reserved_usd.normalize()),
        "threshold_percent": alert.threshold_percent,
        "period_start": alert.period_start.isoformat(),
        "period_end": alert.period_end.isoformat() if alert.period_end else None,
        "created_at": alert.created_at.isoformat(),
    }


@job_register(WEBHOOK_KIND, retry_limit=WEBHOOK_RETRY_LIMIT, timeout=120,
              description="POST a budget alert to BUDGET_WEBHOOK_URL.")
def budget_alert_webhook(progress, *, alert_pk: int) -> dict:
    alert = BudgetAlert.objects.select_related("budget__entity").filter(pk=alert_pk).first()
    if alert is None:
        raise PermanentError(f"budget alert {alert_pk} no longer exists")
    url = settings.BUDGET_WEBHOOK_URL
    if not url:
        raise PermanentError("BUDGET_WEBHOOK_URL is not set any more; the alert is not sent")
    final = progress.task.attempts >= progress.task.max_attempts
    request = urllib.request.Request(
        url, data=json.dumps(alert_payload(alert)).encode(), method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "TaskLedger budget alerts"})
    try:
        with urllib.request.urlopen(request, timeout=settings.BUDGET_WEBHOOK_TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code = exc.code
        error = f"the webhook answered HTTP {code}"
        retryable = code >= 500 or code == 429
        webhook_attempt_record(alert_pk=alert_pk, response_code=code, error=error, sent=False,
                               final=final or not retryable)
        raise (RetryableError if retryable else PermanentError)(error) from None
    except (urllib.error.URLError, OSError) as exc:
        error = f"could not reach the webhook: {getattr(exc, 'reason', exc)}"
        webhook_attempt_record(alert_pk=alert_pk, response_code=None, error=error, sent=False,
                               final=final)
        raise RetryableError(error) from None
    webhook_attempt_record(alert_pk=alert_pk, response_code=code, error="", sent=True, final=True)
    return {"alert_id": alert_pk, "status_code": code}
