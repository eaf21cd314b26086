"""Embedded mode: the in-memory channel layer cannot reach a worker in another process.

So each daphne process runs one relay: while anybody in this process follows a task, it
polls the persisted events of the followed tasks (one query per tick, however many
clients) and fans new ones out to the tasks' groups on the in-memory layer. It starts with
the first follower and stops when the last one leaves.

Each task has its own cursor: a task's events commit in seq order (each is written under
its task's row lock), so "after the last seq relayed for this task" never skips an event,
whereas one global cursor could pass an event of another task that commits late.
"""
import asyncio
import contextvars
import logging

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from tasks.live.addresses import live_group
from tasks.live.selectors import live_events_for

logger = logging.getLogger(__name__)


class _Followed:
    __slots__ = ("task_id", "cursor", "followers")

    def __init__(self, task_id: str, cursor: int):
        self.task_id, self.cursor, self.followers = task_id, cursor, 0


class Relay:
    """Polls followed tasks' events and group_sends them; one per process and event loop."""

    def __init__(self):
        self._followed: dict[int, _Followed] = {}
        self._runner: asyncio.Task | None = None
        self._loop = None
        self.polls = 0
        self.relayed = 0

    @property
    def running(self) -> bool:
        return self._runner is not None and not self._runner.done()

    def follow(self, *, task_pk: int, task_id: str, after: int) -> None:
        """Relay the task's events after seq `after` (the follower joined its group first)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): forget the old loop's state
            self._followed, self._runner, self._loop = {}, None, loop
        followed = self._followed.get(task_pk)
        if followed is None:
            # Events up to `after` reached this follower from the database; events relayed
            # before it joined the group are among them, so the cursor may start here.
            followed = self._followed[task_pk] = _Followed(task_id, after)
        followed.followers += 1
        if not self.running:
            # A fresh context: the first follower may be an HTTP request (SSE), whose
            # context (and asgiref's per-request thread) ends long before the relay does.
            self._runner = loop.create_task(self._run(), name="task-event-relay",
                                            context=contextvars.Context())

    def unfollow(self, *, task_pk: int) -> None:
        followed = self._followed.get(task_pk)
        if followed is None:
            return
        followed.followers -= 1
        if followed.followers <= 0:
            del self._followed[task_pk]
        if not self._followed and self.running:
            self._runner.cancel()
            self._runner = None

    async def _run(self) -> None:
        layer = get_channel_layer()
        interval = settings.LIVE_RELAY_POLL_SECONDS
        while self._followed:
            cursors = {pk: followed.cursor for pk, followed in self._followed.items()}
            try:
                events = await database_sync_to_async(live_events_for)(cursors=cursors)
            except Exception:
                logger.warning("relay: could not read task events; retrying", exc_info=True)
                await asyncio.sleep(max(interval, 1.0))
                continue
            self.polls += 1
            for event in events:
                followed = self._followed.get(event["task_pk"])
                if followed is None or event["seq"] <= followed.cursor:
                    continue
                followed.cursor = event["seq"]
                await layer.group_send(live_group(followed.task_id), event)
                self.relayed += 1
            if len(events) < 2000:  # a full page means more are waiting: read again now
                await asyncio.sleep(interval)


relay = Relay()
