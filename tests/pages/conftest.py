"""Browser fixtures: Debian's chromium driven by Playwright, a real daphne and a real qcluster.

The browser is module-scoped: a session-scoped sync Playwright would keep its event loop
running in this thread and break later asyncio tests. The servers belong to one test each:
started for it and killed before its database is flushed, so that no job, request or cached
id of one test reaches the next (docs/testing.md).
"""
import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

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
def chromium(django_db_setup):
    """Chromium, shared by a module's tests; each test opens its own context."""
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


@pytest.fixture
def server_env() -> dict:
    """Settings for this test's daphne and qcluster (a module may override it)."""
    return {}


@pytest.fixture
def servers(transactional_db, server_env):
    """daphne and one qcluster on the test database, for this test alone.

    Killed, not stopped: the flush that follows wipes whatever they were doing, and the
    conftest's guard then waits until their database connections are gone.
    """
    qcluster = start_qcluster(**server_env)  # boots while daphne does
    try:
        daphne, port = start_daphne(**server_env)
    except BaseException:
        qcluster.kill()
        raise
    yield Servers(base_url=f"http://127.0.0.1:{port}", daphne=daphne, qcluster=qcluster)
    for process in (daphne, qcluster):
        process.kill()
        print(f"--- {process.log_path.name} ---\n{process.log()[-5000:]}")  # shown on failure


@pytest.fixture
def logged_in(chromium, servers, user):
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
