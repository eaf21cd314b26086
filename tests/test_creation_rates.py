"""Task creation and uploads are rate-limited per user and per entity; batches count items."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from costs.models import RequestRecord
from embeddings.models import Document
from tasks.models import Task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _create(api, entity_id="company_123"):
    return api.post("/api/tasks/", {"kind": "noop", "entity_id": entity_id}, format="json")


def _upload(api, name="notes.txt"):
    return api.post("/api/entities/company_123/files",
                    {"file": SimpleUploadedFile(name, b"Widgets are made of steel.",
                                                content_type="text/plain")},
                    format="multipart")


def _assert_throttled(response, limit: str) -> None:
    assert response.status_code == 429
    # The count is a sliding estimate over two windows: what was counted in the last minute
    # weighs until the end of the next one, so the wait can be up to two minutes.
    assert 0 < int(response["Retry-After"]) <= 120
    body = response.json()
    assert body["code"] == "throttled"
    assert limit in body["detail"]


def test_task_create_past_the_user_rate_is_429_naming_the_limit(api, settings):
    settings.TASK_CREATE_RATE_USER = "3/min"

    answers = [_create(api).status_code for _ in range(3)]
    refused = _create(api)

    assert answers == [201] * 3
    _assert_throttled(refused, "the limit of 3/min per user (TASK_CREATE_RATE_USER)")
    assert Task.objects.count() == 3


def test_task_batch_counts_its_items_not_the_request(api, settings):
    settings.TASK_CREATE_RATE_USER = "5/min"

    first = api.post("/api/tasks/batch", [{"kind": "noop"}] * 4, format="json")
    refused = api.post("/api/tasks/batch", [{"kind": "noop"}] * 2, format="json")
    last = api.post("/api/tasks/batch", [{"kind": "noop"}], format="json")

    assert first.status_code == 200 and first.json()["queued"] == 4
    _assert_throttled(refused, "2 more would pass the limit of 5/min per user")
    assert last.status_code == 200 and last.json()["queued"] == 1
    assert Task.objects.count() == 5  # the refused batch created none of its items


def test_task_batch_counts_only_the_items_it_would_create(api, settings):
    settings.TASK_CREATE_RATE_USER = "2/min"

    answer = api.post("/api/tasks/batch", [{"kind": "noop"}, {"kind": "no-such-kind"},
                                           {"kind": "noop"}], format="json")

    assert answer.status_code == 200 and answer.json()["queued"] == 2


def test_entity_rate_holds_back_every_member_and_spares_other_entities(
        api, entity, other_entity, client_for, settings):
    settings.TASK_CREATE_RATE_ENTITY = "2/min"
    colleague = UserFactory(username="colleague")
    entity.members.add(colleague)
    outsider = UserFactory(username="outsider")
    other_entity.members.add(outsider)

    assert _create(api).status_code == 201
    assert _create(client_for(colleague)).status_code == 201
    refused = _create(api)
    elsewhere = _create(client_for(outsider), entity_id="company_456")

    _assert_throttled(refused, "the limit of 2/min per entity (TASK_CREATE_RATE_ENTITY)")
    assert elsewhere.status_code == 201


def test_embedding_batch_counts_items_and_stores_nothing_when_refused(api, settings):
    settings.TASK_CREATE_RATE_USER = "3/min"
    items = [{"content": f"Document {n} about steel widgets.", "entity_id": "company_123"}
             for n in range(4)]

    refused = api.post("/api/v1/embedding-tasks/batch", items, format="json")
    accepted = api.post("/api/v1/embedding-tasks/batch", items[:3], format="json")

    _assert_throttled(refused, "4 more would pass the limit of 3/min per user")
    assert accepted.status_code == 200 and accepted.json()["queued"] == 3
    assert Document.objects.count() == 3


def test_upload_past_the_upload_rate_is_429_and_stores_nothing(api, settings):
    settings.UPLOAD_RATE_USER = "1/min"

    accepted = _upload(api)
    refused = _upload(api, name="second.txt")

    assert accepted.status_code == 200
    _assert_throttled(refused, "too many files uploaded: 1 more would pass the limit of "
                               "1/min per user (UPLOAD_RATE_USER)")
    assert list(Document.objects.values_list("original_filename", flat=True)) == ["notes.txt"]
    assert _create(api).status_code == 201  # tasks have their own, higher rate


def test_analyze_counts_against_the_upload_rate(api, settings):
    settings.UPLOAD_RATE_ENTITY = "1/min"
    spec = b"Net weight: 2 kg. Material: steel."

    def analyze():
        return api.post("/api/analyze", {
            "articleName": "Bracket",
            "productSpecification": SimpleUploadedFile("spec.txt", spec, "text/plain"),
        }, format="multipart")

    assert analyze().status_code == 201
    _assert_throttled(analyze(), "per entity (UPLOAD_RATE_ENTITY)")


def test_a_refused_request_is_recorded_with_429_and_charged_nothing(api, entity, settings):
    settings.TASK_CREATE_RATE_USER = "1/min"
    _create(api)

    refused = _create(api)

    record = RequestRecord.objects.get(request_id=refused["X-Request-ID"])
    assert record.status_code == 429
    assert "TASK_CREATE_RATE_USER" in record.error_message
    assert record.entity == entity and record.task_id == ""
    assert record.usage == [] and record.cost == 0 and not record.unpriced
    assert Task.objects.count() == 1


def test_rates_can_be_turned_off(api, settings, monkeypatch):
    from config.env import env_rate

    monkeypatch.setenv("TASK_CREATE_RATE_USER", "off")
    settings.TASK_CREATE_RATE_USER = env_rate("TASK_CREATE_RATE_USER", "1/min")
    settings.TASK_CREATE_RATE_ENTITY = None

    assert [_create(api).status_code for _ in range(3)] == [201] * 3


def test_a_mistyped_rate_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_rate

    monkeypatch.setenv("UPLOAD_RATE_USER", "120 per minute")
    with pytest.raises(ImproperlyConfigured, match="UPLOAD_RATE_USER must be a count per"):
        env_rate("UPLOAD_RATE_USER", "120/min")


def test_item_rate_retry_after_is_when_the_items_fit_again(settings):
    from rest_framework.exceptions import Throttled

    from core.throttling import ItemRateThrottle

    settings.TASK_CREATE_RATE_USER = "10/min"
    clock = [600 * 60 + 30.0]  # half way through a minute
    throttle = ItemRateThrottle(scope="tasks_user", setting="TASK_CREATE_RATE_USER",
                                per="user", noun="tasks created")
    throttle.timer = lambda: clock[0]
    throttle.charge(ident="7", count=10)

    with pytest.raises(Throttled) as refused:
        throttle.charge(ident="7", count=1)
    clock[0] += refused.value.wait - 1
    with pytest.raises(Throttled):
        throttle.charge(ident="7", count=1)
    clock[0] += 1

    assert refused.value.wait == 36  # 10 x (1 - 6/60) + 1 = 10 is back within the limit
    assert throttle.charge(ident="7", count=1) is not None
