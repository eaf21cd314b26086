"""Budgets over HTTP: who may read and change them, refusals (402) with their figures,
dry runs and the estimate endpoint that queue nothing, and a task's estimate beside its cost."""
from decimal import Decimal

import pytest

from articles.models import Article
from budgets.models import Budget, TaskEstimate
from embeddings.models import Document
from tasks.models import Task
from tests.articles.helpers import analyze, spec_file
from tests.budgets.helpers import TEXT_COST, budget_make, embedding_body

pytestmark = pytest.mark.django_db

BUDGETS = {"budgets": [
    {"amount_usd": "10.50", "period": "month", "mode": "hard", "soft_threshold_percent": 75},
    {"amount_usd": "1", "period": "day", "mode": "soft", "service_type": "openai_chat"},
]}


def test_budgets_members_read_staff_change(api, staff_api, entity):
    assert api.put("/api/entities/company_123/budgets", BUDGETS, format="json").status_code == 403
    assert not Budget.objects.exists()

    response = staff_api.put("/api/entities/company_123/budgets", BUDGETS, format="json")
    assert response.status_code == 200, response.content
    listed = api.get("/api/v1/entities/company_123/budgets/").json()
    assert listed == response.json()
    month, day = sorted(listed["budgets"], key=lambda budget: budget["period"] != "month")
    assert month["amount_usd"] == 10.5 and month["mode"] == "hard" and month["label"] == "month"
    assert month["soft_threshold_percent"] == 75 and month["service_type"] is None
    assert month["spent_usd"] == 0 and month["reserved_usd"] == 0 and month["remaining_usd"] == 10.5
    assert month["period_end"] > month["period_start"]
    assert day["label"] == "day/service=openai_chat" and day["soft_threshold_percent"] == 80

    # A PUT is the whole set: a budget left out is removed, one kept keeps its row.
    kept = Budget.objects.get(period="month")
    staff_api.put("/api/entities/company_123/budgets",
                  {"budgets": [{**BUDGETS["budgets"][0], "amount_usd": 20}]}, format="json")
    assert list(Budget.objects.values_list("pk", "amount_usd")) == [(kept.pk, Decimal(20))]


def test_budgets_of_another_entity_are_404(api, staff_api, other_entity):
    budget_make(other_entity, 5)
    assert api.get("/api/entities/company_456/budgets").status_code == 404
    assert api.put("/api/entities/company_456/budgets", BUDGETS, format="json").status_code == 404
    assert api.get("/api/entities/nope/budgets").status_code == 404
    assert staff_api.get("/api/entities/company_456/budgets").status_code == 200


@pytest.mark.parametrize(("budget", "field"), [
    ({"amount_usd": "-1"}, "amount_usd"),
    ({"amount_usd": "x"}, "amount_usd"),
    ({"amount_usd": 1, "period": "week"}, "period"),
    ({"amount_usd": 1, "mode": "strict"}, "mode"),
    ({"amount_usd": 1, "soft_threshold_percent": 0}, "soft_threshold_percent"),
    ({}, "amount_usd"),
])
def test_budgets_bad_field_is_400_naming_it(staff_api, entity, budget, field):
    response = staff_api.put("/api/entities/company_123/budgets", {"budgets": [budget]},
                             format="json")
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert not Budget.objects.exists()


def test_budgets_duplicate_scope_is_400(staff_api, entity):
    response = staff_api.put("/api/entities/company_123/budgets",
                             {"budgets": [{"amount_usd": 1}, {"amount_usd": 2}]}, format="json")
    assert response.status_code == 400 and "same period" in response.json()["detail"]


def test_embedding_task_refused_402_names_budget_spent_reserved_estimate_remaining(api, entity):
    budget = budget_make(entity, "0.012")
    for _ in range(2):
        response = api.post("/api/v1/embedding-tasks/", embedding_body(), format="json")
        assert response.status_code == 200, response.content
        assert response.json()["estimated_cost_usd"] == float(TEXT_COST)
    tasks, documents = Task.objects.count(), Document.objects.count()

    response = api.post("/api/v1/embedding-tasks/", embedding_body(), format="json")

    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "budget_exceeded"
    assert body["budget"]["id"] == budget.pk and body["budget"]["label"] == "month"
    assert body["amount_usd"] == 0.012 and body["spent_usd"] == 0
    assert body["reserved_usd"] == 0.01 and body["estimated_cost_usd"] == 0.005
    assert body["remaining_usd"] == pytest.approx(0.002)
    assert "budget exceeded" in body["detail"] and "company_123" in body["detail"]
    assert (Task.objects.count(), Document.objects.count()) == (tasks, documents)
    assert TaskEstimate.objects.filter(reserved=True).count() == 2


