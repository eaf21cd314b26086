"""The task API as an integrator sees it: routes, payloads, filters, paging, errors."""
from datetime import timedelta

import pytest
from django.utils import timezone

from tasks.events import task_event_record
from tasks.models import Task, TaskEvent, TaskPriority, TaskStatus
from tasks.services import task_cancel, task_create

pytestmark = pytest.mark.django_db

PREFIXES = ["/api", "/api/v1"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The user factory's PBKDF2 hashing would otherwise dominate every test's set-up."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_task(entity=None, *, kind="noop", **fields) -> Task:
    """Create a pending task through the service, then set any state the test is about."""
    task = task_create(kind=kind, entity=entity, params=fields.pop("params", None))
    if fields:
        Task.objects.filter(pk=task.pk).update(**fields)
        task.refresh_from_db()
    return task


def finished(entity, status, **fields) -> Task:
    now = timezone.now()
    return make_task(
        entity, status=status, attempts=1, started_at=now, completed_at=now, **fields
    )


# --- routing ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("slash", ["", "/"])
def test_task_routes_resolve_under_both_prefixes_with_and_without_slash(api, entity, prefix, slash):
    task = make_task(entity)
    base = f"{prefix}/tasks"

    assert api.get(f"{base}{slash}").json()["total"] == 1
    assert api.get(f"{base}/{task.task_id}{slash}").json()["task_id"] == task.task_id
    assert api.get(f"{base}/{task.task_id}/status{slash}").json()["status"] == "pending"
    assert api.get(f"{base}/{task.task_id}/events{slash}").json()["task_id"] == task.task_id
    assert api.get(f"{base}/queue/status{slash}").json()["queue_size"] == 1
    response = api.post(
        f"{base}/{task.task_id}/priority{slash}", {"priority": "high"}, format="json"
    )
    assert response.json()["priority"] == "high"
    assert api.post(f"{base}/{task.task_id}/cancel{slash}").json()["status"] == "cancelled"
    assert api.post(f"{base}/{task.task_id}/retry{slash}").json()["status"] == "pending"
    api.post(f"{base}/{task.task_id}/cancel{slash}")
    assert api.delete(f"{base}/{task.task_id}{slash}").status_code == 204
    response = api.post(f"{base}{slash}", {"kind": "noop"}, format="json")
    assert response.status_code == 201


def test_task_routes_unknown_method_is_405_json(api, entity):
    task = make_task(entity)

    response = api.put(f"/api/tasks/{task.task_id}", {"status": "completed"}, format="json")

    assert response.status_code == 405
    assert "detail" in response.json()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PENDING


# --- list -------------------------------------------------------------------------------


def test_task_list_returns_tasks_and_total_newest_first(api, entity):
    older = make_task(entity, created_at=timezone.now() - timedelta(hours=1))
    newer = make_task(entity)

    body = api.get("/api/tasks/").json()

    assert body["total"] == 2
    assert [t["task_id"] for t in body["tasks"]] == [newer.task_id, older.task_id]
    assert body["page"] == 1


@pytest.mark.parametrize("value", ["pending", "completed"])
def test_task_list_filters_by_status(api, entity, value):
    pending = make_task(entity)
    completed = finished(entity, TaskStatus.COMPLETED)
    expected = {"pending": pending, "completed": completed}[value]

    body = api.get("/api/tasks/", {"status": value}).json()

    assert [t["task_id"] for t in body["tasks"]] == [expected.task_id]
    assert body["total"] == 1


def test_task_list_filters_by_kind(api, entity):
    make_task(entity, kind="noop")
    counting = make_task(entity, kind="demo.count")

    body = api.get("/api/tasks", {"kind": "demo.count"}).json()

    assert [t["task_id"] for t in body["tasks"]] == [counting.task_id]


def test_task_list_filters_by_entity_id(staff_api, entity, other_entity):
    make_task(entity)
    theirs = make_task(other_entity)

    body = staff_api.get("/api/tasks", {"entity_id": "company_456"}).json()

    assert [t["task_id"] for t in body["tasks"]] == [theirs.task_id]
    assert body["tasks"][0]["entity_id"] == "company_456"


def test_task_list_filters_by_priority_name(api, entity):
    make_task(entity, priority=TaskPriority.LOW)
    urgent = make_task(entity, priority=TaskPriority.CRITICAL)

    body = api.get("/api/tasks", {"priority": "critical"}).json()

    assert [t["task_id"] for t in body["tasks"]] == [urgent.task_id]
    assert body["tasks"][0]["priority"] == "critical"


def test_task_list_filters_by_created_after_and_before(api, entity):
    now = timezone.now()
    old = make_task(entity, created_at=now - timedelta(days=10))
    middle = make_task(entity, created_at=now - timedelta(days=5))
    make_task(entity, created_at=now)
    after = (now - timedelta(days=7)).date().isoformat()
    before = (now - timedelta(days=2)).isoformat()

    body = api.get("/api/tasks", {"created_after": after, "created_before": before}).json()
    assert [t["task_id"] for t in body["tasks"]] == [middle.task_id]

    body = api.get("/api/tasks", {"created_before": (now - timedelta(days=8)).isoformat()}).json()
    assert [t["task_id"] for t in body["tasks"]] == [old.task_id]


def test_task_list_created_after_accepts_utc_z_suffix(api, entity):
    make_task(entity, created_at=timezone.now() - timedelta(days=3))
    recent = make_task(entity)
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    body = api.get("/api/tasks", {"created_after": since}).json()

    assert [t["task_id"] for t in body["tasks"]] == [recent.task_id]


@pytest.mark.parametrize("encoded", [True, False])
def test_task_list_created_after_accepts_utc_offset(api, entity, encoded):
    now = timezone.now()
    make_task(entity, created_at=now - timedelta(hours=3))
    recent = make_task(entity, created_at=now - timedelta(hours=1))
    # Two hours ago, written in UTC+02:00.
    since = (now - timedelta(hours=2)).astimezone(timezone.get_fixed_timezone(120))
    since = since.replace(microsecond=0).isoformat()

    if encoded:
        response = api.get("/api/tasks", {"created_after": since})
    else:  # as a shell user types it: the "+" reaches the server as a space
        response = api.get(f"/api/tasks?created_after={since}")

    assert response.status_code == 200, response.json()
    assert [t["task_id"] for t in response.json()["tasks"]] == [recent.task_id]


@pytest.mark.parametrize(
    ("params", "field", "accepted"),
    [
        ({"status": "done"}, "status", "pending, processing, completed, failed, cancelled"),
        ({"priority": "urgent"}, "priority", "low, normal, high, critical"),
        ({"created_after": "yesterday"}, "created_after", "ISO 8601"),
        ({"created_before": "2025-13-45"}, "created_before", "ISO 8601"),
    ],
)
def test_task_list_invalid_filter_is_400_naming_field_and_accepted(
    api, entity, params, field, accepted
):
    response = api.get("/api/tasks/", params)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert field in body["detail"]
    assert accepted in body["detail"]
    assert body["code"] == "invalid"


def test_task_list_paginates_with_page_and_page_size(api, entity):
    now = timezone.now()
    tasks = [make_task(entity, created_at=now - timedelta(minutes=i)) for i in range(5)]

    first = api.get("/api/tasks", {"page_size": 2}).json()
    third = api.get("/api/tasks", {"page_size": 2, "page": 3}).json()
    beyond = api.get("/api/tasks", {"page_size": 2, "page": 4}).json()

    assert [t["task_id"] for t in first["tasks"]] == [tasks[0].task_id, tasks[1].task_id]
    assert first["total"] == 5
    assert first["page_size"] == 2
    assert "page=2" in first["next"]
    assert first["previous"] is None
    assert [t["task_id"] for t in third["tasks"]] == [tasks[4].task_id]
    assert third["next"] is None
    assert beyond["tasks"] == []
    assert beyond["total"] == 5


def test_task_list_page_size_above_maximum_is_clamped(api, entity, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for _ in range(4):
        make_task(entity)

    response = api.get("/api/tasks", {"page_size": 1000})

    assert response.status_code == 200
    body = response.json()
    assert len(body["tasks"]) == 3
    assert body["page_size"] == 3
    assert body["total"] == 4


def test_task_list_page_size_clamped_to_default_maximum_of_100(api, entity):
    make_task(entity)

    body = api.get("/api/tasks", {"page_size": 5000}).json()

    assert body["page_size"] == 100


@pytest.mark.parametrize(
    ("name", "value"), [("page", "0"), ("page", "-1"), ("page", "x"), ("page_size", "0")]
)
def test_task_list_page_below_one_is_400(api, entity, name, value):
    response = api.get("/api/tasks", {name: value})

    assert response.status_code == 400
    assert name in response.json()["detail"]


# --- detail and status ------------------------------------------------------------------


def test_task_detail_has_seed_001_progress_fields(api, entity):
    started = timezone.now() - timedelta(minutes=2)
    eta = timezone.now() + timedelta(minutes=3)
    task = make_task(
        entity, kind="demo.count", status=TaskStatus.PROCESSING, priority=TaskPriority.HIGH,
        progress=0.45, processed_units=45, total_units=100, eta=eta, started_at=started,
        attempts=2, max_attempts=4, progress_text="step 45 of 100",
    )

    response = api.get(f"/api/v1/tasks/{task.task_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["task_id"] == task.task_id
    assert body["status"] == "processing"
    assert body["progress"] == 45
    assert body["processed_units"] == 45
    assert body["total_units"] == 100
    assert body["eta"].startswith(eta.strftime("%Y-%m-%dT%H:%M:%S"))
    assert body["created_at"]
    assert body["started_at"].startswith(started.strftime("%Y-%m-%dT%H:%M:%S"))
    assert body["completed_at"] is None
    assert body["error_message"] is None
    assert body["retry_count"] == 1
    assert body["attempts"] == 2
    assert body["max_attempts"] == 4
    assert body["priority"] == "high"
    assert body["kind"] == "demo.count"
    assert body["entity_id"] == "company_123"
    assert body["result"] is None


def test_task_detail_shows_failure_message_and_result(api, entity):
    failed = finished(
        entity, TaskStatus.FAILED, error_message="rate limited (gave up after 4 attempts)"
    )
    done = finished(entity, TaskStatus.COMPLETED, progress=1.0, result={"chunks": 3})

    failed_body = api.get(f"/api/tasks/{failed.task_id}").json()
    done_body = api.get(f"/api/tasks/{done.task_id}").json()

    assert failed_body["error_message"] == "rate limited (gave up after 4 attempts)"
    assert failed_body["completed_at"] is not None
    assert done_body["result"] == {"chunks": 3}
    assert done_body["progress"] == 100


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("suffix", ["", "/status", "/events"])
def test_task_detail_unknown_is_404_with_seed_000_body(api, entity, prefix, suffix):
    response = api.get(f"{prefix}/tasks/nonexistent{suffix}")

    assert response.status_code == 404
    assert response.json()["detail"] == "Task nonexistent not found"


@pytest.mark.parametrize("task_id", ["has space", "semi;colon", "ünïcode"])
def test_task_detail_unusual_id_is_404_with_json_body(api, task_id):
    response = api.get(f"/api/tasks/{task_id}")

    assert response.status_code == 404
    assert response.json()["detail"] == f"Task {task_id} not found"


def test_task_status_returns_polling_fields(api, entity):
    task = make_task(entity, status=TaskStatus.PROCESSING, progress=0.5, progress_text="half")

    body = api.get(f"/api/tasks/{task.task_id}/status").json()

    assert body["task_id"] == task.task_id
    assert body["status"] == "processing"
    assert body["progress"] == 50
    assert body["progress_text"] == "half"
    assert "params" not in body


# --- create -----------------------------------------------------------------------------


def test_task_create_queues_pending_task_for_users_entity(api, user, entity):
    response = api.post("/api/tasks/", {"kind": "noop", "priority": "high"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["kind"] == "noop"
    assert body["priority"] == "high"
    assert body["entity_id"] == "company_123"
    task = Task.objects.get(task_id=body["task_id"])
    assert task.priority == TaskPriority.HIGH
    assert task.created_by == user
    assert task.entity == entity


def test_task_create_validates_params_with_kind_serializer(api, entity):
    response = api.post(
        "/api/v1/tasks", {"kind": "demo.count", "params": {"steps": 3}}, format="json"
    )

    assert response.status_code == 201
    params = Task.objects.get(task_id=response.json()["task_id"]).params
    assert params["steps"] == 3
    assert params["delay_seconds"] == 0.1  # the kind's default filled in


def test_task_create_invalid_param_value_is_400(api, entity):
    response = api.post(
        "/api/tasks", {"kind": "demo.count", "params": {"steps": 0}}, format="json"
    )

    assert response.status_code == 400
    assert "steps" in response.json()["detail"]
    assert "steps" in response.json()["errors"]["params"]
    assert not Task.objects.exists()


def test_task_create_unknown_param_is_400_naming_accepted(api, entity):
    response = api.post(
        "/api/tasks", {"kind": "demo.count", "params": {"stepz": 3}}, format="json"
    )

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "stepz" in detail
    assert "steps" in detail and "delay_seconds" in detail
    assert not Task.objects.exists()


def test_task_create_param_for_kind_without_params_is_400(api, entity):
    response = api.post("/api/tasks", {"kind": "noop", "params": {"x": 1}}, format="json")

    assert response.status_code == 400
    assert "unknown parameter(s) x; accepted: none" in response.json()["detail"]


def test_task_create_unknown_kind_is_400_naming_accepted(api, entity):
    response = api.post("/api/tasks", {"kind": "mine.bitcoin"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert "kind" in body["errors"]
    assert "demo.count" in body["detail"] and "noop" in body["detail"]
    assert not Task.objects.exists()


def test_task_create_invalid_priority_is_400_naming_accepted(api, entity):
    response = api.post("/api/tasks", {"kind": "noop", "priority": "urgent"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert "priority" in body["errors"]
    assert "low, normal, high, critical" in body["detail"]


@pytest.mark.parametrize("body", ['{"kind": "noop"', "not json", "[1, 2"])
def test_task_create_malformed_json_is_400(api, entity, body):
    response = api.post("/api/tasks", body, content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "body", [[], "just a string", {"params": {}}, {"kind": "noop", "params": [1]}]
)
def test_task_create_wrong_shape_is_400(api, entity, body):
    response = api.post("/api/tasks", body, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Task.objects.exists()


def test_task_create_with_prerequisite(api, entity):
    first = make_task(entity)

    response = api.post(
        "/api/tasks", {"kind": "noop", "prerequisites": [first.task_id]}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["prerequisites"] == [first.task_id]


@pytest.mark.parametrize("given", ["HIGH", "High", "high"])
def test_task_create_priority_in_any_case_answers_lowercase(api, entity, given):
    response = api.post("/api/tasks", {"kind": "noop", "priority": given}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["priority"] == "high"
    assert Task.objects.get().priority == TaskPriority.HIGH


def test_task_priority_and_list_filter_take_any_case(api, entity):
    task = make_task(entity)
    make_task(entity)

    changed = api.post(f"/api/tasks/{task.task_id}/priority", {"priority": "CRITICAL"},
                       format="json")
    listed = api.get("/api/tasks", {"priority": "Critical"})

    assert changed.status_code == 200 and changed.json()["priority"] == "critical"
    assert [t["task_id"] for t in listed.json()["tasks"]] == [task.task_id]


def test_task_create_unknown_prerequisite_is_400_on_prerequisites(api, entity, other_entity):
    mine = make_task(entity)
    hidden = make_task(other_entity)

    response = api.post("/api/tasks", {"kind": "noop", "prerequisites": [
        mine.task_id, "task_nope", hidden.task_id]}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["prerequisites"]
    assert "task_nope" in body["detail"] and hidden.task_id in body["detail"]
    assert mine.task_id not in body["errors"]["prerequisites"][0]
    assert Task.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_task_create_runs_to_completion_when_workers_run(api, entity, sync_jobs):
    response = api.post(
        "/api/tasks",
        {"kind": "demo.count", "params": {"steps": 3, "delay_seconds": 0}},
        format="json",
    )
    assert response.status_code == 201

    body = api.get(f"/api/tasks/{response.json()['task_id']}").json()

    assert body["status"] == "completed"
    assert body["progress"] == 100
    assert body["result"] == {"steps": 3, "attempt": 1}
    assert body["processed_units"] == 3
    assert body["total_units"] == 3
    assert body["completed_at"] is not None


def test_task_create_options_describes_create_body(api):
    response = api.options("/api/tasks/")

    assert response.status_code == 200
    fields = response.json()["actions"]["POST"]
    assert {"kind", "params", "priority", "entity_id"} <= set(fields)
    assert "task_id" not in fields


def test_task_priority_options_describes_priority_body(api, entity):
    task = make_task(entity)

    response = api.options(f"/api/tasks/{task.task_id}/priority")

    assert set(response.json()["actions"]["POST"]) == {"priority"}


# --- cancel -----------------------------------------------------------------------------


def test_task_cancel_pending_is_cancelled_at_once(api, entity):
    task = make_task(entity)

    response = api.post(f"/api/tasks/{task.task_id}/cancel")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["task_id"] == task.task_id
    assert body["message"] == f"Task {task.task_id} cancelled successfully"
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert task.completed_at is not None
    assert list(task.events.values_list("event_type", flat=True)) == ["task_cancelled"]


def test_task_cancel_twice_is_harmless(api, entity):
    task = make_task(entity)
    api.post(f"/api/tasks/{task.task_id}/cancel")

    response = api.post(f"/api/tasks/{task.task_id}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert "already cancelled" in response.json()["message"]
    assert task.events.filter(event_type="task_cancelled").count() == 1


def test_task_cancel_processing_requests_cancellation(api, entity):
    task = make_task(entity, status=TaskStatus.PROCESSING, attempts=1, started_at=timezone.now())

    response = api.post(f"/api/tasks/{task.task_id}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    assert "cancellation requested" in response.json()["message"]
    task.refresh_from_db()
    assert task.cancel_requested is True
    assert task.status == TaskStatus.PROCESSING


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED])
def test_task_cancel_finished_is_409(api, entity, status):
    task = finished(entity, status)

    response = api.post(f"/api/tasks/{task.task_id}/cancel")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == (
        f"Task {task.task_id} is already {status}; only pending or processing tasks can be "
        "cancelled"
    )
    assert body["code"] == "task_finished"
    assert Task.objects.get(pk=task.pk).status == status


# --- retry ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [TaskStatus.FAILED, TaskStatus.CANCELLED])
def test_task_retry_failed_or_cancelled_returns_to_pending(api, entity, status):
    task = finished(entity, status, error_message="boom", max_attempts=1)

    response = api.post(f"/api/v1/tasks/{task.task_id}/retry/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "pending"
    assert body["error_message"] is None
    assert body["completed_at"] is None
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING
    assert task.max_attempts > task.attempts  # a fresh attempt budget
    assert task.events.last().event_type == "task_retrying"


@pytest.mark.parametrize(
    "status", [TaskStatus.PENDING, TaskStatus.PROCESSING, TaskStatus.COMPLETED]
)
def test_task_retry_other_status_is_409(api, entity, status):
    task = make_task(entity, status=status)

    response = api.post(f"/api/tasks/{task.task_id}/retry")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Task {task.task_id} is {status}; only failed or cancelled tasks can be retried"
    )
    assert Task.objects.get(pk=task.pk).status == status


@pytest.mark.django_db(transaction=True)
def test_task_retry_after_real_failure_runs_again(api, entity, sync_jobs):
    created = api.post(
        "/api/tasks",
        {"kind": "demo.count", "params": {
            "steps": 2, "delay_seconds": 0, "fail_attempts": 1, "failure": "permanent",
        }},
        format="json",
    ).json()
    failed = api.get(f"/api/tasks/{created['task_id']}").json()
    assert failed["status"] == "failed"
    assert failed["error_message"] == "demo failure at step 1 of attempt 1"

    response = api.post(f"/api/tasks/{created['task_id']}/retry")

    assert response.status_code == 200
    done = api.get(f"/api/tasks/{created['task_id']}").json()
    assert done["status"] == "completed"
    assert done["result"] == {"steps": 2, "attempt": 2}
    assert done["retry_count"] == 1


# --- priority ---------------------------------------------------------------------------


def test_task_priority_changes_priority(api, entity):
    task = make_task(entity)

    response = api.post(
        f"/api/tasks/{task.task_id}/priority", {"priority": "critical"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["priority"] == "critical"
    assert Task.objects.get(pk=task.pk).priority == TaskPriority.CRITICAL


@pytest.mark.parametrize("payload", [{"priority": "urgent"}, {"priority": 3}, {}])
def test_task_priority_invalid_is_400_naming_accepted(api, entity, payload):
    task = make_task(entity)

    response = api.post(f"/api/tasks/{task.task_id}/priority", payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert "priority" in body["errors"]
    assert "priority" in body["detail"]
    if payload:
        assert "low, normal, high, critical" in body["detail"]
    assert Task.objects.get(pk=task.pk).priority == TaskPriority.NORMAL


def test_task_priority_unknown_task_is_404_even_with_invalid_body(api, entity):
    response = api.post("/api/tasks/task_missing/priority", {"priority": "urgent"}, format="json")

    assert response.status_code == 404
    assert response.json()["detail"] == "Task task_missing not found"


def test_task_priority_malformed_json_is_400(api, entity):
    task = make_task(entity)

    response = api.post(
        f"/api/tasks/{task.task_id}/priority", '{"priority": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


# --- delete -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED])
def test_task_delete_finished_removes_task_and_events(api, entity, status):
    task = finished(entity, status)
    task_event_record(task=task, event_type="task_started")

    response = api.delete(f"/api/tasks/{task.task_id}")

    assert response.status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not TaskEvent.objects.filter(task_id=task.pk).exists()
    assert api.get(f"/api/tasks/{task.task_id}").status_code == 404


@pytest.mark.parametrize("status", [TaskStatus.PENDING, TaskStatus.PROCESSING])
def test_task_delete_unfinished_is_409(api, entity, status):
    task = make_task(entity, status=status)

    response = api.delete(f"/api/tasks/{task.task_id}")

    assert response.status_code == 409
    assert "cancel it first" in response.json()["detail"]
    assert Task.objects.filter(pk=task.pk).exists()


def test_task_delete_unknown_is_404(api, entity):
    response = api.delete("/api/tasks/task_missing")

    assert response.status_code == 404
    assert response.json()["detail"] == "Task task_missing not found"


# --- events -----------------------------------------------------------------------------


def test_task_events_returns_persisted_events_in_order(api, entity):
    task = make_task(entity)
    for value in (0.25, 0.5):
        task_event_record(task=task, event_type="progress_update", data={"value": value})
    task_cancel(task=task)

    body = api.get(f"/api/tasks/{task.task_id}/events").json()

    events = body["events"]
    assert [e["event_type"] for e in events] == [
        "progress_update", "progress_update", "task_cancelled",
    ]
    assert [e["data"].get("value") for e in events[:2]] == [0.25, 0.5]
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert body["last_seq"] == seqs[-1]


def test_task_events_after_returns_only_later_events(api, entity):
    task = make_task(entity)
    first = task_event_record(task=task, event_type="progress_update", data={"value": 0.1})
    second = task_event_record(task=task, event_type="progress_update", data={"value": 0.2})
    third = task_event_record(task=task, event_type="progress_update", data={"value": 0.3})

    body = api.get(f"/api/tasks/{task.task_id}/events", {"after": first.seq}).json()
    assert [e["seq"] for e in body["events"]] == [second.seq, third.seq]

    body = api.get(f"/api/tasks/{task.task_id}/events", {"after": third.seq}).json()
    assert body["events"] == []
    assert body["last_seq"] == third.seq


def test_task_events_only_include_that_task(api, entity):
    task = make_task(entity)
    other = make_task(entity)
    task_event_record(task=other, event_type="progress_update")
    mine = task_event_record(task=task, event_type="progress_update")

    body = api.get(f"/api/tasks/{task.task_id}/events").json()

    assert [e["seq"] for e in body["events"]] == [mine.seq]


def test_task_events_after_zero_returns_every_event(api, entity):
    task = make_task(entity)
    event = task_event_record(task=task, event_type="progress_update")

    body = api.get(f"/api/tasks/{task.task_id}/events", {"after": "0"}).json()

    assert [e["seq"] for e in body["events"]] == [event.seq]


@pytest.mark.parametrize("after", ["-1", "abc", "1.5"])
def test_task_events_invalid_after_is_400_naming_accepted(api, entity, after):
    task = make_task(entity)

    response = api.get(f"/api/tasks/{task.task_id}/events", {"after": after})

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"after must be an event seq, a whole number >= 0; got {after!r}",
        "code": "invalid_after",
    }


@pytest.mark.django_db(transaction=True)
def test_task_events_record_a_real_run(api, entity, sync_jobs):
    created = api.post(
        "/api/tasks", {"kind": "demo.count", "params": {"steps": 2, "delay_seconds": 0}},
        format="json",
    ).json()

    events = api.get(f"/api/tasks/{created['task_id']}/events").json()["events"]

    types = [e["event_type"] for e in events]
    assert types[0] == "task_started"
    assert types[-1] == "task_completed"
    assert events[-1]["data"]["result"] == {"steps": 2, "attempt": 1}


# --- queue status -----------------------------------------------------------------------


def test_task_queue_status_has_seed_001_shape(api, entity, settings):
    settings.MAX_CONCURRENT_TASKS = 7
    make_task(entity, priority=TaskPriority.HIGH)
    make_task(entity, priority=TaskPriority.HIGH)
    make_task(entity, priority=TaskPriority.LOW)
    make_task(entity, status=TaskStatus.PROCESSING)
    finished(entity, TaskStatus.FAILED)

    response = api.get("/api/v1/tasks/queue/status")

    assert response.status_code == 200
    assert response.json() == {
        "queue_size": 3,
        "status_counts": {
            "pending": 3, "processing": 1, "completed": 0, "failed": 1, "cancelled": 0,
        },
        "max_concurrent_tasks": 7,
        "active_tasks": 1,
        "queue_by_priority": {"critical": 0, "high": 2, "normal": 0, "low": 1},
    }


def test_api_unknown_path_is_json_404(api):
    response = api.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_validation_error_detail_flattens_nested_non_field_errors():
    from rest_framework.exceptions import ValidationError

    from core.exceptions import api_exception_handler

    response = api_exception_handler(
        ValidationError({"params": {"non_field_errors": ["steps must be below 10"]}}), {}
    )
    assert response.data["detail"] == "params: steps must be below 10"
