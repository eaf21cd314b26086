"""Embedding jobs on real `manage.py qcluster` processes against the OpenAI test server:
retries with backoff, crash and resume, cancellation between batches, timeouts."""
import os
import signal
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from costs.models import RequestRecord
from embeddings.models import Chunk, Document
from embeddings.services import document_submit
from tasks.models import Task, TaskStatus
from tasks.services import task_cancel, task_retry
from tests.embeddings.conftest import API_KEY, embedded_inputs
from tests.ledger import lines_of
from testsupport.openai_server import token_count
from tests.processes import start_daphne, wait_for

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

TEXT = "\n\n".join(f"Paragraph {i}: the frame is steel, the panels are glass, the floor is oak."
                   for i in range(600))


def openai_env(server, **extra):
    return {"AI_PROVIDER": "openai", "OPENAI_API_KEY": API_KEY,
            "OPENAI_BASE_URL": server.base_url, "EMBEDDING_BATCH_SIZE": 10,
            "CHUNK_SIZE": 200, "CHUNK_OVERLAP": 40, **extra}


def submit(entity, content=TEXT) -> Task:
    return document_submit(entity=entity, knowledge_base=None, content=content).task


def wait_status(task, status, timeout=60) -> Task:
    wait_for(lambda: Task.objects.filter(pk=task.pk, status=status).exists(), timeout,
             message=f"{task.task_id} -> {status}")
    task.refresh_from_db()
    return task


def ledger_tokens(task) -> int:
    return int(sum(line.quantity for line in lines_of(
        RequestRecord.objects.filter(task_id=task.task_id), service_type="openai_embedding")))


def assert_each_chunk_embedded_and_charged_once(task, server):
    texts = embedded_inputs(server)
    stored = list(Chunk.objects.filter(document__task=task).values_list("text", flat=True))
    assert len(stored) == task.result["chunk_count"]
    assert sorted(texts) == sorted(stored), "no chunk embedded twice, none missing"
    assert ledger_tokens(task) == sum(map(token_count, texts)), "every paid batch charged once"


def test_worker_rate_limits_and_errors_retry_with_backoff_as_retrying_events(
        qcluster, entity, openai_server):
    openai_server.fail("429")
    openai_server.fail("500")
    qcluster(**openai_env(openai_server, RETRY_BASE_DELAY=0.3, EMBEDDING_CONCURRENCY=1))

    task = wait_status(submit(entity), TaskStatus.COMPLETED)

    retrying = list(task.events.filter(event_type="task_retrying").order_by("id"))
    assert [e.data["error"] for e in retrying] == [
        "OpenAI rate limit (HTTP 429): Rate limit reached for requests",
        "OpenAI server error (HTTP 500): The server had an error processing your request",
    ]
    assert retrying[0].data["delay_seconds"] == pytest.approx(0.3, rel=0.11)
    assert retrying[1].data["delay_seconds"] == pytest.approx(0.6, rel=0.11)
    assert task.retry_count == 2
    assert_each_chunk_embedded_and_charged_once(task, openai_server)


def test_worker_provider_errors_reach_metrics_served_by_daphne(qcluster, entity, openai_server):
    """Counted in the worker processes, scraped from another process: the web server."""
    openai_server.fail("429")
    openai_server.fail("503")
    qcluster(**openai_env(openai_server, RETRY_BASE_DELAY=0.2, EMBEDDING_CONCURRENCY=1))
    daphne, port = start_daphne()
    try:
        wait_status(submit(entity), TaskStatus.COMPLETED)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            scraped = response.read().decode()
    finally:
        daphne.stop()

    errors = {(sample.labels["provider"], sample.labels["type"]): sample.value
              for family in text_string_to_metric_families(scraped)
              for sample in family.samples if sample.name == "taskledger_provider_errors_total"}
    assert errors == {("openai_embedding", "rate_limit"): 1,
                      ("openai_embedding", "server_error"): 1}


def test_worker_request_timeout_is_retried(qcluster, entity, openai_server):
    openai_server.hang_seconds = 3
    openai_server.fail("hang")
    qcluster(**openai_env(openai_server, RETRY_BASE_DELAY=0.2, OPENAI_TIMEOUT=0.5,
                          EMBEDDING_CONCURRENCY=1))

    task = wait_status(submit(entity), TaskStatus.COMPLETED)

    retrying = task.events.get(event_type="task_retrying")
    assert retrying.data["error"] == "OpenAI did not answer within 0.5 s"


def test_worker_invalid_key_fails_at_once(qcluster, entity, openai_server):
    openai_server.fail("401", times=50)
    cluster = qcluster(**openai_env(openai_server, RETRY_BASE_DELAY=0.2))

    task = wait_status(submit(entity), TaskStatus.FAILED)

    assert task.attempts == 1
    assert task.error_message == "OpenAI rejected the API key (HTTP 401): check OPENAI_API_KEY"
    assert API_KEY not in cluster.log() and "sk-te" not in cluster.log()
    assert len(openai_server.requests) <= 4  # the requests in flight, no retries


