"""Soft-threshold alerts: recorded once per budget and period, counted on /metrics, shown on
the admin overview, logged with the entity, and POSTed to BUDGET_WEBHOOK_URL by a tracked
task that retries with backoff (a real HTTP server on loopback answers it)."""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from budgets.models import BudgetAlert, WebhookStatus
from budgets.services import WEBHOOK_KIND
from tasks.models import Task, TaskStatus
from tests.budgets.helpers import budget_make, submit


class WebhookServer:
    """Answers each POST with the next status in `statuses` (then 200) and keeps the bodies."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.bodies = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.bodies.append((self.headers["Content-Type"], json.loads(body)))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/budget"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def alert_samples() -> dict:
    response = Client().get("/metrics")
    assert response.status_code == 200
    return {tuple(sorted(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples if sample.name == "taskledger_budget_alerts_total"}


@pytest.mark.django_db
def test_crossing_the_threshold_alerts_once_per_period(entity, client, staff, caplog,
                                                       django_capture_on_commit_callbacks):
    budget_make(entity, "0.010", mode="soft", threshold=80)
    with caplog.at_level(logging.WARNING, logger="budgets.services"), \
            django_capture_on_commit_callbacks(execute=True):
        submit(entity)  # 50%: no alert
        assert not BudgetAlert.objects.exists()
        submit(entity, document_id="b")  # 100% reserved: the alert
        submit(entity, document_id="c")  # over: soft never refuses, and alerts only once
    alert = BudgetAlert.objects.get()
    assert alert.threshold_percent == 80 and alert.webhook_status == WebhookStatus.NONE
    assert [r for r in caplog.records if "budget alert" in r.getMessage()
            and "company_123" in r.getMessage()], "a log line naming the entity"
    assert alert_samples() == {(("budget", "month"), ("entity", "company_123")): 1.0}

    client.force_login(staff)
    page = client.get("/admin/overview/").content.decode()
    assert 'id="tl-budget-alerts"' in page and "company_123" in page
    assert "the month budget (soft) reached 80%" in page
    assert 'id="tl-budgets"' in page


@pytest.mark.django_db
def test_overview_has_no_banner_without_alerts(client, staff, entity):
    client.force_login(staff)
    page = client.get("/admin/overview/").content.decode()
    assert 'id="tl-budget-alerts"' not in page and "No budgets" in page


@pytest.mark.django_db(transaction=True)
def test_webhook_is_posted_retried_with_backoff_and_recorded(entity, settings, sync_jobs):
    settings.RETRY_BASE_DELAY = 0
    with WebhookServer(statuses=[503, 500]) as hook:
        settings.BUDGET_WEBHOOK_URL = hook.url
        budget_make(entity, "0.005", mode="hard", threshold=50)
        submit(entity)  # reserves 100%: the alert, then its webhook task, run here (sync)

    alert = BudgetAlert.objects.get()
    assert alert.webhook_status == WebhookStatus.SENT and alert.webhook_attempts == 3
    assert alert.webhook_response_code == 200 and alert.webhook_sent_at is not None
    assert len(hook.bodies) == 3
    content_type, body = hook.bodies[-1]
    assert content_type == "application/json"
    assert body["event"] == "budget.threshold_crossed" and body["entity_id"] == "company_123"
    assert body["budget"]["label"] == "month" and body["amount_usd"] == "0.005"
    assert body["reserved_usd"] == "0.005" and body["threshold_percent"] == 50
    task = Task.objects.get(kind=WEBHOOK_KIND)
    assert task.status == TaskStatus.COMPLETED and task.attempts == 3
    retries = task.events.filter(event_type="task_retrying").order_by("id")
    assert [event.data["error"] for event in retries] == [
        "the webhook answered HTTP 503", "the webhook answered HTTP 500"]


@pytest.mark.django_db(transaction=True)
def test_webhook_refused_for_good_is_recorded_failed(entity, settings, sync_jobs):
    with WebhookServer(statuses=[404]) as hook:
        settings.BUDGET_WEBHOOK_URL = hook.url
        budget_make(entity, "0.005", mode="soft", threshold=10)
        submit(entity)
    alert = BudgetAlert.objects.get()
    assert alert.webhook_status == WebhookStatus.FAILED and alert.webhook_attempts == 1
    assert alert.webhook_error == "the webhook answered HTTP 404"
    assert Task.objects.get(kind=WEBHOOK_KIND).status == TaskStatus.FAILED
