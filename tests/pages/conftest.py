"""Browser fixtures: Debian's chromium driven by Playwright, a real daphne and a real qcluster.

Module-scoped on purpose: a session-scoped sync Playwright would keep its event loop
running in this thread and break later asyncio tests (DESIGN.md section 6).
"""
import os
import shutil
import time
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from costs.models import Meter, RequestRecord
from costs.services import JOB_METHOD
from tasks.models import Task, TaskStatus
from tests.processes import Process, start_daphne, start_qcluster

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@dataclass
class Servers:
    base_url: str
    daphne: Process
    qcluster: Process


@pytest.fixture(scope="module")
def chromium(servers):
    """Chromium, launched after the servers so they never inherit the setting below."""
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"{CHROMIUM} is missing (apt-get install chromium; make test does it)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Sync Playwright keeps an event loop running in this thread, and Django refuses ORM
    # calls where a loop runs; the tests' own queries are not async code, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps connections in context-local storage, and starting Playwright leaves this
    # thread in a new context: the tests get fresh connection objects without the snapshot
    # that transactional tests restore after their flush (prices, schedules). Hand it over.
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None)
                 for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                if snapshot is not None:
                    connections[alias]._test_serialized_contents = snapshot
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    """daphne and one qcluster on the test database, for every test of a module."""
    with django_db_blocker.unblock():
        qcluster = start_qcluster()
        daphne, port = start_daphne()
    yield Servers(base_url=f"http://127.0.0.1:{port}", daphne=daphne, qcluster=qcluster)
    for process in (daphne, qcluster):
        process.stop()
        print(f"--- {process.log_path.name} ---\n{process.log()[-5000:]}")  # shown on failure


_meters_made: list[Meter] = []  # the meters the servers' processes may have cached


@pytest.fixture
def meters_kept(transactional_db):
    """Put back, under their ids, the meters earlier tests made.

    The servers outlive each test's flush, and their processes keep meter ids for good
    (costs/meters.py: a meter is never deleted). Without this a server would write a
    flushed meter's id into a record's usage (SQLite even reuses it for another meter).
    """
    Meter.objects.bulk_create(_meters_made, ignore_conflicts=True)
    yield
    _meters_made[:] = Meter.objects.all()


@pytest.fixture
def logged_in(chromium, servers, meters_kept, user):
    """A fresh browser context holding `user`'s session cookie, as after logging in."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=servers.base_url)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": servers.base_url,
    }])
    yield context
    context.close()
    _workers_settle()


def _workers_settle(timeout: float = 10) -> None:
    """Let the worker finish its writes before the test's database is flushed.

    A job's attempt record is closed just after its task completes, and a PostgreSQL flush
    (TRUNCATE) racing that write fails the test's teardown. Best effort: a test that leaves
    a long task running is not held up for more than `timeout`.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (
        Task.objects.filter(status=TaskStatus.PROCESSING).exists()
        or RequestRecord.objects.filter(method=JOB_METHOD, status_code__isnull=True).exists()
    ):
        time.sleep(0.1)


@pytest.fixture
def page(logged_in):
    page = logged_in.new_page()
    page.set_default_timeout(20_000)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"PAGE ERROR: {error}"))
    page.console = console
    yield page
    print("--- browser console ---\n" + "\n".join(console[-200:]))  # shown on failure
