"""The OpenAI provider through the real SDK against testsupport/openai_server.py, and the job with it."""
import logging

import pytest

from costs.models import RequestRecord
from embeddings.models import Chunk, Document
from embeddings.openai_provider import OpenAIProvider
from embeddings.providers import LOCAL_DIMENSIONS, LocalProvider, provider_get
from tasks.runner import run_ready
from tasks.errors import PermanentError, RetryableError
from tasks.models import Task, TaskEvent
from tests.embeddings.conftest import API_KEY, embedded_inputs
from tests.ledger import lines_of
from testsupport.openai_server import token_count

TEXT = " ".join(f"Sentence number {i} talks about steel, glass and timber." for i in range(400))


def provider(server, timeout=5.0):
    return OpenAIProvider(api_key=API_KEY, base_url=server.base_url,
                          model="text-embedding-3-small", timeout=timeout, concurrency=2)


def test_openai_embed_returns_vectors_and_usage(openai_server):
    batch = provider(openai_server).embed(["steel beam", "glass pane"])

    assert batch.vectors.shape == (2, 1536)
    assert batch.service_type == "openai_embedding" and batch.unit == "input_tokens"
    assert batch.quantity == token_count("steel beam") + token_count("glass pane")
    assert batch.model == "text-embedding-3-small"
    assert openai_server.requests[0]["body"]["encoding_format"] == "base64"


@pytest.mark.parametrize("fault,reason", [
    ("429", "OpenAI rate limit (HTTP 429): Rate limit reached for requests"),
    ("500", "OpenAI server error (HTTP 500)"),
    ("503", "OpenAI server error (HTTP 503)"),
])
def test_openai_embed_transient_errors_are_retryable_without_sdk_retries(openai_server, fault,
                                                                         reason):
    openai_server.fail(fault)

    with pytest.raises(RetryableError) as error:
        provider(openai_server).embed(["x"])

    assert str(error.value).startswith(reason)
    assert len(openai_server.requests) == 1  # the SDK did not retry behind the ledger's back


def test_openai_embed_timeout_is_retryable(openai_server):
    openai_server.hang_seconds = 2
    openai_server.fail("hang")

    with pytest.raises(RetryableError, match="did not answer within 0.3 s"):
        provider(openai_server, timeout=0.3).embed(["x"])


def test_openai_embed_invalid_key_is_permanent_and_says_so(openai_server):
    openai_server.fail("401")

    with pytest.raises(PermanentError) as error:
        provider(openai_server).embed(["x"])

    assert str(error.value) == "OpenAI rejected the API key (HTTP 401): check OPENAI_API_KEY"
    assert API_KEY not in str(error.value) and "sk-te" not in str(error.value)


def test_openai_embed_exhausted_quota_is_permanent(openai_server):
    """A 429 insufficient_quota is not a rate limit: no retry can fix it (as for analyses)."""
    openai_server.fail("quota")

    with pytest.raises(PermanentError) as error:
        provider(openai_server).embed(["x"])

    assert str(error.value) == "OpenAI quota exhausted (HTTP 429): You exceeded your current quota"
    assert len(openai_server.requests) == 1


def test_provider_get_follows_settings(settings, openai_settings):
    assert isinstance(provider_get(), OpenAIProvider)
    settings.AI_PROVIDER = "local"
    assert isinstance(provider_get(), LocalProvider)


def test_local_provider_is_deterministic_and_normalised():
    first = LocalProvider().embed(["steel beams", "steel beams", ""])

    assert first.vectors.shape == (3, LOCAL_DIMENSIONS)
    assert (first.vectors[0] == first.vectors[1]).all()
    assert abs(float((first.vectors[0] ** 2).sum()) - 1) < 1e-5
    assert not first.vectors[2].any()
    assert (first.service_type, first.unit, first.quantity) == ("transformer", "chunks", 3)
    assert first.model == "local-hash-256"


# --- the job with the OpenAI provider, run inline ------------------------------------------
def submit(api, content=TEXT):
    response = api.post("/api/v1/embedding-tasks/", {"content": content}, format="json")
    assert response.status_code == 200, response.content
    return Task.objects.get(task_id=response.json()["task_id"])


def ledger_tokens(task) -> int:
    return int(sum(line.quantity for line in lines_of(
        RequestRecord.objects.filter(task_id=task.task_id), service_type="openai_embedding")))


