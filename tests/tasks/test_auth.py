"""Who may call the task API, and whose tasks they see: authentication and tenancy."""
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from tasks.models import Task, TaskPriority, TaskStatus
from tasks.services import task_create
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The user factory's PBKDF2 hashing would otherwise dominate every test's set-up."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_task(entity=None, **fields) -> Task:
    task = task_create(kind="noop", entity=entity)
    if fields:
        Task.objects.filter(pk=task.pk).update(**fields)
        task.refresh_from_db()
    return task


# --- authentication ---------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/tasks/"),
    ("get", "/api/v1/tasks"),
    ("post", "/api/tasks/"),
    ("get", "/api/tasks/queue/status"),
    ("get", "/api/tasks/{task_id}"),
    ("get", "/api/v1/tasks/{task_id}/status"),
    ("get", "/api/tasks/{task_id}/events"),
    ("post", "/api/tasks/{task_id}/cancel"),
    ("post", "/api/tasks/{task_id}/retry"),
    ("post", "/api/tasks/{task_id}/priority"),
    ("delete", "/api/tasks/{task_id}"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_auth_anonymous_is_401_with_json_detail(entity, method, path):
    task = make_task(entity)

    response = getattr(APIClient(), method)(
        path.format(task_id=task.task_id), {"kind": "noop", "priority": "high"}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response["WWW-Authenticate"] == "Token"
    task.refresh_from_db()
    assert (task.status, task.priority) == (TaskStatus.PENDING, TaskPriority.NORMAL)
    assert Task.objects.count() == 1


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_auth_token_and_bearer_headers_authenticate(client_for, user, entity, keyword):
    task = make_task(entity)

    response = client_for(user, keyword).get("/api/v1/tasks/")

    assert response.status_code == 200
    assert [t["task_id"] for t in response.json()["tasks"]] == [task.task_id]


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_auth_unknown_token_is_401(entity, keyword):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} 0123456789abcdef0123456789abcdef01234567")

    response = client.get("/api/tasks/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_auth_token_of_inactive_user_is_401(client_for, user, entity, keyword):
    client = client_for(user, keyword)
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get("/api/tasks/")

    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_auth_token_gives_the_user_and_token_as_the_orm_reads_them(user):
    # The token and its user are read with one fixed statement (core/authentication.py),
    # not through the ORM: they must come out exactly as the ORM would give them.
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIRequestFactory

    from core.authentication import BearerTokenAuthentication, TokenAuthentication

    token = Token.objects.create(user=user)
    for authentication, keyword in ((TokenAuthentication, "Token"),
                                    (BearerTokenAuthentication, "Bearer")):
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"{keyword} {token.key}")
        found_user, found_token = authentication().authenticate(request)
        orm = Token.objects.select_related("user").get(key=token.key)
        assert found_token.pk == orm.pk and found_token.created == orm.created
        assert found_user.pk == orm.user.pk
        for field in type(user)._meta.concrete_fields:
            ours, theirs = getattr(found_user, field.attname), getattr(orm.user, field.attname)
            assert (ours, type(ours)) == (theirs, type(theirs)), field.name
        assert found_user.is_active is True and found_user.date_joined.tzinfo is not None
        assert found_user._state.adding is False  # saving it updates, never inserts
        found_user.first_name = "Renamed"
        found_user.save(update_fields=["first_name"])
        assert type(user).objects.get(pk=user.pk).first_name == "Renamed"


def test_auth_session_force_login_authenticates(user, entity):
    task = make_task(entity)
    client = APIClient()
    client.force_login(user)

    listed = client.get("/api/tasks")
    cancelled = client.post(f"/api/tasks/{task.task_id}/cancel")

    assert listed.status_code == 200
    assert listed.json()["total"] == 1
    assert cancelled.status_code == 200
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_auth_session_password_login_authenticates(user, entity):
    client = APIClient()
    assert client.login(username=user.username, password=PASSWORD)

    response = client.post("/api/tasks/", {"kind": "noop"}, format="json")

    assert response.status_code == 201
    assert Task.objects.get(task_id=response.json()["task_id"]).created_by == user


def test_auth_session_write_needs_csrf_token(user, entity):
    task = make_task(entity)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    refused = client.post(f"/api/tasks/{task.task_id}/cancel")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.PENDING

    secret = get_random_string(32, allowed_chars=CSRF_ALLOWED_CHARS)
    client.cookies["csrftoken"] = secret
    accepted = client.post(f"/api/tasks/{task.task_id}/cancel", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 200
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_auth_session_logout_is_401(user, entity):
    client = APIClient()
    client.force_login(user)
    client.logout()

    assert client.get("/api/tasks").status_code == 401


def test_auth_drf_create_token_command_issues_working_token(user, entity):
    make_task(entity)
    out = StringIO()

    call_command("drf_create_token", user.username, stdout=out)

    key = re.search(r"Generated token (\w+) for user", out.getvalue()).group(1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get("/api/tasks")
    assert response.status_code == 200
    assert response.json()["total"] == 1


# --- tenancy: what a member sees --------------------------------------------------------


def test_tenancy_list_shows_only_own_entities_tasks(api, entity, other_entity):
    mine = make_task(entity)
    make_task(other_entity)
    make_task(None)

    body = api.get("/api/tasks").json()

    assert [t["task_id"] for t in body["tasks"]] == [mine.task_id]
    assert body["total"] == 1


def test_tenancy_list_filter_on_other_entity_is_empty(api, entity, other_entity):
    make_task(other_entity)

    body = api.get("/api/tasks", {"entity_id": other_entity.entity_id}).json()

    assert body == {**body, "tasks": [], "total": 0}


def test_tenancy_member_of_two_entities_sees_both(api, user, entity, other_entity):
    other_entity.members.add(user)
    make_task(entity)
    make_task(other_entity)
    make_task(EntityFactory(entity_id="company_789"))

    body = api.get("/api/tasks").json()

    assert sorted(t["entity_id"] for t in body["tasks"]) == ["company_123", "company_456"]


def test_tenancy_queue_status_counts_only_own(api, entity, other_entity):
    make_task(entity)
    make_task(other_entity)
    make_task(other_entity, status=TaskStatus.PROCESSING)
    make_task(other_entity, priority=TaskPriority.CRITICAL)

    body = api.get("/api/tasks/queue/status").json()

    assert body["queue_size"] == 1
    assert body["active_tasks"] == 0
    assert body["status_counts"]["pending"] == 1
    assert body["status_counts"]["processing"] == 0
    assert body["queue_by_priority"] == {"critical": 0, "high": 0, "normal": 1, "low": 0}


# --- tenancy: another entity's task is indistinguishable from a missing one ------------

HIDDEN_ACTIONS = [
    # (method, suffix, body, state in which the action would succeed if visible)
    ("get", "", None, TaskStatus.PENDING),
    ("get", "/status", None, TaskStatus.PENDING),
    ("get", "/events", None, TaskStatus.PENDING),
    ("post", "/cancel", None, TaskStatus.PENDING),
    ("post", "/retry", None, TaskStatus.FAILED),
    ("post", "/priority", {"priority": "critical"}, TaskStatus.PENDING),
    ("delete", "", None, TaskStatus.FAILED),
]


def _call(client, method, path, body):
    send = getattr(client, method)
    return send(path, body, format="json") if body else send(path)


@pytest.mark.parametrize(("method", "suffix", "body", "status"), HIDDEN_ACTIONS)
@pytest.mark.parametrize("owner", ["other_entity", "no_entity"])
def test_tenancy_hidden_task_is_404_like_nonexistent(
    api, entity, other_entity, method, suffix, body, status, owner
):
    hidden = make_task(other_entity if owner == "other_entity" else None, status=status)

    response = _call(api, method, f"/api/tasks/{hidden.task_id}{suffix}", body)
    missing = _call(api, method, f"/api/tasks/task_doesnotexist{suffix}", body)

    assert response.status_code == missing.status_code == 404
    assert response.json() == {"detail": f"Task {hidden.task_id} not found", "code": "not_found"}
    assert response.json()["detail"].replace(hidden.task_id, "X") == (
        missing.json()["detail"].replace("task_doesnotexist", "X")
    )
    assert response.json().keys() == missing.json().keys()
    untouched = Task.objects.get(pk=hidden.pk)
    assert untouched.status == status
    assert untouched.priority == TaskPriority.NORMAL
    assert not untouched.events.exists()


def test_tenancy_staff_sees_every_entity(staff_api, entity, other_entity):
    make_task(entity)
    make_task(other_entity)
    make_task(None)

    listed = staff_api.get("/api/tasks").json()
    queue = staff_api.get("/api/tasks/queue/status").json()

    assert listed["total"] == 3
    assert queue["queue_size"] == 3


@pytest.mark.parametrize(("method", "suffix", "body", "status"), HIDDEN_ACTIONS)
def test_tenancy_staff_acts_on_any_entitys_task(
    staff_api, other_entity, method, suffix, body, status
):
    task = make_task(other_entity, status=status)

    response = _call(staff_api, method, f"/api/tasks/{task.task_id}{suffix}", body)

    assert response.status_code == (204 if method == "delete" else 200)


# --- tenancy: creating tasks ------------------------------------------------------------


def test_tenancy_create_for_other_entity_is_404(api, entity, other_entity):
    response = api.post(
        "/api/tasks", {"kind": "noop", "entity_id": other_entity.entity_id}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "Entity company_456 not found"
    assert not Task.objects.exists()


def test_tenancy_create_with_hidden_prerequisite_is_400_as_if_absent(api, entity, other_entity):
    """The body was wrong, not the URL: a 400 on prerequisites, worded as for an absent task."""
    theirs = make_task(other_entity)

    hidden = api.post(
        "/api/tasks", {"kind": "noop", "prerequisites": [theirs.task_id]}, format="json"
    )
    absent = api.post("/api/tasks", {"kind": "noop", "prerequisites": ["task_absent"]},
                      format="json")

    assert hidden.status_code == absent.status_code == 400
    assert hidden.json()["errors"]["prerequisites"] == [
        message.replace("task_absent", theirs.task_id)
        for message in absent.json()["errors"]["prerequisites"]]
    assert Task.objects.count() == 1


def test_tenancy_create_for_named_own_entity(api, user, entity, other_entity):
    other_entity.members.add(user)

    response = api.post(
        "/api/tasks", {"kind": "noop", "entity_id": "company_456"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["entity_id"] == "company_456"


def test_tenancy_create_needs_entity_id_when_user_has_several(api, user, entity, other_entity):
    other_entity.members.add(user)

    response = api.post("/api/tasks", {"kind": "noop"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": (
            "entity_id is required: you belong to several entities (company_123, company_456)"
        ),
        "code": "entity_required",
    }
    assert not Task.objects.exists()


def test_tenancy_create_error_lists_at_most_three_entities(api, user, entity):
    for entity_id in ("company_456", "company_789", "company_999"):
        EntityFactory(entity_id=entity_id).members.add(user)

    response = api.post("/api/tasks", {"kind": "noop"}, format="json")

    assert response.json()["detail"] == (
        "entity_id is required: you belong to several entities "
        "(company_123, company_456, company_789, ...)"
    )


def test_tenancy_create_by_user_without_entity_is_400(client_for, db):
    loner = UserFactory(username="loner")

    response = client_for(loner).post("/api/tasks", {"kind": "noop"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "entity_required"
    assert response.json()["detail"].startswith("you belong to no entity")
    assert not Task.objects.exists()
