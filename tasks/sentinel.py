"""django-q2's sentinel, made safe against any of its processes dying at any moment.

django-q2 (1.11) hands tasks from its pusher to its workers, and results from the workers
to its monitor, through `multiprocessing.Queue`s. Each queue is guarded by locks that live
in shared memory: a reader's lock, a writer's lock, and django-q2's own size counter. A
process killed while it holds one (an idle worker blocked in `get()`, a pusher's feeder
thread inside `put()`, a worker ending a job) leaves it held for good. The sentinel then
reincarnates the dead process onto the same queues, and the new workers block forever: the
cluster looks alive and runs nothing (django-q2 issues #23 and #339). Its guard loop can
block on the same locks itself (the worker timers', and the queue size it saves as status).

This sentinel never waits on a lock a dead process may hold, and it never reuses a queue
such a process touched:
- a worker that recycled itself, or a job that ended by django-q2's own timeout, exits
  cleanly between tasks: it is replaced as django-q2 does;
- any other death (SIGKILL, the OOM killer, a crash in a C extension), of a worker, the
  pusher or the monitor, makes it rebuild: fresh queues, a fresh pusher, monitor and
  workers. Workers busy with a job are left to finish it (it is recorded in TaskLedger's
  tables, not in the queues) and retire afterwards; the rest are killed;
- a busy worker past its hard timeout (a job stuck outside Python, deaf to SIGALRM) is
  killed mid-job, which touches no queue, and replaced;
- a watchdog rebuilds when messages wait in the hand-off queue while a worker idles for
  CLUSTER_WEDGE_SECONDS: a wedge no death announced (a frozen process holding a lock).

After a rebuild the tasks that were handed out and had not started are released at once
(their messages were in the abandoned queue), so the fresh workers run them now rather than
after the reaper's DISPATCH_STALE_SECONDS.
"""
import logging
import multiprocessing
import os
import signal
import socket
import time

from django import db
from django.conf import settings
from django_q import cluster as q_cluster
from django_q.conf import Conf
from django_q.humanhash import humanize
from django_q.queues import Queue
from django_q.scheduler import scheduler
from django_q.status import Stat

logger = logging.getLogger("tasks.sentinel")

# django-q2's worker timer: seconds left of the job's hard timeout while busy, else these.
IDLE, RECYCLED, TIMED_OUT = -1, -2, 0


class ClusterState:
    """What the sentinel (a child process) tells its qcluster's main process, lock-free.

    Shared memory made before the sentinel is forked: the sentinel writes, the main
    process reads into its heartbeat. Plain values without locks, so neither ever waits.
    """

    def __init__(self):
        self._rebuilds = multiprocessing.RawValue("i", 0)
        self._stalled_since = multiprocessing.RawValue("d", 0.0)
        self._last_rebuild_at = multiprocessing.RawValue("d", 0.0)
        self._stopping = multiprocessing.RawValue("b", 0)
        self._generation = multiprocessing.RawValue("i", 0)
        self._closing = multiprocessing.RawValue("b", 0)

    @property
    def rebuilds(self) -> int:
        return self._rebuilds.value

    @property
    def stalled_since(self) -> float | None:
        return self._stalled_since.value or None

    @property
    def last_rebuild_at(self) -> float | None:
        return self._last_rebuild_at.value or None

    @property
    def stopping(self) -> bool:
        """The cluster is stopping: its workers start no new task (tasks.workers)."""
        return bool(self._stopping.value)

    def stop(self, stopping: bool = True) -> None:
        self._stopping.value = int(stopping)

    @property
    def generation(self) -> int:
        """Which set of queues is current: a rebuild abandons the old ones."""
        return self._generation.value

    def next_generation(self) -> None:
        self._generation.value += 1

    @property
    def closing(self) -> bool:
        """The closer is writing a batch of outcomes (tasks.closer)."""
        return bool(self._closing.value)

    def closing_set(self, closing: bool) -> None:
        self._closing.value = int(closing)

    def stall(self, since: float | None) -> None:
        self._stalled_since.value = since or 0.0

    def rebuilt(self) -> None:
        self._rebuilds.value += 1
        self._last_rebuild_at.value = time.time()
        self._stalled_since.value = 0.0


