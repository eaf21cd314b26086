"""The OpenAI test server speaks the protocol the real `openai` SDK expects."""
import time

import openai
import pytest

from testsupport.openai_server import OpenAITestServer, token_count


@pytest.fixture
def server():
    with OpenAITestServer() as running:
        yield running


def _client(server, **options):
    return openai.OpenAI(api_key="sk-test", base_url=server.base_url, max_retries=0, **options)


def test_embeddings_base64_decode_to_unit_vectors_with_usage(server):
    response = _client(server).embeddings.create(
        model="text-embedding-3-small", input=["hello world", "second text"], dimensions=8)
    vectors = [item.embedding for item in response.data]
    assert [len(vector) for vector in vectors] == [8, 8]
    assert abs(sum(v * v for v in vectors[0]) - 1) < 1e-5
    assert vectors[0] != vectors[1]
    assert response.usage.prompt_tokens == token_count("hello world") + token_count("second text")
    raw = server.requests[0]["body"]
    assert raw["encoding_format"] == "base64"  # the SDK asks for base64 by default
    assert server.usage_reported["text-embedding-3-small"]["prompt_tokens"] == response.usage.prompt_tokens


def test_chat_answers_with_the_scripted_content_and_usage(server):
    server.chat_answer = lambda body: '{"weight_g": 1200}'
    response = _client(server).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "How heavy is it?"}])
    assert response.choices[0].message.content == '{"weight_g": 1200}'
    assert response.usage.prompt_tokens == token_count("How heavy is it?")
    assert response.usage.completion_tokens == token_count('{"weight_g": 1200}')


@pytest.mark.parametrize("fault, error", [
    ("429", openai.RateLimitError),
    ("500", openai.InternalServerError),
    ("401", openai.AuthenticationError),
])
def test_injected_faults_raise_the_sdk_error_once(server, fault, error):
    server.fail(fault)
    client = _client(server)
    with pytest.raises(error):
        client.embeddings.create(model="text-embedding-3-small", input="x")
    assert client.embeddings.create(model="text-embedding-3-small", input="x").data


def test_hang_times_out_the_client(server):
    server.hang_seconds = 2
    server.fail("hang")
    with pytest.raises(openai.APITimeoutError):
        _client(server, timeout=0.3).embeddings.create(model="text-embedding-3-small", input="x")


def test_junk_chat_answer_is_not_json(server):
    server.fail("junk")
    response = _client(server).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert response.choices[0].message.content.startswith("this is not JSON")
    assert response.usage.completion_tokens > 0


def test_sdk_retries_compose_with_injected_faults(server):
    server.fail("503", times=2)
    client = openai.OpenAI(api_key="sk-test", base_url=server.base_url, max_retries=2)
    assert client.embeddings.create(model="text-embedding-3-small", input="x").data
    assert [request["status"] for request in server.requests] == [503, 503, 200]


class _SlowWorkServer(OpenAITestServer):
    """Its embeddings take WORK seconds to build, like a provider's own compute."""

    WORK = 0.4

    def _embeddings(self, body):
        time.sleep(self.WORK)
        return super()._embeddings(body)


def test_latency_is_the_time_to_answer_with_the_servers_work_included():
    # A provider "answering with 100 ms latency" answers 100 ms after the request, its own
    # work included; the work must not be added on top (it was: sleep first, work after).
    with _SlowWorkServer(latency=0.6) as server:
        client = _client(server)
        began = time.monotonic()
        client.embeddings.create(model="text-embedding-3-small", input="x")
        answered = time.monotonic() - began
        server.fail("429")
        began = time.monotonic()
        with pytest.raises(openai.RateLimitError):
            client.embeddings.create(model="text-embedding-3-small", input="x")
        faulted = time.monotonic() - began
    assert 0.6 <= answered < 0.6 + _SlowWorkServer.WORK
    assert faulted >= 0.6  # a fault is no faster than an answer
