"""WebSocket authentication and origin checks: `?token=<API token>`, or the session."""
from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled

from core.throttling import FailedAuthenticationThrottle, scope_request


def token_user_checked(key: str, request) -> tuple:
    """(the token's user or None when wrong, counted as a failure of the client's address;
    the refusal while that address is over AUTH_FAILURE_RATE, else None)."""
    throttle = FailedAuthenticationThrottle()
    try:
        throttle.check(request)
    except Throttled as refusal:
        return None, refusal
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        throttle.failure_record()
        return None, None
    return token.user, None


@database_sync_to_async
def _token_user(key: str, scope) -> tuple:
    user, refusal = token_user_checked(key, scope_request(scope))
    return user or AnonymousUser(), refusal


class QueryTokenAuthMiddleware(BaseMiddleware):
    """`?token=<DRF token>` sets the user; a wrong token is anonymous, never the session's.

    While the client's address is over its failed-authentication rate, `auth_refused` in
    the scope holds the refusal and the consumer closes the socket with 4429.
    """

    async def __call__(self, scope, receive, send):
        tokens = parse_qs(scope.get("query_string", b"").decode("latin1")).get("token")
        if tokens:
            user, refusal = await _token_user(tokens[0], scope)
            scope = dict(scope, user=user, auth_refused=refusal)
        return await super().__call__(scope, receive, send)


class BrowserOriginValidator:
    """Refuse a handshake whose Origin is not one of ALLOWED_HOSTS.

    The check protects cookie-authenticated browsers from other sites (cross-site
    WebSocket hijacking). Browsers always send Origin; a client without one (a script
    using a token, like the embedding clients) is not a browser a third-party page can drive.
    """

    def __init__(self, application):
        self.application = application
        self.validated = AllowedHostsOriginValidator(application)

    async def __call__(self, scope, receive, send):
        if any(name == b"origin" for name, _ in scope.get("headers", [])):
            return await self.validated(scope, receive, send)
        return await self.application(scope, receive, send)


def live_auth_stack(inner):
    """Origin check, then session, then `?token=` (which wins when given)."""
    return BrowserOriginValidator(AuthMiddlewareStack(QueryTokenAuthMiddleware(inner)))
