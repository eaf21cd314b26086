"""WebSocket routes: `/ws/tasks/` and `/api/v1/ws/embedding-tasks`, one protocol (docs/live.md)."""
from channels.routing import URLRouter
from django.urls import re_path

from tasks.live.consumers import TaskProgressConsumer
from tasks.live.auth import live_auth_stack

websocket_urlpatterns = [
    re_path(r"^ws/tasks/?$", TaskProgressConsumer.as_asgi()),
    re_path(r"^api/(?:v1/)?ws/embedding-tasks/?$", TaskProgressConsumer.as_asgi()),
]


def websocket_application():
    return live_auth_stack(URLRouter(websocket_urlpatterns))
