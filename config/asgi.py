import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["TASKLEDGER_ASGI"] = "1"  # settings: this process may use a connection pool

from django.core.asgi import get_asgi_application  # noqa: E402

from core import daphne  # noqa: E402

daphne.install()  # forms are parsed by Django, not by Twisted (core/daphne.py)

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from tasks.live.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": websocket_application(),
})
