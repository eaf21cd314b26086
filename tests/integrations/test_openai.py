"""The one OpenAI client both job kinds use: the real SDK against testsupport/openai_server.py.

Every fault the server can script maps to the same error, worded the same, for an embeddings
request and a chat request alike, after one request (the SDK does not retry).
"""
import socket

import pytest

from integrations.openai import SDK_MAX_RETRIES, OpenAIClient
from tasks.errors import PermanentError, RetryableError
from testsupport import openai_server as server_module
from testsupport.openai_server import OpenAITestServer

KEY = "sk-test-SECRET-7d41c0"


@pytest.fixture
def server():
    with OpenAITestServer() as running:
        yield running


def client(base_url, *, provider, timeout=5.0) -> OpenAIClient:
    return OpenAIClient(provider=provider, api_key=KEY, base_url=base_url, timeout=timeout)


def embed(base_url, timeout=5.0):
    return client(base_url, provider="openai_embedding", timeout=timeout).embeddings_create(
        model="text-embedding-3-small", input=["steel beam"], encoding_format="base64")


def chat(base_url, timeout=5.0):
    return client(base_url, provider="openai_chat", timeout=timeout).chat_create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "weight?"}], max_tokens=10)


REQUESTS = pytest.mark.parametrize("request_of", [embed, chat], ids=["embeddings", "chat"])


@REQUESTS
@pytest.mark.parametrize("fault,error,message", [
    ("429", RetryableError, "OpenAI rate limit (HTTP 429): Rate limit reached for requests"),
    ("500", RetryableError,
     "OpenAI server error (HTTP 500): The server had an error processing your request"),
    ("503", RetryableError, "OpenAI server error (HTTP 503): The engine is currently overloaded"),
    ("401", PermanentError, "OpenAI rejected the API key (HTTP 401): check OPENAI_API_KEY"),
    ("403", PermanentError,
     "OpenAI refused access (HTTP 403): Country, region, or territory not supported"),
    ("400", PermanentError, "OpenAI refused the request (HTTP 400): Invalid request"),
    ("quota", PermanentError, "OpenAI quota exhausted (HTTP 429): You exceeded your current quota"),
])
def test_openai_client_maps_each_fault_the_same_for_both_requests_after_one_try(
        db, server, request_of, fault, error, message):
    server.fail(fault)

    with pytest.raises(error) as raised:
        request_of(server.base_url)

    assert type(raised.value) is error and str(raised.value) == message
    assert len(server.requests) == SDK_MAX_RETRIES + 1 == 1


@REQUESTS
def test_openai_client_timeout_is_retryable(db, server, request_of):
    server.hang_seconds = 2
    server.fail("hang")

    with pytest.raises(RetryableError) as raised:
        request_of(server.base_url, timeout=0.3)

    assert str(raised.value) == "OpenAI did not answer within 0.3 s"
    assert len(server.requests) == 1


@REQUESTS
def test_openai_client_unreachable_server_is_retryable(db, request_of):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(RetryableError, match=r"^could not reach OpenAI: "):
        request_of(f"http://127.0.0.1:{port}/v1")


@REQUESTS
def test_openai_client_unreadable_answer_is_retryable(db, server, request_of):
    server.fail("truncated")

    with pytest.raises(RetryableError, match=r"^OpenAI sent an unreadable answer: "):
        request_of(server.base_url)


@REQUESTS
def test_openai_client_masks_a_key_the_server_echoes(db, server, request_of, monkeypatch):
    """The embeddings rule, now the analyses' too: a provider's words never carry the key."""
    monkeypatch.setitem(server_module.FAULTS, "400", (
        400, "invalid_request", "invalid_request_error", f"Invalid request for key {KEY}"))
    server.fail("400")

    with pytest.raises(PermanentError) as raised:
        request_of(server.base_url)

    assert str(raised.value) == "OpenAI refused the request (HTTP 400): Invalid request for key ***"


@REQUESTS
def test_openai_client_answers_pass_through(db, server, request_of):
    response = request_of(server.base_url)

    assert response.usage is not None and response.model
