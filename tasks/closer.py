"""The cluster's closer: django-q2's monitor process, writing its workers' outcomes in batches.

django-q2's own monitor saves one result at a time. This one takes every result waiting
in the result queue (up to CLOSE_BATCH_MAX) and writes their outcomes in one transaction
(tasks.outcomes), so a busy cluster commits once per batch rather than once per task, and
a quiet one writes each outcome the moment it arrives. A batch that fails is written again
one outcome at a time, so one bad outcome cannot hold back the others; an outcome that
still cannot be written is left to the reaper (its task stays processing, its heartbeat
goes silent, and it is retried with the attempt counted).
"""
import logging
import queue
import time
from multiprocessing.process import current_process

from django.db import close_old_connections, connection

from tasks.outcomes import Outcome, outcomes_close

logger = logging.getLogger(__name__)

CLOSE_BATCH_MAX = 500
STOP = "STOP"


def closer(result_queue, broker=None, state=None) -> None:
    """The monitor process's loop (tasks.sentinel spawns it in place of django-q2's).

    `state`: the cluster's shared state (tasks.sentinel.ClusterState), told while a batch
    is being written: a stopping sentinel waits for the batch.
    """
    try:
        import setproctitle

        setproctitle.setproctitle(f"qcluster {current_process().name} monitor")
    except ModuleNotFoundError:
        pass
    logger.info("%s closing results at %s", current_process().name, current_process().pid)
    stopping = False
    while not stopping:
        batch = [result_queue.get()]
        while len(batch) < CLOSE_BATCH_MAX:
            try:
                batch.append(result_queue.get(block=False))
            except queue.Empty:
                break
        if STOP in batch:
            stopping = True
            batch = [item for item in batch if item != STOP]
        _busy(state, True)
        started = time.monotonic()
        try:
            _close([_outcome(result) for result in batch])
        finally:
            _busy(state, False)
        logger.debug("wrote %d outcome(s) in %.1f ms", len(batch),
                     (time.monotonic() - started) * 1000)
    logger.info("%s stopped closing results", current_process().name)


def _busy(state, busy: bool) -> None:
    if state is not None:
        state.closing_set(busy)


def _outcome(result: dict) -> Outcome | None:
    """A result's outcome; any other result of a task django-q2 ran is only logged."""
    if isinstance(result.get("result"), Outcome):
        return result["result"]
    if not result.get("success", True):
        logger.error("'%s' (%s) failed: %s", result.get("func"), result.get("name"),
                     result.get("result"))
    return None


def _close(outcomes: list[Outcome | None]) -> None:
    outcomes = [outcome for outcome in outcomes if outcome is not None]
    if not outcomes:
        return
    close_old_connections()
    try:
        outcomes_close(outcomes)
        return
    except Exception:
        logger.exception("could not write a batch of %d outcomes; writing them one by one",
                         len(outcomes))
        connection.close()
    for outcome in outcomes:
        try:
            outcomes_close([outcome])
        except Exception:
            logger.exception("could not write the outcome of task %s; the reaper will retry it",
                             outcome.task_pk)
            connection.close()