def test_soft_budget_never_refuses(api, entity):
    budget_make(entity, "0.001", mode="soft")
    assert api.post("/api/v1/embedding-tasks/", embedding_body(), format="json").status_code == 200


def test_budget_of_another_service_or_kind_does_not_refuse(api, entity):
    budget_make(entity, 0, service_type="openai_chat")
    budget_make(entity, 0, task_kind="article.analyze")
    assert api.post("/api/v1/embedding-tasks/", embedding_body(), format="json").status_code == 200


def test_budget_narrowed_to_the_service_refuses_its_share(api, entity):
    budget_make(entity, "0.0025", service_type="transformer")  # the chunk costs 0.003
    response = api.post("/api/v1/embedding-tasks/", embedding_body(), format="json")
    assert response.status_code == 402
    assert response.json()["estimated_cost_usd"] == 0.003


def test_embedding_batch_refuses_item_by_item(api, entity):
    budget_make(entity, "0.010")
    response = api.post("/api/v1/embedding-tasks/batch",
                        [embedding_body(document_id=f"doc-{i}") for i in range(4)], format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["queued"], body["failed"]) == (2, 2)
    assert [item["status"] for item in body["tasks"]] == ["queued", "queued", "failed", "failed"]
    assert body["tasks"][0]["estimated_cost_usd"] == 0.005
    assert body["tasks"][2]["error"].startswith("budget exceeded")
    assert Document.objects.count() == 2


def test_batch_dry_run_judges_each_item_as_the_batch_does(api, entity):
    """Four items that each fit alone, two of which fit together: the dry run says what
    the batch would do, item by item, not what each would do if sent alone."""
    budget_make(entity, "0.010")
    items = [embedding_body(document_id=f"doc-{i}") for i in range(4)]
    path = "/api/v1/embedding-tasks/batch"
    dry = api.post(f"{path}?dry_run=1", items, format="json")
    assert dry.status_code == 200, dry.content
    verdicts = [(item["estimate"] or {}).get("allowed") for item in dry.json()["tasks"]]
    real = api.post(path, items, format="json").json()

    assert verdicts == [True, True, False, False]
    assert [item["status"] for item in real["tasks"]] == ["queued", "queued", "failed", "failed"]


