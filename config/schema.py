"""The OpenAPI schema (drf-spectacular): every operation lists the errors it can answer.

Errors share one shape, `{"detail", "code"}` (plus per-field `errors` on a 400), rendered
by config/exceptions.py; the schema adds them to each operation from what it is: 401 for
every authenticated endpoint, 404 where the path names an object, 400 where input is taken
(a body, or a list's filters and paging), 409 where an object's state can refuse an action.
A view documents other refusals (413, 415 ...) with `extend_schema(responses=...)`.
"""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong and what is accepted.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found.")
    errors = serializers.DictField(required=False, help_text="Per-field messages (400 only).")


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `detail` names the field and what is accepted.",
    "401": "Not authenticated: send `Authorization: Token <key>` or `Bearer <key>`.",
    "404": "Not found, or belongs to an entity you are not a member of.",
    "409": "The object's current state does not allow this.",
}


class TaskLedgerAutoSchema(AutoSchema):
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
        if self.get_auth():
            codes.append("401")
        if "{" in self.path:
            codes.append("404")
            if self.method in ("POST", "DELETE"):
                codes.append("409")
        return codes


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "The DRF token as `Authorization: Bearer <key>` (seed 001)."}


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """A FilterSet's filters as query parameters, for views that filter in a selector."""
    parameters = []
    for name, field in filterset_class.base_filters.items():
        choices = [str(value) for value, _ in field.extra.get("choices") or ()]
        parameters.append(OpenApiParameter(
            name, str, OpenApiParameter.QUERY, enum=choices or None,
            description=field.label or name.replace("_", " "),
        ))
    return parameters


def exclude_versioned_duplicates(endpoints, **kwargs):
    """/api/v1/ serves exactly the /api/ routes; list each once."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/api/v1/")]
