"""The ledger's writes: pricing, usage lines, request records from the API middleware."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from costs.models import Meter, Price, RequestRecord
from costs.services import request_record_open, usage_record
from tests.ledger import lines_of

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
    assert before.cost == Decimal("0.02") and after.cost == Decimal("0.05")
    assert later.cost == Decimal("0.05") and future.pk
    # Stored: the first use at its own price; the two at the new price merged into one line.
    stored = lines_of(RequestRecord.objects.filter(pk=record.pk))
    assert [(line.unit_price, line.quantity, line.cost) for line in stored] == [
        (Decimal("0.002"), 10, Decimal("0.02")), (Decimal("0.005"), 20, Decimal("0.10"))]


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


# --- usage on the record ------------------------------------------------------------------

def _stored(record) -> list:
    return lines_of(RequestRecord.objects.filter(pk=record.pk))


def test_usage_record_merges_uses_of_one_meter_and_price_into_one_line(record):
    for tokens in (1000, 234, 5):
        usage_record(record=record, service_type="openai_embedding", unit="input_tokens",
                     quantity=tokens, model="text-embedding-3-small",
                     breakdown={"input_tokens": tokens, "chunks": 2})
    usage_record(record=record, service_type="openai_embedding", unit="input_tokens",
                 quantity=7, model="text-embedding-3-large")  # another meter: its own line

    small, large = _stored(record)

    assert (small.model, small.quantity, small.cost) == (
        "text-embedding-3-small", 1239, Decimal("1239") * Decimal("0.02") / 1_000_000)
    assert small.breakdown == {"input_tokens": 1239, "chunks": 6}  # counters add too
    assert (large.model, large.quantity, large.breakdown) == (
        "text-embedding-3-large", 7, {"input_tokens": 7})


def test_usage_record_keeps_a_long_job_to_one_line(record):
    """A 10,000-chunk embedding job, paid in 200 batches: one line, not 200."""
    for _ in range(200):
        usage_record(record=record, service_type="transformer", unit="chunks", quantity=50,
                     model="local-hash-256", breakdown={"chunks": 50, "embedding_model": "x"})

    [line] = _stored(record)

    assert (line.quantity, line.cost) == (10_000, Decimal("30"))
    assert line.breakdown == {"chunks": 10_000, "embedding_model": "x"}


def test_usage_record_keeps_lines_whose_breakdowns_differ_beyond_counters_apart(record):
    for answer in ("rejected", "accepted", "accepted"):
        usage_record(record=record, service_type="openai_chat", unit="output_tokens",
                     quantity=10, model="gpt-4o-mini",
                     breakdown={"output_tokens": 10, "calls": 1, "answer": answer})

    lines = _stored(record)

    assert [(line.breakdown["answer"], line.breakdown["calls"], line.quantity)
            for line in lines] == [("rejected", 1, 10), ("accepted", 2, 20)]


def test_usage_record_keeps_record_cost_exact_and_flags_unpriced(record):
    Price.objects.create(service_type="precise", unit="calls", unit_price=Decimal("0.1234567891"),
                         effective_from=timezone.now() - timedelta(days=1))
    for quantity in (3, 7):
        usage_record(record=record, service_type="precise", unit="calls", quantity=quantity)
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    stored = RequestRecord.objects.get(pk=record.pk)
    assert stored.cost == Decimal("1.234567891") + Decimal("0.02") and not stored.unpriced

    usage_record(record=record, service_type="openai_chat", unit="input_tokens", quantity=5,
                 model="gpt-99-preview")

    stored.refresh_from_db()
    assert stored.cost == Decimal("1.254567891") and stored.unpriced
    assert RequestRecord.objects.filter(unpriced=True).get() == record


def test_usage_is_stored_as_compact_json_text(record):
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                 quantity="12.5", model="gpt-99-preview", breakdown={"input_tokens": 12.5, "a": "b"})
    pages_meter = Meter.objects.get(service_type="file_processor", unit="pages", model="")
    chat_meter = Meter.objects.get(service_type="openai_chat", model="gpt-99-preview")
    pages_price = Price.objects.get(service_type="file_processor", unit="pages")

    with connection.cursor() as cursor:
        cursor.execute("SELECT usage FROM costs_requestrecord WHERE id = %s", [record.pk])
        text = cursor.fetchone()[0]

    assert text == (f'[[{pages_meter.pk},{pages_price.pk},"10","0.02"],'
                    f'[{chat_meter.pk},null,"12.5","0",{{"input_tokens":12.5,"a":"b"}}]]')


def test_usage_record_on_a_stale_copy_of_the_record_loses_nothing(record):
    """Another process appended since this one read the record: its copy is stale."""
    elsewhere = RequestRecord.objects.get(pk=record.pk)
    usage_record(record=elsewhere, service_type="file_processor", unit="pages", quantity=10)

    usage_record(record=record, service_type="transformer", unit="chunks", quantity=45)
    usage_record(record=elsewhere, service_type="file_processor", unit="pages", quantity=1)

    assert [(line.service_type, line.quantity) for line in _stored(record)] == [
        ("file_processor", 11), ("transformer", 45)]
    assert RequestRecord.objects.get(pk=record.pk).cost == Decimal("0.022") + Decimal("0.135")


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