def test_worker_crash_resumes_after_the_last_stored_batch(qcluster, entity, openai_server):
    openai_server.latency = 0.05
    qcluster(**openai_env(openai_server, RETRY_BASE_DELAY=0.1, EMBEDDING_CONCURRENCY=2,
                          TASK_HEARTBEAT_SECONDS=0.2, TASK_HEARTBEAT_TIMEOUT=2))
    task = submit(entity)
    wait_for(lambda: Chunk.objects.count() >= 60, 30, message="some batches stored")
    task.refresh_from_db()
    os.kill(int(task.worker.rsplit(":", 1)[1]), signal.SIGKILL)
    stored_before = Chunk.objects.count()

    task = wait_status(task, TaskStatus.COMPLETED, timeout=60)

    assert task.attempts == 2
    assert "worker lost" in task.events.get(event_type="task_retrying").data["error"]
    assert 60 <= stored_before < task.result["chunk_count"]
    positions = list(Chunk.objects.values_list("position", flat=True))
    assert sorted(positions) == list(range(task.result["chunk_count"]))
    stored = list(Chunk.objects.values_list("text", flat=True))
    texts = embedded_inputs(openai_server)
    # Embedded twice: only what was answered but not stored at the kill (2 requests in
    # flight, 2 answers queued, 2 with the writers).
    assert 0 <= len(texts) - len(stored) <= 6 * 10
    assert set(texts) == set(stored)
    # Charged: every stored chunk once, plus what was paid again; missing at most the
    # answers in flight at the kill, which died before their cost could be recorded.
    paid, charged = sum(map(token_count, texts)), ledger_tokens(task)
    assert sum(map(token_count, stored)) <= charged <= paid
    assert paid - charged <= 2 * 10 * max(map(token_count, texts))


def test_worker_cancel_stops_between_batches_keeps_paid_chunks_and_retry_resumes(
        qcluster, entity, openai_server):
    openai_server.latency = 0.1
    qcluster(**openai_env(openai_server, EMBEDDING_CONCURRENCY=2))
    task = submit(entity)
    wait_for(lambda: Chunk.objects.count() >= 40, 30, message="some batches stored")

    task_cancel(task=task)
    task = wait_status(task, TaskStatus.CANCELLED, timeout=30)

    stored = list(Chunk.objects.values_list("text", flat=True))
    assert 40 <= len(stored) < task.total_units
    assert sorted(embedded_inputs(openai_server)) == sorted(stored), "in-flight batches stored"
    assert ledger_tokens(task) == sum(map(token_count, stored))
    document = Document.objects.get()
    assert document.status == "cancelled"

    task = wait_status(task_retry(task=task), TaskStatus.COMPLETED)

    assert_each_chunk_embedded_and_charged_once(task, openai_server)
    assert Document.objects.get().status == "completed"


def test_worker_local_provider_upload_completes(qcluster, entity):
    qcluster()

    task = wait_status(submit(entity), TaskStatus.COMPLETED)

    assert Chunk.objects.filter(model="local-hash-256").count() == task.result["chunk_count"] > 0
    lines = lines_of(RequestRecord.objects.filter(task_id=task.task_id),
                     service_type="transformer")
    # Paid per batch of 50, merged into the attempt's one transformer line.
    assert len(lines) == 1 and lines[0].quantity == task.result["chunk_count"]
    assert lines[0].breakdown["chunks"] == task.result["chunk_count"]


def _peak_rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for {pid}")


def test_worker_memory_bomb_fails_its_task_once_and_keeps_its_worker(qcluster, entity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from embeddings.services import document_upload
    from testsupport.bombs import docx_many_nodes
    from tests.tasks.test_cluster_recovery import _start

    tree = _start(qcluster, workers=1, EXTRACTION_MEMORY_MB=200)
    [worker] = tree.workers()
    peak_before = _peak_rss_mb(worker)
    bomb = SimpleUploadedFile("nodes.docx", docx_many_nodes(24), content_type="application/"
                              "vnd.openxmlformats-officedocument.wordprocessingml.document")

    task = wait_status(document_upload(entity=entity, knowledge_base=None, upload=bomb).task,
                       TaskStatus.FAILED)

    assert task.error_message == ("the document is too large once unpacked "
                                  "(limit 200 MB of memory, EXTRACTION_MEMORY_MB)")
    assert task.attempts == 1, "not retried"
    assert tree.workers() == [worker], "no worker lost or replaced"
    grown = _peak_rss_mb(worker) - peak_before
    assert grown < 30, f"the worker's peak memory grew by {grown:.0f} MB"
    assert wait_status(submit(entity), TaskStatus.COMPLETED).result["chunk_count"] > 0
    assert tree.workers() == [worker]