state: ClusterState | None = None
# The generation a worker process was forked in (set in the sentinel before each fork).
_worker_generation: int | None = None


def outcomes_collected() -> bool:
    """In a worker: will this cluster's closer read the outcome put in the result queue?

    Not once the cluster is stopping (its closer ends after the last queued result), nor
    for a busy worker of a generation that a rebuild abandoned (nobody reads its queue):
    those workers write their own outcome (tasks.workers).
    """
    return (state is not None and _worker_generation is not None and not state.stopping
            and state.generation == _worker_generation)


def claim_owner(cluster_id) -> str:
    """The prefix of a cluster's dispatch tokens: its own claims, and no other's."""
    return cluster_id.hex[:8]


def _timer(process) -> float:
    """A worker's timer, read without its lock (its holder may be dead)."""
    return process.timer.get_obj().value


class HandOffQueue(Queue):
    """django-q2's queue, whose size reads without the counter's lock.

    django-q2's own `qsize()` takes it, and so does its status (`Stat`), which the guard
    loop saves every cycle: a process killed inside `put()` or `get()` would stop the loop.
    """

    def __init__(self, maxsize: int = 0):
        super().__init__(maxsize=maxsize)
        self.capacity = maxsize

    def qsize(self) -> int:
        return _waiting(self)

    def room(self) -> int:
        """How many more messages it takes before `put()` would block (bounded queues)."""
        return self.capacity - _waiting(self)

    def wait_for_room(self, timeout: float) -> bool:
        """Wait until a worker takes a message, or `timeout` passes; True if it did.

        The queue's bounding semaphore is released by every `get()`: waiting on it wakes
        the pusher the moment a worker takes a task, without polling.
        """
        if not self._sem.acquire(timeout=timeout):
            return False
        self._sem.release()
        return True


def _queues() -> tuple[HandOffQueue, HandOffQueue]:
    """A fresh hand-off queue and result queue.

    The hand-off queue holds at most one task per worker: that bounds the cluster's
    prefetch, since its pusher claims only what fits (tasks.broker).
    """
    return HandOffQueue(maxsize=Conf.WORKERS), HandOffQueue()


def _waiting(queue: Queue) -> int:
    """Messages put into a django-q2 queue and not yet taken, read without its lock."""
    return queue.size.count.get_obj().value


def _kill(process) -> None:
    if process is None:
        return
    try:
        os.kill(process.pid, signal.SIGKILL)
    except (ProcessLookupError, TypeError):
        return
    process.join(5)


