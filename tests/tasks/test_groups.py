"""Parent and child tasks through the API: a group made with its children in one call, children
added to an open group, and the group's roll-up of progress, status and cost."""
from decimal import Decimal

import pytest
from django.urls import reverse

from costs.models import RequestRecord
from tasks.dispatch import claim
from tasks.models import Task, TaskStatus
from tasks.runner import task_run
from tasks.services import task_create
from tests.ledger import lines_of
from tests.tasks import jobs_for_tests  # noqa: F401  (registers test job kinds)

pytestmark = pytest.mark.django_db

COUNT = {"kind": "demo.count", "params": {"steps": 2, "delay_seconds": 0}}


def _group(api, children, **body):
    return api.post("/api/tasks/", {"kind": "group", "children": children, **body}, format="json")


def _run(task):
    claim(10)
    task_run(task_pk=task.pk, token=Task.objects.get(pk=task.pk).dispatch_token)


def test_group_create_with_children_answers_the_group_and_its_children_ids(api, entity):
    response = _group(api, [COUNT, {"kind": "noop", "priority": "HIGH",
                                    "metadata": {"step": "index"}}],
                      metadata={"operation": "reindex"})

    assert response.status_code == 201, response.json()
    body = response.json()
    group = Task.objects.get(task_id=body["task_id"])
    children = list(group.children.order_by("id"))
    assert body["kind"] == "group" and body["status"] == "pending"
    assert body["children"] == [child.task_id for child in children]
    assert [child.kind for child in children] == ["demo.count", "noop"]
    assert children[1].priority_name == "high" and children[1].metadata == {"step": "index"}
    assert {child.entity for child in children} == {entity} == {group.entity}
    assert body["metadata"] == {"operation": "reindex"}
    assert body["total_units"] == 2 and body["processed_units"] == 0
    assert api.get(f"/api/tasks/{group.task_id}").json()["children"] == body["children"]


@pytest.mark.parametrize("children, field", [
    ([COUNT, {"kind": "nope"}], "children.1.kind"),
    ([COUNT, {"kind": "demo.count", "params": {"steps": 0}}], "children.1.params"),
    ([{"kind": "noop", "prerequisites": ["task_missing"]}], "children.0"),
    ([{"kind": "group"}], "children.0.kind"),
    ([{"kind": "noop", "entity_id": "company_456"}], "children.0"),
    ([{"kind": "noop", "parent_id": "task_x"}], "children.0.parent_id"),
])
def test_group_create_is_all_or_nothing(api, entity, other_entity, children, field):
    response = _group(api, children)

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    for name in field.split("."):
        errors = errors[name]  # the refusal names the child and its field
    assert errors
    assert not Task.objects.exists()


def test_group_create_refuses_params_and_children_on_other_kinds(api, entity):
    with_params = _group(api, [COUNT], params={"steps": 3})
    children_of_noop = api.post("/api/tasks/", {"kind": "noop", "children": [COUNT]},
                                format="json")

    assert with_params.status_code == 400 and "params" in with_params.json()["errors"]
    assert children_of_noop.status_code == 400
    assert 'only a task of kind "group" has children' in children_of_noop.json()["detail"]
    assert not Task.objects.exists()


def test_group_takes_children_added_with_parent_id(api, entity):
    group_id = _group(api, [COUNT]).json()["task_id"]

    response = api.post("/api/tasks/", {**COUNT, "parent_id": group_id}, format="json")

    assert response.status_code == 201, response.json()
    child_id = response.json()["task_id"]
    assert response.json()["parent_id"] == group_id
    group = api.get(f"/api/tasks/{group_id}").json()
    assert group["children"][-1] == child_id and group["total_units"] == 2
    listed = api.get("/api/tasks/", {"parent_id": group_id}).json()["tasks"]
    assert {task["task_id"] for task in listed} == set(group["children"])


def test_group_parent_id_must_be_an_open_group_you_can_see(api, entity, other_entity):
    plain = task_create(kind="noop", entity=entity)
    theirs = task_create(kind="group", entity=other_entity)
    ended = task_create(kind="group", entity=entity)
    child = task_create(kind="noop", entity=entity, parent=ended)
    Task.objects.filter(pk__in=[ended.pk, child.pk]).update(status=TaskStatus.COMPLETED)

    answers = {name: api.post("/api/tasks/", {"kind": "noop", "parent_id": task_id},
                              format="json")
               for name, task_id in [("plain", plain.task_id), ("theirs", theirs.task_id),
                                     ("ended", ended.task_id), ("missing", "task_nope")]}

    for name, response in answers.items():
        assert response.status_code == 400, (name, response.json())
        assert list(response.json()["errors"]) == ["parent_id"], name
    assert "not a group" in answers["plain"].json()["detail"]
    assert "already completed" in answers["ended"].json()["detail"]
    assert "no such task" in answers["theirs"].json()["detail"]
    assert Task.objects.count() == 4


