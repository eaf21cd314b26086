"""A thousand paid embedding tasks while workers are SIGKILLed at random: the ledger holds
what the provider was paid for, each answer once, and every task ends exactly once.

The OpenAI test server answers each request with its usage and keeps every request; the
ledger must equal what it reported, less only the answers that reached a worker killed
before it could record them (at most one per kill: each document is one batch, one
request at a time). A rerun finds its document's batch recorded and pays nothing again.
"""
import os
import random
import signal
import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, Q

from costs.models import RequestRecord
from embeddings.models import Chunk
from embeddings.services import document_submit
from tasks.models import Task, TaskEventType, TaskStatus
from tests.embeddings.conftest import embedded_inputs
from tests.embeddings.test_workers import openai_env
from tests.ledger import lines_of
from testsupport.openai_server import token_count
from tests.processes import wait_for
from tests.tasks.test_cluster_recovery import Tree

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

TASKS = 1000
KILLS = 12
WORKERS = 2
SEED = 20261207
TERMINAL = (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)


def _content(number: int) -> str:
    # Unique per task, a few chunks of CHUNK_SIZE=200: one batch, one paid request.
    return "\n\n".join(f"Document {number}, part {part}: the beam is steel, the deck is oak, "
                       f"the rail is brass and the lamp is glass." for part in range(4))


def _killer(tree: Tree, ours, stop: threading.Event, kills: list, rng: random.Random) -> None:
    """SIGKILL a worker that is running a task, KILLS times: the next kill once another
    share of the tasks has ended (spread over the first 80% of them, so that every kill
    lands while work is left whatever the machine's speed), at a random moment after."""
    due = [TASKS * 8 * (n + 1) // (10 * (KILLS + 1)) for n in range(KILLS)]
    try:
        while len(kills) < KILLS and not stop.wait(rng.uniform(0.02, 0.1)):
            if ours.filter(status__in=TERMINAL).count() < due[len(kills)]:
                continue
            try:
                busy = tree.role("processing")
            except (AssertionError, OSError):  # between generations: try again
                continue
            if busy:
                pid = rng.choice(busy)
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills.append(pid)
                except ProcessLookupError:
                    pass
    finally:
        connection.close()  # this thread's own


def test_a_thousand_paid_tasks_under_random_worker_kills_charge_every_answer_once(
        qcluster, entity, openai_server):
    openai_server.latency = 0.02
    tree = Tree(qcluster(**openai_env(
        openai_server, Q_WORKERS=WORKERS, MAX_CONCURRENT_TASKS=WORKERS, EMBEDDING_CONCURRENCY=1,
        RETRY_BASE_DELAY=0.05, TASK_HEARTBEAT_SECONDS=0.2, TASK_HEARTBEAT_TIMEOUT=3)))
    wait_for(lambda: tree.ready(WORKERS), 30, message="the cluster's processes")
    pks = [document_submit(entity=entity, knowledge_base=None, content=_content(n)).task.pk
           for n in range(TASKS)]
    ours = Task.objects.filter(pk__in=pks)  # not the cluster's own (the daily purge)
    stop, kills = threading.Event(), []
    killer = threading.Thread(target=_killer,
                              args=(tree, ours, stop, kills, random.Random(SEED)))
    killer.start()
    try:
        wait_for(lambda: not ours.exclude(status__in=TERMINAL).exists(), 240,
                 message=f"{TASKS} tasks to end under kills")
    finally:
        stop.set()
        killer.join()

    assert len(kills) == KILLS
    statuses = Counter(ours.values_list("status", flat=True))
    assert statuses == {TaskStatus.COMPLETED: TASKS}, [
        (t.task_id, t.status, t.attempts, t.error_message)
        for t in ours.exclude(status=TaskStatus.COMPLETED)[:5]]
    ended = ours.annotate(ends=Count("events", filter=Q(events__event_type__in=[
        TaskEventType.COMPLETED, TaskEventType.FAILED, TaskEventType.CANCELLED])))
    assert Counter(ended.values_list("ends", flat=True)) == {1: TASKS}, "each ended once"
    # Each kill reruns the killed worker's task, and the rebuild it causes reruns every
    # outcome not yet written: in the abandoned result queue or the killed closer's batch
    # (docs/tasks.md), where a task of 20 ms or more leaves at most two per worker.
    rerun = ours.filter(attempts__gt=1).count()
    assert 1 <= rerun <= KILLS * (1 + 2 * WORKERS), rerun

    chunks = list(Chunk.objects.values_list("document_id", "text"))
    stored = [text for _, text in chunks]
    assert len(stored) == len(set(stored)) == sum(t.result["chunk_count"] for t in
                                                  ours)  # each stored once
    answered = embedded_inputs(openai_server)
    assert set(answered) == set(stored)
    paid = sum(map(token_count, answered))  # what the provider reported
    charged = int(sum(line.quantity for line in lines_of(
        RequestRecord.objects.all(), service_type="openai_embedding")))  # the ledger
    per_document = Counter()
    for document, text in chunks:
        per_document[document] += token_count(text)
    assert sum(map(token_count, stored)) <= charged <= paid, "no answer charged twice"
    # Lost: only answers that reached a worker killed before it recorded them.
    assert paid - charged <= KILLS * max(per_document.values())
