"""Failed requests to AI providers, counted by provider and type for /metrics.

The requests are made in worker processes (and, for search queries, in web processes),
while /metrics is served by any daphne: so the count lives in the database, one row per
(provider, type), added to with an upsert per error.

The OpenAI client (integrations/openai.py) is given an HTTP client with
`ProviderErrorCounting` mixed in. It sees every HTTP request the SDK sends, so the metric
is failed requests, not failed tasks (a task whose batches were refused three times counts
three). Answers that arrived but could not be used are counted by the code that reads them
(`provider_error_record(..., error_type=INVALID_RESPONSE)`).
"""
import json
import logging

import httpx2  # the HTTP library the openai SDK is built on
from django.db import connection, transaction
from django.utils import timezone

from integrations.models import ProviderErrorCount, ProviderErrorType

logger = logging.getLogger(__name__)


def provider_error_record(*, provider: str, error_type: str) -> None:
    """Count one failed request; a failure to count is logged, never raised."""
    table = connection.ops.quote_name(ProviderErrorCount._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (provider, error_type, count, last_seen_at) "
                "VALUES (%s, %s, 1, %s) ON CONFLICT (provider, error_type) DO UPDATE SET "
                f"count = {table}.count + 1, last_seen_at = excluded.last_seen_at",
                [provider, error_type, timezone.now()],
            )
    except Exception:  # the provider's own error is what the caller must see
        logger.warning("could not count a %s error of %s", error_type, provider, exc_info=True)


def error_type_of(response: httpx2.Response) -> str | None:
    """The type of a failed response (None for a success), as the providers map them."""
    status = response.status_code
    if status < 400:
        return None
    if status == 401:
        return ProviderErrorType.AUTHENTICATION
    if status == 403:
        return ProviderErrorType.PERMISSION_DENIED
    if status == 429:
        return (ProviderErrorType.QUOTA if _error_code(response) == "insufficient_quota"
                else ProviderErrorType.RATE_LIMIT)
    if status >= 500:
        return ProviderErrorType.SERVER_ERROR
    return ProviderErrorType.BAD_REQUEST


def _error_code(response: httpx2.Response) -> str | None:
    try:
        error = json.loads(response.read()).get("error")
    except (ValueError, AttributeError, httpx2.HTTPError, httpx2.StreamError):
        return None
    return error.get("code") if isinstance(error, dict) else None


class ProviderErrorCounting:
    """An httpx2.Client mix-in that counts each failed request under `provider`."""

    def __init__(self, *args, provider: str, **kwargs):
        self.provider = provider
        super().__init__(*args, **kwargs)

    def send(self, request, **kwargs):
        try:
            response = super().send(request, **kwargs)
        except httpx2.TimeoutException:
            provider_error_record(provider=self.provider, error_type=ProviderErrorType.TIMEOUT)
            raise
        except httpx2.TransportError:
            provider_error_record(provider=self.provider,
                                  error_type=ProviderErrorType.CONNECTION)
            raise
        error_type = error_type_of(response)
        if error_type is not None:
            provider_error_record(provider=self.provider, error_type=error_type)
        return response
