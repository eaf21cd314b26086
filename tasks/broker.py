"""django-q2's broker, reading TaskLedger's task table: the only queue of tracked work.

django-q2's pusher calls `dequeue()` in a loop and puts what it gets into its cluster's
hand-off queue, from which the workers take it. Here `dequeue()` claims ready tasks from
the task table (tasks.dispatch.claim), as many as the hand-off queue has room for. That
room is the cluster's worker count (tasks.sentinel), so a cluster prefetches at most one
task per worker: a `critical` task that arrives waits for no more than one task per
worker that was claimed before it, and for none claimed after it. Finding nothing, the
pusher waits `Q_POLL` seconds, or less when a new task is announced (tasks.ready).

There is no second queue (Redis list or ORM broker table) and no hand-off from a
dispatcher: what a pusher claims, its own workers run. `enqueue()` is left for django-q2's
own callers (its scheduler): it creates a tracked task that makes the call.
"""
import logging
import time
import uuid

from django.db import DatabaseError, connection
from django_q.brokers import Broker
from django_q.conf import Conf
from django_q.signing import SignedPackage
from django_q.utils import get_func_repr

from tasks.dispatch import HARD_TIMEOUT_GRACE, claim
from tasks.ready import ReadyListener

logger = logging.getLogger(__name__)

EXECUTE = "tasks.workers.task_execute"
# Seconds an unreachable database keeps the pusher from claiming again.
DATABASE_RETRY_SECONDS = 1.0


class TaskTableBroker(Broker):
    # Set by the sentinel before it forks the pusher (tasks.sentinel.Sentinel.spawn_pusher).
    hand_off = None   # the cluster's hand-off queue, bounded to its worker count
    owner = ""        # this cluster's prefix on the dispatch tokens it claims with
    _listener = None  # made in the pusher process, on its first idle moment

    def dequeue(self):
        room = self._room()
        if room <= 0:
            return None
        try:
            claims = claim(room, owner=self.owner)
        except DatabaseError:
            logger.warning("could not claim tasks; retrying in %g s", DATABASE_RETRY_SECONDS,
                           exc_info=True)
            connection.close()
            time.sleep(DATABASE_RETRY_SECONDS)
            return None
        if not claims:
            if self._listener is None:
                self._listener = ReadyListener()
            self._listener.wait(Conf.POLL)  # woken at once by a newly ready task (Redis)
            return None
        return [(c.pk, SignedPackage.dumps(_package(c))) for c in claims]

    def _room(self) -> int:
        """How many tasks the hand-off queue can take now; waits up to POLL for one."""
        if self.hand_off is None:  # not a pusher of TaskLedger's sentinel
            return Conf.BULK
        room = self.hand_off.room()
        if room <= 0 and self.hand_off.wait_for_room(Conf.POLL):
            room = self.hand_off.room()
        return room

    def enqueue(self, task) -> str:
        """A django-q2 call (its scheduler's): run it as a tracked task."""
        from tasks.services import task_create
        from tasks.jobs import CALL_KIND

        package = SignedPackage.loads(task)
        created = task_create(kind=CALL_KIND, params={
            "func": get_func_repr(package["func"]),
            "args": list(package.get("args", ())),
            "kwargs": package.get("kwargs", {}),
        })
        return created.task_id

    def queue_size(self) -> int:
        """Tasks ready to be claimed."""
        from tasks.models import Task

        return Task.objects.filter(status="pending", dispatch_token="").count()

    def lock_size(self) -> int:
        """Tasks claimed by a cluster and not started yet."""
        from tasks.models import Task

        return Task.objects.filter(status="pending").exclude(dispatch_token="").count()

    def ping(self) -> bool:
        connection.ensure_connection()
        return True

    def info(self) -> str:
        return "TaskLedger task table"

    # The task table is the record: a message needs no acknowledgement, and purging the
    # "queue" must never delete tasks.
    def acknowledge(self, task_id):
        pass

    def fail(self, task_id):
        pass

    def delete(self, task_id):
        pass

    def purge_queue(self):
        pass

    def delete_queue(self):
        pass


def _package(c) -> dict:
    """django-q2's task message for one claim (what `async_task` would build)."""
    return {
        "id": uuid.uuid4().hex,
        "name": c.task_id,
        "func": EXECUTE,
        "args": (c.pk, c.token, c.kind),
        "kwargs": {},
        "timeout": c.timeout_seconds + HARD_TIMEOUT_GRACE,
        "save": False,
        "ack_failure": True,
    }
