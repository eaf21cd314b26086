"""What tasks.sentinel relies on in django-q2's internals: fails when the pinned version changes it.

The sentinel subclasses django-q2's Sentinel and reads its workers' timers and its queues'
sizes without their locks. These are private details of django-q2 1.11; each test names
one, so an upgrade that moves it fails here, not in production.
"""
import inspect
from importlib.metadata import version

import pytest

from django_q import cluster as q_cluster
from django_q import pusher as q_pusher
from django_q import worker as q_worker
from django_q.queues import Queue
from django_q.status import Stat

from tasks import sentinel


def test_the_pinned_django_q2_is_the_one_these_assumptions_were_read_from():
    assert version("django-q2") == "1.11.1"


def test_cluster_start_runs_the_sentinel_named_by_its_module_global():
    source = inspect.getsource(q_cluster.Cluster.start)
    assert "target=Sentinel," in source
    sentinel.install()
    assert q_cluster.Sentinel is sentinel.Sentinel


def test_the_sentinel_spawns_from_the_attributes_a_rebuild_replaces():
    stock = sentinel.Sentinel.__bases__[0]  # django-q2's, whatever install() patched
    assert stock.__module__ == "django_q.cluster"
    spawn = inspect.getsource(stock.spawn_cluster)
    assert "self.pool = []" in spawn and "self.spawn_worker()" in spawn
    assert "self.task_queue, self.event_out, self.broker" in inspect.getsource(
        stock.spawn_pusher)
    assert "self.task_queue, self.result_queue" in inspect.getsource(stock.spawn_worker)
    assert "self.result_queue, self.broker" in inspect.getsource(stock.spawn_monitor)


def test_the_pusher_puts_what_the_broker_dequeues_into_the_hand_off_queue():
    """tasks.broker bounds the prefetch by the queue's room, and waits on its semaphore."""
    source = inspect.getsource(q_pusher.pusher)
    assert "task_set = broker.dequeue()" in source and "task_queue.put(task)" in source
    queue = sentinel.HandOffQueue(maxsize=2)
    assert queue.room() == 2 and queue.wait_for_room(0.01)
    queue.put("a")
    queue.put("b")
    assert queue.room() == 0 and queue.wait_for_room(0.01) is False
    assert queue.get(timeout=5) == "a" and queue.room() == 1 and queue.wait_for_room(0.01)


def test_a_workers_timer_means_what_the_sentinel_reads_in_it():
    source = inspect.getsource(q_worker.worker)
    assert "timer.value = -1  # Idle" in source
    assert "timer.value = -2  # Recycled" in source
    assert "timer.value = 0\n" in source  # after its own timeout, before it leaves
    assert "timer.value = timer_value  # Busy" in source


def test_the_status_saved_every_guard_cycle_reads_the_queue_sizes():
    source = inspect.getsource(Stat.__init__)
    assert "sentinel.task_queue.qsize()" in source and "sentinel.status()" in source


@pytest.mark.parametrize("make", [Queue, sentinel.HandOffQueue])
def test_a_queues_size_is_readable_without_its_lock(make):
    queue = make()
    queue.put("one")
    queue.put("two")
    assert sentinel._waiting(queue) == 2
    with queue.size.count.get_lock():  # held, as by a dead process: the read still answers
        assert sentinel._waiting(queue) == 2
        if make is sentinel.HandOffQueue:
            assert queue.qsize() == 2 and not queue.empty()
    assert queue.get(timeout=5) == "one"
    assert sentinel._waiting(queue) == 1
