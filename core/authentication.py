from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication
from rest_framework.authtoken.models import Token

from core.fixedsql import FixedQuery
from core.throttling import FailedAuthenticationThrottle


class TokenAuthentication(DrfTokenAuthentication):
    """DRF's token authentication, reading the token and its user in one fixed statement.

    DRF builds `Token.objects.select_related("user").get(key=...)` through the ORM on every
    API request: about 0.25 ms of query compilation, 40% of a small endpoint's time. Same
    statement, same checks, same errors; the SQL is written once (core/fixedsql.py).
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
    """The same token, also accepted as `Authorization: Bearer <token>` (seed 001's clients)."""

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
