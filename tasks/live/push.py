"""Redis mode: every process that commits a task event pushes it to the channel layer.

`async_to_sync(group_send)` costs about 3.5 ms per call in a sync worker (a fresh event
loop and Redis connection each time), and it would run inside the job's progress report.
So each process keeps one long-lived event loop in a daemon thread, and the after-commit
hook only hands the message over (microseconds); the thread sends what waits side by
side, each task's messages in commit order. A push lost with a dying process is not lost
for the client: the persisted events are the source of truth, and a client resumes from
them.
"""
import asyncio
import atexit
import logging
import os
import threading

from channels.layers import channel_layers
from django.conf import settings
from django.utils.module_loading import import_string

from tasks.live.addresses import live_group, live_mode
from tasks.live.messages import TERMINAL_EVENT_TYPES, live_event
from tasks.live.selectors import live_costs
from tasks.models import TaskEvent, TaskEventType
from tasks.signals import task_event_committed

logger = logging.getLogger(__name__)


class Pusher:
    """One sender thread per process (re-created after a fork), sending in order."""

    def __init__(self):
        self._reset()
        # django-q2 forks its workers; a child must not inherit a lock held by the
        # parent's thread, nor a loop whose thread did not survive the fork.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._pid = None
        self._loop = None
        self._queue = None
        self._thread = None
        self.sent = 0

    def submit(self, group: str, message: dict) -> None:
        loop, queue = self._ensure()
        loop.call_soon_threadsafe(queue.put_nowait, (group, message))

    def flush(self, timeout: float = 2.0) -> None:
        """Wait until everything submitted so far was sent (at exit, and in tests)."""
        if self._pid != os.getpid() or self._loop is None:
            return
        done = threading.Event()
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (None, done))
        done.wait(timeout)

    def _ensure(self):
        if self._pid == os.getpid() and self._thread.is_alive():
            return self._loop, self._queue
        with self._lock:
            if self._pid != os.getpid() or self._thread is None or not self._thread.is_alive():
                ready = threading.Event()
                self._thread = threading.Thread(
                    target=self._run, args=(ready,), name="task-event-pusher", daemon=True
                )
                self._thread.start()
                ready.wait(5)
                self._pid = os.getpid()
        return self._loop, self._queue

    def _run(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        self._queue = asyncio.Queue()
        ready.set()
        self._loop.run_until_complete(self._send_forever())

    async def _send_forever(self) -> None:
        # Our own layer instance: one made in a parent process before a fork holds
        # connections that belong to the parent.
        layer = channel_layers.make_backend("default")
        while True:
            pending = [await self._queue.get()]
            while not self._queue.empty():  # a closer's batch arrives all at once
                pending.append(self._queue.get_nowait())
            by_group: dict[str, list] = {}
            for group, message in pending:
                if group is not None:
                    by_group.setdefault(group, []).append(message)
            # Groups are sent side by side, each group's messages in order.
            await asyncio.gather(*(self._send(layer, group, messages)
                                   for group, messages in by_group.items()))
            for group, done in pending:
                if group is None:
                    done.set()

    async def _send(self, layer, group: str, messages: list[dict]) -> None:
        for message in messages:
            try:
                await layer.group_send(group, message)
                self.sent += 1
            except Exception:
                logger.warning("could not push task event %s to %s; clients will catch up "
                               "from the persisted events", message.get("seq"), group,
                               exc_info=True)


pusher = Pusher()


def task_event_push(sender, *, event: TaskEvent, task, batch: dict | None = None,
                    **kwargs) -> None:
    """After commit: hand one persisted event to the channel layer (Redis mode only).

    `batch`: the events of one batch (tasks.outcomes), one dict shared by all of them:
    their costs are read in one query (or were read with the event: tasks.starts).
    """
    if live_mode() != "push":
        return
    try:
        if batch is None:
            cost = live_costs(task_ids=[task.task_id]).get(task.task_id)
        else:
            if "costs" not in batch:
                batch["costs"] = live_costs(task_ids=[t.task_id for t in batch["tasks"]])
            cost = batch["costs"].get(task.task_id)
        pusher.submit(live_group(task.task_id), live_event(
            event=event, task_id=task.task_id, cost=cost,
            after_seq=_after_seq(event, task, batch)))
        if event.event_type in TERMINAL_EVENT_TYPES and batch is None:
            # A django-q2 worker may exit right after its task (recycling), and
            # multiprocessing children skip atexit: make sure the end is sent (~1 ms).
            # The closer, which sends a batch's ends, lives on: it does not wait for them.
            pusher.flush()
    except Exception:
        # The event is committed; never let the fast path fail the job that reported it.
        logger.warning("could not queue task event %s for push", event.id, exc_info=True)


def _after_seq(event: TaskEvent, task, batch: dict | None) -> int | None:
    """The seq of the state change this event follows, when it is known here: none (0)
    before a first attempt's start (attempts never go back), the attempt's start before
    the end a closer's batch writes. A stream that delivered it reads nothing before
    delivering this one (tasks.live.messages.needs_backfill)."""
    if event.event_type == TaskEventType.STARTED and event.data.get("attempt") == 1:
        return 0
    return (batch or {}).get("after", {}).get(task.task_id)


def push_connect() -> None:
    """Connect the after-commit hook (called from the tasks app's ready())."""
    task_event_committed.connect(task_event_push, dispatch_uid="tasks.live.push")
    if settings.CHANNEL_LAYERS:
        atexit.register(pusher.flush)
        # Imported here, once, rather than by each forked worker's first push: django-q2
        # recycles its workers, and each new one would import the layer's module again.
        import_string(settings.CHANNEL_LAYERS["default"]["BACKEND"])