def test_group_child_keeps_the_groups_entity(api, entity, other_entity):
    group_id = _group(api, []).json()["task_id"]

    response = api.post("/api/tasks/", {"kind": "noop", "parent_id": group_id,
                                        "entity_id": "company_456"}, format="json")

    assert response.status_code == 400 and "entity_id" in response.json()["errors"]


@pytest.mark.django_db(transaction=True)
def test_group_rolls_up_progress_status_and_stream(api, entity, sync_jobs):
    body = _group(api, [COUNT, COUNT]).json()

    group = api.get(f"/api/tasks/{body['task_id']}").json()
    events = api.get(f"/api/tasks/{body['task_id']}/events").json()["events"]

    assert group["status"] == "completed" and group["progress"] == 100
    assert (group["processed_units"], group["total_units"]) == (2, 2)
    assert group["progress_text"] == "2 of 2 subtasks completed"
    types = [event["event_type"] for event in events]
    assert "progress_update" in types and types[-1] == "task_completed"
    children = [api.get(f"/api/tasks/{child}").json() for child in body["children"]]
    assert {child["status"] for child in children} == {"completed"}


def test_group_cost_sums_its_children_with_breakdown(api, entity):
    group = Task.objects.get(task_id=_group(api, []).json()["task_id"])
    children = [task_create(kind="test.metered", entity=entity, parent=group,
                            params={"pages": pages}) for pages in (2, 5)]

    before = api.get(f"/api/tasks/{group.task_id}/cost")
    for child in children:
        _run(child)
    after = api.get(f"/api/tasks/{group.task_id}/cost")

    assert before.status_code == 202 and before.json()["final"] is False
    assert after.status_code == 200, after.json()
    body = after.json()
    paid = {child.task_id: sum(line.cost for line in lines_of(
        RequestRecord.objects.filter(task_id=child.task_id))) for child in children}
    assert all(paid.values())
    assert Decimal(str(body["total_cost_usd"])) == sum(paid.values())
    assert set(body["breakdown_by_service"]) == {"file_processor", "transformer"}
    assert body["final"] is True and body["subtask_count"] == 2
    assert Task.objects.get(pk=group.pk).status == TaskStatus.COMPLETED


def test_group_cancel_cancels_its_children(api, entity):
    body = _group(api, [COUNT, COUNT]).json()

    response = api.post(f"/api/tasks/{body['task_id']}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert set(Task.objects.filter(task_id__in=body["children"])
               .values_list("status", flat=True)) == {TaskStatus.CANCELLED}


def test_group_admin_page_shows_children_inline(admin_client, entity):
    group = task_create(kind="group", entity=entity)
    children = [task_create(kind="noop", entity=entity, parent=group) for _ in range(2)]
    plain = task_create(kind="noop", entity=entity)

    page = admin_client.get(reverse("admin:tasks_task_change", args=[group.pk]))
    plain_page = admin_client.get(reverse("admin:tasks_task_change", args=[plain.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    for child in children:
        assert reverse("admin:tasks_task_change", args=[child.pk]) in content
        assert child.task_id in content
    assert "subtasks" in content.lower()
    assert 'id="children-group"' in content or "children-group" in content
    assert "children-group" not in plain_page.content.decode()


def test_group_live_cost_includes_its_childrens(api, entity):
    from tasks.live.selectors import live_costs

    group = Task.objects.get(task_id=_group(api, []).json()["task_id"])
    children = [task_create(kind="test.metered", entity=entity, parent=group) for _ in range(2)]
    for child in children:
        _run(child)

    costs = live_costs(task_ids=[group.task_id, children[0].task_id])

    own = {child.task_id: sum(line.cost for line in lines_of(
        RequestRecord.objects.filter(task_id=child.task_id))) for child in children}
    assert costs[children[0].task_id] == own[children[0].task_id]
    assert costs[group.task_id] == sum(own.values()) > 0
