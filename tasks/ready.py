"""A task became ready: tell the clusters' pushers now, rather than at their next poll.

The task table is the queue (tasks.broker); a pusher that finds nothing sleeps `Q_POLL`
seconds before it looks again. With Redis, every commit that makes a task ready publishes
one message on the deployment's channel and idle pushers wake at once: Redis carries only
the wake-up, never the task, so a lost message costs at most one poll interval. Without
Redis (the embedded default) the pushers poll.

django-q2's sync mode (`Q_CLUSTER["sync"]`, tests and debugging only) has no cluster: the
process that made the tasks ready runs them itself, one by one, as a worker would. This
module only announces them (the `tasks_ready` signal); the runner, which sits above it,
takes them (tasks.runner.run_ready).
"""
import logging
import os
import time

from django.conf import settings
from django.db import transaction
from django_q.conf import Conf

from tasks.signals import tasks_ready

logger = logging.getLogger(__name__)

_clients: dict[int, object] = {}


def _channel() -> str:
    return f"taskledger:{settings.Q_CLUSTER['name']}:ready"


def _redis():
    """This process's Redis client (re-made after a fork)."""
    import redis

    pid = os.getpid()
    if pid not in _clients:
        _clients.clear()
        _clients[pid] = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1,
                                             socket_connect_timeout=1)
    return _clients[pid]


def ready_after_commit() -> None:
    """Once the current transaction commits: wake the pushers (Redis), or in sync mode run
    the ready tasks here. Registered once per transaction."""
    connection = transaction.get_connection()
    if any(entry[1] is _ready for entry in connection.run_on_commit):
        return
    transaction.on_commit(_ready)


def _ready() -> None:
    if Conf.SYNC:
        tasks_ready.send(sender=None)
    elif settings.REDIS_URL:
        try:
            _redis().publish(_channel(), b"")
        except Exception:  # the pushers poll anyway
            logger.warning("could not announce a ready task on Redis", exc_info=True)


class ReadyListener:
    """A pusher's ear: waits for an announcement, or `timeout`, whichever comes first."""

    def __init__(self):
        self._subscription = None

    def wait(self, timeout: float) -> None:
        if not settings.REDIS_URL:
            time.sleep(timeout)
            return
        try:
            if self._subscription is None:
                self._subscription = _redis().pubsub(ignore_subscribe_messages=True)
                self._subscription.subscribe(_channel())
            if self._subscription.get_message(timeout=timeout) is not None:
                while self._subscription.get_message(timeout=0) is not None:
                    pass  # one look at the table answers every announcement so far
        except Exception:
            logger.warning("could not listen for ready tasks on Redis; polling", exc_info=True)
            self._subscription = None
            time.sleep(timeout)
