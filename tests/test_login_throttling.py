"""Failed sign-ins by password (login page, admin, browsable API) count per client address
like wrong tokens: past AUTH_FAILURE_RATE the form answers 429 with Retry-After."""
import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-123456"  # tests.factories.UserFactory's
FORMS = ["/login/", "/admin/login/", "/api-auth/login/"]


def _sign_in(path: str, username: str, password: str, address: str):
    return Client().post(path, {"username": username, "password": password},
                         REMOTE_ADDR=address)


@pytest.mark.parametrize("path", FORMS)
def test_sign_in_past_the_failure_rate_is_429_with_retry_after(path, staff):
    answers = [_sign_in(path, "operator", "wrong", "203.0.113.7").status_code
               for _ in range(30)]

    refused = _sign_in(path, "operator", "wrong", "203.0.113.7")

    assert answers == [200] * 30  # the form again, with its error
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "the limit is 30/min (AUTH_FAILURE_RATE)" in refused.content.decode()


@pytest.mark.parametrize("path", FORMS)
def test_sign_in_limit_spares_a_correct_password_from_another_address(path, staff):
    for _ in range(30):
        _sign_in(path, "operator", "wrong", "203.0.113.7")

    held_back = _sign_in(path, "operator", PASSWORD, "203.0.113.7")
    elsewhere = _sign_in(path, "operator", PASSWORD, "198.51.100.2")

    assert held_back.status_code == 429
    assert elsewhere.status_code == 302 and "sessionid" in elsewhere.cookies


def test_sign_in_successes_are_never_counted(staff):
    answers = {_sign_in("/login/", "operator", PASSWORD, "203.0.113.7").status_code
               for _ in range(35)}

    assert answers == {302}


def test_wrong_passwords_and_wrong_tokens_share_one_count(db):
    UserFactory(username="member")
    for _ in range(20):
        _sign_in("/login/", "member", "wrong", "203.0.113.7")
    for _ in range(10):
        APIClient().get("/api/tasks/", HTTP_AUTHORIZATION="Token wrong", REMOTE_ADDR="203.0.113.7")

    assert _sign_in("/admin/login/", "member", "wrong", "203.0.113.7").status_code == 429
    assert APIClient().get("/api/tasks/", HTTP_AUTHORIZATION="Token wrong",
                           REMOTE_ADDR="203.0.113.7").status_code == 429
