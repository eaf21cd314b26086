"""The analyze and article endpoints: the clients' payloads (docs/api.md), refusals with the
right status."""
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleFile, CostIndex, ProcessingStatus
from costs.models import RequestRecord
from tasks.models import Task
from tests.articles.helpers import analyze, spec_file

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_analyze_answers_201_with_article_task_and_stream(api, entity):
    response = analyze(api, name="Widget A", description="Metal widget")
    assert response.status_code == 201, response.content
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert body["article_name"] == "Widget A" and body["description"] == "Metal widget"
    assert body["unit_weight"] is None and body["processing_status"] == "processing"
    assert body["processing_error"] is None and body["processing_completed_at"] is None
    assert body["processing_started_at"] is None  # no worker has begun yet
    assert body["task_id"] == article.task.task_id
    assert body["stream_url"] == f"/api/tasks/{article.task.task_id}/stream"
    assert body["entity_id"] == "company_123" and body["cost_models"] == []
    assert [f["role"] for f in body["files"]] == ["specification"]
    task = article.task
    assert task.kind == "article.analyze" and task.params == {"article_id": article.pk, "fresh": False}
    assert task.entity == entity and task.metadata["doc_id"] == f"article_{article.pk}"
    record = RequestRecord.objects.get(method="POST", endpoint__contains="analyze")
    assert record.task_id == task.task_id and record.doc_id == f"article_{article.pk}"
    assert record.status_code == 201 and record.entity == entity


def test_analyze_under_v1_and_with_trailing_slash(api):
    assert api.post("/api/v1/analyze/", {"articleName": "A", "productSpecification": spec_file()},
                    format="multipart").status_code == 201


@pytest.mark.parametrize("missing", ["articleName", "productSpecification"])
def test_analyze_missing_field_is_400_naming_it(api, missing):
    data = {"articleName": "Widget", "productSpecification": spec_file()}
    del data[missing]
    response = api.post("/api/analyze", data, format="multipart")
    assert response.status_code == 400
    assert missing in response.json()["detail"]
    assert not Article.objects.exists() and not Task.objects.exists()


def test_analyze_blank_name_and_empty_or_non_file_spec_are_400(api):
    assert "articleName" in analyze(api, name="  ").json()["detail"]
    response = analyze(api, spec=spec_file(b""))
    assert response.status_code == 400 and "productSpecification" in response.json()["detail"]
    response = api.post("/api/analyze", {"articleName": "A", "productSpecification": "text"},
                        format="multipart")
    assert response.status_code == 400 and "productSpecification" in response.json()["detail"]


def test_analyze_json_body_is_415(api):
    response = api.post("/api/analyze", {"articleName": "A"}, format="json")
    assert response.status_code == 415


def test_analyze_oversized_file_is_413_naming_the_limit(api, settings):
    settings.MAX_UPLOAD_MB = 1
    response = analyze(api, spec=spec_file(b"x" * (1024 * 1024 + 1)))
    assert response.status_code == 413
    body = response.json()
    assert "MAX_UPLOAD_MB" in body["detail"] and "1 MB" in body["detail"]
    assert body["limit_mb"] == 1 and body["field"] == "productSpecification"
    assert not Article.objects.exists()


def test_analyze_oversized_drawing_is_413(api, settings):
    settings.MAX_UPLOAD_MB = 1
    drawing = spec_file(PNG + b"\x00" * (1024 * 1024), name="d.png", content_type="image/png")
    response = analyze(api, drawing=drawing)
    assert response.status_code == 413 and response.json()["field"] == "drawing"


@pytest.mark.parametrize("name, data", [
    ("drawing.exe", b"MZ\x90\x00"),
    ("drawing.docx", b"PK\x03\x04"),
    ("drawing.png", b"MZ\x90\x00 not a png"),
])
def test_analyze_unsupported_drawing_is_415(api, name, data):
    response = analyze(api, drawing=spec_file(data, name=name, content_type="application/octet-stream"))
    assert response.status_code == 415
    assert "accepted: .pdf, .png" in response.json()["detail"]
    assert not Article.objects.exists()


