"""The analysis providers: the only module of this app that talks to an LLM.

Everything else sees `analyst_get()` and two questions that return a `Reply` (the raw
answer plus the usage it was billed for). Answers are checked by `articles.answers`.

The OpenAI client, its retry rule and the wording of its errors are integrations/openai.py's:
the SDK does not retry; a 429, 5xx, timeout or unreadable answer is a RetryableError and the
task framework retries the attempt after RETRY_BASE_DELAY * 2**(n-1), resuming after the
weight step when that was answered. An invalid key, a refused request or an exhausted quota
is a PermanentError: retrying cannot fix it.
"""
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings

from articles import offline, prompts
from articles.prompts import PromptText
from integrations.openai import OpenAIClient
from tasks.errors import PermanentError

logger = logging.getLogger(__name__)

WEIGHT_MAX_TOKENS = 100
COST_MODEL_MAX_TOKENS = 1000


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0


@dataclass(frozen=True)
class Reply:
    content: str | None
    usage: Usage | None  # None: a provider that bills per call (the offline analyser)
    model: str  # the model that answered, as it names itself
    truncated: bool = False  # the answer hit the token limit


@dataclass(frozen=True)
class Rejected:
    """A previous answer to the same question and why it was rejected (for the re-ask)."""

    answer: str | None
    reason: str


class Analyst(Protocol):
    provider: str
    service_type: str  # the ledger's service type for its lines
    model: str

    def weight(self, *, spec: PromptText, rejected: Rejected | None = None) -> Reply: ...

    def cost_model(self, *, article_name: str, description: str | None,
                   unit_weight_kg: Decimal | None, spec: PromptText, indices: list[dict],
                   rejected: Rejected | None = None) -> Reply: ...


class OpenAIAnalyst:
    """OpenAI's chat completions (or any compatible server at OPENAI_BASE_URL), JSON mode."""

    provider = "openai"
    service_type = "openai_chat"  # also the provider in /metrics' error counts

    def __init__(self, *, api_key: str, base_url: str | None, model: str, timeout: float):
        self.model = model
        self.timeout = timeout
        self._client = OpenAIClient(provider=self.service_type, api_key=api_key,
                                    base_url=base_url, timeout=timeout)

    def weight(self, *, spec, rejected=None) -> Reply:
        messages = prompts.weight_messages(spec)
        return self._ask(messages, rejected, max_tokens=WEIGHT_MAX_TOKENS)

    def cost_model(self, *, article_name, description, unit_weight_kg, spec, indices,
                   rejected=None) -> Reply:
        messages = prompts.cost_model_messages(
            article_name=article_name, description=description, unit_weight_kg=unit_weight_kg,
            spec=spec, indices=indices)
        return self._ask(messages, rejected, max_tokens=COST_MODEL_MAX_TOKENS)

    def _ask(self, messages, rejected, *, max_tokens) -> Reply:
        if rejected is not None:
            messages = prompts.reask_messages(messages, answer=rejected.answer,
                                              reason=rejected.reason)
        response = self._client.chat_create(
            model=self.model, messages=messages, temperature=0, max_tokens=max_tokens,
            response_format={"type": "json_object"},
        )
        choice = response.choices[0] if response.choices else None
        usage = None
        if response.usage is not None:
            details = getattr(response.usage, "prompt_tokens_details", None)
            usage = Usage(
                input_tokens=response.usage.prompt_tokens or 0,
                output_tokens=response.usage.completion_tokens or 0,
                cached_input_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
            )
        return Reply(
            content=choice.message.content if choice else None,
            usage=usage,
            model=response.model or self.model,
            truncated=bool(choice and choice.finish_reason == "length"),
        )


class OfflineAnalyst:
    """The rule-based analyser for running with no key and no network (articles.offline).

    A heuristic, not a model: it reports weights the specification states next to the word
    "weight", and splits cost by counting catalogue keywords. Billed per call at $0.
    """

    provider = "local"
    service_type = "offline_analyzer"
    model = offline.MODEL_NAME

    def weight(self, *, spec, rejected=None) -> Reply:
        return Reply(content=offline.weight_answer(spec.text), usage=None, model=self.model)

    def cost_model(self, *, article_name, description, unit_weight_kg, spec, indices,
                   rejected=None) -> Reply:
        content = offline.cost_model_answer(
            text=f"{article_name}\n{description or ''}\n{spec.text}", indices=indices)
        return Reply(content=content, usage=None, model=self.model)


def analyst_get() -> Analyst:
    """Return the provider AI_PROVIDER names, configured from the settings."""
    if settings.AI_PROVIDER == "openai":
        if not settings.OPENAI_API_KEY:
            raise PermanentError("AI_PROVIDER=openai but OPENAI_API_KEY is empty")
        return OpenAIAnalyst(api_key=settings.OPENAI_API_KEY, base_url=settings.OPENAI_BASE_URL,
                             model=settings.OPENAI_MODEL, timeout=settings.OPENAI_TIMEOUT)
    return OfflineAnalyst()
