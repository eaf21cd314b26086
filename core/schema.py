"""The OpenAPI schema (drf-spectacular): every operation lists the errors it can answer.

Errors share one shape, `{"detail", "code"}` (plus per-field `errors` on a 400), rendered
by core/exceptions.py; the schema adds them to each operation from what it is: 401 for
every authenticated endpoint, 404 where the path names an object, 400 where input is taken
(a body, or a list's filters and paging), 409 where an object's state can refuse an action.
A view documents other refusals (413, 415 ...) with `extend_schema(responses=...)`.
"""
import django_filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.permissions import IsAdminUser


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong and what is accepted.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found.")
    errors = serializers.DictField(required=False, help_text="Per-field messages (400 only).")


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `detail` names the field and what is accepted.",
    "401": "Not authenticated: send `Authorization: Token <key>` or `Bearer <key>`.",
    "403": "Staff only: an operator's token is needed.",
    "404": "Not found, or belongs to an entity you are not a member of.",
    "409": "The object's current state does not allow this.",
    "415": "The body's Content-Type is not one this endpoint reads.",
    "429": "Too many requests: failed authentications from this address (AUTH_FAILURE_RATE), "
           "or a creation rate; `Retry-After` says when to try again.",
}


class TaskLedgerAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A field rendering `default=None` when its source is missing (a task without an
        entity, a document without a task) answers null: the schema says nullable."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "response" and getattr(field, "default", empty) is None \
                and "$ref" not in schema and "allOf" not in schema:
            schema["nullable"] = True
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code in self._error_codes():
                responses.setdefault(code, self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code))
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        takes_input = (
            self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None
        ) or (self.method == "GET" and (self._is_list_view() or any(
            isinstance(parameter, OpenApiParameter) and parameter.location == "query"
            for parameter in self.get_override_parameters()
        )))
        if takes_input:
            codes.append("400")
            if self.method != "GET":
                codes.append("415")
        if self.get_auth():
            codes.append("401")
            codes.append("429")  # too many failed authentications from the address
        if any(isinstance(permission, IsAdminUser) for permission in self.view.get_permissions()):
            codes.append("403")
        # An id in the path, or in a body (entity_id, knowledge_base_id, parent_id ...).
        if "{" in self.path or (takes_input and self.method != "GET"):
            codes.append("404")
        if "{" in self.path:
            if self.method in ("POST", "DELETE"):
                codes.append("409")
        return codes


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "The DRF token as `Authorization: Bearer <key>` (as embedding clients send it)."}


# A query parameter taking an ISO date or date-time; left empty (or blank), it does not filter.
DATE_OR_DATE_TIME = {"type": "string", "anyOf": [
    {"format": "date-time"}, {"format": "date"}, {"pattern": "^\\s*$"}]}


# A filter's whole number; left blank, it does not filter.
INTEGER_OR_BLANK = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^$"}]}


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """A FilterSet's filters as query parameters, for views that filter in a selector."""
    from core.filters import FlexibleDateTimeFilter

    parameters = []
    for name, field in filterset_class.base_filters.items():
        choices = [str(value) for value, _ in field.extra.get("choices") or ()]
        if isinstance(field, FlexibleDateTimeFilter):
            kind = DATE_OR_DATE_TIME
        elif isinstance(field, django_filters.NumberFilter):
            kind = INTEGER_OR_BLANK
        else:
            kind = str
        # A choice left blank (`?priority=`) does not filter, as django-filter reads it.
        parameters.append(OpenApiParameter(
            name, kind, OpenApiParameter.QUERY, enum=[*choices, ""] if choices else None,
            description=field.label or name.replace("_", " "),
        ))
    return parameters


# The integer columns' ranges Django takes from the database backend (SQLite's are 64-bit,
# PostgreSQL's 16/32-bit): not part of the API, and the schema must not depend on the database.
_BACKEND_INTEGER_BOUNDS = {32767, 2147483647, 9223372036854775807,
                           -32768, -2147483648, -9223372036854775808}


