import pytest

from embeddings.search import search_cache_clear
from testsupport.openai_server import OpenAITestServer

API_KEY = "sk-test-SECRET-4f9a2b"


@pytest.fixture
def openai_server():
    with OpenAITestServer() as server:
        yield server


@pytest.fixture
def openai_settings(settings, openai_server):
    """Point this process at the test server with the OpenAI provider."""
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_API_KEY = API_KEY
    settings.OPENAI_BASE_URL = openai_server.base_url
    settings.OPENAI_TIMEOUT = 5
    return openai_server


@pytest.fixture(autouse=True)
def _fresh_search_cache():
    search_cache_clear()
    yield
    search_cache_clear()


def embedded_inputs(server) -> list[str]:
    """Every text the server answered with an embedding, in order."""
    texts = []
    for request in server.requests:
        if request["path"].endswith("/embeddings") and request["status"] == 200:
            texts.extend(request["body"]["input"])
    return texts
