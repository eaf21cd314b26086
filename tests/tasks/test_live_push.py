"""The Redis-mode sender: in commit order, and alive again in a forked child (django-q2 forks)."""
import os

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from tasks.live.push import pusher

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="pushes go through Redis")


def _receive_all(layer, channel, count):
    return [async_to_sync(layer.receive)(channel) for _ in range(count)]


def test_pusher_sends_in_submission_order():
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("task.pushorder", channel)

    for n in range(50):
        pusher.submit("task.pushorder", {"type": "task.event", "n": n})
    pusher.flush()

    assert [m["n"] for m in _receive_all(layer, channel, 50)] == list(range(50))


def test_pusher_works_in_a_forked_child():
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("task.pushfork", channel)
    pusher.submit("task.pushfork", {"type": "task.event", "n": "parent"})
    pusher.flush()

    pid = os.fork()
    if pid == 0:  # the child: its inherited sender thread is gone
        try:
            pusher.submit("task.pushfork", {"type": "task.event", "n": "child"})
            pusher.flush(timeout=5)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)

    assert [m["n"] for m in _receive_all(layer, channel, 2)] == ["parent", "child"]
