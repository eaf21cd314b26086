"""django-q2's sync mode (`Q_CLUSTER["sync"]`): tasks run in the process that made them ready.

For tests and debugging only. No cluster runs: after a commit that made a task ready (a
create, a retry, a completed prerequisite), this process claims the ready tasks and runs
them one by one, as a worker would, until none is left.
"""
import os

from django.db import transaction
from django_q.conf import Conf

_running = {"pid": None}


def run_ready_after_commit() -> None:
    """In sync mode, run the ready tasks once the current transaction commits."""
    if not Conf.SYNC:
        return
    connection = transaction.get_connection()
    if any(entry[1] is run_ready for entry in connection.run_on_commit):
        return
    transaction.on_commit(run_ready)


def run_ready() -> int:
    """Claim and run ready tasks in this process until none is left; return how many ran.

    A task that ends while this loop runs makes others ready: the loop takes them too,
    rather than running a second loop inside the first.
    """
    if _running["pid"] == os.getpid():
        return 0
    from tasks.dispatch import claim
    from tasks.runner import task_run

    _running["pid"] = os.getpid()
    ran = 0
    try:
        while claims := claim(1):
            task_run(task_pk=claims[0].pk, token=claims[0].token)
            ran += 1
    finally:
        _running["pid"] = None
    return ran
