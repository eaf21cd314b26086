from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The top floor: what looks across the other apps (the admin overview, /metrics, the
    health probes). Nothing imports it but config/urls.py (docs/architecture.md)."""

    name = "operations"
    verbose_name = "Operations"
