import os

import pytest
from django.conf import settings
from django_q.conf import Conf
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import EntityFactory, UserFactory
from tests import processes
from tests.processes import start_qcluster


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """One test database per pytest process, so concurrent runs on a machine never collide."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"]["NAME"] = str(settings.VAR_DIR / f"test-{os.getpid()}.sqlite3")
    else:
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _processes_end_with_their_test(request):
    """No process a test started outlives it: each is stopped before the test's flush.

    Autouse fixtures of this conftest are set up after pytest-django's database fixture,
    so this teardown runs before the flush. A process still running here is a test's bug:
    it is killed, and the test fails naming it.
    """
    assert not processes.running, f"processes left by an earlier test: {processes.running}"
    started = processes.started_count()
    yield
    left = processes.kill_running()
    if processes.started_count() != started and request.node.get_closest_marker("django_db"):
        processes.child_connections_closed()  # a flush follows
    assert not left, f"the test left {len(left)} process(es) running: {left}"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Each test counts its own failed authentications (Redis keeps no per-test rollback)."""
    import uuid

    from django.core.cache import caches

    throttle = caches["throttle"]
    kept, throttle.key_prefix = throttle.key_prefix, f"test-{uuid.uuid4().hex}"
    yield
    throttle.key_prefix = kept


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_broker(settings):
    """Each test gets an empty django-q2 queue (Redis keeps no per-test rollback)."""
    if settings.REDIS_URL:
        from django_q.brokers import get_broker

        get_broker().purge_queue()
    yield


@pytest.fixture(autouse=True)
def _fresh_ledger_caches():
    """Prices and meters are cached per process; a test's rows must not outlive its rollback."""
    from costs.meters import meter_cache_clear
    from costs.pricing import price_cache_clear

    price_cache_clear()
    meter_cache_clear()
    yield
    price_cache_clear()
    meter_cache_clear()


@pytest.fixture
def entity(db):
    return EntityFactory(entity_id="company_123")


@pytest.fixture
def other_entity(db):
    return EntityFactory(entity_id="company_456")


@pytest.fixture
def user(entity):
    member = UserFactory(username="member")
    entity.members.add(member)
    return member


@pytest.fixture
def staff(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def _client_for(user, keyword="Token"):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token.key}")
    return client


@pytest.fixture
def api(user):
    """An API client authenticated as a member of company_123."""
    return _client_for(user)


@pytest.fixture
def staff_api(staff):
    return _client_for(staff)


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def sync_jobs(monkeypatch):
    """Run dispatched jobs inline, in this process (django-q2's sync mode)."""
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def qcluster(transactional_db):
    """Start real `manage.py qcluster` processes on the test database; stopped at teardown."""
    started = []

    def start(**env):
        process = start_qcluster(**env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
        print(f"--- {process.log_path.name} ---\n{process.log()[-5000:]}")  # shown on failure


def pytest_report_header(config):
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "redis" if settings.REDIS_URL else "orm"
    return f"taskledger: database={db} broker={broker}"


def pytest_collection_modifyitems(items):
    """Transactional tests restore what data migrations made (prices, schedules) afterwards.

    Their flush would otherwise leave later tests without the default prices.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        # Every transactional test, whether marked or reached through a fixture such as
        # `qcluster`: one without serialized rollback would re-create content types with
        # new ids after its flush, and the next one's restore would then collide.
        if kwargs.get("transaction") or "transactional_db" in item.fixturenames:
            item.add_marker(pytest.mark.django_db(
                **{**kwargs, "transaction": True, "serialized_rollback": True}
            ), append=False)
