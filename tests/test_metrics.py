"""GET /metrics: Prometheus text read from the database, for allowed networks or the token."""
import ipaddress
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from costs.services import request_record_close, request_record_open, usage_record
from tasks.models import Task, TaskPriority, TaskStatus


def _scrape(**extra) -> dict:
    response = Client().get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.fixture
def populated(entity, settings):
    settings.METRICS_LEDGER_CACHE_SECONDS = 0
    Task.objects.create(kind="noop", entity=entity, status=TaskStatus.PENDING,
                        priority=TaskPriority.HIGH)
    Task.objects.create(kind="noop", entity=entity, status=TaskStatus.PENDING)
    started = timezone.now() - timedelta(seconds=3)
    Task.objects.create(kind="demo.count", entity=entity, status=TaskStatus.COMPLETED,
                        attempts=3, started_at=started, completed_at=started + timedelta(seconds=3))
    record = request_record_open(operation_type="document_upload", endpoint="job:x",
                                 method="JOB", entity=entity, task_id="task_m")
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                 quantity=100, model="no-such-model")
    request_record_close(record=record, status_code=200)


def test_metrics_tasks_queue_durations_retries_and_costs(populated):
    samples = _scrape()

    assert samples[("taskledger_tasks", (("kind", "noop"), ("status", "pending")))] == 2
    assert samples[("taskledger_tasks", (("kind", "demo.count"), ("status", "completed")))] == 1
    assert samples[("taskledger_queue_depth", (("priority", "high"),))] == 1
    assert samples[("taskledger_queue_depth", (("priority", "normal"),))] == 1
    assert samples[("taskledger_queue_depth", (("priority", "critical"),))] == 0
    duration = (("kind", "demo.count"),)
    assert samples[("taskledger_task_duration_seconds_count", duration)] == 1
    assert samples[("taskledger_task_duration_seconds_sum", duration)] == pytest.approx(3)
    assert samples[("taskledger_task_duration_seconds_bucket", duration + (("le", "2.5"),))] == 0
    assert samples[("taskledger_task_duration_seconds_bucket", duration + (("le", "5.0"),))] == 1
    assert samples[("taskledger_task_retries_total", (("kind", "demo.count"),))] == 2
    cost = samples[("taskledger_cost_usd_total",
                    (("entity", "company_123"), ("service", "file_processor")))]
    assert Decimal(str(cost)) == Decimal("0.02")
    assert samples[("taskledger_unpriced_usage_lines",
                    (("model", "no-such-model"), ("service", "openai_chat")))] == 1


def test_metrics_refuses_other_networks_without_the_token(db, settings):
    settings.METRICS_TOKEN = "s3cret"
    outside = {"REMOTE_ADDR": "10.1.2.3"}

    refused = Client().get("/metrics", **outside)
    assert refused.status_code == 403
    assert "METRICS_ALLOWED_NETWORKS" in refused.json()["detail"]
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 403

    assert _scrape(HTTP_AUTHORIZATION="Bearer s3cret", **outside)


def test_metrics_serves_a_configured_network(db, settings):
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    assert _scrape(REMOTE_ADDR="10.1.2.3")
    assert Client().get("/metrics").status_code == 403  # loopback is no longer listed


def test_metrics_ledger_totals_are_reused_within_the_cache_period(populated, entity, settings):
    key = ("taskledger_cost_usd_total", (("entity", "company_123"), ("service", "file_processor")))
    before = _scrape()[key]  # computed now: the fixture allows no reuse
    settings.METRICS_LEDGER_CACHE_SECONDS = 3600
    record = request_record_open(operation_type="document_upload", endpoint="job:x",
                                 method="JOB", entity=entity, task_id="task_n")
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)

    assert _scrape()[key] == before
    settings.METRICS_LEDGER_CACHE_SECONDS = 0
    assert Decimal(str(_scrape()[key])) == Decimal("0.04")


def test_metrics_cost_totals_come_from_the_daily_rollup(populated, entity):
    """Every day and no entity included; records are read only for their unpriced lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = request_record_open(operation_type="document_upload", endpoint="job:x",
                              method="JOB", entity=entity,
                              created_at=timezone.now() - timedelta(days=400))
    usage_record(record=old, service_type="file_processor", unit="pages", quantity=5)
    nobody = request_record_open(operation_type="search", endpoint="/api/x", method="GET")
    usage_record(record=nobody, service_type="file_processor", unit="pages", quantity=1)

    with CaptureQueriesContext(connection) as captured:
        samples = _scrape()

    service = ("service", "file_processor")
    assert Decimal(str(samples[("taskledger_cost_usd_total", (("entity", "company_123"),
                                                              service))])) == Decimal("0.03")
    # Paid usage on a record of no entity is billed to the default entity.
    assert Decimal(str(samples[("taskledger_cost_usd_total", (("entity", "default"), service))])) == (
        Decimal("0.002"))
    record_queries = [q["sql"] for q in captured.captured_queries
                      if "costs_requestrecord" in q["sql"]]
    assert len(record_queries) == 1 and "unpriced" in record_queries[0]
