"""The ledger's writes: pricing, usage lines, request records from the API middleware."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from config.exceptions import ApplicationError
from costs.models import Price, RequestRecord
from costs.services import request_record_open, usage_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(entity):
    return request_record_open(operation_type="file_upload", endpoint="/x", method="POST",
                               entity=entity, task_id="task_abc123")


def test_usage_record_prices_seed_services_exactly(record):
    pages = usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    chunks = usage_record(record=record, service_type="transformer", unit="chunks", quantity=45)
    assert pages.cost == Decimal("0.02") and chunks.cost == Decimal("0.135")
    assert pages.breakdown == {"pages": 10} and not pages.unpriced


def test_usage_record_prices_tokens_by_model_input_and_output_separately(record):
    cost_in = usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                           quantity=1234, model="gpt-4o-mini").cost
    cost_out = usage_record(record=record, service_type="openai_chat", unit="output_tokens",
                            quantity=567, model="gpt-4o-mini").cost
    assert cost_in == Decimal("1234") * Decimal("0.15") / 1_000_000
    assert cost_out == Decimal("567") * Decimal("0.60") / 1_000_000
    embedding = usage_record(record=record, service_type="openai_embedding", unit="input_tokens",
                             quantity=1, model="text-embedding-3-small")
    assert embedding.cost == Decimal("0.00000002")


def test_usage_record_unknown_model_is_kept_unpriced(record):
    line = usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                        quantity=500, model="gpt-99-preview")
    assert line.unpriced and line.cost == 0 and line.unit_price is None
    assert line.quantity == 500


def test_usage_record_uses_price_in_force_and_never_rewrites_history(record):
    before = usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    Price.objects.create(service_type="file_processor", unit="pages", unit_price=Decimal("0.005"),
                         effective_from=timezone.now())
    after = usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    future = Price.objects.create(service_type="file_processor", unit="pages",
                                  unit_price=Decimal("1"),
                                  effective_from=timezone.now() + timedelta(days=1))
    later = usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    before.refresh_from_db()
    assert before.cost == Decimal("0.02") and after.cost == Decimal("0.05")
    assert later.cost == Decimal("0.05") and future.pk


def test_usage_record_prefers_model_price_over_service_price(record):
    Price.objects.create(service_type="transformer", model="big-local", unit="chunks",
                         unit_price=Decimal("0.01"), effective_from=timezone.now() - timedelta(days=1))
    line = usage_record(record=record, service_type="transformer", unit="chunks", quantity=3,
                        model="big-local")
    other = usage_record(record=record, service_type="transformer", unit="chunks", quantity=3,
                         model="small-local")
    assert line.cost == Decimal("0.03") and other.cost == Decimal("0.009")


@pytest.mark.parametrize("quantity", ["-1", "NaN", "Infinity", "lots"])
def test_usage_record_rejects_bad_quantities(record, quantity):
    with pytest.raises(ApplicationError):
        usage_record(record=record, service_type="file_processor", unit="pages", quantity=quantity)


def test_usage_record_refuses_to_run_inside_a_transaction(record):
    with pytest.raises(RuntimeError, match="inside a transaction"):
        with transaction.atomic():
            usage_record(record=record, service_type="file_processor", unit="pages", quantity=1)


def test_request_record_reused_request_id_gets_a_new_one(record):
    again = request_record_open(request_id=record.request_id, operation_type="x", endpoint="/",
                                method="POST")
    assert again.request_id != record.request_id and again.request_id.startswith("req_")


# --- the API middleware ------------------------------------------------------------------

def test_api_write_is_recorded_with_route_pattern_and_task(api, entity):
    response = api.post("/api/v1/tasks/", {"kind": "noop"}, format="json")
    assert response.status_code == 201
    request_id = response["X-Request-ID"]
    assert request_id.startswith("req_") and len(request_id) == 16
    record = RequestRecord.objects.get(request_id=request_id)
    assert record.task_id == response.json()["task_id"]
    assert record.entity == entity and record.user.username == "member"
    assert (record.operation_type, record.task_type) == ("task_create", "noop")
    assert (record.method, record.status_code, record.endpoint) == ("POST", 201, "/api/v1/tasks")
    assert record.processing_time_ms > 0 and record.completed_at


def test_api_action_endpoint_is_the_pattern_not_the_path(api):
    task_id = api.post("/api/tasks/", {"kind": "noop"}, format="json").json()["task_id"]
    response = api.post(f"/api/tasks/{task_id}/cancel")
    record = RequestRecord.objects.get(request_id=response["X-Request-ID"])
    assert record.endpoint == "/api/tasks/{task_id}/cancel"
    assert record.operation_type == "task_cancel" and record.task_id == task_id


def test_api_refused_write_is_recorded_with_its_error(api):
    response = api.post("/api/tasks/", {"kind": "nope"}, format="json")
    record = RequestRecord.objects.get(request_id=response["X-Request-ID"])
    assert record.status_code == 400 and "kind must be one of" in record.error_message


def test_api_valid_incoming_request_id_is_kept_and_junk_replaced(api):
    kept = api.post("/api/tasks/", {"kind": "noop"}, format="json", HTTP_X_REQUEST_ID="req_0123456789ab")
    assert kept["X-Request-ID"] == "req_0123456789ab"
    assert RequestRecord.objects.filter(request_id="req_0123456789ab").exists()
    junk = api.get("/api/tasks/", HTTP_X_REQUEST_ID="<script>")
    assert junk["X-Request-ID"].startswith("req_") and junk["X-Request-ID"] != "<script>"


def test_api_reads_get_an_id_but_are_not_stored(api, settings):
    response = api.get("/api/tasks/")
    assert response["X-Request-ID"].startswith("req_")
    assert RequestRecord.objects.count() == 0
    settings.TRACK_READ_REQUESTS = True
    tracked = api.get("/api/tasks/")
    record = RequestRecord.objects.get(request_id=tracked["X-Request-ID"])
    assert record.method == "GET" and record.operation_type == "task_list"
    task_id = api.post("/api/tasks/", {"kind": "noop"}, format="json").json()["task_id"]
    poll = api.get(f"/api/tasks/{task_id}/status")
    assert RequestRecord.objects.get(request_id=poll["X-Request-ID"]).task_id == ""
    assert RequestRecord.objects.filter(task_id=task_id).count() == 1  # the POST only


def test_api_anonymous_writes_are_not_recorded(client):
    response = client.post("/api/tasks/", {"kind": "noop"})
    assert response.status_code == 401 and response["X-Request-ID"]
    assert RequestRecord.objects.count() == 0


def test_request_record_overlong_ids_are_cut_to_fit_not_crash():
    record = request_record_open(operation_type="x", endpoint="/", method="JOB",
                                 task_id="t" * 100, doc_id="d" * 100)
    record.refresh_from_db()
    assert record.doc_id == "d" * 64 and record.task_id == "t" * 64
