"""A thread beside the running job: heartbeats and cancellation polling.

One per worker process, kept between tasks so that its database connection is reused.
A worker killed outright stops heartbeating; the reaper then recovers its task.
"""
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from tasks.models import Task
from tasks.progress import ProgressHandle

logger = logging.getLogger(__name__)

CANCEL_POLL_SECONDS = 0.5


class WorkerMonitor(threading.Thread):
    def __init__(self):
        super().__init__(name="taskledger-monitor", daemon=True)
        self._lock = threading.Lock()
        self._handle: ProgressHandle | None = None

    def watch(self, handle: ProgressHandle) -> None:
        with self._lock:
            self._handle = handle

    def unwatch(self) -> None:
        with self._lock:
            self._handle = None

    def run(self) -> None:
        last_beat = time.monotonic()
        while True:
            time.sleep(CANCEL_POLL_SECONDS)
            with self._lock:
                handle = self._handle
            if handle is None:
                # Idle between tasks: hold no connection (a no-op task never needs one).
                connection.close()
                continue
            try:
                beat = time.monotonic() - last_beat >= settings.TASK_HEARTBEAT_SECONDS
                self._poll(handle, beat=beat)
                if beat:
                    last_beat = time.monotonic()
            except Exception:
                logger.exception("monitor could not poll task %s", handle.task_id)
                close_old_connections()
                connection.close()

    @staticmethod
    def _poll(handle: ProgressHandle, *, beat: bool) -> None:
        rows = Task.objects.filter(pk=handle.task.pk, dispatch_token=handle.task.dispatch_token)
        if beat:
            rows.filter(status="processing").update(heartbeat_at=timezone.now())
        state = rows.values_list("status", "cancel_requested").first()
        if state is None or state[0] != "processing":
            handle.lose()
        elif state[1]:
            handle.request_cancel()


_monitor: WorkerMonitor | None = None


def worker_monitor() -> WorkerMonitor:
    """Return this process's monitor thread, starting it on first use."""
    global _monitor
    if _monitor is None or not _monitor.is_alive():
        _monitor = WorkerMonitor()
        _monitor.start()
    return _monitor
