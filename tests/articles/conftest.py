import pytest

from testsupport.analyst import analyst_server


@pytest.fixture(autouse=True)
def _uploads_in_tmp(request, settings, tmp_path):
    """In-process tests keep uploads out of var/; process tests share var/ with their children."""
    if "qcluster" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def openai_server():
    with analyst_server() as server:
        yield server


@pytest.fixture
def use_openai(settings, openai_server):
    """Analyses go to the OpenAI test server through the real SDK; retries wait no time."""
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = openai_server.base_url
    settings.OPENAI_MODEL = "gpt-4o-mini"
    settings.OPENAI_TIMEOUT = 5
    settings.RETRY_BASE_DELAY = 0
    return openai_server


class _NoMonitor:
    def watch(self, handle):
        pass

    def unwatch(self):
        pass


@pytest.fixture(autouse=True)
def _no_monitor_thread_in_process(request, monkeypatch):
    """In-process runs: the worker monitor's own connection cannot see the test transaction's
    rows and would take the task for lost. Real-worker tests (qcluster) keep the real one."""
    if "transactional_db" not in request.fixturenames and "qcluster" not in request.fixturenames:
        monkeypatch.setattr("tasks.runner.worker_monitor", lambda: _NoMonitor())
