"""The suite's own process ownership (tests/processes.py): nothing a test starts reaches the next.

A module-wide daphne and qcluster once outlived each browser test; the flush after a test
raced their last transactions on PostgreSQL (a deadlock the TRUNCATE lost) and the next
test found the earlier test's rows. These tests hold the two pieces that prevent it.
"""
import signal
import sys

import pytest
from django.db import OperationalError, connection, transaction

from tests import processes
from tests.processes import Process, child_env

pytestmark = pytest.mark.processes

# A child that takes the database's write lock and holds it in a running statement.
HOLD_LOCK = {
    "postgresql": (
        "import os, sys, psycopg\n"
        "with psycopg.connect(os.environ['DATABASE_URL']) as db:\n"
        "    db.execute('LOCK TABLE costs_meter IN SHARE MODE')\n"
        "    print('locked', flush=True)\n"
        "    db.execute('SELECT pg_sleep(4)')\n"
    ),
    "sqlite": (
        "import os, sqlite3, time\n"
        "db = sqlite3.connect(os.environ['DATABASE_URL'].removeprefix('sqlite:///'),"
        " isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    ),
}


def _sleeper() -> Process:
    return Process([sys.executable, "-c", "import time; time.sleep(60)"], child_env(), "sleeper")


def test_a_process_left_running_is_killed_and_named():
    sleeper = _sleeper()
    assert processes.running == [sleeper]

    left = processes.kill_running()

    assert left == [sleeper]
    assert sleeper.popen.poll() is not None and processes.running == []


def test_a_process_stops_on_ctrl_c_and_is_no_longer_counted_as_running():
    sleeper = _sleeper()
    sleeper.stop(timeout=10)
    # Ended by the SIGINT itself, not by the kill after the timeout: even when this run
    # was started with SIGINT ignored (in the background), its children were not.
    assert sleeper.popen.returncode == -signal.SIGINT
    assert processes.running == []


def _write_lock_free() -> bool:
    """Can this connection take what a flush takes, without waiting?"""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                    cursor.execute("LOCK TABLE costs_meter IN ACCESS EXCLUSIVE MODE")
                else:
                    cursor.execute("DELETE FROM costs_meter WHERE id = -1")
        return True
    except OperationalError:
        return False


def test_a_killed_child_leaves_the_database_free_for_the_flush(transactional_db):
    if connection.vendor == "sqlite":  # fail fast instead of waiting out the busy timeout
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 200")
    holder = Process([sys.executable, "-c", HOLD_LOCK[connection.vendor]], child_env(), "holder")
    processes.wait_for(lambda: "locked" in holder.log(), timeout=30, message="the child's lock")
    assert not _write_lock_free()

    holder.kill()
    if connection.vendor == "postgresql":
        # Its backend has not noticed yet: it sleeps on with the lock (the flush's race).
        assert not _write_lock_free()
    processes.child_connections_closed()

    # PostgreSQL: the wait outlasted the backend's statement; SQLite: the kernel released
    # the dead process's lock at once.
    assert _write_lock_free()


def test_children_name_their_postgresql_connections_for_the_wait():
    assert child_env()["PGAPPNAME"] == processes.CHILD_APPLICATION_NAME
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in child_env()
