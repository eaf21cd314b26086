"""API token authentication: DRF's token, with the token and its user read in one fixed
statement, and failed attempts counted per client address (core/throttling.py)."""
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication
from rest_framework.authtoken.models import Token

from core.fixedsql import FixedQuery
from core.throttling import FailedAuthenticationThrottle


class TokenAuthentication(DrfTokenAuthentication):
    """DRF's token authentication (same header, checks and errors), the lookup fixed SQL.

    Kept for the ledger target "cost endpoints <= 3x the SQL they issue" (docs/benchmarks.md),
    whose requests each authenticate: DRF compiles `Token.objects.select_related("user")
    .get(key=...)` anew on every request. Measured on 2026-12-07 by bench/ledger/fastpaths.py
    (PostgreSQL, load average ~3): DRF's lookup added 0.45-0.6 ms to every API request,
    11-21% of a cost request, and took the task cost from 3.5x to 4.0x its SQL, the document
    cost from 3.8x to 4.5x. The table is in docs/ledger.md ("Fixed SQL on the cost reads").
    """

    def authenticate(self, request):
        header = super().authenticate  # parses the header; None when it is not this scheme
        throttle = FailedAuthenticationThrottle()
        throttle.check(request)
        try:
            return header(request)
        except exceptions.AuthenticationFailed:
            throttle.failure_record()
            raise

    def authenticate_credentials(self, key):
        token = _token_get(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


class BearerTokenAuthentication(TokenAuthentication):
    """The same token sent as `Authorization: Bearer <token>`, as the embedding clients send
    it (docs/api.md)."""

    keyword = "Bearer"


def _token_sql(quote):
    User = get_user_model()
    created, user_key = Token._meta.get_field("created"), Token._meta.get_field("user")
    fields = list(User._meta.concrete_fields)
    sql = (
        f"SELECT t.{quote(created.column)}, "
        + ", ".join(f"u.{quote(field.column)}" for field in fields)
        + f" FROM {quote(Token._meta.db_table)} t JOIN {quote(User._meta.db_table)} u"
        f" ON u.{quote(User._meta.pk.column)} = t.{quote(user_key.column)}"
        f" WHERE t.{quote(Token._meta.pk.column)} = %s"
    )
    return sql, [(created, "t"), *((field, "u") for field in fields)]


_TOKEN_QUERY = FixedQuery(_token_sql)


def _token_get(key: str) -> Token | None:
    """The token and its user as `Token.objects.select_related("user").get(key=key)` reads
    them (Django's documented `Model.from_db` and `_state`), or None."""
    rows = _TOKEN_QUERY.rows([key])
    if not rows:
        return None
    created, *user_values = rows[0]
    User = get_user_model()
    user = User.from_db(connection.alias, [field.attname for field in User._meta.concrete_fields],
                        user_values)
    token = Token(key=key, user=user, created=created)
    token._state.adding, token._state.db = False, connection.alias
    return token