def retry_now(task):
    Task.objects.filter(pk=task.pk).update(run_after=None)
    run_ready()  # sync mode: claim and run it here
    task.refresh_from_db()
    return task


@pytest.mark.django_db(transaction=True)
def test_job_openai_charges_tokens_from_usage(api, entity, openai_settings, settings, sync_jobs):
    settings.EMBEDDING_BATCH_SIZE = 10
    task = submit(api)
    task.refresh_from_db()

    assert task.status == "completed", task.error_message
    total = task.result["chunk_count"]
    assert Chunk.objects.filter(dimensions=1536).count() == total
    assert ledger_tokens(task) == openai_settings.usage_reported["text-embedding-3-small"]["prompt_tokens"]
    # Paid per batch, merged into one line per attempt: its counters add up the batches.
    [line] = lines_of(service_type="openai_embedding")
    assert line.model == "text-embedding-3-small" and line.unit == "input_tokens"
    assert line.breakdown == {"input_tokens": int(line.quantity), "chunks": total}
    assert line.cost == line.quantity * line.unit_price
    record = RequestRecord.objects.get(task_id=task.task_id, method="JOB")
    assert record.doc_id == task.metadata["doc_id"]


@pytest.mark.django_db(transaction=True)
def test_job_openai_invalid_key_fails_at_once_without_the_secret(api, entity, openai_settings,
                                                                 sync_jobs, caplog):
    openai_settings.fail("401", times=100)
    caplog.set_level(logging.DEBUG)

    task = submit(api)
    task.refresh_from_db()

    assert task.status == "failed"
    assert task.error_message.startswith("OpenAI rejected the API key (HTTP 401)")
    assert task.attempts == 1
    document = Document.objects.get()
    assert document.status == "failed" and document.error_message.startswith("OpenAI rejected the API key")
    places = [task.error_message, str(task.result), caplog.text,
              *[str(e.data) for e in TaskEvent.objects.all()],
              *RequestRecord.objects.values_list("error_message", flat=True)]
    assert not any(API_KEY in place or "sk-te" in place for place in places)


@pytest.mark.django_db(transaction=True)
def test_job_openai_rate_limit_retries_and_resumes_without_paying_twice(
        api, entity, openai_settings, settings, sync_jobs):
    settings.EMBEDDING_BATCH_SIZE = 5
    settings.EMBEDDING_CONCURRENCY = 1
    openai_server = openai_settings
    # The third batch is rate limited: two batches are paid and stored before the failure.
    original = openai_server._next_fault
    calls = {"n": 0}

    def third_fails():
        calls["n"] += 1
        return "429" if calls["n"] == 3 else original()

    openai_server._next_fault = third_fails
    task = submit(api)
    task.refresh_from_db()

    assert task.status == "pending"
    retrying = TaskEvent.objects.get(task=task, event_type="task_retrying")
    assert retrying.data["error"] == "OpenAI rate limit (HTTP 429): Rate limit reached for requests"
    assert Chunk.objects.count() == 10
    assert Document.objects.get().status == "pending"

    task = retry_now(task)

    assert task.status == "completed", task.error_message
    texts = embedded_inputs(openai_server)
    assert len(texts) == task.result["chunk_count"] == Chunk.objects.count()
    assert sorted(texts) == sorted(Chunk.objects.values_list("text", flat=True))
    assert ledger_tokens(task) == sum(map(token_count, texts))
    # the pages were charged once, not once per attempt
    assert len(lines_of(service_type="file_processor")) == 1
    assert task.retry_count == 1


@pytest.mark.django_db(transaction=True)
def test_job_openai_failure_with_requests_in_flight_keeps_what_was_paid(
        api, entity, openai_settings, settings, sync_jobs):
    settings.EMBEDDING_BATCH_SIZE = 4
    settings.EMBEDDING_CONCURRENCY = 4
    openai_settings.latency = 0.05
    openai_settings.fail("500")

    task = submit(api, content=TEXT * 3)
    task.refresh_from_db()

    assert task.status == "pending"
    assert "OpenAI server error (HTTP 500)" in task.error_message
    stored = list(Chunk.objects.values_list("text", flat=True))
    # The answered batches in flight beside the failure (three), and any batch a thread took
    # in the moment between its answer and the failure being noticed: not the whole text.
    assert task.total_units >= 40
    assert 0 < len(stored) <= task.total_units // 2
    assert ledger_tokens(task) == sum(map(token_count, stored))
    assert sorted(embedded_inputs(openai_settings)) == sorted(stored)
