"""The OpenAI embedding provider, registered as AI_PROVIDER=openai.

The client, its retry rule (the SDK's retries are off: the task framework retries the task,
and the retried attempt resumes after the last stored batch) and the wording of its errors
are integrations/openai.py's; this module turns texts into a request and the answer into an
EmbeddingBatch.
"""
import base64

import numpy as np
from django.conf import settings

from embeddings.providers import EmbeddingBatch, provider_register
from integrations.openai import OpenAIClient

SERVICE_TYPE = "openai_embedding"  # the ledger's service, and the provider in error counts


class OpenAIProvider:
    name = "openai"
    service_type = SERVICE_TYPE

    def __init__(self, *, api_key: str, base_url: str | None, model: str, timeout: float,
                 concurrency: int):
        self.model = model
        self.concurrency = concurrency
        self._client = OpenAIClient(provider=SERVICE_TYPE, api_key=api_key, base_url=base_url,
                                    timeout=timeout)

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        response = self._client.embeddings_create(
            model=self.model, input=texts, encoding_format="base64")
        tokens = int(response.usage.prompt_tokens) if response.usage else 0
        vectors, problem = self._vectors(response, len(texts))
        if problem:
            self._client.invalid_response_count()
        return EmbeddingBatch(
            vectors=vectors, model=response.model or self.model, service_type=SERVICE_TYPE,
            unit="input_tokens", quantity=tokens,
            breakdown={"input_tokens": tokens, "chunks": len(texts)}, problem=problem,
        )

    @staticmethod
    def _vectors(response, count: int) -> tuple[np.ndarray | None, str]:
        """The decoded vectors, or None and what was wrong (the answer is still paid for)."""
        rows = sorted(response.data or [], key=lambda item: item.index)
        if len(rows) != count:
            return None, f"the embedding provider returned {len(rows)} embeddings for {count} inputs"
        try:
            decoded = [
                np.frombuffer(base64.b64decode(item.embedding), dtype="<f4")
                if isinstance(item.embedding, str) else np.asarray(item.embedding, dtype=np.float32)
                for item in rows
            ]
            return np.vstack(decoded).astype(np.float32, copy=False), ""
        except (ValueError, TypeError) as exc:
            return None, f"the embedding provider sent unreadable embeddings: {exc}"


@provider_register("openai")
def openai_provider_from_settings() -> OpenAIProvider:
    """The OpenAI provider as the settings configure it."""
    return OpenAIProvider(
        api_key=settings.OPENAI_API_KEY, base_url=settings.OPENAI_BASE_URL or None,
        model=settings.OPENAI_EMBEDDING_MODEL, timeout=settings.OPENAI_TIMEOUT,
        concurrency=settings.EMBEDDING_CONCURRENCY,
    )
