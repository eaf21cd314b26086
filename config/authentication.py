from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DrfTokenAuthentication
from rest_framework.authtoken.models import Token


class TokenAuthentication(DrfTokenAuthentication):
    """DRF's token authentication, reading the token and its user in one fixed statement.

    DRF builds `Token.objects.select_related("user").get(key=...)` through the ORM on every
    API request: about 0.25 ms of query compilation, 40% of a small endpoint's time. Same
    statement, same checks, same errors; the SQL is written once per process.
    """

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


class _TokenQuery:
    """The token-and-user statement and the ORM's value converters, prepared once."""

    def __init__(self):
        User = get_user_model()
        quote = connection.ops.quote_name
        self.user_fields = list(User._meta.concrete_fields)
        created = Token._meta.get_field("created")
        columns = [created.get_col("t"), *(field.get_col("u") for field in self.user_fields)]
        # What the ORM applies to each column it reads (SQLite: aware datetimes, booleans).
        self.converters = [
            connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            for column in columns
        ]
        self.columns = columns
        self.sql = (
            f"SELECT t.{quote(created.column)}, "
            + ", ".join(f"u.{quote(field.column)}" for field in self.user_fields)
            + f" FROM {quote(Token._meta.db_table)} t JOIN {quote(User._meta.db_table)} u"
            f" ON u.{quote(User._meta.pk.column)} = t.{quote(Token._meta.get_field('user').column)}"
            f" WHERE t.{quote(Token._meta.pk.column)} = %s"
        )

    def token(self, key: str) -> Token | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        values = []
        for value, column, converters in zip(row, self.columns, self.converters):
            for converter in converters:
                value = converter(value, column, connection)
            values.append(value)
        created, *user_values = values
        user = get_user_model().from_db(
            connection.alias, [field.attname for field in self.user_fields], user_values)
        token = Token(key=key, user=user, created=created)
        token._state.adding, token._state.db = False, connection.alias
        return token


_queries: dict[str, _TokenQuery] = {}


def _token_get(key: str) -> Token | None:
    query = _queries.get(connection.vendor)
    if query is None:
        query = _queries[connection.vendor] = _TokenQuery()
    return query.token(key)
