"""The OpenAI client: the only module that imports the `openai` SDK.

Both job kinds reach OpenAI (or a compatible server at OPENAI_BASE_URL) through
`OpenAIClient`: the embedding provider (embeddings/openai_provider.py) and the analyst
(articles/llm.py). It builds the SDK's client, sends the request, and turns every failure
into the task framework's RetryableError or PermanentError, worded the same for both.

**Retries: the SDK's are off** (`SDK_MAX_RETRIES = 0`). A failed request raises at once and
the task framework retries the task after `RETRY_BASE_DELAY * 2**(n-1)` (2, 4, 8 s), up to
`RETRY_LIMIT` times; the retried attempt resumes (embeddings after the last stored batch,
an analysis after its weight step). So every retry is a `task_retrying` event with its
reason and a ledger record, every wait follows the one configurable schedule, and no request
is repeated behind the ledger's back (the SDK's retries would multiply with the framework's).

| failure | error |
| --- | --- |
| 429, 5xx, timeout, connection error, an answer the SDK cannot read | RetryableError |
| 401, 403, other 4xx, 429 `insufficient_quota` | PermanentError (retrying cannot fix it) |

A message never holds the API key: a 401's is fixed text, and a provider's own words are
used only with the key masked. Every failed HTTP request is counted for /metrics by the
HTTP client (integrations/provider_errors.py).

The SDK is imported at module level on purpose: job kinds load at start-up, so qcluster
imports it once before forking its workers instead of each worker paying ~1 s on its first
request.
"""
import contextlib
import functools

import openai

from integrations.models import ProviderErrorType
from integrations.provider_errors import ProviderErrorCounting, provider_error_record
from tasks.errors import PermanentError, RetryableError

SDK_MAX_RETRIES = 0  # see the module docstring: the task framework retries, visibly
MESSAGE_CHARS = 300


class OpenAIClient:
    """One OpenAI endpoint as a job sees it: a request in, the SDK's answer or a task error out.

    `provider` names the service in the ledger and in /metrics' error counts
    (`openai_embedding`, `openai_chat`).
    """

    def __init__(self, *, provider: str, api_key: str, base_url: str | None, timeout: float):
        self.provider = provider
        self.timeout = timeout
        self._secret = api_key
        self._sdk = _sdk_client(api_key, base_url or None, timeout, provider)

    def embeddings_create(self, **params):
        """Return the SDK's answer to an embeddings request."""
        with self._errors_mapped():
            return self._sdk.embeddings.create(**params)

    def chat_create(self, **params):
        """Return the SDK's answer to a chat completions request."""
        with self._errors_mapped():
            return self._sdk.chat.completions.create(**params)

    def invalid_response_count(self) -> None:
        """Count an answer that arrived (and was paid for) but could not be used."""
        provider_error_record(provider=self.provider,
                              error_type=ProviderErrorType.INVALID_RESPONSE)

    def masked(self, text: str) -> str:
        """The text without the API key, should a server echo it, cut to MESSAGE_CHARS."""
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "***")
        return text[:MESSAGE_CHARS]

    @contextlib.contextmanager
    def _errors_mapped(self):
        try:
            yield
        except openai.APITimeoutError:
            raise RetryableError(f"OpenAI did not answer within {self.timeout:g} s") from None
        except openai.APIConnectionError as exc:
            raise RetryableError(f"could not reach OpenAI: {self._message(exc)}") from None
        except openai.AuthenticationError:
            raise PermanentError(
                "OpenAI rejected the API key (HTTP 401): check OPENAI_API_KEY") from None
        except openai.PermissionDeniedError as exc:
            raise PermanentError(
                f"OpenAI refused access (HTTP 403): {self._message(exc)}") from None
        except openai.RateLimitError as exc:
            if getattr(exc, "code", None) == "insufficient_quota":
                raise PermanentError(
                    f"OpenAI quota exhausted (HTTP 429): {self._message(exc)}") from None
            raise RetryableError(f"OpenAI rate limit (HTTP 429): {self._message(exc)}") from None
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise RetryableError(f"OpenAI server error (HTTP {exc.status_code}): "
                                     f"{self._message(exc)}") from None
            raise PermanentError(f"OpenAI refused the request (HTTP {exc.status_code}): "
                                 f"{self._message(exc)}") from None
        except (ValueError, TypeError) as exc:  # an answer the SDK could not parse
            self.invalid_response_count()
            raise RetryableError(
                f"OpenAI sent an unreadable answer: {self.masked(str(exc))[:200]}") from None

    def _message(self, exc: Exception) -> str:
        """The provider's own words for the error, the key masked."""
        body = getattr(exc, "body", None)
        message = body.get("message") if isinstance(body, dict) else None
        return self.masked(str(message or getattr(exc, "message", None) or exc))


class _HttpClient(ProviderErrorCounting, openai.DefaultHttpxClient):
    """The SDK's default HTTP client, counting failed requests for /metrics."""


@functools.lru_cache(maxsize=8)
def _sdk_client(api_key: str, base_url: str | None, timeout: float,
                provider: str) -> openai.OpenAI:
    """One SDK client per configuration and process, so its connection pool is reused."""
    return openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout,
                         max_retries=SDK_MAX_RETRIES, http_client=_HttpClient(provider=provider))
