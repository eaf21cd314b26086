from django.db import models


class ProviderErrorType(models.TextChoices):
    RATE_LIMIT = "rate_limit", "rate limited (429)"
    QUOTA = "quota", "quota exhausted (429 insufficient_quota)"
    SERVER_ERROR = "server_error", "server error (5xx)"
    TIMEOUT = "timeout", "no answer in time"
    CONNECTION = "connection", "could not connect or the connection broke"
    AUTHENTICATION = "authentication", "API key refused (401)"
    PERMISSION_DENIED = "permission_denied", "access refused (403)"
    BAD_REQUEST = "bad_request", "request refused (other 4xx)"
    INVALID_RESPONSE = "invalid_response", "an answer that could not be used"


class ProviderErrorCount(models.Model):
    """How many requests to an AI provider failed so far, by provider and type.

    Requests fail in worker processes while /metrics is served by daphne, so the count is
    kept here, one row per (provider, type) added to by integrations/provider_errors.py.
    """

    provider = models.CharField(max_length=40)
    error_type = models.CharField(max_length=24, choices=ProviderErrorType.choices)
    count = models.BigIntegerField(default=0)
    last_seen_at = models.DateTimeField()

    class Meta:
        # The table was created by the tasks app, which held this model first.
        db_table = "tasks_providererrorcount"
        ordering = ["provider", "error_type"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "error_type"],
                                    name="provider_error_unique"),
        ]

    def __str__(self):
        return f"{self.provider} {self.error_type}: {self.count}"
