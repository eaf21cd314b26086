import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_url
from tests.processes import ROOT, child_env


@pytest.mark.parametrize("raw", ["abc", "0", "-3", "2.5"])
def test_env_int_rejects_invalid_values_naming_variable(monkeypatch, raw):
    monkeypatch.setenv("MAX_CONCURRENT_TASKS", raw)
    with pytest.raises(ImproperlyConfigured) as error:
        env_int("MAX_CONCURRENT_TASKS", 5, minimum=1)
    assert str(error.value) == f"MAX_CONCURRENT_TASKS must be a whole number >= 1, got {raw!r}"


def test_env_readers_parse_and_default(monkeypatch):
    monkeypatch.setenv("A_NUMBER", " 7 ")
    monkeypatch.setenv("A_FLOAT", "0.5")
    monkeypatch.setenv("A_FLAG", "yes")
    monkeypatch.delenv("UNSET_ONE", raising=False)
    assert env_int("A_NUMBER", 1) == 7
    assert env_float("A_FLOAT", 1.0) == 0.5
    assert env_bool("A_FLAG", False) is True
    assert env_int("UNSET_ONE", 3) == 3


def test_env_float_and_bool_and_url_reject_junk(monkeypatch):
    monkeypatch.setenv("RETRY_BASE_DELAY", "fast")
    monkeypatch.setenv("DEBUG", "maybe")
    monkeypatch.setenv("DATABASE_URL", "mysql://root@db/x")
    with pytest.raises(ImproperlyConfigured, match="RETRY_BASE_DELAY must be a number"):
        env_float("RETRY_BASE_DELAY", 2.0)
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG", False)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a URL starting with"):
        env_url("DATABASE_URL", ("postgres", "sqlite"))


def test_startup_stops_on_invalid_setting_with_clear_message():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
        env={**child_env(), "TASK_TIMEOUT": "five minutes"}, timeout=60,
    )
    assert result.returncode != 0
    assert "TASK_TIMEOUT must be a whole number >= 1, got 'five minutes'" in result.stderr


def _database_options(**env) -> str:
    code = ("import django; django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; print(repr(db.get('OPTIONS', {}).get('pool')), "
            "db['CONN_MAX_AGE'])")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**child_env(), "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/taskledger",
             **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_connection_pool_only_in_the_asgi_server():
    """django-q2 forks workers; pooled connections would be shared across processes."""
    assert _database_options() == "None 600"
    env = {"TASKLEDGER_ASGI": "1"}
    assert _database_options(**env) == "{'min_size': 1, 'max_size': 20} 0"
    assert _database_options(**env, DB_POOL="0") == "None 600"


def _deploy_check(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**child_env(), "DEBUG": "0", "ALLOWED_HOSTS": "taskledger.example.com",
             "SECRET_KEY": "k" * 20 + "-deploy-check-" + "x7Q2pL9wZ4mR8tN1vB6cJ3hF5gD0sA" * 2,
             **env},
    )


def test_https_profile_passes_check_deploy():
    result = _deploy_check(TASKLEDGER_HTTPS="1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_profile_check_deploy_names_what_is_missing():
    result = _deploy_check()

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["check", "migrate"])
def test_startup_without_openai_key_stops_with_one_line_naming_it(command):
    """A system check, before anything runs: not a traceback, not a first job that fails."""
    env = {**child_env(), "AI_PROVIDER": "openai", "OPENAI_API_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", command, "--check"
                             if command == "migrate" else "--fail-level=ERROR"],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)

    assert result.returncode != 0
    assert "(config.E001) AI_PROVIDER=openai but OPENAI_API_KEY is not set." in result.stderr
    assert "Traceback" not in result.stderr


def test_startup_with_openai_key_passes_the_check():
    env = {**child_env(), "AI_PROVIDER": "openai", "OPENAI_API_KEY": "sk-test"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=60)

    assert result.returncode == 0, result.stderr
