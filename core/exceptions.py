"""One application error type with a stable `code`, mapped to HTTP once (the DRF handler)."""
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A refusal a client can act on: a stable `code` and a message naming what to change."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    status_code = 404
    default_code = "not_found"


class ConflictError(ApplicationError):
    status_code = 409
    default_code = "conflict"


class PayloadTooLargeError(ApplicationError):
    """An upload or body over a configured limit; the message names the limit."""

    status_code = 413
    default_code = "file_too_large"


class UnsupportedMediaTypeError(ApplicationError):
    """A file of a type not accepted here; the message lists the accepted types."""

    status_code = 415
    default_code = "unsupported_media_type"


def refusal_message(exc) -> str | None:
    """What to tell a client about one refused item of a batch; None for an unexpected
    error, which must not be swallowed."""
    from django.http import Http404
    from rest_framework.exceptions import APIException, ValidationError

    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(_flatten(exc.detail))
    if isinstance(exc, APIException):  # not found, permission denied
        return str(exc.detail)
    if isinstance(exc, Http404):
        return str(exc) or "not found"
    return None


def _flatten(errors, prefix: str = "") -> list[str]:
    """Turn DRF's nested error detail into 'field: message' lines."""
    if isinstance(errors, dict):
        lines = []
        for field, value in errors.items():
            if field == "non_field_errors":
                lines += _flatten(value, prefix)
            else:
                lines += _flatten(value, f"{prefix}.{field}" if prefix else field)
        return lines
    if isinstance(errors, list):
        lines = []
        for index, value in enumerate(errors):
            lines += _flatten(value, prefix if not isinstance(value, (dict, list)) else f"{prefix}[{index}]")
        return lines
    message = str(errors)
    if prefix and not message.startswith(prefix.split(".")[-1]):
        return [f"{prefix}: {message}"]
    return [message]


def api_exception_handler(exc, context):
    """Render every refusal as {"detail": ..., "code": ...} plus per-field `errors`."""
    if isinstance(exc, ApplicationError):
        response = exception_handler(
            drf_exceptions.APIException(exc.message), context
        )
        response.status_code = exc.status_code
        response.data = {"detail": exc.message, "code": exc.code, **exc.extra}
        return response
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLargeError(
            f"the request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes "
            "(DATA_UPLOAD_MAX_MEMORY_SIZE); send files as multipart uploads",
            code="body_too_large")
        return api_exception_handler(exc, context)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        lines = _flatten(exc.detail)
        response.data = {
            "detail": "; ".join(lines) or "Invalid input.",
            "code": "invalid",
            "errors": exc.detail,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data["code"] = getattr(exc, "default_code", "error")
    return response
