"""`make run`'s script: sets up, serves HTTP with a worker behind it, stops on Ctrl-C."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.processes import ROOT, wait_for

pytestmark = pytest.mark.processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, token=None, data=None):
    request = urllib.request.Request(url, data=data)
    if token:
        request.add_header("Authorization", f"Token {token}")
    if data:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _qcluster_of(group: int) -> int | None:
    """The pid of the `manage.py qcluster` main process in the process group, if any."""
    found = subprocess.run(["pgrep", "-g", str(group), "-f", "qcluster"],
                           capture_output=True, text=True).stdout.split()
    pids = {int(pid) for pid in found}
    # Its sentinel and workers are named qcluster too: the main one's parent is not one.
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                state, parent = stat.read().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue
        if state != "Z" and int(parent) not in pids and _command(int(parent)) == "bash":
            return pid  # started by run.sh's supervisor; not an orphan of a killed one
    return None


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except OSError:
        return ""


def _descendants(pid: int) -> set[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                              text=True).stdout.split()
    found = {int(child) for child in children}
    for child in list(found):
        found |= _descendants(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


def test_run_script_serves_runs_tasks_and_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "TASKLEDGER_ADMIN_PASSWORD")
    }
    env.update(TASKLEDGER_VAR_DIR=str(tmp_path), PORT=str(port), TASKLEDGER_ADMIN_USER="admin")
    log = open(tmp_path / "run.log", "w+")
    process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def token():
            log.seek(0)
            for line in log.read().splitlines():
                if "API token:" in line:
                    return line.split("API token:")[1].strip()
        key = wait_for(token, 90, 0.5, "the operator's token")

        def served():
            try:
                return _get(f"http://127.0.0.1:{port}/api/tasks/queue/status", key)
            except OSError:
                return None
        assert wait_for(served, 60, 0.5, "daphne")["max_concurrent_tasks"] == 5

        body = json.dumps({"kind": "demo.count", "params": {"steps": 2, "delay_seconds": 0}})
        task = _get(f"http://127.0.0.1:{port}/api/tasks/", key, body.encode())
        url = f"http://127.0.0.1:{port}/api/tasks/{task['task_id']}"
        wait_for(lambda: _get(url, key)["status"] == "completed", 30, 0.2, "the task to complete")

        # A qcluster that dies is started again, and the service goes on running tasks.
        cluster = _qcluster_of(process.pid)
        orphans = _descendants(cluster)  # its sentinel and workers: they stop by themselves
        os.kill(cluster, signal.SIGKILL)
        wait_for(lambda: not _alive(orphans), 30, 0.2, "the killed cluster's processes to end")
        wait_for(lambda: _qcluster_of(process.pid) not in (None, cluster), 30, 0.2,
                 "make run to start a new qcluster")
        task = _get(f"http://127.0.0.1:{port}/api/tasks/", key, body.encode())
        url = f"http://127.0.0.1:{port}/api/tasks/{task['task_id']}"
        wait_for(lambda: _get(url, key)["status"] == "completed", 30, 0.2,
                 "a task after the restart to complete")

        # Ctrl-C while a job runs: the cluster lets it finish, so stopping takes a while;
        # `make run` must wait for it (a second signal once cut that wait short).
        body = json.dumps({"kind": "demo.count", "params": {"steps": 15, "delay_seconds": 0.1}})
        task = _get(f"http://127.0.0.1:{port}/api/tasks/", key, body.encode())
        url = f"http://127.0.0.1:{port}/api/tasks/{task['task_id']}"
        wait_for(lambda: _get(url, key)["status"] == "processing", 30, 0.1,
                 "a long task to start")
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
        time.sleep(0.5)
        # Zombies are dead: an orphan's is reaped by init, which in a container may not reap.
        leftovers = [line for line in subprocess.run(
            ["ps", "-o", "pid=,stat=,args=", "-g", str(process.pid)], capture_output=True,
            text=True).stdout.splitlines() if line.split()[1][0] != "Z"]
        assert leftovers == [], "processes left running after Ctrl-C"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        log.seek(0)
        print(log.read())


def test_run_script_stops_before_setup_when_the_port_is_taken(tmp_path):
    """It names the process holding the port, and installs, migrates and serves nothing."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(TASKLEDGER_VAR_DIR=str(tmp_path), PORT=str(port))
    try:
        result = subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
    finally:
        holder.close()

    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is in use by pid {os.getpid()} (" in result.stderr
    assert "PORT=8001 make run" in result.stderr
    assert "Operations to perform" not in result.stdout  # migrate never ran
    assert list(tmp_path.iterdir()) == []  # no database, no secret key, nothing set up


def test_port_check_passes_a_free_port_and_one_left_in_time_wait():
    port = _free_port()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first: its end waits in TIME_WAIT
    client.close()
    server.close()

    result = subprocess.run(["python3", "scripts/port_check.py", "127.0.0.1", str(port)],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr
