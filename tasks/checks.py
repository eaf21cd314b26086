"""Start-up checks for settings that only go wrong once there is more than one machine."""
from django.conf import settings
from django.core.checks import Warning, register


@register()
def secret_key_shared_check(app_configs, **kwargs):
    """Warn when a Redis (scale-out) deployment runs on a key generated on this machine.

    Sessions, CSRF tokens and password-reset links made by one daphne are then refused by
    every other: a user behind a load balancer is logged out at random. (Tasks are not
    affected: each cluster signs and checks its own hand-off messages.)
    """
    if not settings.REDIS_URL:
        return []
    key_file = settings.VAR_DIR / "secret_key"
    try:
        generated = key_file.read_text().strip() == settings.SECRET_KEY
    except OSError:
        return []
    if not generated:
        return []
    return [Warning(
        f"SECRET_KEY was generated on this machine ({key_file}), but REDIS_URL is set: "
        "sessions, CSRF tokens and password-reset links made here fail on every other machine.",
        hint="Set the same SECRET_KEY in the environment of every daphne and qcluster "
        "process (docs/scale-out.md).",
        id="tasks.W001",
    )]
