"""One attempt of an article's analysis: read the spec, weigh it, build its cost model, save.

Every model call is billed on the attempt's ledger record the moment it answered, whether
its answer is then accepted or rejected. An answer is checked before anything of it is
stored; the cost model is saved in one transaction with the completed status.
"""
import logging
from decimal import Decimal

from articles import selectors, services
from articles.answers import AnswerRejected, cost_model_parse, weight_answer_parse
from articles.llm import Analyst, Rejected, Reply, analyst_get
from articles.models import Article
from articles.prompts import spec_for_prompt
from articles.spec_text import UnreadableSpecification, spec_text_read
from budgets.services import budget_guard
from tasks.errors import PermanentError

logger = logging.getLogger(__name__)

# The steps a watcher sees, so progress is more than "processing" until the end.
STEP_TEXT = ("extracting text", 0.05)
STEP_METADATA = ("extracting metadata", 0.25)
STEP_COST_MODEL = ("generating cost model", 0.55)
STEP_SAVING = ("saving", 0.9)
CACHED_UNIT = "cached_results"
ASKS_PER_QUESTION = 2  # the first answer, and one re-ask after a rejected answer


def article_analysis_run(*, article_id: int, progress, fresh: bool = False) -> dict:
    """Run the analysis of one article on behalf of its task; return the task's result."""
    article = Article.objects.select_related("entity").filter(pk=article_id).first()
    if article is None:
        raise PermanentError(f"article {article_id} no longer exists")
    services.article_processing_start(article=article)

    _step(progress, STEP_TEXT)
    spec_file = selectors.article_specification(article=article)
    if spec_file is None:
        raise UnreadableSpecification(f"article {article_id} has no product specification")
    with spec_file.file.open("rb") as handle:
        spec = spec_text_read(data=handle.read(), filename=spec_file.original_name)
    prompt_spec = spec_for_prompt(spec.text)
    notes = [prompt_spec.note()] if prompt_spec.cut else []

    analyst = analyst_get()
    catalogue = selectors.cost_index_catalogue()
    if not catalogue:
        raise PermanentError("the cost-index catalogue has no active index; add one in the admin")
    key = selectors.analysis_key(
        spec_text=spec.text, article_name=article.article_name, description=article.description,
        provider=analyst.provider, model=analyst.model, catalogue=catalogue)
    if not fresh:
        source = selectors.article_cached_find(key=key, entity_id=article.entity_id,
                                               exclude_pk=article.pk)
        if source is not None:
            return _complete_from_cache(article, source, analyst, key, progress)

    _step(progress, STEP_METADATA)
    if article.weight_extracted:  # an earlier attempt of this run already paid for it
        unit_weight = article.extracted_weight
    else:
        unit_weight, weight_note = _weight(analyst, prompt_spec, progress)
        if weight_note:
            notes.append(weight_note)
        services.article_weight_save(article=article, unit_weight=unit_weight)

    _step(progress, STEP_COST_MODEL)
    lines = _cost_model(analyst, article, unit_weight, prompt_spec, catalogue, progress)

    _step(progress, STEP_SAVING)
    progress.check()  # a cancel or timeout that arrived during the last call wins
    services.article_analysis_save(
        article=article, unit_weight=unit_weight, lines=lines, provider=analyst.provider,
        model=analyst.model, analysis_key=key, notes=notes)
    return _result(article, lines, analyst, cached=False, notes=notes)


def _step(progress, step: tuple[str, float]) -> None:
    progress.send_progress(*step)
    progress.flush()  # each step is its own event, however quickly the next one follows


def _weight(analyst: Analyst, spec, progress) -> tuple[Decimal | None, str]:
    """Ask for the weight; a weight the model cannot give is noted and the analysis goes on."""
    rejected = None
    for _ in range(ASKS_PER_QUESTION):
        _budget_guard(analyst, progress)
        reply = analyst.weight(spec=spec, rejected=rejected)
        try:
            answer = weight_answer_parse(_content(reply))
        except AnswerRejected as exc:
            _bill(progress, analyst, reply, step="weight", rejected=str(exc))
            rejected = Rejected(answer=reply.content, reason=str(exc))
            continue
        _bill(progress, analyst, reply, step="weight")
        return answer.kg, "" if answer.kg is not None else "no weight found in the specification"
    return None, f"weight not extracted: the model's answer was rejected twice ({rejected.reason})"


