"""The admin overview: queue, running work, outcomes, cost chart, top entities, warnings."""
from datetime import timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from operations.charts import stacked_bars_svg
from costs.services import request_record_close, request_record_open, usage_record
from tasks.clusters import cluster_heartbeat_beat
from tasks.models import Task, TaskPriority, TaskStatus


@pytest.fixture
def activity(entity, other_entity):
    now = timezone.now()
    Task.objects.create(kind="noop", entity=entity, priority=TaskPriority.CRITICAL)
    Task.objects.create(kind="demo.count", entity=entity, status=TaskStatus.PROCESSING,
                        progress=0.42, progress_text="step 42 of 100", started_at=now)
    Task.objects.create(kind="noop", entity=entity, status=TaskStatus.COMPLETED, attempts=2,
                        started_at=now, completed_at=now)
    Task.objects.create(kind="noop", entity=entity, status=TaskStatus.FAILED, attempts=1,
                        started_at=now, completed_at=now)
    for owner, pages in ((entity, 10), (other_entity, 500)):
        record = request_record_open(operation_type="document_upload", endpoint="job:x",
                                     method="JOB", entity=owner, task_id="task_x")
        usage_record(record=record, service_type="file_processor", unit="pages", quantity=pages)
        usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                     quantity=1000, model="gpt-unknown")
        request_record_close(record=record, status_code=200)


def test_overview_shows_queue_running_outcomes_chart_top_entities_and_unpriced(
    client, staff, activity
):
    client.force_login(staff)

    response = client.get("/admin/overview/")

    assert response.status_code == 200
    context = response.context
    assert context["queue"]["queue_by_priority"]["critical"] == 1
    assert (context["queue"]["queue_size"], context["queue"]["active_tasks"]) == (1, 1)
    assert [task.kind for task in context["running"]] == ["demo.count"]
    outcomes = context["outcomes"]
    assert (outcomes["finished"], outcomes["completed"], outcomes["failed"]) == (2, 1, 1)
    assert outcomes["retried_rate"] == 0.5
    assert [row["entity_id"] for row in context["top_entities"]] == ["company_456", "company_123"]
    assert context["unpriced"][0]["model"] == "gpt-unknown"
    html = response.content.decode()
    assert "step 42 of 100" in html and "42%" in html
    assert "<svg" in html and "file_processor: $1" in html  # 500 pages at $0.002
    assert "Recorded at cost 0 because no price matched" in html
    # Each top entity links to its records, filtered by its own id.
    link = client.get("/admin/costs/requestrecord/?entity_id=company_456")
    assert "/admin/costs/requestrecord/?entity_id=company_456" in html
    assert link.status_code == 200 and link.context["cl"].result_count > 0
    assert "No failed provider request so far." in html


def test_overview_lists_provider_errors_most_recent_first(client, staff):
    from integrations.models import ProviderErrorType
    from integrations.provider_errors import provider_error_record

    provider_error_record(provider="openai_chat", error_type=ProviderErrorType.RATE_LIMIT)
    provider_error_record(provider="openai_chat", error_type=ProviderErrorType.RATE_LIMIT)
    provider_error_record(provider="openai_embedding", error_type=ProviderErrorType.TIMEOUT)
    client.force_login(staff)

    response = client.get("/admin/overview/")

    rows = [(row.provider, row.error_type, row.count) for row in response.context["provider_errors"]]
    assert rows == [("openai_embedding", "timeout", 1), ("openai_chat", "rate_limit", 2)]
    assert "openai_chat" in response.content.decode()


def test_overview_money_comes_from_the_daily_rollup(client, staff, activity, entity):
    """Per UTC day; records are read only for the unpriced warnings (a partial index)."""
    old = request_record_open(operation_type="document_upload", endpoint="job:x",
                              method="JOB", entity=entity,
                              created_at=timezone.now() - timedelta(days=45))
    usage_record(record=old, service_type="file_processor", unit="pages", quantity=1000)
    client.force_login(staff)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/overview/")

    top = {row["entity_id"]: (row["cost"], row["line_count"])
           for row in response.context["top_entities"]}
    assert top == {"company_456": (Decimal("1"), 2), "company_123": (Decimal("0.02"), 2)}
    html = response.content.decode()
    today = timezone.now().astimezone(dt_timezone.utc)
    assert f"{today:%b %d} file_processor: $1.02</title>" in html  # 10 + 500 pages today
    assert "file_processor: $2</title>" not in html  # 45 days ago: not charted
    record_queries = [q["sql"] for q in captured.captured_queries
                      if "costs_requestrecord" in q["sql"]]
    assert len(record_queries) == 1 and "unpriced" in record_queries[0]


def test_overview_is_for_staff_only(client, user):
    client.force_login(user)
    response = client.get("/admin/overview/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_index_links_the_overview(client, staff):
    client.force_login(staff)
    assert "/admin/overview/" in client.get("/admin/").content.decode()


def test_cost_chart_escapes_service_names():
    svg = stacked_bars_svg(["Jan 01"], {"<script>": [Decimal("1")]})
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_cluster_heartbeats_are_listed_read_only_with_liveness(client, staff):
    cluster_heartbeat_beat(started_at=timezone.now())
    client.force_login(staff)

    response = client.get("/admin/tasks/clusterheartbeat/")

    assert response.status_code == 200
    assert "icon-yes.svg" in response.content.decode()
    assert client.get("/admin/tasks/clusterheartbeat/add/").status_code == 403
