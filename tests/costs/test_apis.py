"""The ledger's read API as the cost clients use it (docs/api.md, Client contract): records,
task/document/entity costs."""
import csv
import io
import json
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from rest_framework.authtoken.models import Token

from costs.apis import DocumentCostApi, EntityCostApi, RequestRecordViewSet, TaskCostApi
from costs.services import request_record_close, request_record_open, usage_record
from tasks.apis import TaskViewSet
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

PREFIXES = ["/api", "/api/v1"]
JAN_15 = datetime(2025, 1, 15, 10, 30, 45, 123000, tzinfo=dt_timezone.utc)
FEB_1 = datetime(2025, 2, 1, tzinfo=dt_timezone.utc)

FILE_PROCESSOR_10_PAGES = ("file_processor", "pages", 10)  # $0.02 at the default 0.002
TRANSFORMER_45_CHUNKS = ("transformer", "chunks", 45)  # at the default 0.003: $0.135


def make_record(entity, *usage, created_at=None, status_code=200, **fields):
    """A finished upload record as the cost clients read it, with usage lines priced as recorded."""
    fields.setdefault("task_type", "upload")
    record = request_record_open(
        operation_type=fields.pop("operation_type", "file_upload"),
        endpoint="/api/entities/{entity_id}/files",
        method=fields.pop("method", "POST"),
        entity=entity,
        created_at=created_at or timezone.now(),
        **fields,
    )
    for service_type, unit, quantity, *model in usage:
        usage_record(record=record, service_type=service_type, unit=unit, quantity=quantity,
                     model=model[0] if model else "")
    if status_code is not None:
        request_record_close(record=record, status_code=status_code, processing_time_ms=3500.5,
                             error_message="" if status_code < 400 else "chunk 2 failed")
    return record


