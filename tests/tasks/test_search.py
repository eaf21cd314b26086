"""Task search: GET /api/tasks/ filters, metadata equality, and the index that answers it."""
from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from tasks.models import Task, TaskStatus
from tasks.selectors import task_list
from tasks.services import task_create

pytestmark = pytest.mark.django_db


def make_task(entity=None, *, kind="noop", metadata=None, **fields) -> Task:
    task = task_create(kind=kind, entity=entity, metadata=metadata)
    if fields:
        Task.objects.filter(pk=task.pk).update(**fields)
        task.refresh_from_db()
    return task


def ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {task["task_id"] for task in response.json()["tasks"]}


@pytest.mark.parametrize("query", ["status=pending,processing",
                                   "status=pending&status=processing"])
def test_task_search_status_takes_several_values(api, entity, query):
    pending = make_task(entity)
    running = make_task(entity, status=TaskStatus.PROCESSING)
    make_task(entity, status=TaskStatus.COMPLETED)

    assert ids(api.get(f"/api/tasks/?{query}")) == {pending.task_id, running.task_id}


def test_task_search_status_refuses_an_unknown_value_among_several(api, entity):
    response = api.get("/api/tasks/?status=pending,done")

    assert response.status_code == 400
    assert "status must be one of pending, processing, completed, failed, cancelled" in \
        response.json()["detail"]


def test_task_search_completed_date_range(api, entity):
    now = timezone.now()
    make_task(entity, status=TaskStatus.COMPLETED, completed_at=now - timedelta(days=10))
    middle = make_task(entity, status=TaskStatus.COMPLETED, completed_at=now - timedelta(days=5))
    make_task(entity)  # not completed: no completed_at

    found = ids(api.get("/api/tasks/", {"completed_after": (now - timedelta(days=7)).isoformat(),
                                        "completed_before": (now - timedelta(days=2)).isoformat()}))

    assert found == {middle.task_id}


def test_task_search_by_parent_id(api, entity):
    group = make_task(entity, kind="group")
    child = task_create(kind="noop", entity=entity, parent=group)
    make_task(entity)

    assert ids(api.get("/api/tasks/", {"parent_id": group.task_id})) == {child.task_id}


def test_task_search_parent_is_not_a_filter_name(api, entity):
    """One name for one thing: the filter is `parent_id`, as in the task's answer."""
    response = api.get("/api/tasks/", {"parent": "task_x"})

    assert response.status_code == 400 and "parent_id" in response.json()["accepted"]


def test_task_search_metadata_equality_on_top_level_keys(api, entity):
    acme = make_task(entity, metadata={"customer": "acme", "order": 7, "urgent": True})
    make_task(entity, metadata={"customer": "globex", "order": 7})
    make_task(entity, metadata={"nested": {"customer": "acme"}})
    make_task(entity)

    assert ids(api.get("/api/tasks/?metadata.customer=acme")) == {acme.task_id}
    assert len(ids(api.get("/api/tasks/?metadata.order=7"))) == 2
    assert ids(api.get("/api/tasks/?metadata.order=7&metadata.customer=acme")) == {acme.task_id}
    assert ids(api.get("/api/tasks/?metadata.urgent=true")) == {acme.task_id}
    assert ids(api.get("/api/tasks/?metadata.customer=initech")) == set()


def test_task_search_metadata_matches_text_that_looks_like_a_number(api, entity):
    text = make_task(entity, metadata={"order": "7"})
    number = make_task(entity, metadata={"order": 7})

    assert ids(api.get("/api/tasks/?metadata.order=7")) == {text.task_id, number.task_id}


def test_task_search_metadata_key_with_odd_characters(api, entity):
    odd = make_task(entity, metadata={"a__b": "x", "a b": "y"})
    make_task(entity, metadata={"a": {"b": "x"}})

    assert ids(api.get("/api/tasks/", {"metadata.a__b": "x"})) == {odd.task_id}
    assert ids(api.get("/api/tasks/", {"metadata.a b": "y"})) == {odd.task_id}


def test_task_search_metadata_without_a_key_is_400(api, entity):
    response = api.get("/api/tasks/?metadata.=acme")

    assert response.status_code == 400
    assert "metadata.<key>=value" in response.json()["detail"]


def test_task_search_unknown_parameter_still_refused_and_names_metadata(api, entity):
    response = api.get("/api/tasks/?metadatacustomer=acme")

    assert response.status_code == 400
    assert "metadata.<key>" in response.json()["accepted"]


def test_task_search_combines_with_the_other_filters(api, entity):
    wanted = make_task(entity, kind="demo.count", metadata={"customer": "acme"})
    make_task(entity, kind="noop", metadata={"customer": "acme"})

    found = ids(api.get("/api/tasks/?kind=demo.count&metadata.customer=acme&priority=NORMAL"))

    assert found == {wanted.task_id}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_task_search_metadata_uses_the_gin_index(staff, entity):
    make_task(entity, metadata={"customer": "acme"})
    tasks = task_list(user=staff, filters=QueryDict("metadata.customer=acme"))
    with connection.cursor() as cursor:
        # A handful of rows: the planner would rightly scan them; make it show the index path.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = tasks.explain()

    assert "task_metadata_gin" in plan, plan
    assert list(tasks.values_list("metadata", flat=True)) == [{"customer": "acme"}]
