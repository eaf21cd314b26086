"""Failed authentication is rate-limited per client address: 429 with Retry-After."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _get(token: str, address: str, **headers):
    return APIClient().get("/api/tasks/", HTTP_AUTHORIZATION=f"Token {token}",
                           REMOTE_ADDR=address, **headers)


def test_failed_authentication_past_30_a_minute_is_429_with_retry_after(user):
    answers = [_get("wrong-token", "203.0.113.7").status_code for _ in range(30)]

    refused = _get("wrong-token", "203.0.113.7")

    assert answers == [401] * 30
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["code"] == "throttled"
    assert "the limit is 30/min (AUTH_FAILURE_RATE)" in body["detail"]


def test_failed_authentication_limit_spares_other_addresses(user):
    key = Token.objects.create(user=user).key
    for _ in range(30):
        _get("wrong-token", "203.0.113.7")

    assert _get(key, "203.0.113.7").status_code == 429  # the address is held back
    assert _get(key, "198.51.100.2").status_code == 200
    assert _get("wrong-token", "198.51.100.2").status_code == 401


def test_failed_authentication_limit_ignores_a_forged_forwarded_for(user, settings):
    for number in range(31):
        answer = _get("wrong-token", "203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    assert answer.status_code == 429


def test_successful_authentication_is_never_counted(user):
    key = Token.objects.create(user=user).key

    assert {_get(key, "203.0.113.7").status_code for _ in range(40)} == {200}
