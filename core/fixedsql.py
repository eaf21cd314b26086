"""Fixed SQL for the hottest reads, its values converted exactly as the ORM converts them.

A queryset compiles its SQL anew on every call, ~0.1-0.3 ms here. For a statement run on
every API request (token authentication) or by every polling client (a task's cost) that
is a large share of the request, so those few statements are written once per database
vendor instead, and each column read goes through the converters the ORM would apply
(SQLite's datetimes become aware, custom fields' `from_db_value` runs, and so on).

Each use names the benchmark target in docs/benchmarks.md that needs it, with what it saved
when last measured; a read no target needs stays a queryset.
"""
from collections.abc import Callable

from django.db import connection
from django.db.models import Field

# build(quote_name) -> (sql, [(field, table alias), ...] for the columns the SQL selects)
Builder = Callable[[Callable[[str], str]], tuple[str, list[tuple[Field, str]]]]


class FixedQuery:
    def __init__(self, build: Builder):
        self._build = build
        self._prepared: dict[str, tuple[str, list]] = {}

    def _prepare(self) -> tuple[str, list]:
        prepared = self._prepared.get(connection.vendor)
        if prepared is None:
            sql, fields = self._build(connection.ops.quote_name)
            columns = []
            for field, alias in fields:
                column = field.get_col(alias)
                converters = (connection.ops.get_db_converters(column)
                              + column.get_db_converters(connection))
                columns.append((column, converters))
            prepared = self._prepared[connection.vendor] = (sql, columns)
        return prepared

    def rows(self, params: list) -> list[list]:
        """Every row, each a list of converted values in the order selected."""
        sql, columns = self._prepare()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        converted = []
        for row in fetched:
            values = []
            for value, (column, converters) in zip(row, columns):
                for converter in converters:
                    value = converter(value, column, connection)
                values.append(value)
            converted.append(values)
        return converted
