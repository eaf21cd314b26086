"""CSV exports of the ledger, streamed so memory stays flat however many rows there are."""
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from rest_framework import renderers
from rest_framework.negotiation import DefaultContentNegotiation

from core.exceptions import ApplicationError

FLUSH_AT = 64 * 1024  # characters of CSV per chunk handed to the server
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(renderers.BaseRenderer):
    """Lets DRF accept `?format=csv` (or `Accept: text/csv`).

    Views that offer CSV stream it themselves with `csv_response`; this renders only what
    reaches it another way, such as a list of flat dicts.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        header = list(rows[0]) if rows and isinstance(rows[0], dict) else []
        return b"".join(csv_chunks(header, ([row.get(name) for name in header] for row in rows)))


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a 400 naming the formats offered, not DRF's bare 404."""

    def filter_renderers(self, renderers, format):
        offered = [renderer for renderer in renderers if renderer.format == format]
        if not offered:
            formats = ", ".join(renderer.format for renderer in renderers)
            raise ApplicationError(f"format must be one of {formats}; got {format!r}",
                                   code="invalid_format")
        return offered


def csv_cell(value) -> str:
    """One value as a spreadsheet shows it; text that would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return str(value)


def csv_chunks(header: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """Encode a header and rows as CSV, in chunks of about FLUSH_AT characters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        if buffer.tell() >= FLUSH_AT:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


class _AsyncChunks:
    """Hands a sync iterator to an ASGI server one chunk at a time, off the event loop.

    Given a sync iterator, Django's ASGI handler would first read all of it into a list.
    """

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._next = sync_to_async(next)

    def __aiter__(self):
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._next(self._chunks, None)
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    def close(self):
        """Release the database cursor when the client leaves before the end."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


def csv_response(request, *, filename: str, header: list[str], rows: Iterable[Iterable]):
    """Stream rows as a CSV download, under WSGI and ASGI alike."""
    chunks = csv_chunks(header, rows)
    if isinstance(getattr(request, "_request", request), ASGIRequest):
        chunks = _AsyncChunks(chunks)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def entity_group_csv_header(group_by: str) -> list[str]:
    """The columns of an entity cost roll-up's groups; quantities only per service."""
    header = [group_by, "total_cost_usd", "request_count"]
    if group_by == "service":
        header.append("quantities")
    return [*header, "final"]


def entity_group_csv_row(group: dict, *, final: bool) -> list:
    row = [group["key"], group["total_cost_usd"], group["request_count"]]
    if "quantities" in group:
        row.append(";".join(
            f"{unit}={format(quantity.normalize(), 'f')}"
            for unit, quantity in group["quantities"].items()
        ))
    return [*row, "true" if final else "false"]