def test_dry_run_estimates_and_keeps_nothing(api, entity, settings):
    budget_make(entity, "0.004")
    response = api.post("/api/v1/embedding-tasks/?dry_run=1", embedding_body(), format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["kind"] == "embeddings.embed"
    assert body["estimated_cost_usd"] == 0.005
    assert body["breakdown_by_service"] == {"file_processor": 0.002, "transformer": 0.003}
    assert {(line["service_type"], line["unit"], line["quantity"]) for line in body["lines"]} == {
        ("file_processor", "pages", 1), ("transformer", "chunks", 1)}
    assert body["allowed"] is False and body["refusal"]["code"] == "budget_exceeded"
    assert not Document.objects.exists() and not Task.objects.exists()


def test_dry_run_bad_value_is_400(api, entity):
    response = api.post("/api/v1/embedding-tasks/?dry_run=maybe", embedding_body(), format="json")
    assert response.status_code == 400 and "dry_run" in response.json()["detail"]


def test_upload_answers_estimated_cost_and_dry_run_stores_nothing(api, entity):
    def upload(path):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return api.post(path, {"file": SimpleUploadedFile(
            "notes.md", ("# Notes\n\n" + "Parcels are weighed on arrival. " * 60).encode(),
            content_type="text/markdown")}, format="multipart")

    dry = upload("/api/entities/company_123/files?dry_run=1")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert not Document.objects.exists()
    created = upload("/api/entities/company_123/files")
    assert created.status_code == 200
    assert created.json()["estimated_cost_usd"] == dry.json()["estimated_cost_usd"] > 0.005
    assert set(created.json()) >= {"success", "task_id", "doc_id", "status", "stream_url"}


def test_estimate_endpoint_finds_the_endpoint_from_the_payload(api, entity):
    embedding = api.post("/api/estimate", embedding_body(), format="json").json()
    assert embedding["kind"] == "embeddings.embed" and embedding["estimated_cost_usd"] == 0.005

    batch = api.post("/api/estimate", [embedding_body(), embedding_body()], format="json").json()
    assert batch["total"] == 2 and batch["estimated_cost_usd"] == 0.01

    analysis = api.post("/api/v1/estimate/", {"articleName": "Widget",
                                              "productSpecification": spec_file()},
                        format="multipart").json()
    assert analysis["kind"] == "article.analyze" and analysis["estimated_cost_usd"] == 0

    task = api.post("/api/estimate", {"kind": "demo.count"}, format="json").json()
    assert task["kind"] == "demo.count" and task["estimated_cost_usd"] == 0

    unknown = api.post("/api/estimate", {"what": 1}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_estimate"
    bad_for = api.post("/api/estimate?for=nope", {"kind": "noop"}, format="json")
    assert bad_for.status_code == 400 and "upload" in bad_for.json()["detail"]
    assert not Task.objects.exists() and not Document.objects.exists()
    assert not Article.objects.exists()


def test_estimate_of_another_entity_is_404(api, other_entity):
    response = api.post("/api/estimate", embedding_body(entity_id="company_456"), format="json")
    assert response.status_code == 404


def test_tasks_api_answers_estimated_cost_usd(api, entity):
    created = api.post("/api/tasks/", {"kind": "demo.count"}, format="json")
    assert created.status_code == 201 and created.json()["estimated_cost_usd"] == 0
    batch = api.post("/api/tasks/batch", [{"kind": "noop"}], format="json").json()
    assert batch["tasks"][0]["estimated_cost_usd"] == 0
    dry = api.post("/api/tasks/?dry_run=1", {"kind": "noop"}, format="json")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert Task.objects.count() == 2


def test_analysis_with_openai_refused_402_and_nothing_stored(api, entity, settings):
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "openai", "sk-test"
    budget_make(entity, "0.0000001")
    response = analyze(api, name="Widget A")
    assert response.status_code == 402, response.content
    body = response.json()
    assert body["code"] == "budget_exceeded" and body["estimated_cost_usd"] > 0
    assert not Article.objects.exists() and not Task.objects.exists()


def test_analysis_answers_estimated_cost_usd(api, entity, settings):
    assert analyze(api).json()["estimated_cost_usd"] == 0  # the offline analyser is free
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "openai", "sk-test"
    body = analyze(api).json()
    assert body["estimated_cost_usd"] > 0
    assert TaskEstimate.objects.get(task_id=body["task_id"]).total_usd == Decimal(
        str(body["estimated_cost_usd"]))


@pytest.mark.django_db(transaction=True)
def test_task_cost_shows_estimate_beside_actual(api, entity, sync_jobs):
    response = api.post("/api/v1/embedding-tasks/", embedding_body(), format="json")
    task_id = response.json()["task_id"]
    cost = api.get(f"/api/tasks/{task_id}/cost")
    assert cost.status_code == 200
    body = cost.json()
    assert body["final"] is True and body["reserved"] is False
    assert body["estimated_cost_usd"] == body["total_cost_usd"] == 0.005
    assert body["estimated_breakdown_by_service"] == {"file_processor": 0.002, "transformer": 0.003}
    assert body["breakdown_by_service"] == {"file_processor": 0.002, "transformer": 0.003}


def test_task_cost_of_a_free_kind_has_no_estimate(api, entity):
    task_id = api.post("/api/tasks/", {"kind": "noop"}, format="json").json()["task_id"]
    body = api.get(f"/api/tasks/{task_id}/cost").json()
    assert body["estimated_cost_usd"] is None and body["reserved"] is False


def test_reanalyze_answers_estimate_and_dry_run_queues_nothing(api, entity, settings):
    settings.AI_PROVIDER, settings.OPENAI_API_KEY = "openai", "sk-test"
    body = analyze(api).json()
    Task.objects.filter(task_id=body["task_id"]).update(status="completed")
    dry = api.post(f"/api/articles/{body['id']}/reanalyze?dry_run=1")
    assert dry.status_code == 200, dry.content
    assert dry.json()["estimated_cost_usd"] == body["estimated_cost_usd"] > 0
    assert Task.objects.count() == 1
    again = api.post(f"/api/articles/{body['id']}/reanalyze")
    assert again.status_code == 202
    assert again.json()["estimated_cost_usd"] == body["estimated_cost_usd"]