def test_analyze_stores_an_accepted_drawing(api):
    response = analyze(api, drawing=spec_file(PNG, name="front.png", content_type="image/png"))
    assert response.status_code == 201
    drawing = ArticleFile.objects.get(role="drawing")
    assert drawing.original_name == "front.png" and drawing.size == len(PNG)
    assert drawing.file.read() == PNG


def test_analyze_for_an_entity_the_user_is_not_in_is_404(api, other_entity):
    response = analyze(api, entity_id="company_456")
    assert response.status_code == 404 and response.json()["detail"] == "Entity company_456 not found"


def test_article_status_is_seed_003s_shape(api):
    article_id = analyze(api).json()["id"]
    body = api.get(f"/api/articles/{article_id}/status").json()
    assert set(body) >= {"id", "processing_status", "processing_error",
                         "processing_started_at", "processing_completed_at"}
    assert body["id"] == article_id and body["processing_status"] == "processing"
    assert body["progress"] == 0 and body["stream_url"].endswith("/stream")


def test_article_hidden_from_other_entities_is_404(api, client_for, other_entity):
    article_id = analyze(api).json()["id"]
    from tests.factories import UserFactory

    outsider = UserFactory(username="outsider")
    other_entity.members.add(outsider)
    other = client_for(outsider)
    assert other.get(f"/api/articles/{article_id}").status_code == 404
    assert other.get(f"/api/articles/{article_id}/status").json()["detail"] == \
        f"Article {article_id} not found"
    assert other.get("/api/articles/").json()["total"] == 0


def test_article_unknown_id_is_404(api):
    assert api.get("/api/articles/999999").status_code == 404
    assert api.get("/api/articles/abc/status").status_code == 404


def test_article_list_filters_status_entity_and_created_range(api, staff_api, other_entity):
    first = analyze(api, name="one").json()["id"]
    second = analyze(api, name="two").json()["id"]
    Article.objects.filter(pk=first).update(processing_status=ProcessingStatus.COMPLETED)
    Article.objects.filter(pk=second).update(created_at=timezone.now() - timedelta(days=10))
    other = analyze(staff_api, name="three", entity_id="company_456").json()["id"]

    def ids(client, query):
        return [a["id"] for a in client.get(f"/api/articles/?{query}").json()["articles"]]

    assert ids(api, "") == [first, second]
    assert ids(api, "status=completed") == [first]
    assert ids(staff_api, "entity=company_456") == [other]
    assert ids(staff_api, "entity_id=company_123") == [first, second]
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert ids(api, f"created_after={since}") == [first]
    assert ids(api, f"created_before={since}") == [second]
    response = api.get("/api/articles/?status=done")
    assert response.status_code == 400
    assert "status must be one of pending, processing, completed, failed" in response.json()["detail"]


def test_cost_indices_list_the_default_catalogue(api):
    body = api.get("/api/cost-indices/").json()
    codes = [index["code"] for index in body["cost_indices"]]
    assert {"steel", "aluminium", "plastics", "electronics", "labour", "energy", "transport"} <= set(codes)
    assert body["total"] == CostIndex.objects.count()
    steel = CostIndex.objects.get(code="steel")
    assert api.get(f"/api/cost-indices/{steel.pk}").json()["name"] == "Steel"
    assert api.get("/api/cost-indices/9999").status_code == 404


def test_reanalyze_while_running_is_409(api):
    article_id = analyze(api).json()["id"]
    response = api.post(f"/api/articles/{article_id}/reanalyze")
    assert response.status_code == 409 and response.json()["code"] == "analysis_running"


def test_anonymous_analyze_is_401():
    from rest_framework.test import APIClient

    assert analyze(APIClient()).status_code == 401


def test_analyze_body_beyond_two_files_is_413_before_reading(api, settings):
    settings.MAX_UPLOAD_MB = 1
    response = analyze(api, spec=spec_file(b"x" * (3 * 1024 * 1024 + 10)))
    assert response.status_code == 413
    assert response.json()["detail"].startswith("the request is 3.0 MB; each file may be at most 1 MB")
