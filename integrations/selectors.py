"""Reads on the outside services' failures, for operators."""
from integrations.models import ProviderErrorCount


def provider_errors_recent(*, limit: int = 20) -> list[ProviderErrorCount]:  # operators
    """Failed provider requests by provider and type, most recently seen first."""
    return list(ProviderErrorCount.objects.order_by("-last_seen_at")[:limit])