class Sentinel(q_cluster.Sentinel):
    """django-q2's Sentinel with a guard loop that cannot be wedged by a dead child."""

    def __init__(self, *args, **kwargs):
        if state is not None:
            state.stop(False)  # a new cluster of this qcluster process
        self.retiring = []  # busy workers of a rebuilt generation, finishing their job
        self.stalled_since = None
        self.rebuilds = 0
        super().__init__(*args, **kwargs)

    def start(self):
        self.task_queue, self.result_queue = _queues()  # before the first spawn
        super().start()

    def spawn_pusher(self):
        """The pusher claims from the task table what this generation's queue has room for,
        with this cluster's owner prefix on its dispatch tokens (tasks.broker)."""
        self.broker.hand_off = self.task_queue
        self.broker.owner = claim_owner(self.cluster_id)
        return super().spawn_pusher()

    def spawn_worker(self):
        global _worker_generation
        _worker_generation = state.generation if state is not None else None
        return super().spawn_worker()

    def spawn_monitor(self):
        """The closer, in place of django-q2's monitor: outcomes written in batches."""
        from tasks.closer import closer

        return self.spawn_process(closer, self.result_queue, self.broker, state)

    # --- guard ---------------------------------------------------------------------------
    def guard(self):
        cluster_name = humanize(self.cluster_id.hex) + f" [{self.queue_name()}]"
        logger.info("%s guarding cluster %s", self.name, cluster_name)
        self.start_event.set()
        Stat(self).save()
        logger.info("Q Cluster %s running.", cluster_name)
        counter, cycle = 0, Conf.GUARD_CYCLE
        while True:
            if os.getppid() != self.parent_pid:
                logger.error("the qcluster process %s is gone; stopping its workers",
                             self.parent_pid)
                break
            self.check(cycle)
            counter += cycle
            if counter >= 30 and Conf.SCHEDULER:
                counter = 0
                scheduler(broker=self.broker)
            Stat(self).save()
            if self.stop_event.wait(cycle):
                break
        self.stop()

    def check(self, cycle: float) -> None:
        """One guard cycle: replace clean exits, rebuild on any other death or a wedge."""
        for process in list(self.pool):
            timer = _timer(process)
            if not process.is_alive():
                if process.exitcode == 0 and timer in (RECYCLED, TIMED_OUT):
                    self.reincarnate(process)  # left cleanly between tasks
                    continue
                how = f"worker {process.pid} died (exit code {process.exitcode})"
                return self.rebuild(how, lost=[process])
            if timer > 0 and not self._tick_timer(process, cycle):
                # Busy past its hard timeout and deaf to SIGALRM: stuck outside Python,
                # so it holds no queue lock; kill it and replace it.
                logger.critical("killed worker %s: its job overran the hard timeout",
                                process.pid)
                _kill(process)
                self.pool.remove(process)
                self.spawn_worker()
        for role in ("pusher", "monitor"):
            process = getattr(self, role)
            if not process.is_alive():
                if role == "pusher" and process.exitcode == 0:
                    self.reincarnate(process)  # it stops itself when the broker fails
                    continue
                return self.rebuild(f"{role} {process.pid} died (exit code {process.exitcode})")
        self._retire(cycle)
        self._watch_for_a_wedge()

    @staticmethod
    def _tick_timer(process, cycle: float) -> bool:
        """Count a busy worker's hard timeout down; False once it has run out."""
        lock = process.timer.get_lock()
        if not lock.acquire(timeout=0.05):
            return True  # the worker holds it for a moment while ending its job
        try:
            if process.timer.value > 0:
                process.timer.value = max(process.timer.value - cycle, TIMED_OUT)
            return process.timer.value != TIMED_OUT
        finally:
            lock.release()

    def _watch_for_a_wedge(self) -> None:
        idle = any(_timer(process) == IDLE for process in self.pool)
        if not (idle and _waiting(self.task_queue) > 0):
            self.stalled_since = None
        elif self.stalled_since is None:
            self.stalled_since = time.time()
        elif time.time() - self.stalled_since >= settings.CLUSTER_WEDGE_SECONDS:
            return self.rebuild(
                f"{_waiting(self.task_queue)} task(s) waited {settings.CLUSTER_WEDGE_SECONDS:g} s "
                "in the hand-off queue while a worker idled")
        if state is not None:
            state.stall(self.stalled_since)

    # --- rebuild -------------------------------------------------------------------------
    def rebuild(self, reason: str, *, lost=()) -> None:
        """Abandon every queue a dead process may have left locked; start a new generation.

        `lost`: dead workers, whose task (if they ran one) is recovered at once.
        """
        logger.critical("cluster %s: %s; rebuilding its queues and processes",
                        humanize(self.cluster_id.hex), reason)
        _kill(self.pusher)
        # Every task the old pusher claimed was claimed before this moment, on this
        # machine's clock (tasks.broker).
        started = time.time()
        _kill(self.monitor)
        killed = []
        for process in self.pool:
            if process.is_alive() and _timer(process) > 0:
                self.retiring.append(process)  # let it finish the job it is running
            else:
                _kill(process)
                killed.append(process)
        self.task_queue, self.result_queue = _queues()
        self.event_out = multiprocessing.Event()
        self.stalled_since = None
        self.rebuilds += 1
        if state is not None:
            state.next_generation()  # the retiring workers write their own outcomes
        self.spawn_cluster()
        if state is not None:
            state.rebuilt()
        # A worker that was not busy had handed its last outcome to the abandoned result
        # queue, or to the closer killed above: a task still processing under its name will
        # not be written, so it is retried now rather than after the heartbeat timeout.
        pids = sorted({process.pid for process in (*lost, *killed)})
        self._recover(before=started, lost=pids, how=reason, owner=self.broker.owner)

    def _retire(self, cycle: float) -> None:
        """Busy workers of an abandoned generation: killed once their job has ended.

        Not by their timer alone: ending a job, a worker puts its result into the old
        queue, and may block there on a dead process's lock with its timer still busy.
        """
        for process in list(self.retiring):
            if self._running_a_job(process) and self._tick_timer(process, cycle):
                continue
            _kill(process)
            self.retiring.remove(process)

    @staticmethod
    def _running_a_job(process) -> bool:
        """Alive, its timer busy, and its task still processing under its name."""
        if not process.is_alive() or _timer(process) <= 0:
            return False
        from tasks.models import Task, TaskStatus

        return Task.objects.filter(status=TaskStatus.PROCESSING,
                                   worker=f"{socket.gethostname()}:{process.pid}").exists()

    @staticmethod
    def _recover(*, before: float, lost: list[int], how: str, owner: str) -> None:
        """Hand out again what the abandoned queue held; retry what the dead workers ran."""
        from tasks.reaper import dispatches_release, workers_lost

        host = socket.gethostname()
        try:
            workers_lost(workers=[f"{host}:{pid}" for pid in lost], how=how)
            dispatches_release(handed_out_before=before, owner=owner)
        except Exception:
            logger.exception("could not recover the abandoned queue's tasks; the reaper will")
        finally:
            db.connections.close_all()  # the next spawn forks: share no connection

    # --- stop ----------------------------------------------------------------------------
    def stop(self):
        """Stop without queue pills: let busy workers finish their job, then end every process.

        django-q2 stops its workers with STOP messages through the task queue and waits
        for its feeder threads, which a dead process's lock can block forever. What is
        left in the hand-off queue is handed out again, for the next cluster to take.
        """
        Stat(self).save()
        logger.info("%s stopping cluster processes", self.name)
        if state is not None:
            state.stop()
        self.event_out.set()
        _wait(lambda: not self.pusher.is_alive(), timeout=5)
        _kill(self.pusher)
        stopped_at = time.time()
        workers, cycle = self.pool + self.retiring, 0.1
        while [p for p in workers if self._running_a_job(p) and self._tick_timer(p, cycle)]:
            time.sleep(cycle)
        for process in workers:
            _kill(process)
        self.pool, self.retiring = [], []
        # The closer writes the outcomes the workers handed over before the stop (workers
        # that end a job after it write their own: tasks.sentinel.outcomes_collected).
        _wait(self._closer_done, timeout=10, interval=0.05)
        _kill(self.monitor)
        self._recover(before=stopped_at, lost=[], how="", owner=self.broker.owner)
        Stat(self).save()

    def _closer_done(self) -> bool:
        """Nothing waits in the result queue and the closer is not writing a batch: looked
        at twice, since the closer takes a result a moment before it says it is busy."""
        for look in range(2):
            if _waiting(self.result_queue) or (state is not None and state.closing):
                return False
            if look == 0:
                time.sleep(0.02)
        return True

    def status(self) -> str:
        """django-q2's status, from lock-free reads (its own takes the queues' size lock)."""
        if not self.start_event.is_set() and not self.stop_event.is_set():
            return Conf.STARTING
        if not self.stop_event.is_set():
            busy = _waiting(self.task_queue) or _waiting(self.result_queue)
            return Conf.WORKING if busy else Conf.IDLE
        alive = self.pool or self.retiring or self.pusher.is_alive() or self.monitor.is_alive()
        return Conf.STOPPING if alive else Conf.STOPPED


def _wait(predicate, *, timeout: float | None, interval: float = 0.1) -> None:
    deadline = None if timeout is None else time.monotonic() + timeout
    while not predicate() and (deadline is None or time.monotonic() < deadline):
        time.sleep(interval)


def install() -> ClusterState:
    """Make django-q2's Cluster start this sentinel, with shared state for the main process.

    `Cluster.start` names the class it runs in the sentinel process by its module global.
    """
    global state
    q_cluster.Sentinel = Sentinel
    if state is None:
        state = ClusterState()
    return state
