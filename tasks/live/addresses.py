"""Where a task's live events are found: the stream address a client is given, the
channel layer group its subscribers join, and how events reach that group (docs/live.md)."""
import hashlib
import re

from django.conf import settings

_GROUP_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


def task_stream_url(task_id: str) -> str:
    """The task's Server-Sent Events stream, as task creation responses give it (`stream_url`)."""
    return f"/api/tasks/{task_id}/stream"


def live_mode() -> str:
    """`push` when workers can reach daphne through Redis, else `relay` (embedded default)."""
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return "push" if "redis" in backend.lower() else "relay"


def live_group(task_id: str) -> str:
    """The channel layer group of one task's subscribers."""
    # Group names allow only ASCII letters, digits, '-', '_' and '.', under 100 characters.
    if _GROUP_SAFE.match(task_id):
        return f"task.{task_id}"
    return f"task.h{hashlib.sha256(task_id.encode()).hexdigest()[:40]}"