def money(value) -> Decimal:
    """A JSON money value: a number, compared exactly."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(str(value))


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


# --- routing ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("slash", ["", "/"])
def test_ledger_routes_resolve_under_both_prefixes_with_and_without_slash(
    api, entity, prefix, slash
):
    record = make_record(entity, FILE_PROCESSOR_10_PAGES, task_id="task_abc123",
                         doc_id="doc_xyz789")

    assert api.get(f"{prefix}/requests{slash}").json()["total"] == 1
    assert api.get(f"{prefix}/requests/{record.request_id}{slash}").json()["request_id"] == (
        record.request_id
    )
    assert api.get(f"{prefix}/tasks/task_abc123/cost{slash}").json()["task_id"] == "task_abc123"
    assert api.get(f"{prefix}/documents/doc_xyz789/cost{slash}").json()["doc_id"] == "doc_xyz789"
    assert api.get(f"{prefix}/entities/company_123/costs{slash}").json()["entity_id"] == (
        "company_123"
    )


@pytest.mark.parametrize("prefix", PREFIXES)
def test_task_cost_route_is_the_ledgers_and_task_routes_still_the_viewsets(prefix):
    # The ledger's view, with the budget's estimate beside it (budgets.apis extends it).
    assert issubclass(resolve(f"{prefix}/tasks/task_abc123/cost").func.view_class, TaskCostApi)
    assert issubclass(resolve(f"{prefix}/tasks/task_abc123/cost/").func.view_class, TaskCostApi)
    assert resolve(f"{prefix}/documents/doc_1/cost").func.view_class is DocumentCostApi
    assert resolve(f"{prefix}/entities/company_123/costs").func.view_class is EntityCostApi
    assert resolve(f"{prefix}/requests").func.cls is RequestRecordViewSet
    assert resolve(f"{prefix}/tasks/task_abc123").func.cls is TaskViewSet
    assert resolve(f"{prefix}/tasks/task_abc123/status").func.cls is TaskViewSet


def test_ledger_routes_need_authentication(entity, client):
    make_record(entity, task_id="task_abc123")

    for path in ["/api/requests", "/api/tasks/task_abc123/cost", "/api/entities/company_123/costs"]:
        assert client.get(path).status_code == 401


# --- the client contract's example (docs/api.md) -------------------------------------


def test_request_list_seed_example_prices_pages_and_chunks_exactly(api, entity):
    make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS,
                task_id="task_abc123", doc_id="doc_xyz789", created_at=JAN_15)

    response = api.get("/api/requests", {"task_id": "task_abc123"})

    assert response.status_code == 200
    body = json.loads(response.content)  # the wire format, not DRF's parsed data
    assert body["total"] == 1
    (request,) = body["requests"]
    assert request["task_id"] == "task_abc123"
    assert request["doc_id"] == "doc_xyz789"
    assert request["entity_id"] == "company_123"
    assert request["operation_type"] == "file_upload"
    assert request["task_type"] == "upload"
    assert request["status_code"] == 200
    assert request["processing_time_ms"] == 3500.5
    assert request["timestamp"].startswith("2025-01-15T10:30:45.123")
    file_processor, transformer = request["services_used"]
    assert file_processor["service_type"] == "file_processor"
    assert money(file_processor["cost_usd"]) == Decimal("0.02")
    assert file_processor["breakdown"] == {"pages": 10}
    assert money(file_processor["quantity"]) == 10
    assert file_processor["unit"] == "pages"
    assert money(file_processor["unit_price"]) == Decimal("0.002")
    assert file_processor["unpriced"] is False
    assert transformer["service_type"] == "transformer"
    assert money(transformer["cost_usd"]) == Decimal("0.135")
    assert transformer["breakdown"] == {"chunks": 45}
    assert money(request["total_cost_usd"]) == Decimal("0.155")


def test_request_get_returns_the_record_with_nulls_for_missing_ids(api, entity):
    record = make_record(entity, FILE_PROCESSOR_10_PAGES, task_type="")

    body = api.get(f"/api/requests/{record.request_id}").json()

    assert body["request_id"] == record.request_id
    assert body["task_id"] is None
    assert body["doc_id"] is None
    assert body["error_message"] is None
    assert body["services_used"][0]["model"] is None
    assert body["endpoint"] == "/api/entities/{entity_id}/files"
    assert body["method"] == "POST"
    assert body["completed_at"] is not None
    assert money(body["total_cost_usd"]) == Decimal("0.02")


def test_request_get_unknown_is_404_naming_it(api, entity):
    response = api.get("/api/requests/req_nonexistent")

    assert response.status_code == 404
    assert response.json()["detail"] == "Request req_nonexistent not found"


def test_request_get_open_record_has_no_outcome_yet(api, entity):
    record = make_record(entity, TRANSFORMER_45_CHUNKS, status_code=None)

    body = api.get(f"/api/requests/{record.request_id}").json()

    assert body["status_code"] is None
    assert body["completed_at"] is None
    assert money(body["total_cost_usd"]) == Decimal("0.135")


def test_request_get_unpriced_usage_costs_zero_and_is_flagged(api, entity):
    record = make_record(entity, ("openai_chat", "input_tokens", 1000, "gpt-9-imaginary"),
                         ("file_processor", "pages", 3))

    body = api.get(f"/api/requests/{record.request_id}").json()

    unpriced, priced = body["services_used"]
    assert unpriced["unpriced"] is True
    assert unpriced["model"] == "gpt-9-imaginary"
    assert money(unpriced["cost_usd"]) == 0
    assert unpriced["unit_price"] is None
    assert money(unpriced["quantity"]) == 1000
    assert priced["unpriced"] is False
    assert money(body["total_cost_usd"]) == Decimal("0.006")


def test_request_list_token_usage_keeps_every_digit(api, entity):
    # 1234 tokens at $0.15 / 1M = $0.0001851
    make_record(entity, ("openai_chat", "input_tokens", 1234, "gpt-4o-mini"))

    request = api.get("/api/requests").json()["requests"][0]

    assert money(request["total_cost_usd"]) == Decimal("0.0001851")


# --- task and document cost ---------------------------------------------------------------


def test_task_cost_seed_example(api, entity):
    record = make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS,
                         task_id="task_abc123", created_at=JAN_15)

    response = api.get("/api/tasks/task_abc123/cost")

    assert response.status_code == 200
    body = json.loads(response.content)
    # The client contract's fields in their order, then the budget's estimate beside them
    # (docs/budgets.md).
    assert list(body) == ["task_id", "total_cost_usd", "period_start", "period_end",
                          "breakdown_by_service", "request_count", "final",
                          "estimated_cost_usd", "estimated_breakdown_by_service", "reserved"]
    assert body["estimated_cost_usd"] is None  # no task made it: it has no estimate
    assert body["final"] is True  # no open record, and no such task still running
    assert body["task_id"] == "task_abc123"
    assert money(body["total_cost_usd"]) == Decimal("0.155")
    assert {k: money(v) for k, v in body["breakdown_by_service"].items()} == {
        "file_processor": Decimal("0.02"), "transformer": Decimal("0.135"),
    }
    assert body["request_count"] == 1
    assert body["period_start"].startswith("2025-01-15T10:30:45.123")
    record.refresh_from_db()
    assert body["period_end"] == record.completed_at.isoformat().replace("+00:00", "Z")


def test_task_cost_aggregates_every_request_including_a_failed_attempt(api, entity):
    task_id = "task_large_upload"
    make_record(entity, FILE_PROCESSOR_10_PAGES, task_id=task_id, doc_id="doc_1",
                request_id="req_task_large_upload_0", created_at=JAN_15)
    # The second chunk's transformer call was paid for, then the request failed.
    failed = make_record(entity, TRANSFORMER_45_CHUNKS, task_id=task_id, status_code=500,
                         request_id="req_task_large_upload_1",
                         created_at=JAN_15 + timedelta(seconds=30))
    make_record(entity, TRANSFORMER_45_CHUNKS, ("transformer", "chunks", 5), task_id=task_id,
                request_id="req_task_large_upload_2", created_at=JAN_15 + timedelta(minutes=1))
    make_record(entity, FILE_PROCESSOR_10_PAGES, task_id="task_other")

    body = api.get(f"/api/tasks/{task_id}/cost").json()

    assert body["request_count"] == 3
    assert money(body["total_cost_usd"]) == (
        Decimal("0.02") + 2 * Decimal("0.135") + Decimal("0.015")
    )
    assert money(body["breakdown_by_service"]["transformer"]) == Decimal("0.285")
    assert body["period_start"].startswith("2025-01-15T10:30:45.123")
    assert api.get(f"/api/requests/{failed.request_id}").json()["error_message"] == (
        "chunk 2 failed"
    )


def test_task_cost_period_ends_at_an_open_attempt_started_after_the_last_completion(api, entity):
    make_record(entity, FILE_PROCESSOR_10_PAGES, task_id="task_1", created_at=JAN_15)
    make_record(entity, task_id="task_1", status_code=None,
                created_at=timezone.now() + timedelta(hours=1))

    body = api.get("/api/tasks/task_1/cost").json()

    assert body["request_count"] == 2
    assert datetime.fromisoformat(body["period_end"]) > timezone.now()


def test_task_cost_of_a_task_created_through_the_api(api, entity):
    """Cost pattern 1 (docs/api.md): create, then poll the cost; the creating POST is on the bill."""
    task_id = api.post("/api/tasks", {"kind": "noop"}, format="json").json()["task_id"]

    body = api.get(f"/api/tasks/{task_id}/cost").json()

    assert body["task_id"] == task_id
    assert body["request_count"] == 1
    assert money(body["total_cost_usd"]) == 0


def test_task_cost_unknown_is_404(api, entity):
    response = api.get("/api/tasks/nonexistent/cost")

    assert response.status_code == 404
    assert response.json()["detail"] == "Task nonexistent not found"


def test_task_cost_records_without_usage_cost_zero(api, entity):
    make_record(entity, task_id="task_free")

    body = json.loads(api.get("/api/tasks/task_free/cost").content)

    assert money(body["total_cost_usd"]) == 0
    assert body["breakdown_by_service"] == {}
    assert body["request_count"] == 1


def test_task_cost_reads_the_ledger_in_one_statement_however_many_records(api, entity):
    for attempt in range(5):
        make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS, task_id="task_many",
                    request_id=f"req_many_{attempt}")

    with CaptureQueriesContext(connection) as context:
        body = api.get("/api/tasks/task_many/cost").json()

    ledger_reads = [q["sql"] for q in context.captured_queries
                    if "costs_requestrecord" in q["sql"]]
    assert len(ledger_reads) == 1
    assert body["request_count"] == 5
    assert money(body["total_cost_usd"]) == 5 * Decimal("0.155")


def test_document_cost_aggregates_the_documents_records(api, entity):
    make_record(entity, FILE_PROCESSOR_10_PAGES, doc_id="doc_xyz789", task_id="task_1")
    make_record(entity, TRANSFORMER_45_CHUNKS, doc_id="doc_xyz789", task_id="task_2")
    make_record(entity, TRANSFORMER_45_CHUNKS, doc_id="doc_other")

    response = api.get("/api/documents/doc_xyz789/cost")

    body = json.loads(response.content)
    assert list(body)[0] == "doc_id"
    assert body["doc_id"] == "doc_xyz789"
    assert money(body["total_cost_usd"]) == Decimal("0.155")
    assert body["request_count"] == 2
    assert set(body["breakdown_by_service"]) == {"file_processor", "transformer"}


def test_document_cost_unknown_is_404(api, entity):
    response = api.get("/api/documents/doc_missing/cost")

    assert response.status_code == 404
    assert response.json()["detail"] == "Document doc_missing not found"


# --- request list: filters and paging ---------------------------------------------------


def listed_ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [request["request_id"] for request in response.json()["requests"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"task_id": "task_abc123"}, ["req_upload_a"]),
        ({"doc_id": "doc_b"}, ["req_search_b"]),
        ({"task_id": "task_abc123", "entity_id": "company_123"}, ["req_upload_a"]),
        ({"entity_id": "company_456"}, ["req_theirs_c"]),
        ({"task_type": "search"}, ["req_search_b"]),
        ({"operation_type": "file_upload"}, ["req_theirs_c", "req_upload_a"]),
        ({"status_code": "500"}, ["req_search_b"]),
        ({}, ["req_theirs_c", "req_search_b", "req_upload_a"]),
    ],
)
def test_request_list_filters(staff_api, entity, other_entity, params, expected):
    make_record(entity, FILE_PROCESSOR_10_PAGES, request_id="req_upload_a", task_id="task_abc123",
                doc_id="doc_a", created_at=JAN_15)
    make_record(entity, request_id="req_search_b", task_type="search", operation_type="search",
                doc_id="doc_b", status_code=500, created_at=JAN_15 + timedelta(hours=1))
    make_record(other_entity, request_id="req_theirs_c", task_id="task_xyz",
                created_at=JAN_15 + timedelta(hours=2))

    assert listed_ids(staff_api.get("/api/requests", params)) == expected


def test_request_list_since_is_inclusive_until_exclusive(api, entity):
    for day in (14, 15, 16):
        make_record(entity, request_id=f"req_jan_{day}",
                    created_at=datetime(2025, 1, day, tzinfo=dt_timezone.utc))

    assert listed_ids(api.get("/api/requests", {"since": "2025-01-15", "until": "2025-01-16"})) == [
        "req_jan_15"
    ]
    assert listed_ids(api.get("/api/requests", {"since": "2025-01-15T00:00:00Z"})) == [
        "req_jan_16", "req_jan_15"
    ]
    assert listed_ids(api.get("/api/requests?until=2025-01-15T01:00:00+01:00")) == [
        "req_jan_14"
    ]


@pytest.mark.parametrize(
    ("params", "field", "accepted"),
    [
        ({"since": "yesterday"}, "since", "ISO 8601"),
        ({"until": "2025-13-45"}, "until", "ISO 8601"),
        ({"since": "2025-02-01", "until": "2025-01-01"}, "until", "later than since"),
        ({"status_code": "ok"}, "status_code", "whole number"),
    ],
)
def test_request_list_invalid_filter_is_400_naming_field(api, entity, params, field, accepted):
    response = api.get("/api/requests", params)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert field in body["detail"] and accepted in body["detail"]
    assert body["code"] == "invalid"


@pytest.mark.parametrize("page", ["0", "-1", "first"])
def test_request_list_page_below_one_is_400(api, entity, page):
    response = api.get("/api/requests", {"page": page})

    assert response.status_code == 400
    assert "page must be a whole number >= 1" in response.json()["detail"]


def test_request_list_pages_newest_first_and_clamps_page_size(api, entity, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for minute in range(5):
        make_record(entity, request_id=f"req_minute_{minute}",
                    created_at=JAN_15 + timedelta(minutes=minute))

    first = api.get("/api/requests", {"page_size": 1000}).json()
    second = api.get("/api/requests", {"page_size": 1000, "page": 2}).json()

    assert first["total"] == 5
    assert first["page_size"] == 3
    assert [r["request_id"] for r in first["requests"]] == [
        "req_minute_4", "req_minute_3", "req_minute_2"
    ]
    assert [r["request_id"] for r in second["requests"]] == ["req_minute_1", "req_minute_0"]
    assert first["next"] is not None and second["next"] is None


def test_request_list_queries_do_not_grow_with_records(api, entity):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/requests").status_code == 200
        return len(queries)

    make_record(entity, FILE_PROCESSOR_10_PAGES)
    one = queries_for_list()
    for _ in range(5):
        make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS)

    assert queries_for_list() == one


# --- entity roll-up -------------------------------------------------------------------------


@pytest.fixture
def january(entity):
    """Four records of company_123 in January 2025, one in February, one of company_456."""
    make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS, created_at=JAN_15)
    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=JAN_15 + timedelta(hours=2))
    make_record(entity, ("openai_chat", "input_tokens", 1000, "gpt-4o-mini"),
                ("openai_chat", "output_tokens", 500, "gpt-4o-mini"), task_type="analysis",
                operation_type="job_attempt", created_at=JAN_15 + timedelta(days=1))
    make_record(entity, task_type="", operation_type="task_create",
                created_at=JAN_15 + timedelta(days=1, hours=1))
    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=FEB_1)
    make_record(EntityFactory(entity_id="company_456"), FILE_PROCESSOR_10_PAGES,
                created_at=JAN_15)


JANUARY = {"since": "2025-01-01", "until": "2025-02-01"}
CHAT_COST = Decimal("0.00015") + Decimal("0.0003")  # 1000 in at $0.15/1M, 500 out at $0.60/1M


def groups_of(body) -> dict:
    return {g["key"]: (money(g["total_cost_usd"]), g["request_count"]) for g in body["groups"]}


def test_entity_costs_by_service_with_quantities(api, january):
    response = api.get("/api/entities/company_123/costs", JANUARY)

    body = json.loads(response.content)
    assert body["entity_id"] == "company_123"
    assert body["group_by"] == "service"
    assert body["period_start"] == "2025-01-01T00:00:00Z"
    assert body["period_end"] == "2025-02-01T00:00:00Z"
    assert money(body["total_cost_usd"]) == Decimal("0.155") + Decimal("0.02") + CHAT_COST
    assert body["request_count"] == 4
    assert groups_of(body) == {
        "transformer": (Decimal("0.135"), 1),
        "file_processor": (Decimal("0.04"), 2),
        "openai_chat": (CHAT_COST, 1),
    }
    assert [g["key"] for g in body["groups"]] == ["transformer", "file_processor", "openai_chat"]
    chat = next(g for g in body["groups"] if g["key"] == "openai_chat")
    assert {unit: money(q) for unit, q in chat["quantities"].items()} == {
        "input_tokens": 1000, "output_tokens": 500,
    }


def test_entity_costs_by_day(api, january):
    body = api.get("/api/entities/company_123/costs", {**JANUARY, "group_by": "day"}).json()

    assert [g["key"] for g in body["groups"]] == ["2025-01-15", "2025-01-16"]
    assert groups_of(body) == {
        "2025-01-15": (Decimal("0.175"), 2),
        "2025-01-16": (CHAT_COST, 2),
    }
    assert body["request_count"] == 4
    assert "quantities" not in body["groups"][0]


def test_entity_costs_by_task_type_and_operation_type(api, january):
    by_task_type = api.get("/api/entities/company_123/costs",
                           {**JANUARY, "group_by": "task_type"}).json()
    by_operation = api.get("/api/entities/company_123/costs",
                           {**JANUARY, "group_by": "operation_type"}).json()

    assert groups_of(by_task_type) == {
        "upload": (Decimal("0.175"), 2), "analysis": (CHAT_COST, 1), None: (Decimal(0), 1),
    }
    assert groups_of(by_operation) == {
        "file_upload": (Decimal("0.175"), 2), "job_attempt": (CHAT_COST, 1),
        "task_create": (Decimal(0), 1),
    }
    assert money(by_operation["total_cost_usd"]) == Decimal("0.175") + CHAT_COST


def test_entity_costs_default_to_the_last_30_days(api, entity):
    now = timezone.now()
    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=now - timedelta(days=29))
    make_record(entity, TRANSFORMER_45_CHUNKS, created_at=now - timedelta(days=31))

    body = api.get("/api/entities/company_123/costs").json()

    assert money(body["total_cost_usd"]) == Decimal("0.02")
    assert body["request_count"] == 1
    start, end = (datetime.fromisoformat(body[k]) for k in ("period_start", "period_end"))
    assert end - start == timedelta(days=30)
    assert abs(end - now) < timedelta(minutes=1)


def test_entity_costs_until_is_exclusive(api, entity):
    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=FEB_1)

    body = api.get("/api/entities/company_123/costs", JANUARY).json()

    assert body["request_count"] == 0
    assert money(body["total_cost_usd"]) == 0
    assert body["groups"] == []


def test_entity_costs_queries_do_not_grow_with_records(api, entity):
    def queries_for(group_by) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/entities/company_123/costs", {**JANUARY, "group_by": group_by})
            assert response.status_code == 200
        return len(queries)

    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=JAN_15)
    few = {group_by: queries_for(group_by) for group_by in ("service", "day", "task_type")}
    for day in range(1, 20):
        make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS, task_type=f"t{day}",
                    created_at=datetime(2025, 1, day, tzinfo=dt_timezone.utc))

    assert {group_by: queries_for(group_by) for group_by in few} == few


@pytest.mark.parametrize(
    ("params", "field", "accepted"),
    [
        ({"group_by": "week"}, "group_by", "service, day, task_type, operation_type"),
        ({"since": "last month"}, "since", "ISO 8601"),
        ({"until": "2025-02-30"}, "until", "ISO 8601"),
        ({"since": "2025-02-01", "until": "2025-01-01"}, "until", "later than since"),
        ({"since": "2999-01-01"}, "until", "later than since"),
    ],
)
def test_entity_costs_invalid_parameter_is_400_naming_field(api, entity, params, field, accepted):
    response = api.get("/api/entities/company_123/costs", params)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert field in body["detail"] and accepted in body["detail"]


def test_entity_costs_unknown_entity_is_404(api, entity):
    response = api.get("/api/entities/company_999/costs")

    assert response.status_code == 404
    assert response.json()["detail"] == "Entity company_999 not found"


# --- CSV ----------------------------------------------------------------------------------


def test_request_list_csv_streams_every_matching_record_unpaged(api, entity, settings):
    settings.API_MAX_PAGE_SIZE = 2
    make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS, task_id="task_abc123",
                request_id="req_csv_1", created_at=JAN_15)
    make_record(entity, TRANSFORMER_45_CHUNKS, task_id="task_abc123", request_id="req_csv_2",
                status_code=500, created_at=JAN_15 + timedelta(minutes=1))
    make_record(entity, ("openai_chat", "input_tokens", 10, "gpt-9-imaginary"),
                task_id="task_abc123", request_id="req_csv_3",
                created_at=JAN_15 + timedelta(minutes=2))
    make_record(entity, FILE_PROCESSOR_10_PAGES, task_id="task_other")

    response = api.get("/api/requests", {"task_id": "task_abc123", "format": "csv"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="requests-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["request_id"] for row in rows] == ["req_csv_3", "req_csv_2", "req_csv_1"]
    assert [Decimal(row["total_cost_usd"]) for row in rows] == [
        Decimal(0), Decimal("0.135"), Decimal("0.155")
    ]
    assert rows[2]["services"] == "file_processor:0.02;transformer:0.135"
    assert rows[2]["timestamp"] == "2025-01-15T10:30:45.123000Z"
    assert rows[2]["entity_id"] == "company_123"
    assert rows[1]["status_code"] == "500"
    assert rows[1]["error_message"] == "chunk 2 failed"


def test_request_list_csv_large_export_comes_in_several_chunks(api, entity, monkeypatch):
    monkeypatch.setattr("costs.renderers.FLUSH_AT", 200)
    monkeypatch.setattr("costs.apis.CSV_CHUNK_SIZE", 7)  # records per database round trip
    for n in range(30):
        make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS,
                    request_id=f"req_many_{n:03}", created_at=JAN_15 + timedelta(minutes=n))

    response = api.get("/api/requests?format=csv")

    chunks = list(response.streaming_content)
    assert len(chunks) > 5
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert [row["request_id"] for row in rows] == [f"req_many_{n:03}" for n in reversed(range(30))]
    assert {row["services"] for row in rows} == {"file_processor:0.02;transformer:0.135"}
    assert sum(Decimal(row["total_cost_usd"]) for row in rows) == 30 * Decimal("0.155")


def test_request_list_csv_quotes_text_a_spreadsheet_would_run(api, entity):
    make_record(entity, task_id="=HYPERLINK(\"http://evil\")")

    (row,) = csv_rows(api.get("/api/requests", {"format": "csv"}))

    assert row["task_id"] == "'=HYPERLINK(\"http://evil\")"


def test_request_list_csv_refusal_is_still_json(api, entity):
    response = api.get("/api/requests", {"format": "csv", "since": "soon"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "since" in response.json()["errors"]


def test_request_list_unknown_format_is_400_naming_formats(api, entity):
    response = api.get("/api/requests", {"format": "xml"})

    assert response.status_code == 400
    assert response.json()["detail"] == "format must be one of json, api, csv; got 'xml'"


def test_request_get_offers_no_csv(api, entity):
    record = make_record(entity)

    response = api.get(f"/api/requests/{record.request_id}", {"format": "csv"})

    assert response.status_code == 400
    assert "format must be one of json, api" in response.json()["detail"]


def test_request_list_csv_by_accept_header(api, entity):
    make_record(entity, FILE_PROCESSOR_10_PAGES)

    response = api.get("/api/requests", HTTP_ACCEPT="text/csv")

    assert response["Content-Type"].startswith("text/csv")
    assert len(csv_rows(response)) == 1


def test_request_list_csv_streams_chunk_by_chunk_under_asgi(user, entity, monkeypatch):
    monkeypatch.setattr("costs.renderers.FLUSH_AT", 200)
    for n in range(20):
        make_record(entity, FILE_PROCESSOR_10_PAGES, request_id=f"req_asgi_{n:03}")
    token = Token.objects.create(user=user)

    async def download():
        response = await AsyncClient().get(
            "/api/requests", {"format": "csv"}, headers={"Authorization": f"Token {token.key}"}
        )
        return response, [chunk async for chunk in response.streaming_content]

    response, chunks = async_to_sync(download)()

    assert response.status_code == 200
    assert response.is_async  # an async iterator: Django's ASGI handler would buffer a sync one
    assert len(chunks) > 5
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert len(rows) == 20
    assert sum(Decimal(row["total_cost_usd"]) for row in rows) == Decimal("0.40")


def test_entity_costs_csv(api, january):
    response = api.get("/api/entities/company_123/costs", {**JANUARY, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="costs-company_123-by-service-20250101-20250201.csv"'
    )
    rows = csv_rows(response)
    assert [row["service"] for row in rows] == ["transformer", "file_processor", "openai_chat"]
    assert rows[1] == {"service": "file_processor", "total_cost_usd": "0.04",
                       "request_count": "2", "quantities": "pages=20", "final": "true"}
    assert sum(Decimal(row["total_cost_usd"]) for row in rows) == (
        Decimal("0.175") + CHAT_COST
    )


def test_entity_costs_csv_by_day(api, january):
    response = api.get("/api/entities/company_123/costs",
                       {**JANUARY, "group_by": "day", "format": "csv"})

    assert csv_rows(response) == [
        {"day": "2025-01-15", "total_cost_usd": "0.175", "request_count": "2", "final": "true"},
        {"day": "2025-01-16", "total_cost_usd": str(CHAT_COST), "request_count": "2",
         "final": "true"},
    ]


def test_entity_costs_csv_refusal_is_still_json(api, entity):
    response = api.get("/api/entities/company_999/costs", {"format": "csv"})

    assert response.status_code == 404
    assert response.json()["detail"] == "Entity company_999 not found"


# --- tenancy ------------------------------------------------------------------------------


@pytest.fixture
def shared_ledger(entity, other_entity):
    """One task and one document worked on for both entities, plus records of no entity."""
    make_record(entity, FILE_PROCESSOR_10_PAGES, request_id="req_ours_1", task_id="task_shared",
                doc_id="doc_shared", created_at=JAN_15)
    make_record(other_entity, TRANSFORMER_45_CHUNKS, request_id="req_theirs_1",
                task_id="task_shared", doc_id="doc_shared", created_at=JAN_15)
    make_record(other_entity, TRANSFORMER_45_CHUNKS, request_id="req_theirs_2",
                task_id="task_theirs", doc_id="doc_theirs", created_at=JAN_15)
    make_record(None, FILE_PROCESSOR_10_PAGES, request_id="req_nobodys", task_id="task_nobodys",
                doc_id="doc_nobodys", created_at=JAN_15)


def test_tenancy_request_list_shows_only_own_entities(api, shared_ledger):
    assert listed_ids(api.get("/api/requests")) == ["req_ours_1"]
    assert listed_ids(api.get("/api/requests", {"entity_id": "company_456"})) == []
    assert listed_ids(api.get("/api/requests", {"task_id": "task_shared"})) == ["req_ours_1"]
    rows = csv_rows(api.get("/api/requests", {"format": "csv"}))
    assert [row["request_id"] for row in rows] == ["req_ours_1"]


@pytest.mark.parametrize(
    ("path", "hidden_id"),
    [
        ("/api/requests/{}", "req_theirs_1"),
        ("/api/requests/{}", "req_nobodys"),
        ("/api/tasks/{}/cost", "task_theirs"),
        ("/api/tasks/{}/cost", "task_nobodys"),
        ("/api/documents/{}/cost", "doc_theirs"),
        ("/api/documents/{}/cost", "doc_nobodys"),
        ("/api/entities/{}/costs", "company_456"),
    ],
)
def test_tenancy_others_records_are_404_as_if_absent(api, shared_ledger, path, hidden_id):
    hidden = api.get(path.format(hidden_id))
    absent = api.get(path.format("never_recorded"))

    assert hidden.status_code == absent.status_code == 404
    assert hidden.json()["detail"].endswith(f" {hidden_id} not found")
    assert hidden.json() == {
        **absent.json(), "detail": absent.json()["detail"].replace("never_recorded", hidden_id)
    }


def test_tenancy_task_and_document_totals_count_only_own_records(api, shared_ledger):
    task = api.get("/api/tasks/task_shared/cost").json()
    document = api.get("/api/documents/doc_shared/cost").json()

    for body in (task, document):
        assert body["request_count"] == 1
        assert money(body["total_cost_usd"]) == Decimal("0.02")
        assert list(body["breakdown_by_service"]) == ["file_processor"]


def test_tenancy_staff_see_every_entity_and_records_of_none(staff_api, shared_ledger):
    assert len(listed_ids(staff_api.get("/api/requests"))) == 4
    # Made with no entity, its paid usage is billed to the default entity.
    assert staff_api.get("/api/requests/req_nobodys").json()["entity_id"] == "default"
    assert staff_api.get("/api/tasks/task_nobodys/cost").status_code == 200
    shared = staff_api.get("/api/tasks/task_shared/cost").json()
    assert shared["request_count"] == 2
    assert money(shared["total_cost_usd"]) == Decimal("0.155")
    theirs = staff_api.get("/api/entities/company_456/costs", JANUARY).json()
    assert money(theirs["total_cost_usd"]) == Decimal("0.27")


def test_tenancy_entity_costs_exclude_other_entities(api, client_for, shared_ledger):
    ours = api.get("/api/entities/company_123/costs", JANUARY).json()
    outsider = client_for(UserFactory(username="outsider"))

    assert money(ours["total_cost_usd"]) == Decimal("0.02")
    assert ours["request_count"] == 1
    assert outsider.get("/api/entities/company_123/costs").status_code == 404
    assert outsider.get("/api/requests").json()["total"] == 0
    assert outsider.get("/api/tasks/task_shared/cost").status_code == 404


def test_tenancy_member_of_two_entities_sees_both_without_duplicates(
    client_for, shared_ledger, other_entity
):
    both = UserFactory(username="both")
    EntityFactory(entity_id="company_123").members.add(both)
    other_entity.members.add(both)

    body = client_for(both).get("/api/requests").json()

    assert body["total"] == 3
    assert sorted(r["request_id"] for r in body["requests"]) == [
        "req_ours_1", "req_theirs_1", "req_theirs_2"
    ]
