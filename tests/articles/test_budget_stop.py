"""An analysis checks its entity's hard budget before each model call: at the cap the call
is not made, the task fails "budget exceeded" for good, and the calls it paid for stay."""
from decimal import Decimal

import pytest

from budgets.models import Budget
from costs.models import RequestRecord
from tests.articles.helpers import analyze, run_article
from tests.ledger import lines_of

pytestmark = pytest.mark.django_db


def chat_calls(server) -> int:
    return sum(1 for request in server.requests if request["path"].endswith("/chat/completions"))


def test_analysis_stops_before_the_call_that_the_cap_forbids(api, entity, use_openai):
    article_id = analyze(api).json()["id"]  # queued while no budget held it back
    Budget.objects.create(entity=entity, amount_usd=Decimal("0.000001"), mode="hard")

    article = run_article(article_id)

    assert chat_calls(use_openai) == 1  # the weight was asked; the cost model was not
    task = article.task
    assert task.status == "failed" and task.attempts == 1
    assert task.error_message.startswith("budget exceeded")
    assert article.processing_status == "failed"
    paid = lines_of(RequestRecord.objects.filter(task_id=task.task_id), service_type="openai_chat")
    assert {line.unit for line in paid} >= {"input_tokens", "output_tokens"}


def test_analysis_at_the_cap_makes_no_call(api, entity, use_openai):
    budget = Budget.objects.create(entity=entity, amount_usd=Decimal(1), mode="hard")
    article_id = analyze(api).json()["id"]
    Budget.objects.filter(pk=budget.pk).update(amount_usd=0)

    article = run_article(article_id)

    assert chat_calls(use_openai) == 0
    assert article.task.error_message.startswith("budget exceeded")


def test_soft_budget_never_stops_an_analysis(api, entity, use_openai):
    Budget.objects.create(entity=entity, amount_usd=Decimal(0), mode="soft")
    article = run_article(analyze(api).json()["id"])
    assert article.task.status == "completed" and chat_calls(use_openai) == 2
