"""Every error under /api/ is a JSON body with `application/json`, never a 500 or an empty page.

The bodies of the wrong shape (an array, a NUL character) go through core/parsers.py; an
empty multipart body through daphne (core/daphne.py); what no view answers through
core/views.py.
"""
import http.client
import json

import pytest
from django.test import override_settings
from django.urls import path

from tasks.services import task_create
from tests.processes import start_daphne


def _json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    body = response.json()
    assert body["detail"] and body["code"], body
    return body


@pytest.mark.parametrize("path", [
    "/api/articles/0/reanalyze/",
    "/api/tasks/",
    "/api/knowledge-bases/",
    "/api/schedules/",
    "/api/embedding-tasks/",
    "/api/entities/company_123/budgets/",
])
def test_json_body_not_an_object_is_a_400(staff_api, entity, path):
    method = staff_api.put if path.endswith("/budgets/") else staff_api.post
    response = method(path, data="[null, null]", content_type="application/json")
    body = _json_error(response, 400)
    assert body["code"] == "parse_error"
    assert "must be a JSON object" in body["detail"]


def test_json_scalar_body_is_a_400(api):
    body = _json_error(api.post("/api/tasks/", data='"noop"', content_type="application/json"),
                       400)
    assert "got a string" in body["detail"]


def test_batch_still_takes_an_array(api):
    response = api.post("/api/tasks/batch/", data=json.dumps([{"kind": "noop"}]),
                        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["queued"] == 1


def test_estimate_takes_a_batch_array(api):
    response = api.post("/api/estimate/", data=json.dumps([{"kind": "noop"}]),
                        content_type="application/json")
    assert response.status_code == 200, response.content


def test_nul_character_in_a_json_string_is_a_400(api):
    body = _json_error(api.post("/api/tasks/", data='{"kind": "noop", "metadata": {"a": "x\\u0000"}}',
                                content_type="application/json"), 400)
    assert "NUL" in body["detail"]


def test_unknown_api_path_is_a_json_404(api):
    _json_error(api.get("/api/no-such-thing/"), 404)


def _crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/crash/", _crash)]


@override_settings(ROOT_URLCONF="tests.test_api_errors", DEBUG=False)
def test_a_crash_under_api_is_a_json_500(client):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/api/crash/")
    body = _json_error(response, 500)
    assert body["code"] == "server_error" and "boom" not in body["detail"]
    from config import urls

    assert urls.handler500 == handler500  # the project's URLconf answers the same way


handler500 = "core.views.server_error"


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_empty_multipart_body_through_daphne_is_a_json_400(entity, user, client_for):
    """Twisted used to refuse `--boundary--` alone with a bare 400 (no body, no type)."""
    from rest_framework.authtoken.models import Token

    task_create(kind="noop", entity=entity, task_id="task_multipart")
    token, _ = Token.objects.get_or_create(user=user)
    daphne, port = start_daphne()
    try:
        for target in ("/api/knowledge-bases/", "/api/tasks/task_multipart/priority/"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", target, body=b"--b--\r\n", headers={
                "Content-Type": "multipart/form-data; boundary=b",
                "Authorization": f"Token {token.key}"})
            answer = connection.getresponse()
            body = answer.read()
            connection.close()
            assert answer.status == 400, (target, answer.status, body)
            assert answer.getheader("Content-Type") == "application/json", (target, body)
            assert json.loads(body)["code"] == "invalid", body
    finally:
        daphne.stop()


@pytest.mark.parametrize("moment, status", [
    ("2026-01-01T00:00:00+16:09", 200),  # PostgreSQL refuses that offset; it is the same instant in UTC
    ("0001-01-01T00:00:00+01:00", 400),  # before year 1 in UTC
])
def test_date_filter_with_a_far_offset_is_answered_not_a_500(api, moment, status):
    response = api.get("/api/tasks/", {"created_after": moment})
    assert response.status_code == status, response.content
