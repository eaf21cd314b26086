"""The OpenAI embedding provider: the only module that imports the `openai` SDK.

The SDK's own retries are switched off (`max_retries=0`). A failed request raises
RetryableError or PermanentError at once and the task framework retries the task with
its 2, 4, 8 s backoff; the retried attempt resumes after the last stored batch. So every
retry is a visible `task_retrying` event with its reason, each wait follows seed 001's
schedule, and no request is retried behind the ledger's back (the SDK's two silent retries
per request would otherwise multiply with the framework's three).
"""
import base64

import numpy as np
import openai

from embeddings.providers import EmbeddingBatch
from tasks.errors import PermanentError, RetryableError
from tasks.models import ProviderErrorType
from tasks.provider_errors import ProviderErrorCounting, provider_error_record

SERVICE_TYPE = "openai_embedding"  # the ledger's service, and the provider in error counts


class _HttpClient(ProviderErrorCounting, openai.DefaultHttpxClient):
    """The SDK's default HTTP client, counting failed requests for /metrics."""


class OpenAIProvider:
    name = "openai"
    service_type = SERVICE_TYPE

    def __init__(self, *, api_key: str, base_url: str | None, model: str, timeout: float,
                 concurrency: int):
        self.model = model
        self.concurrency = concurrency
        self._secret = api_key
        self._timeout = timeout
        self._client = openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0,
            http_client=_HttpClient(provider=SERVICE_TYPE),
        )

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        try:
            response = self._client.embeddings.create(
                model=self.model, input=texts, encoding_format="base64"
            )
        except openai.AuthenticationError:
            raise PermanentError("invalid API key: the embedding provider refused it (401)") from None
        except openai.RateLimitError:
            raise RetryableError("rate limited by the embedding provider (429)") from None
        except openai.APITimeoutError:
            raise RetryableError(
                f"the embedding provider did not answer within {self._timeout:g} s"
            ) from None
        except openai.APIConnectionError as exc:
            raise RetryableError(f"could not reach the embedding provider: {self._safe(exc)}") from None
        except openai.InternalServerError as exc:
            raise RetryableError(
                f"the embedding provider failed ({exc.status_code}): {self._safe(exc)}"
            ) from None
        except openai.APIStatusError as exc:
            raise PermanentError(
                f"the embedding provider refused the request ({exc.status_code}): {self._safe(exc)}"
            ) from None
        except (ValueError, TypeError) as exc:  # an answer the SDK could not parse
            provider_error_record(provider=SERVICE_TYPE,
                                  error_type=ProviderErrorType.INVALID_RESPONSE)
            raise RetryableError(f"the embedding provider sent an unreadable answer: {exc}") from None
        tokens = int(response.usage.prompt_tokens) if response.usage else 0
        vectors, problem = self._vectors(response, len(texts))
        if problem:
            provider_error_record(provider=SERVICE_TYPE,
                                  error_type=ProviderErrorType.INVALID_RESPONSE)
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

    def _safe(self, exc: Exception) -> str:
        """The error's message without the API key, should a server echo it."""
        body = getattr(exc, "body", None)
        message = body.get("message") if isinstance(body, dict) else None
        message = str(message or getattr(exc, "message", None) or exc)
        if self._secret and len(self._secret) >= 4:
            message = message.replace(self._secret, "***")
        return message[:300]
