"""Real processes for tests: a qcluster (and later daphne) on the test database."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


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
    env = {key: value for key, value in os.environ.items() if key != "TASKLEDGER_ASGI"}
    env.update({
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
