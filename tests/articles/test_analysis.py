"""The analysis job against the OpenAI test server, through the real SDK over HTTP."""
import json
from decimal import Decimal

import pytest

from articles.models import Article, CostIndex
from articles.prompts import SPEC_PROMPT_BUDGET
from costs.models import Price, RequestRecord
from tasks.models import TaskEventType
from testsupport.analyst import Cut
from tests.articles.helpers import SPEC, analyze, run_article, run_task, spec_file
from tests.ledger import lines_of

pytestmark = pytest.mark.django_db


def _price(model, unit):
    return Price.objects.get(service_type="openai_chat", model=model, unit=unit).unit_price


def _lines(article, **filters):
    return lines_of(RequestRecord.objects.filter(task_id=article.task.task_id), **filters)


def _calls(lines) -> int:
    """How many model calls these lines bill (a merged line counts its calls)."""
    return sum(line.breakdown["calls"] for line in lines)


def _analysed(api, **fields):
    return run_article(analyze(api, **fields).json()["id"])


def test_analysis_completes_with_weight_in_kg_and_cost_model(api, use_openai):
    article = _analysed(api)
    assert article.processing_status == "completed" and article.processing_error is None
    assert article.unit_weight == Decimal("2.5")  # the model said 2500 g
    parts = {line.cost_index.code: line.part for line in article.cost_models.all()}
    assert sum(parts.values()) == 100
    assert parts == {"steel": Decimal(55), "aluminium": Decimal(25), "copper": Decimal(12),
                     "plastics": Decimal(8)}
    assert article.analysis_provider == "openai" and article.analysis_model == "gpt-4o-mini"
    assert article.processing_started_at <= article.processing_completed_at
    assert use_openai.chat_answer.asked == {"weight": 1, "cost_model": 1, "other": 0}


def test_analysis_ledger_matches_server_usage_to_the_cent(api, use_openai):
    article = _analysed(api)
    reported = use_openai.usage_reported["gpt-4o-mini"]
    lines = _lines(article)
    assert {(line.service_type, line.model) for line in lines} == {("openai_chat", "gpt-4o-mini")}
    input_tokens = sum(line.quantity for line in lines if line.unit == "input_tokens")
    output_tokens = sum(line.quantity for line in lines if line.unit == "output_tokens")
    assert (input_tokens, output_tokens) == (reported["prompt_tokens"], reported["completion_tokens"])
    expected = (reported["prompt_tokens"] * _price("gpt-4o-mini", "input_tokens")
                + reported["completion_tokens"] * _price("gpt-4o-mini", "output_tokens"))
    assert sum(line.cost for line in lines) == expected
    body = api.get(f"/api/tasks/{article.task.task_id}/cost").json()
    assert Decimal(str(body["total_cost_usd"])).quantize(Decimal("0.01")) == \
        expected.quantize(Decimal("0.01"))
    assert {line.breakdown["step"] for line in lines} == {"weight", "cost_model"}


def test_analysis_reports_each_step_as_an_event(api, use_openai):
    article = _analysed(api)
    texts = [event.data["text"] for event in article.task.events.filter(
        event_type=TaskEventType.PROGRESS)]
    assert texts == ["extracting text", "extracting metadata", "generating cost model", "saving"]


def test_analysis_reads_pdf_specification_as_text(api, use_openai):
    pdf = _pdf("Housing in aluminium. Net weight: 750 g")
    article = _analysed(api, spec=spec_file(pdf, name="spec.pdf", content_type="application/pdf"))
    assert article.processing_status == "completed" and article.unit_weight == Decimal("0.75")
    prompt = use_openai.requests[0]["body"]["messages"][1]["content"]
    assert "Net weight: 750 g" in prompt and "%PDF" not in prompt


def test_analysis_cuts_long_specification_with_a_note(api, use_openai):
    text = SPEC + "filler text. " * 2000
    article = _analysed(api, spec=spec_file(text))
    assert article.processing_status == "completed"
    assert article.analysis_notes[0].startswith(
        f"specification cut to the first {SPEC_PROMPT_BUDGET:,} of {len(text.strip()):,}")
    prompt = use_openai.requests[0]["body"]["messages"][1]["content"]
    assert "more characters not shown]" in prompt and len(prompt) < SPEC_PROMPT_BUDGET + 200


def test_analysis_binary_specification_fails_with_reason_and_costs_nothing(api, use_openai):
    article = _analysed(api, spec=spec_file(b"\x7fELF\x02\x01\x00\x00" * 50, name="a.bin"))
    assert article.processing_status == "failed"
    assert "cannot be read as text" in article.processing_error
    assert article.task.status == "failed" and article.task.attempts == 1
    assert not use_openai.requests and not _lines(article)


