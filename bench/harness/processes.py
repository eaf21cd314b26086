"""Real processes for the benchmarks: qcluster, daphne and the Django-side drivers.

The orchestrator (bench/run.py) never configures Django itself: every scenario has its
own database, broker and cluster name, and Django reads those from the environment at
start-up, so each scenario runs in child processes started with its own environment.
Every child gets its own process group, recorded in a pid file, so that the shell
wrapper can kill whatever is left even if the orchestrator itself is killed.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_VAR = Path(os.environ.get("BENCH_VAR_DIR", ROOT / "var" / "bench"))
PID_FILE = BENCH_VAR / "pids"
PYTHON = sys.executable


class BenchError(RuntimeError):
    pass


class Process:
    """A child in its own process group; stop() ends the whole group."""

    def __init__(self, args: list[str], env: dict, log_name: str):
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
        self.name = log_name
        self.log_path = BENCH_VAR / "logs" / f"{log_name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with open(PID_FILE, "a") as pids:
            pids.write(f"{self.popen.pid}\n")

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        if not self._log.closed:
            self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, grace: float = 10) -> None:
        """SIGINT the group as Ctrl-C would; SIGKILL whatever is left after `grace` s."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGINT)
                self.popen.wait(grace)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()
        _pid_forget(self.pid)


def _pid_forget(pid: int) -> None:
    """Drop a stopped group from the pid file, so the shell's safety net skips it."""
    try:
        pids = PID_FILE.read_text().split()
    except FileNotFoundError:
        return
    PID_FILE.write_text("".join(f"{p}\n" for p in pids if p != str(pid)))


def scenario_env(*, database_url: str, redis_url: str | None, cluster: str, workers: int,
                 slots: int, **extra) -> dict:
    """The environment for every process of one scenario (same settings everywhere)."""
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "Q_CLUSTER_NAME", "Q_WORKERS",
                       "MAX_CONCURRENT_TASKS", "TASK_JOB_MODULES", "TASKLEDGER_VAR_DIR"}
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url,
        "Q_CLUSTER_NAME": cluster,
        "Q_WORKERS": str(workers),
        "MAX_CONCURRENT_TASKS": str(slots),
        "TASK_JOB_MODULES": "bench.harness.jobs",
        "TASKLEDGER_VAR_DIR": str(BENCH_VAR),
        # One key for every process of the run: django-q2 signs task packages with it.
        "SECRET_KEY": env_secret_key(),
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


_secret = {}


def env_secret_key() -> str:
    if "key" not in _secret:
        _secret["key"] = os.environ.get("SECRET_KEY") or os.urandom(32).hex()
    return _secret["key"]


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """Run a manage.py command to completion; raise with its output if it fails."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start_qcluster(env: dict, name: str, *, tick: bool = True) -> Process:
    args = [PYTHON, "manage.py", "qcluster"] + ([] if tick else ["--no-tick"])
    return Process(args, env, f"qcluster-{name}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_daphne(env: dict, name: str, port: int) -> Process:
    process = Process(
        [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        env, f"daphne-{name}",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not process.alive():
            raise BenchError(f"daphne exited at start:\n{process.log_tail()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.stop()
    raise BenchError("daphne did not listen within 30 s")


def run_driver(env: dict, module: str, *args: str, timeout: float, watch=()) -> dict:
    """Run `python -m bench.<module>` (a Django-side driver) and return its JSON result.

    `watch` are processes the driver depends on; if one dies the driver is stopped.
    """
    driver = Process([PYTHON, "-m", f"bench.{module}", *args], env,
                     f"driver-{module}-{env['Q_CLUSTER_NAME']}")
    deadline = time.monotonic() + timeout
    try:
        while driver.alive():
            if time.monotonic() > deadline:
                raise BenchError(
                    f"bench.{module} took longer than {timeout:.0f} s:\n{driver.log_tail()}"
                )
            for process in watch:
                if not process.alive():
                    raise BenchError(
                        f"{process.name} died during bench.{module}:\n{process.log_tail()}"
                    )
            time.sleep(0.2)
        if driver.popen.returncode != 0:
            raise BenchError(f"bench.{module} failed:\n{driver.log_tail()}")
        for line in reversed(driver.log_path.read_text().splitlines()):
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
        raise BenchError(f"bench.{module} printed no result:\n{driver.log_tail()}")
    finally:
        driver.stop(grace=2)


def emit_result(result: dict) -> None:
    """Driver side: print the result line run_driver() looks for."""
    print("RESULT " + json.dumps(result), flush=True)


# --- a cluster's processes, read from /proc --------------------------------------------------
def process_children(pid: int) -> list[int]:
    found = []
    try:
        for thread in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (thread / "children").read_text().split()]
    except OSError:
        pass
    return found


def cluster_workers(cluster_pid: int) -> list[int]:
    """The cluster's worker processes, by the titles django-q2 gives them."""
    workers = []
    for sentinel in process_children(cluster_pid):
        for pid in process_children(sentinel):
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b" idle" in title or b" processing" in title:
                workers.append(pid)
    return workers
