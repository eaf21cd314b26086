"""`manage.py qcluster` starts and stops cleanly however it is told to stop."""
import os
import signal

import pytest

from tasks.models import Task
from tasks.services import task_create
from tests.processes import wait_for

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


def _running(process):
    task = task_create(kind="noop")
    wait_for(lambda: Task.objects.get(pk=task.pk).status == "completed", 20,
             message="the cluster to run a task")


@pytest.mark.parametrize(
    "signum, whole_group",
    [(signal.SIGTERM, False), (signal.SIGTERM, True), (signal.SIGINT, True)],
    ids=["sigterm-main", "sigterm-group", "ctrl-c"],
)
def test_qcluster_stops_on_signal(qcluster, signum, whole_group):
    process = qcluster()
    _running(process)
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    process.popen.wait(timeout=20)  # raises TimeoutExpired if it hangs
    assert process.popen.returncode is not None


@pytest.mark.parametrize("delay", [0.8, 1.5, 2.5])
def test_qcluster_stops_on_group_sigterm_while_starting(qcluster, delay):
    """The signal may arrive before the cluster reports running (django-q2's own handler
    would then wait forever on an Event its killed sentinel was waiting on)."""
    import time

    process = qcluster()
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGTERM)
    process.popen.wait(timeout=20)
    assert process.popen.returncode is not None
