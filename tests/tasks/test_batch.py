"""Bulk creation: task_create_many() in one transaction, and POST /api/tasks/batch."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.batch import MAX_BATCH_TASKS
from tasks.models import Task, TaskPriority
from tasks.services import task_create, task_create_many

pytestmark = pytest.mark.django_db


def _inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_task_create_many_inserts_many_rows_per_statement():
    with CaptureQueriesContext(connection) as queries:
        tasks = task_create_many([{"kind": "noop", "priority": "high"} for _ in range(300)])
    assert len(tasks) == Task.objects.filter(status="pending", priority=TaskPriority.HIGH).count() == 300
    assert all(task.pk and task.task_id for task in tasks)
    assert len({task.task_id for task in tasks}) == 300
    # Whole batches of rows per INSERT (SQLite caps a statement's parameters), not one each.
    assert len(_inserts(queries.captured_queries)) <= 300 // 30


def test_task_create_many_links_prerequisites_and_cancels_what_cannot_start():
    done, lost = task_create(kind="noop"), task_create(kind="noop")
    Task.objects.filter(pk=lost.pk).update(status="failed")
    lost.refresh_from_db()
    waiting, doomed = task_create_many([
        {"kind": "noop", "prerequisites": [done]},
        {"kind": "noop", "prerequisites": [done, lost]},
    ])
    assert list(waiting.prerequisites.all()) == [done]
    doomed.refresh_from_db()
    assert doomed.status == "cancelled" and lost.task_id in doomed.error_message


def test_task_create_many_is_all_or_nothing():
    from core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="kind must be one of"):
        task_create_many([{"kind": "noop"}, {"kind": "no.such.kind"}])
    assert not Task.objects.exists()


def test_batch_endpoint_creates_the_valid_items_and_says_why_each_other_failed(api, entity):
    body = [
        {"kind": "noop"},
        {"kind": "nope"},
        {"kind": "demo.count", "params": {"steps": 0}},
        "not an object",
        {"kind": "noop", "entity_id": "someone_else"},
        {"kind": "noop", "prerequisites": ["task_does_not_exist"]},
        {"kind": "demo.count", "params": {"steps": 2}, "priority": "critical",
         "metadata": {"order": 7}},
    ]
    response = api.post("/api/tasks/batch", body, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["total"], answer["queued"], answer["failed"]) == (7, 2, 5)
    statuses = [item["status"] for item in answer["tasks"]]
    assert statuses == ["queued", "failed", "failed", "failed", "failed", "failed", "queued"]
    errors = [item["error"] for item in answer["tasks"]]
    assert "kind must be one of" in errors[1]
    assert "steps" in errors[2]
    assert "JSON object" in errors[3]
    assert errors[4]
    assert errors[5].startswith("prerequisites") and "task_does_not_exist" in errors[5]
    created = Task.objects.get(task_id=answer["tasks"][6]["task_id"])
    assert (created.kind, created.priority_name, created.metadata) == ("demo.count", "critical",
                                                                      {"order": 7})
    assert created.entity == entity and Task.objects.count() == 2


@pytest.mark.parametrize("body, message", [
    ([], "non-empty JSON array"),
    ({"kind": "noop"}, "non-empty JSON array"),
    ([{"kind": "noop"}] * (MAX_BATCH_TASKS + 1), f"at most {MAX_BATCH_TASKS}"),
])
def test_batch_endpoint_refuses_a_body_that_is_not_a_batch(api, entity, body, message):
    response = api.post("/api/tasks/batch", body, format="json")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not Task.objects.exists()


def test_batch_endpoint_takes_a_thousand_tasks(api, entity):
    response = api.post("/api/tasks/batch", [{"kind": "noop"}] * MAX_BATCH_TASKS, format="json")
    assert response.status_code == 200
    assert response.json()["queued"] == Task.objects.count() == MAX_BATCH_TASKS


def test_batch_endpoint_checks_its_items_in_a_fixed_number_of_queries(api, entity):
    """Each entity is resolved once and an item with no prerequisites reads none: the
    queries do not grow with the items (the batch endpoint's 5,000 tasks/s target)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def posted(count):
        body = [{"kind": "noop"}, {"kind": "noop", "entity_id": "someone_else"}] * count
        with CaptureQueriesContext(connection) as queries:
            answer = api.post("/api/tasks/batch", body, format="json").json()
        # The multi-row INSERT of the tasks is split where SQLite's parameter limit says.
        return answer, len([query for query in queries.captured_queries
                            if not query["sql"].startswith('INSERT INTO "tasks_task"')])

    few, few_queries = posted(2)
    many, many_queries = posted(50)

    assert (many["queued"], many["failed"]) == (50, 50)
    refused = {item["error"] for item in many["tasks"] if item["status"] == "failed"}
    assert len(refused) == 1 and "someone_else" in refused.pop()
    assert many_queries == few_queries
