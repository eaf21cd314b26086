"""Start-up checks for settings that only go wrong once there is more than one machine."""
from django.conf import settings
from django.core.checks import Warning, register


@register()
def secret_key_shared_check(app_configs, **kwargs):
    """Warn when a Redis (scale-out) deployment runs on a key generated on this machine.

    django-q2 signs every queued task with SECRET_KEY and its workers silently drop a task
    whose signature does not match, so an API and a worker with different generated keys
    lose every task they hand each other until the reaper re-dispatches it a minute later.
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
        "workers drop any task signed with another machine's key.",
        hint="Set the same SECRET_KEY in the environment of every daphne and qcluster "
        "process (docs/scale-out.md).",
        id="tasks.W001",
    )]
