"""The start-up check that AI_PROVIDER=openai comes with an OpenAI key.

A system check, not an exception in settings.py: `migrate`, `qcluster` and `check` stop with
one line naming the variable to set, rather than a traceback (or, worse, a first job that
fails once it reaches the provider). Its id, config.E001, is documented
(docs/configuration.md, docs/operations.md).
"""
from django.conf import settings
from django.core.checks import Error, register


@register()
def openai_key_check(app_configs, **kwargs):
    """AI_PROVIDER=openai needs OPENAI_API_KEY."""
    if settings.AI_PROVIDER != "openai" or settings.OPENAI_API_KEY:
        return []
    return [Error(
        "AI_PROVIDER=openai but OPENAI_API_KEY is not set.",
        hint="Set OPENAI_API_KEY (any value for a compatible server at OPENAI_BASE_URL), or "
        "AI_PROVIDER=local for the offline provider.",
        id="config.E001",
    )]
