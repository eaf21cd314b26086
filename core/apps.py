from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: plumbing every app uses (errors, paging, filters, authentication,
    schema, admin mixins). It imports no TaskLedger app (docs/architecture.md)."""

    name = "core"
    verbose_name = "Core"
