"""During the work: before each paid call a job checks its entity's hard budget, and at the
cap the call is not made. The OpenAI test server counts the calls that were made."""
from decimal import Decimal

import pytest
from django_q.conf import Conf

from budgets.models import BudgetAlert
from costs.models import RequestRecord
from tasks.models import TaskStatus
from tasks.runner import run_ready
from tests.budgets.helpers import budget_make, submit
from tests.embeddings.conftest import API_KEY
from tests.ledger import lines_of
from testsupport.openai_server import OpenAITestServer

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "\n\n".join(f"Paragraph {i}: the frame is steel, the panels are glass, the floor is oak."
                   for i in range(40))
PAGES_COST = Decimal("0.002")
TOKEN_PRICE = Decimal("0.00000002")  # text-embedding-3-small, per input token


@pytest.fixture
def server(settings):
    with OpenAITestServer() as server:
        settings.AI_PROVIDER, settings.OPENAI_API_KEY = "openai", API_KEY
        settings.OPENAI_BASE_URL, settings.OPENAI_TIMEOUT = server.base_url, 5
        settings.EMBEDDING_BATCH_SIZE, settings.CHUNK_SIZE, settings.CHUNK_OVERLAP = 2, 200, 40
        settings.OPENAI_EMBEDDING_MODEL = "text-embedding-3-small"
        yield server


def embedding_calls(server) -> list[int]:
    """The tokens of each embedding request the server answered, in order."""
    return [request["usage"]["prompt_tokens"] for request in server.requests
            if request["path"].endswith("/embeddings") and request["status"] == 200]


@pytest.mark.parametrize("concurrency", [1, 4])
def test_job_stops_at_the_cap_and_keeps_what_it_paid(entity, server, settings, monkeypatch,
                                                     concurrency):
    settings.EMBEDDING_CONCURRENCY = concurrency
    monkeypatch.setattr(Conf, "SYNC", False)
    task = submit(entity, content=TEXT).task  # queued before the budget existed
    amount = PAGES_COST + TOKEN_PRICE * 150  # the pages and about four batches of ~40 tokens
    budget_make(entity, amount, mode="hard", threshold=100)

    monkeypatch.setattr(Conf, "SYNC", True)
    run_ready()

    task.refresh_from_db()
    assert task.status == TaskStatus.FAILED and task.attempts == 1  # permanent: not retried
    assert task.error_message.startswith("budget exceeded")
    calls = embedding_calls(server)
    spent, crossed_at = PAGES_COST, None
    for number, tokens in enumerate(calls, start=1):
        spent += TOKEN_PRICE * tokens
        if crossed_at is None and spent >= amount:
            crossed_at = number
    assert crossed_at is not None, "the job stopped only once the cap was reached"
    # None after the call that crossed the cap, beyond those already in flight with it.
    assert crossed_at <= len(calls) <= crossed_at + concurrency - 1
    assert len(calls) < 20  # the document has 40 chunks: 20 batches
    # What it paid for stays on the ledger, every call of it.
    records = RequestRecord.objects.filter(task_id=task.task_id)
    assert sum(line.quantity for line in lines_of(records, service_type="openai_embedding")) == \
        sum(calls)
    assert BudgetAlert.objects.filter(entity=entity).count() == 1
