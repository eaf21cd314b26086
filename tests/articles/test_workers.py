"""The analysis on a real `manage.py qcluster`, talking to the OpenAI test server over HTTP."""
from decimal import Decimal

import pytest

from articles.models import Article
from costs.models import Price, RequestRecord
from tasks.models import TaskEventType
from tests.articles.helpers import analyze
from tests.ledger import lines_of
from tests.processes import attempt_records_closed, wait_for

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


def _openai_env(server, **extra):
    return {"AI_PROVIDER": "openai", "OPENAI_API_KEY": "sk-test",
            "OPENAI_BASE_URL": server.base_url, "OPENAI_TIMEOUT": "5",
            "RETRY_BASE_DELAY": "0.2", **extra}


def _finished(article_id, timeout=60):
    wait_for(lambda: Article.objects.filter(
        pk=article_id, processing_status__in=["completed", "failed"]).exists(),
        timeout, message=f"article {article_id} finished")
    return Article.objects.select_related("task").get(pk=article_id)


def test_worker_rate_limited_analysis_retries_and_bills_exactly(api, qcluster, openai_server):
    qcluster(**_openai_env(openai_server))
    openai_server.fail("429")  # the first attempt's call (the SDK does not retry it)
    article = _finished(analyze(api).json()["id"])
    assert article.processing_status == "completed", article.processing_error
    assert article.unit_weight == Decimal("2.5") and article.cost_models.count() == 4
    task = article.task
    assert task.status == "completed" and task.attempts == 2
    assert task.events.filter(event_type=TaskEventType.RETRYING).count() == 1
    texts = list(task.events.filter(event_type=TaskEventType.PROGRESS)
                 .values_list("data__text", flat=True))
    assert texts[-4:] == ["extracting text", "extracting metadata", "generating cost model", "saving"]
    attempt_records_closed(task.task_id)
    records = RequestRecord.objects.filter(task_id=task.task_id, method="JOB").order_by("id")
    assert [record.status_code for record in records] == [503, 200]
    reported = openai_server.usage_reported["gpt-4o-mini"]
    lines = lines_of(RequestRecord.objects.filter(task_id=task.task_id))
    price = {p.unit: p.unit_price for p in Price.objects.filter(service_type="openai_chat",
                                                                 model="gpt-4o-mini")}
    expected = (reported["prompt_tokens"] * price["input_tokens"]
                + reported["completion_tokens"] * price["output_tokens"])
    assert sum(line.cost for line in lines) == expected > 0
    status = api.get(f"/api/articles/{article.pk}/status").json()
    assert status["processing_status"] == "completed" and status["progress"] == 100


def test_worker_invalid_key_fails_the_article_at_once(api, qcluster, openai_server):
    qcluster(**_openai_env(openai_server))
    openai_server.fail("401")
    article = _finished(analyze(api).json()["id"])
    assert article.processing_status == "failed" and article.task.attempts == 1
    assert article.processing_error == "OpenAI rejected the API key (HTTP 401): check OPENAI_API_KEY"
    assert article.cost_models.count() == 0


def test_worker_cancel_during_analysis_marks_article_failed(api, qcluster, openai_server):
    qcluster(**_openai_env(openai_server))
    openai_server.latency = 1.0
    article_id = analyze(api).json()["id"]
    wait_for(lambda: openai_server.requests, 30, message="the first model call")
    task_id = Article.objects.get(pk=article_id).task.task_id
    assert api.post(f"/api/tasks/{task_id}/cancel").status_code == 200
    article = _finished(article_id)
    assert article.processing_status == "failed"
    assert article.processing_error == "analysis cancelled: cancelled by request"
    assert article.task.status == "cancelled" and article.cost_models.count() == 0
    wait_for(lambda: lines_of(RequestRecord.objects.filter(task_id=task_id)), 10,
             message="the paid weight call on the bill")
