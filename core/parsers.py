"""The JSON parser every endpoint uses: a body of the wrong shape is a 400, never a 500.

Views read `request.data` as an object (`request.data.get(...)`), so a body that is valid
JSON but an array, a string or a number would otherwise fail deep inside the view. The
endpoints that take an array (the batches, `/estimate` of a batch) say so with
`json_array_actions` (a viewset's action names) or `json_array_allowed = True` (an APIView).

A NUL character inside a string is refused too: PostgreSQL cannot store it in a text
column, and the database error would surface as a 500.
"""
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _array_allowed(view) -> bool:
    if view is None:
        return False
    if getattr(view, "json_array_allowed", False):
        return True
    return getattr(view, "action", None) in getattr(view, "json_array_actions", ())


def _kind(value) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


class JSONObjectParser(JSONParser):
    """DRF's JSON parser, answering 400 for a body that is not an object where one is expected."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        view = (parser_context or {}).get("view")
        if not isinstance(data, dict):
            if not (isinstance(data, list) and _array_allowed(view)):
                expected = "a JSON object or an array" if _array_allowed(view) else "a JSON object"
                raise ParseError(f"the body must be {expected} ({{\"field\": value, ...}}); "
                                 f"got {_kind(data)}")
        if _holds_nul(data):
            raise ParseError("the body holds a NUL character (\\u0000) in a string; "
                             "text may not contain it")
        return data