def test_analysis_hostile_pdf_specification_fails_in_words_and_costs_nothing(
        api, use_openai, settings):
    from testsupport.bombs import pdf_many_pages

    settings.MAX_PDF_PAGES = 1000
    article = _analysed(api, spec=spec_file(pdf_many_pages(100_000), name="pages.pdf",
                                            content_type="application/pdf"))

    assert article.processing_status == "failed" and article.task.status == "failed"
    assert "the PDF has 100000 pages; the limit is 1000 (MAX_PDF_PAGES)" in article.processing_error
    assert article.task.attempts == 1 and "Traceback" not in article.processing_error
    assert not use_openai.requests and not _lines(article)


def test_analysis_weight_not_found_continues_with_null(api, use_openai):
    article = _analysed(api, spec=spec_file("A plastic cap. No figures given."))
    assert article.processing_status == "completed" and article.unit_weight is None
    assert "no weight found in the specification" in article.analysis_notes
    assert article.cost_models.count() == 4


def test_analysis_weight_in_pounds_is_stored_in_kg(api, use_openai):
    use_openai.chat_answer.queue("weight", '{"unit_weight": 2, "unit": "lb"}')
    article = _analysed(api)
    assert article.unit_weight == Decimal("0.907185")


def test_analysis_junk_weight_twice_continues_without_weight(api, use_openai):
    use_openai.chat_answer.queue("weight", "this is not JSON {", '{"weight": "heavy"}')
    article = _analysed(api)
    assert article.processing_status == "completed" and article.unit_weight is None
    assert article.analysis_notes[0].startswith("weight not extracted: the model's answer was "
                                                "rejected twice")
    assert use_openai.chat_answer.asked["weight"] == 2
    rejected = _lines(article, unit="output_tokens", breakdown__answer="rejected")
    assert _calls(rejected) == 2  # both rejected answers are on the bill


def test_analysis_junk_cost_model_is_reasked_once_then_saved(api, use_openai):
    use_openai.chat_answer.queue("cost_model", "this is not JSON {")
    article = _analysed(api)
    assert article.processing_status == "completed" and article.cost_models.count() == 4
    reask = use_openai.requests[-1]["body"]["messages"]
    assert reask[-2] == {"role": "assistant", "content": "this is not JSON {"}
    assert "That answer was rejected: the answer is not valid JSON" in reask[-1]["content"]
    assert _calls(_lines(article, unit="output_tokens")) == 3
    reported = use_openai.usage_reported["gpt-4o-mini"]
    assert sum(line.quantity for line in _lines(article, unit="input_tokens")) == \
        reported["prompt_tokens"]


@pytest.mark.parametrize("answers, reason", [
    (['{"cost_model": [{"index_id": 9999, "part": 100}]}'] * 2,
     "line 1 names index_id 9999, which is not in the catalogue"),
    (['{"cost_model": [{"index_id": 1, "part": 60}, {"index_id": 2, "part": 30}]}'] * 2,
     "the parts add up to 90, not 100 (tolerance +/-0.5)"),
    (['{"cost_model": [{"index_id": 1, "part": 120}, {"index_id": 2, "part": -20}]}'] * 2,
     "line 1 (index_id 1) has part 120; each part must be a number > 0 and <= 100"),
    (["this is not JSON {", '{"cost_model": "steel"}'],
     'the answer must be {"cost_model": [{"index_id": <id>, "part": <percent>}, ...]}'),
])
def test_analysis_cost_model_rejected_twice_fails_with_reason(api, use_openai, answers, reason):
    use_openai.chat_answer.queue("cost_model", *answers)
    article = _analysed(api)
    assert article.processing_status == "failed"
    assert article.processing_error.startswith("the cost model was rejected twice; last reason:")
    assert reason in article.processing_error
    assert article.task.status == "failed" and article.task.attempts == 1
    assert article.cost_models.count() == 0 and article.unit_weight is None  # nothing half-saved
    assert _calls(_lines(article, breakdown__answer="rejected", unit="output_tokens")) == 2
    assert _calls(_lines(article, unit="output_tokens")) == 3  # the weight call and both rejected


def test_analysis_truncated_answer_is_reasked(api, use_openai):
    use_openai.chat_answer.queue("cost_model", Cut('{"cost_model": [{"index_id": 1, "part": 100}]}'))
    article = _analysed(api)
    assert article.processing_status == "completed" and article.cost_models.count() == 4
    [rejected] = _lines(article, breakdown__answer="rejected", unit="output_tokens")
    assert rejected.breakdown["rejected_because"].startswith("the answer was cut off at the token limit")


