"""Django's error views, answering JSON under /api/ and Django's pages elsewhere.

DRF renders the errors raised inside its views (core/exceptions.py); these catch the
rest: no route (404), a request Django refuses before any view runs (400, 403), and a
crash outside a view (500). A client of /api/ always reads `{"detail", "code"}`.
"""
from django.http import JsonResponse
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """JSON 404 under /api/, Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """JSON 400 under /api/ (a request Django refused before any view ran)."""
    if _is_api(request):
        return JsonResponse({"detail": str(exception) if exception else "Bad request.",
                             "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action.",
                             "code": "permission_denied"}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    """JSON 500 under /api/; the traceback is in the log, never in the answer."""
    if _is_api(request):
        return JsonResponse({"detail": "The server failed to answer this request; it is "
                             "logged with its X-Request-ID.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
