"""Real processes for tests: qcluster and daphne on the test database, each owned by its test.

A test that starts a process stops it before its database is flushed (tests/conftest.py
checks that none is left running, and waits until none still holds a connection), so no
process outlives its test or writes into the next one. docs/testing.md says more.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# PostgreSQL names every connection a child process of this test run opens by this
# (libpq reads PGAPPNAME), so the run can wait until none is left before a flush.
CHILD_APPLICATION_NAME = f"taskledger-test-child-{os.getpid()}"

# A run started in the background (`make test &`, a CI runner without a terminal) inherits
# SIGINT ignored, and so would every child: daphne then ignores the Ctrl-C that stops it,
# and each stop waits out its timeout before the kill (15 s a test). Children get the
# default disposition back (an ignored signal stays ignored across exec; a handled one does not).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# The processes started and not yet stopped, oldest first; and how many were ever started.
running: list["Process"] = []
_started = [0]


def started_count() -> int:
    return _started[0]


def test_database_url() -> str:
    """The URL of the database the tests are using, for child processes to share."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def child_env(**overrides) -> dict:
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own (tests/pages/conftest.py).
    env = {key: value for key, value in os.environ.items()
           if key not in ("TASKLEDGER_ASGI", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({
        "PGAPPNAME": CHILD_APPLICATION_NAME,
        "DATABASE_URL": test_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
        "TASKLEDGER_VAR_DIR": str(settings.VAR_DIR),
    })
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class Process:
    """A child process in its own process group, killed with everything it spawned."""

    def __init__(self, args: list[str], env: dict, log_name: str):
        self.log_path = Path(settings.VAR_DIR) / f"{log_name}-{os.getpid()}-{time.time_ns()}.log"
        self._log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        running.append(self)
        _started[0] += 1

    def __repr__(self) -> str:
        return f"<Process {self.log_path.stem} pid={self.pid}>"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 15) -> None:
        """Stop as Ctrl-C does (SIGINT to the group); kill the whole group if it does not end in time."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGINT)
                self.popen.wait(timeout)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def kill(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(10)
        self._log.close()
        if self in running:
            running.remove(self)


def kill_running() -> list[Process]:
    """Kill every process still running, printing its log; return them."""
    left = list(running)
    for process in left:
        process.kill()
        print(f"--- {process.log_path.name} (left running) ---\n{process.log()[-3000:]}")
    return left


def child_connections_closed(timeout: float = 15) -> None:
    """Wait until no child process of this run holds a PostgreSQL connection.

    A killed process's backend may still be finishing its last statement, and a flush's
    TRUNCATE racing it can deadlock and fail. SQLite needs no wait: the kernel releases a
    dead process's file locks with the process.
    """
    if connection.vendor != "postgresql":
        return

    def closed():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                           [CHILD_APPLICATION_NAME])
            return cursor.fetchone()[0] == 0

    wait_for(closed, timeout=timeout, interval=0.05,
             message="the stopped processes' database connections to close")


def start_qcluster(**env_overrides) -> Process:
    env = child_env(**{"TASK_TICK_SECONDS": "0.2", **env_overrides})
    return Process([sys.executable, "manage.py", "qcluster"], env, "qcluster")


def wait_for(predicate, timeout: float = 30, interval: float = 0.1, message: str = ""):
    """Poll `predicate` until it returns a truthy value; fail with `message` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message or predicate}")
        time.sleep(interval)


def freeze(pids) -> None:
    """SIGSTOP `pids` at a moment when none of them holds SQLite's write lock.

    A process frozen inside a write stops every writer of an SQLite deployment until it
    thaws, which no cluster can work around (PostgreSQL locks rows, not the database);
    the tests that freeze a cluster are about what a healthy one does meanwhile."""
    for _ in range(200):
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        if _sqlite_writable():
            return
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        time.sleep(0.02)
    raise AssertionError(f"{pids} held SQLite's write lock at every try for 4 s")


def _sqlite_writable() -> bool:
    if connection.vendor != "sqlite":
        return True
    probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return True
    except sqlite3.OperationalError:  # "database is locked": a frozen process holds it
        return False
    finally:
        probe.close()


def start_daphne(**env_overrides) -> tuple[Process, int]:
    """Start daphne on a free port on the test database; return it and its port once it listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = Process(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "config.asgi:application"],
        child_env(**env_overrides), "daphne",
    )

    def listening():
        if process.popen.poll() is not None:
            raise AssertionError(f"daphne exited at start-up:\n{process.log()[-5000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    try:
        wait_for(listening, timeout=60, message="daphne to listen")
    except AssertionError:
        process.stop()
        raise
    return process, port


def attempt_records_closed(task_id: str, timeout: float = 15) -> None:
    """Wait until the worker has closed every attempt record of the task.

    The worker closes an attempt's ledger record just after the task's final transition
    commits, so a test that saw the task end may otherwise read the record still open.
    """
    from costs.models import RequestRecord
    from costs.services import JOB_METHOD

    wait_for(lambda: not RequestRecord.objects.filter(
        task_id=task_id, method=JOB_METHOD, status_code__isnull=True).exists(),
        timeout=timeout, message=f"task {task_id}'s attempt records to close")
