"""Costs a client can trust: `final`, 202 until then, `?wait=`, and no silently ignored filter."""
import time
from decimal import Decimal

import pytest

from tasks.models import Task, TaskStatus
from tasks.services import task_create
from tests.costs.test_apis import FILE_PROCESSOR_10_PAGES, csv_rows, make_record, money

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_upload(entity):
    """A pending upload task with its paid first attempt recorded, and its document."""
    task = task_create(kind="noop", entity=entity, metadata={"doc_id": "doc_1"})
    make_record(entity, FILE_PROCESSOR_10_PAGES, task_id=task.task_id, doc_id="doc_1")
    return task


def finish(task, status=TaskStatus.COMPLETED):
    Task.objects.filter(pk=task.pk).update(status=status)


def test_task_cost_is_202_and_not_final_while_the_task_is_pending(api, running_upload):
    response = api.get(f"/api/tasks/{running_upload.task_id}/cost")

    assert response.status_code == 202
    assert response.json()["final"] is False
    assert money(response.json()["total_cost_usd"]) == Decimal("0.02")  # the cost so far


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED])
def test_task_cost_is_200_and_final_once_the_task_ended(api, running_upload, status):
    finish(running_upload, status)

    response = api.get(f"/api/tasks/{running_upload.task_id}/cost")

    assert response.status_code == 200
    assert response.json()["final"] is True


def test_task_cost_with_an_attempt_still_open_is_not_final(api, entity, running_upload):
    finish(running_upload)
    make_record(entity, task_id=running_upload.task_id, status_code=None)

    response = api.get(f"/api/tasks/{running_upload.task_id}/cost")

    assert (response.status_code, response.json()["final"]) == (202, False)


def test_task_cost_wait_returns_the_cost_so_far_after_the_wait(api, running_upload):
    started = time.monotonic()
    response = api.get(f"/api/tasks/{running_upload.task_id}/cost", {"wait": "0.6"})

    assert time.monotonic() - started >= 0.6
    assert (response.status_code, response.json()["final"]) == (202, False)


def test_task_cost_wait_answers_at_once_when_final(api, running_upload):
    finish(running_upload)
    started = time.monotonic()
    response = api.get(f"/api/tasks/{running_upload.task_id}/cost", {"wait": "30"})

    assert time.monotonic() - started < 5
    assert response.status_code == 200


@pytest.mark.parametrize("wait", ["61", "-1", "soon", "nan"])
def test_task_cost_wait_out_of_range_is_400_naming_the_range(api, running_upload, wait):
    response = api.get(f"/api/tasks/{running_upload.task_id}/cost", {"wait": wait})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_wait"
    assert "from 0 to 60" in response.json()["detail"]


def test_document_cost_is_not_final_while_its_task_runs(api, running_upload):
    response = api.get("/api/documents/doc_1/cost")
    assert (response.status_code, response.json()["final"]) == (202, False)

    finish(running_upload)
    response = api.get("/api/documents/doc_1/cost")
    assert (response.status_code, response.json()["final"]) == (200, True)


def test_entity_costs_are_not_final_while_a_task_of_the_entity_runs(api, running_upload):
    response = api.get("/api/entities/company_123/costs")
    assert (response.status_code, response.json()["final"]) == (202, False)
    rows = csv_rows(api.get("/api/entities/company_123/costs", {"format": "csv"}))
    assert [row["final"] for row in rows] == ["false"]

    finish(running_upload)
    response = api.get("/api/entities/company_123/costs")
    assert (response.status_code, response.json()["final"]) == (200, True)
    rows = csv_rows(api.get("/api/entities/company_123/costs", {"format": "csv"}))
    assert [row["final"] for row in rows] == ["true"]


# --- unknown query parameters -------------------------------------------------------------


@pytest.mark.parametrize(("path", "typo", "known"), [
    ("/api/tasks/", "taskid", "kind"),
    ("/api/requests", "taskid", "task_id"),
    ("/api/requests", "entity", "entity_id"),
    ("/api/tasks/{task_id}/cost", "waitt", "wait"),
    ("/api/documents/doc_1/cost", "doc", "wait"),
    ("/api/entities/company_123/costs", "groupby", "group_by"),
    ("/api/articles/", "state", "status"),
    ("/api/knowledge-bases/", "entity_id", "page_size"),
    ("/api/cost-indices/", "active", "page"),
])
def test_list_and_cost_endpoints_refuse_unknown_parameters_naming_known_ones(
    api, running_upload, path, typo, known
):
    response = api.get(path.format(task_id=running_upload.task_id), {typo: "nope"})

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["unknown"] == [typo]
    assert known in body["accepted"]
    assert typo in body["detail"] and known in body["detail"]


def test_request_list_typo_does_not_sum_the_whole_spend(api, entity, running_upload):
    """Cost pattern 2 (docs/api.md) with a typo'd filter: refused, not every record of the entity."""
    make_record(entity, FILE_PROCESSOR_10_PAGES, task_type="upload")

    response = api.get("/api/requests", {"entity_id": "company_123", "taskid": "task_x"})

    assert response.status_code == 400
    assert response.json()["unknown"] == ["taskid"]


@pytest.mark.parametrize("params", [
    {"page": "1", "page_size": "10"}, {"format": "json"}, {"wait": "0"},
])
def test_paging_format_and_wait_stay_accepted(api, running_upload, params):
    assert api.get("/api/requests", params).status_code == 200
    assert api.get("/api/tasks/", params).status_code == 200