def _integer_bounds_dropped(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "integer":
            for key in ("maximum", "minimum"):
                if node.get(key) in _BACKEND_INTEGER_BOUNDS:
                    del node[key]
            if node.get("format") == "int64":
                del node["format"]
        for value in node.values():
            _integer_bounds_dropped(value)
    elif isinstance(node, list):
        for value in node:
            _integer_bounds_dropped(value)


def database_independent(result, generator, request, public):
    """The same schema on SQLite and PostgreSQL (the committed client is generated from it)."""
    _integer_bounds_dropped(result.get("components", {}))
    return result


# Number parameters that take their default when sent blank (`?minutes=`), as the paging
# parameters do (core/pagination.py): the schema says so with `allowEmptyValue`.
BLANK_IS_DEFAULT = {"minutes", "k", "wait", "after"}


def blank_is_default(result, generator, request, public):
    """Mark the BLANK_IS_DEFAULT query parameters as taking a blank value."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in BLANK_IS_DEFAULT:
                    parameter["allowEmptyValue"] = True
    return result


def csv_as_text(result, generator, request, public):
    """A `?format=csv` answer is text, not the JSON body's object: say so. A blank
    `?format=` is no choice (DRF answers JSON), so the parameter's enum lists it."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                enum = parameter.get("schema", {}).get("enum")
                if parameter["name"] == "format" and enum and "" not in enum:
                    enum.append("")
            for response in operation.get("responses", {}).values():
                csv = response.get("content", {}).get("text/csv")
                if csv is not None:
                    csv["schema"] = {"type": "string", "description": "CSV with a header row "
                                     "(`?format=csv` or `Accept: text/csv`)."}
    return result


# OpenAPI links: what a client (and schemathesis's stateful run) can do next with the
# task_id an answer names. The task workflow: create, read, cancel, read its cost.
_TASK_ID = {"task_id": "$response.body#/task_id"}
_TASK_NEXT = {
    "GetTask": "tasks_retrieve",
    "GetTaskStatus": "tasks_status_retrieve",
    "GetTaskEvents": "tasks_events_retrieve",
    "CancelTask": "tasks_cancel_create",
    "GetTaskCost": "tasks_cost_retrieve",
}
TASK_LINKS = {
    ("/api/tasks/", "post", "201"): _TASK_NEXT,
    ("/api/tasks/{task_id}/cancel/", "post", "200"): {
        "GetTask": "tasks_retrieve", "GetTaskCost": "tasks_cost_retrieve"},
}


def task_links(result, generator, request, public):
    """Add the task workflow's links to the answers that name a task."""
    for (path, method, status), links in TASK_LINKS.items():
        response = result.get("paths", {}).get(path, {}).get(method, {}).get(
            "responses", {}).get(status)
        if response is not None:
            response["links"] = {name: {"operationId": operation, "parameters": _TASK_ID}
                                 for name, operation in links.items()}
    return result


def exclude_versioned_duplicates(endpoints, **kwargs):
    """/api/v1/ serves exactly the /api/ routes; list each once."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/api/v1/")]


def error_responses(**described: str) -> dict:
    """`{status: the error body, described}` for `extend_schema(responses=...)`:
    `error_responses(e409="it has ended", e429="...")`."""
    return {int(code.lstrip("e")): OpenApiResponse(ErrorSerializer, description=text)
            for code, text in described.items()}


THROTTLED = ("Over a creation rate (TASK_CREATE_RATE_*, UPLOAD_RATE_*): `Retry-After` says "
             "when to try again.")


def paginated(name: str, results_key: str, serializer) -> serializers.Serializer:
    """The page envelope (core/pagination.py) of an action that paginates by itself."""
    from drf_spectacular.utils import inline_serializer

    link = {"allow_null": True, "help_text": "The neighbouring page's URL; null at either end."}
    return inline_serializer(name, {
        results_key: serializer(many=True),
        "total": serializers.IntegerField(help_text="Items matching, on every page."),
        "page": serializers.IntegerField(min_value=1),
        "page_size": serializers.IntegerField(min_value=1),
        "next": serializers.URLField(**link),
        "previous": serializers.URLField(**link),
    })
