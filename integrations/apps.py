from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The outside services TaskLedger talks to: the OpenAI client (built, retried and its
    errors mapped in one module), and the count of failed requests to them for /metrics.

    Above `tasks` (its errors are the task framework's RetryableError and PermanentError),
    below the domain apps that call the providers (docs/architecture.md)."""

    name = "integrations"
    verbose_name = "Integrations"

    def ready(self):
        from integrations import checks  # noqa: F401  (registers the OpenAI key check)
