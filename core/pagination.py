from django.conf import settings
from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.exceptions import ApplicationError


def _positive_int(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ApplicationError(f"{name} must be a whole number >= 1; got {raw!r}", code="invalid_page")
    return value


class PagePagination(PageNumberPagination):
    """page / page_size paging; a page size above the maximum is clamped, not refused.

    The response is `{<results_key>: [...], "total": N, "page", "page_size", "next",
    "previous"}`, the shape the first clients were written against; the schema says so.
    """

    page_size = 50
    page_size_query_param = "page_size"
    results_key = "results"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def query_check(self, request) -> None:
        """Refuse a page or page_size that is not a whole number >= 1, also where the
        answer is not paged (a CSV export), so a wrong one never passes unnoticed."""
        _positive_int(request, self.page_query_param)
        _positive_int(request, self.page_size_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_number = _positive_int(request, self.page_query_param) or 1
        size = min(_positive_int(request, self.page_size_query_param) or self.page_size,
                   self.max_page_size)
        self.paginator = Paginator(queryset, size)
        self.page_number, self.size = page_number, size
        if page_number > self.paginator.num_pages:
            self.page = None
            return []
        self.page = self.paginator.page(page_number)
        return list(self.page)

    def get_paginated_response(self, data):
        has_next = self.page is not None and self.page.has_next()
        return Response({
            self.results_key: data,
            "total": self.paginator.count,
            "page": self.page_number,
            "page_size": self.size,
            "next": self._link(self.page_number + 1) if has_next else None,
            "previous": self._link(self.page_number - 1) if 1 < self.page_number <= self.paginator.num_pages + 1 else None,
        })

    def get_paginated_response_schema(self, schema):
        """The envelope `get_paginated_response` answers, for the OpenAPI schema."""
        link = {"type": "string", "format": "uri", "nullable": True,
                "description": "The neighbouring page's URL; null on the first or last page."}
        return {
            "type": "object",
            "required": [self.results_key, "total", "page", "page_size", "next", "previous"],
            "properties": {
                self.results_key: schema,
                "total": {"type": "integer", "description": "Items matching, on every page."},
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1},
                "next": link,
                "previous": link,
            },
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            parameter["allowEmptyValue"] = True  # `?page=` is the first page
        return parameters

    def _link(self, number: int) -> str:
        from rest_framework.utils.urls import replace_query_param

        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)