def _cost_model(analyst: Analyst, article: Article, unit_weight, spec, catalogue,
                progress) -> list[tuple[int, Decimal]]:
    known_ids = {index["id"] for index in catalogue}
    rejected = None
    for _ in range(ASKS_PER_QUESTION):
        _budget_guard(analyst, progress)
        reply = analyst.cost_model(
            article_name=article.article_name, description=article.description,
            unit_weight_kg=unit_weight, spec=spec, indices=catalogue, rejected=rejected)
        try:
            lines = cost_model_parse(_content(reply), known_ids=known_ids)
        except AnswerRejected as exc:
            _bill(progress, analyst, reply, step="cost_model", rejected=str(exc))
            rejected = Rejected(answer=reply.content, reason=str(exc))
            continue
        _bill(progress, analyst, reply, step="cost_model")
        return lines
    raise PermanentError(f"the cost model was rejected twice; last reason: {rejected.reason}")


def _budget_guard(analyst: Analyst, progress) -> None:
    """Before a paid model call: at a hard budget's cap the call is not made, and the task
    fails "budget exceeded" (permanent); what was already billed stays. The offline
    analyser costs nothing and is never stopped."""
    if analyst.provider != "local":
        budget_guard(task=progress.task, service_type=analyst.service_type)


def _content(reply: Reply) -> str | None:
    if reply.truncated:
        raise AnswerRejected("the answer was cut off at the token limit; answer more briefly")
    return reply.content


def _bill(progress, analyst: Analyst, reply: Reply, *, step: str, rejected: str = "") -> None:
    """Record what one call cost, at the requested model's price (the answer's model is noted).

    `calls` counts the calls a line covers: the ledger merges a record's lines of one model
    and price whose breakdowns differ only in counters, here calls of one step with the
    same answer.
    """
    context = {"step": step, "calls": 1, "answer": "rejected" if rejected else "accepted"}
    if rejected:
        context["rejected_because"] = rejected[:300]
    if reply.model != analyst.model:
        context["response_model"] = reply.model
    if reply.usage is None:
        progress.usage_record(service_type=analyst.service_type, unit="calls", quantity=1,
                              model=analyst.model, breakdown=context)
        return
    usage = reply.usage
    cached = min(usage.cached_input_tokens, usage.input_tokens)
    for unit, quantity in (("input_tokens", usage.input_tokens - cached),
                           ("cached_input_tokens", cached),
                           ("output_tokens", usage.output_tokens)):
        if quantity or unit != "cached_input_tokens":
            progress.usage_record(service_type=analyst.service_type, unit=unit,
                                  quantity=quantity, model=analyst.model,
                                  breakdown={unit: quantity, **context})


def _complete_from_cache(article, source, analyst: Analyst, key: str, progress) -> dict:
    lines = [(line.cost_index_id, line.part) for line in source.cost_models.all()]
    notes = [f"cached: the result of article {source.pk}'s analysis, reused at no cost",
             *source.analysis_notes]
    progress.usage_record(
        service_type=analyst.service_type, unit=CACHED_UNIT, quantity=1, model=analyst.model,
        breakdown={CACHED_UNIT: 1, "source_article_id": source.pk,
                   "source_task_id": source.task.task_id if source.task else None})
    _step(progress, STEP_SAVING)
    progress.check()
    services.article_analysis_save(
        article=article, unit_weight=source.unit_weight, lines=lines,
        provider=analyst.provider, model=analyst.model, analysis_key=key, notes=notes,
        cached_from=source)
    return _result(article, lines, analyst, cached=True, notes=notes)


def _result(article: Article, lines, analyst: Analyst, *, cached: bool, notes: list[str]) -> dict:
    return {
        "article_id": article.pk,
        "unit_weight": float(article.unit_weight) if article.unit_weight is not None else None,
        "cost_models": [{"index_id": index_id, "part": float(part)} for index_id, part in lines],
        "provider": analyst.provider,
        "model": analyst.model,
        "cached": cached,
        "notes": notes,
    }