def test_analysis_cost_model_sum_within_tolerance_is_saved_as_exactly_100(api, use_openai):
    use_openai.chat_answer.queue("cost_model", json.dumps({"cost_model": [
        {"index_id": 1, "part": 33.3}, {"index_id": 2, "part": 33.3}, {"index_id": 3, "part": 33.3}]}))
    article = _analysed(api)
    assert sorted(line.part for line in article.cost_models.all()) == \
        [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_analysis_rate_limit_is_retried_by_the_task_not_the_sdk(api, use_openai):
    use_openai.fail("429")
    article = _analysed(api)
    assert article.processing_status == "completed"
    task = article.task
    assert task.attempts == 2
    retry = task.events.get(event_type=TaskEventType.RETRYING)
    assert retry.data["error"] == "OpenAI rate limit (HTTP 429): Rate limit reached for requests"
    records = RequestRecord.objects.filter(task_id=task.task_id, method="JOB").order_by("id")
    assert [r.status_code for r in records] == [503, 200]
    assert records[0].usage == []  # a refused call costs nothing


def test_analysis_retry_after_weight_does_not_pay_for_it_again(api, use_openai):
    article = Article.objects.get(pk=analyze(api).json()["id"])
    # The weight call is answered; the cost-model call gets 503.
    _fail_after_first_request(use_openai, "503", 1)
    run_task(article.task, attempts=1)
    article.refresh_from_db()
    assert article.task.status == "pending" and article.weight_extracted
    assert article.unit_weight is None  # stored only with the completed result
    run_task(article.task)
    article.refresh_from_db()
    assert article.processing_status == "completed" and article.unit_weight == Decimal("2.5")
    assert use_openai.chat_answer.asked["weight"] == 1  # the retry did not ask again
    assert _calls(_lines(article, breakdown__step="weight", unit="input_tokens")) == 1


def _fail_after_first_request(server, fault, times):
    """Let the next request through, then fail the `times` after it."""
    script = server.chat_answer

    def answer(body):
        server.chat_answer = script
        server.fail(fault, times=times)
        return script(body)

    server.chat_answer = answer


def test_analysis_server_error_once_is_retried_by_the_task_not_the_sdk(api, use_openai):
    """The SDK sends each request once: the retry is the task's, visible as an event."""
    use_openai.fail("500")
    article = _analysed(api)
    assert article.processing_status == "completed" and article.task.attempts == 2
    assert [r["status"] for r in use_openai.requests] == [500, 200, 200]
    retry = article.task.events.get(event_type=TaskEventType.RETRYING)
    assert retry.data["error"] == \
        "OpenAI server error (HTTP 500): The server had an error processing your request"


def test_analysis_invalid_key_fails_at_once(api, use_openai):
    use_openai.fail("401")
    article = _analysed(api)
    assert article.processing_status == "failed" and article.task.attempts == 1
    assert article.processing_error == "OpenAI rejected the API key (HTTP 401): check OPENAI_API_KEY"
    assert len(use_openai.requests) == 1  # neither the SDK nor the task retried it


def test_analysis_exhausted_quota_fails_at_once(api, use_openai):
    use_openai.fail("quota")
    article = _analysed(api)
    assert article.processing_status == "failed" and article.task.attempts == 1
    assert article.processing_error == \
        "OpenAI quota exhausted (HTTP 429): You exceeded your current quota"


def test_analysis_hang_times_out_and_is_retried(api, use_openai, settings):
    settings.OPENAI_TIMEOUT = 0.5
    use_openai.hang_seconds = 2
    use_openai.fail("hang")
    article = _analysed(api)
    assert article.processing_status == "completed" and article.task.attempts == 2
    retry = article.task.events.get(event_type=TaskEventType.RETRYING)
    assert retry.data["error"] == "OpenAI did not answer within 0.5 s"


def test_analysis_retries_spent_fail_the_article(api, use_openai, settings):
    settings.RETRY_LIMIT = 1
    use_openai.fail("503", times=2)
    article = _analysed(api)
    assert article.processing_status == "failed" and article.task.attempts == 2
    assert article.processing_error.endswith("(gave up after 2 attempts)")
    assert "OpenAI server error (HTTP 503" in article.processing_error


def test_analysis_same_spec_again_is_cached_at_zero_cost(api, use_openai):
    first = _analysed(api)
    calls = len(use_openai.requests)
    second = _analysed(api)
    assert len(use_openai.requests) == calls  # no new model call
    assert second.processing_status == "completed" and second.cached_from == first
    assert second.unit_weight == first.unit_weight
    assert [(l.cost_index_id, l.part) for l in second.cost_models.all()] == \
        [(l.cost_index_id, l.part) for l in first.cost_models.all()]
    [line] = _lines(second)
    assert (line.service_type, line.unit, line.quantity, line.cost, line.unpriced) == \
        ("openai_chat", "cached_results", 1, 0, False)
    assert line.breakdown["source_article_id"] == first.pk
    assert api.get(f"/api/articles/{second.pk}").json()["analysis"]["cached"] is True


def test_analysis_fresh_bypasses_the_cache(api, use_openai):
    _analysed(api)
    calls = len(use_openai.requests)
    second = _analysed(api, fresh="true")
    assert len(use_openai.requests) == calls + 2 and second.cached_from is None
    assert _calls(_lines(second, unit="input_tokens")) == 2


def test_analysis_catalogue_change_invalidates_the_cache(api, use_openai):
    _analysed(api)
    CostIndex.objects.filter(code="steel").update(description="Steel, new definition")
    calls = len(use_openai.requests)
    second = _analysed(api)
    assert len(use_openai.requests) == calls + 2 and second.cached_from is None


def test_analysis_only_active_indices_are_offered(api, use_openai):
    CostIndex.objects.filter(code="steel").update(is_active=False)
    article = _analysed(api)
    prompt = use_openai.requests[-1]["body"]["messages"][1]["content"]
    assert "Steel" not in prompt.split("Article:")[0]
    assert not article.cost_models.filter(cost_index__code="steel").exists()


def test_analysis_offline_provider_is_labelled_in_the_ledger(api, settings):
    settings.AI_PROVIDER = "local"
    article = _analysed(api)
    assert article.processing_status == "completed" and article.unit_weight == Decimal("2.5")
    assert article.analysis_provider == "local"
    parts = {line.cost_index.code: line.part for line in article.cost_models.all()}
    assert sum(parts.values()) == 100 and parts["steel"] > parts["labour"] > 0
    lines = _lines(article)
    assert {(l.service_type, l.unit, l.model) for l in lines} == {
        ("offline_analyzer", "calls", "taskledger-offline-analyzer-1")}
    assert _calls(lines) == 2 and sum(l.cost for l in lines) == 0
    assert not any(l.unpriced for l in lines)


def test_analysis_cancelled_while_pending_marks_article_failed(api):
    """In the cancelling transaction itself (no on-commit callback runs here), so no reader
    sees a cancelled task with a pending article."""
    from tasks.services import task_cancel

    article = Article.objects.get(pk=analyze(api).json()["id"])
    task_cancel(task=article.task)
    article.refresh_from_db()
    assert article.processing_status == "failed"
    run_task(article.task)
    article.refresh_from_db()
    assert article.task.status == "cancelled" and article.task.attempts == 0
    assert article.processing_status == "failed"
    assert article.processing_error == "analysis cancelled: cancelled by request"


def test_analysis_attempt_losing_its_task_while_saving_never_completes_the_article(
        api, monkeypatch):
    """The article completes with its task, in one transaction: an attempt that loses the
    task after saving (here a timeout recorded meanwhile) leaves the article failed."""
    from articles import services
    from tasks.outcomes import task_attempt_failed
    from tasks.transitions import task_lock

    save = services.article_analysis_save

    def save_then_lose_the_task(*, article, **kwargs):
        saved = save(article=article, **kwargs)
        task_attempt_failed(task=task_lock(article.task_id), error="timed out", retryable=False)
        return saved

    monkeypatch.setattr(services, "article_analysis_save", save_then_lose_the_task)
    article = _analysed(api)
    assert article.task.status == "failed"
    assert article.processing_status == "failed" and article.processing_error == "timed out"


def test_reanalyze_after_completion_starts_a_fresh_task(api, use_openai):
    article = _analysed(api)
    old_task = article.task
    response = api.post(f"/api/articles/{article.pk}/reanalyze")
    assert response.status_code == 202
    article.refresh_from_db()
    assert article.task != old_task and article.task.params["fresh"] is True
    assert article.processing_status == "processing" and article.processing_started_at is None
    article = run_article(article.pk)
    assert article.processing_status == "completed" and article.cached_from is None
    assert article.cost_models.count() == 4


def _pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is `text` (built by hand: pypdf only reads text)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
