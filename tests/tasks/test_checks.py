from django.core.checks import run_checks


def _scaleout_warnings():
    return [message for message in run_checks() if message.id == "tasks.W001"]


def test_secret_key_shared_check_warns_on_a_generated_key_with_redis(settings, tmp_path):
    (tmp_path / "secret_key").write_text("generated-on-this-machine\n")
    settings.VAR_DIR, settings.SECRET_KEY = tmp_path, "generated-on-this-machine"
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"

    warnings = _scaleout_warnings()

    assert len(warnings) == 1
    assert "REDIS_URL is set" in warnings[0].msg and "same SECRET_KEY" in warnings[0].hint


def test_secret_key_shared_check_quiet_when_the_key_comes_from_the_environment(
        settings, tmp_path):
    (tmp_path / "secret_key").write_text("an old generated key")
    settings.VAR_DIR, settings.SECRET_KEY = tmp_path, "set-in-the-environment"
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"

    assert _scaleout_warnings() == []


def test_secret_key_shared_check_quiet_on_the_embedded_default(settings, tmp_path):
    (tmp_path / "secret_key").write_text("generated-on-this-machine")
    settings.VAR_DIR, settings.SECRET_KEY = tmp_path, "generated-on-this-machine"
    settings.REDIS_URL = ""

    assert _scaleout_warnings() == []
