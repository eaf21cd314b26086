"""Failed requests to AI providers, counted by type and scraped from /metrics.

The real `openai` SDK against testsupport/openai_server.py: each fault the server can script
becomes one count under the provider's service name: one per HTTP request that failed.
"""
import logging
import socket

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from articles.llm import OpenAIAnalyst
from articles.prompts import PromptText
from embeddings.openai_provider import OpenAIProvider
from tasks.errors import PermanentError, RetryableError
from testsupport.openai_server import OpenAITestServer

SPEC = PromptText(text="Steel frame, weight 2.5 kg.", total_chars=27)


@pytest.fixture
def server():
    with OpenAITestServer() as running:
        yield running


def provider_errors() -> dict[tuple[str, str], float]:
    """taskledger_provider_errors_total from a /metrics scrape, by (provider, type)."""
    response = Client().get("/metrics")
    assert response.status_code == 200, response.content
    return {
        (sample.labels["provider"], sample.labels["type"]): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples if sample.name == "taskledger_provider_errors_total"
    }


def embedder(base_url: str, timeout: float = 5.0) -> OpenAIProvider:
    return OpenAIProvider(api_key="sk-test", base_url=base_url,
                          model="text-embedding-3-small", timeout=timeout, concurrency=1)


def analyst(server, timeout: float = 5.0) -> OpenAIAnalyst:
    return OpenAIAnalyst(api_key="sk-test", base_url=server.base_url, model="gpt-4o-mini",
                         timeout=timeout)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_embedding_errors_are_counted_by_type(db, server):
    server.hang_seconds = 2
    faults = ["429", "500", "503", "401", "403", "400", "quota", "hang", "truncated", "short"]
    for fault in faults:
        server.fail(fault)
    provider = embedder(server.base_url, timeout=0.5)

    for _ in faults:
        try:
            batch = provider.embed(["steel beam", "glass pane"])
        except (RetryableError, PermanentError):
            continue
        assert batch.problem  # "short": answered, but one embedding is missing
    with pytest.raises(RetryableError, match="could not reach"):
        embedder(f"http://127.0.0.1:{closed_port()}/v1").embed(["x"])

    assert provider_errors() == {
        ("openai_embedding", "rate_limit"): 1,
        ("openai_embedding", "server_error"): 2,
        ("openai_embedding", "authentication"): 1,
        ("openai_embedding", "permission_denied"): 1,
        ("openai_embedding", "bad_request"): 1,
        ("openai_embedding", "quota"): 1,
        ("openai_embedding", "timeout"): 1,
        ("openai_embedding", "invalid_response"): 2,
        ("openai_embedding", "connection"): 1,
    }


def test_chat_error_is_counted_once_and_not_retried_by_the_sdk(db, server):
    """One 500: one request, one count; the retry is the task framework's, not the SDK's."""
    server.fail("500")

    with pytest.raises(RetryableError, match=r"OpenAI server error \(HTTP 500\)"):
        analyst(server).weight(spec=SPEC)

    assert [request["status"] for request in server.requests] == [500]
    assert provider_errors() == {("openai_chat", "server_error"): 1}


def test_chat_errors_are_counted_per_request_the_sdk_sent(db, server):
    server.hang_seconds = 2
    server.fail("quota")
    with pytest.raises(PermanentError, match="quota exhausted"):
        analyst(server).weight(spec=SPEC)
    server.fail("truncated")
    with pytest.raises(RetryableError, match="OpenAI sent an unreadable answer"):
        analyst(server).weight(spec=SPEC)
    server.fail("hang")
    with pytest.raises(RetryableError, match="did not answer within 0.5 s"):
        analyst(server, timeout=0.5).weight(spec=SPEC)
    server.fail("401")
    with pytest.raises(PermanentError, match="rejected the API key"):
        analyst(server).weight(spec=SPEC)

    assert provider_errors() == {
        ("openai_chat", "quota"): 1,
        ("openai_chat", "invalid_response"): 1,
        ("openai_chat", "timeout"): 1,
        ("openai_chat", "authentication"): 1,
    }


def test_provider_error_is_raised_even_when_it_cannot_be_counted(server, caplog):
    """No database here (no db fixture): the count fails, the provider's error still shows."""
    server.fail("429")

    with caplog.at_level(logging.WARNING, logger="integrations.provider_errors"):
        with pytest.raises(RetryableError, match=r"OpenAI rate limit \(HTTP 429\)"):
            embedder(server.base_url).embed(["x"])

    assert "could not count a rate_limit error of openai_embedding" in caplog.text
