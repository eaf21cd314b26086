"""What an article's analysis will cost: its two prompts' tokens plus the expected answers.

The prompts are built exactly as the analysis builds them (articles.prompts), from the
specification's text, the article's name and description and today's catalogue, so the
input side is the job's own text; its tokens are estimated (tasks.estimators.
token_estimate). The answers are short JSON objects of a fairly fixed size. What is not
foreseen: a rejected answer asked again (that question costs twice), and a result reused
from the cache (costs nothing). The offline analyser costs nothing either way.
"""
from decimal import Decimal

from django.conf import settings

from articles import offline, prompts, selectors
from articles.prompts import PromptText
from tasks.estimators import EstimatedUse, token_estimate

# Output tokens of each answer (docs/budgets.md): the weight answer is one small object,
# {"unit_weight": 340.0, "unit": "g"} (17); the cost model's wrapper {"cost_model": [...]}
# (8) around a few of the catalogue's indices, {"index_id": 3, "part": 55} and a comma (14).
WEIGHT_ANSWER_TOKENS = 17
COST_MODEL_ANSWER_TOKENS = 8
COST_MODEL_TOKENS_PER_INDEX = 14
COST_MODEL_INDICES_EXPECTED = 4


def _tokens(messages: list[dict]) -> int:
    return sum(token_estimate(str(message["content"])) for message in messages)


def analysis_uses(*, spec_text: str, article_name: str, description: str | None
                  ) -> list[EstimatedUse]:
    """The usage lines an analysis records when each question is answered at the first ask."""
    if settings.AI_PROVIDER != "openai":
        return [EstimatedUse("offline_analyzer", "calls", 2, model=offline.MODEL_NAME)]
    spec: PromptText = prompts.spec_for_prompt(spec_text)
    catalogue = selectors.cost_index_catalogue()
    prompt_tokens = _tokens(prompts.weight_messages(spec)) + _tokens(prompts.cost_model_messages(
        article_name=article_name, description=description, unit_weight_kg=Decimal("1.0"),
        spec=spec, indices=catalogue))
    answer_tokens = (WEIGHT_ANSWER_TOKENS + COST_MODEL_ANSWER_TOKENS
                     + COST_MODEL_TOKENS_PER_INDEX * min(len(catalogue), COST_MODEL_INDICES_EXPECTED))
    model = settings.OPENAI_MODEL
    return [EstimatedUse("openai_chat", "input_tokens", prompt_tokens, model=model),
            EstimatedUse("openai_chat", "output_tokens", answer_tokens, model=model)]
