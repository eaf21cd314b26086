"""The ledger's read API: request records, and what a task, document or entity cost."""
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import PagePagination
from core.query_params import KnownQueryParamsMixin
from core.schema import DATE_OR_DATE_TIME, error_responses, filter_parameters
from costs import selectors
from costs.ledger import LedgerViewMixin
from costs.renderers import (
    CSVRenderer, FormatNegotiation, csv_response, entity_group_csv_header, entity_group_csv_row,
)
from costs.filters import GROUP_BY_CHOICES, RequestRecordFilter
from costs.entities import entity_create, users_by_username
from costs.serializers import (
    DocumentCostSerializer, EntityCostSerializer, EntityCreateSerializer, EntitySerializer,
    RequestRecordSerializer, TaskCostSerializer,
)

# selectors.EXPORT_FIELDS under their API names, then the record's cost and its lines.
REQUEST_CSV_HEADER = [
    "request_id", "task_id", "doc_id", "entity_id", "operation_type", "task_type", "endpoint",
    "method", "status_code", "processing_time_ms", "error_message", "timestamp",
    "completed_at", "total_cost_usd", "services",
]
CSV_CHUNK_SIZE = 2000  # records fetched per round trip


class CSVExportMixin:
    """Offers `?format=csv`; a refusal is still JSON, whatever format was asked for."""

    content_negotiation_class = FormatNegotiation
    csv_actions = None  # a viewset's actions that offer CSV; None: every method

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.csv_actions is None or getattr(self, "action", None) in self.csv_actions:
            renderers.append(CSVRenderer())
        return renderers

    def wants_csv(self) -> bool:
        return self.request.accepted_renderer.format == CSVRenderer.format

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if getattr(self.request, "accepted_renderer", None) and self.wants_csv():
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return response


class RequestPagination(PagePagination):
    results_key = "requests"


class RequestRecordViewSet(KnownQueryParamsMixin, CSVExportMixin, LedgerViewMixin,
                           viewsets.GenericViewSet):
    """The request records: list with filters, or one by request_id (docs/api.md, Client contract).

    Filters: task_id, doc_id, entity_id, task_type, operation_type, status_code, and
    since (inclusive) / until (exclusive) on the record's timestamp, each an ISO date or
    date-time (a date is its midnight, UTC). `?format=csv` streams every matching record,
    unpaged, newest first.
    """

    serializer_class = RequestRecordSerializer
    pagination_class = RequestPagination
    lookup_field = "request_id"
    lookup_value_regex = r"[^/]+"
    filter_backends = []
    filterset_class = RequestRecordFilter
    csv_actions = {"list"}

    @extend_schema(parameters=filter_parameters(RequestRecordFilter))
    def list(self, request):
        records = selectors.request_record_list(user=request.user, filters=request.query_params)
        if self.wants_csv():
            self.paginator.query_check(request)
            exported = selectors.request_record_export(records, chunk_size=CSV_CHUNK_SIZE)
            return csv_response(
                request,
                filename=f"requests-{timezone.now():%Y%m%dT%H%M%SZ}.csv",
                header=REQUEST_CSV_HEADER,
                rows=map(_request_csv_row, exported),
            )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, request_id=None):
        record = selectors.request_record_get(user=request.user, request_id=request_id)
        return Response(self.get_serializer(record).data)


def _request_csv_row(exported) -> list:
    fields, cost, lines = exported
    services = ";".join(f"{service}:{format(line_cost.normalize(), 'f')}"
                        for service, line_cost in lines)
    return [*fields, cost, services]


WAIT_PARAMETER = OpenApiParameter(
    "wait", {"type": "number", "minimum": 0, "maximum": 60},
    description="Seconds (at most 60) to wait for the cost to be final; 0 (the default) when blank.")


def _cost_response(cost: dict) -> Response:
    """200 once the cost is final; 202 with the cost so far while its work goes on."""
    return Response(cost, status=status.HTTP_200_OK if cost["final"] else status.HTTP_202_ACCEPTED)


class TaskCostApi(KnownQueryParamsMixin, LedgerViewMixin, APIView):
    """What a task cost so far: every visible record carrying its task_id.

    202 while the task is pending or processing, 200 once it ended (`final`); `?wait=N`
    answers as soon as it is final, or after N seconds. The selector's summary is already
    in its JSON shape (ids, Decimals rendered as numbers, datetimes), so it is returned as
    is: this endpoint is polled, and a serializer pass would only copy it.
    """

    basename = "task_cost"
    query_params_known = ("wait",)

    @extend_schema(responses={200: TaskCostSerializer, 202: TaskCostSerializer},
                   parameters=[WAIT_PARAMETER])
    def get(self, request, task_id):
        seconds = selectors.cost_wait_seconds(request.query_params.get("wait"))
        return _cost_response(selectors.cost_final_wait(
            lambda: selectors.task_cost(user=request.user, task_id=task_id), seconds=seconds))


class DocumentCostApi(KnownQueryParamsMixin, LedgerViewMixin, APIView):
    """What a document cost: every visible record carrying its doc_id (202 until final)."""

    basename = "document_cost"
    query_params_known = ("wait",)

    @extend_schema(responses={200: DocumentCostSerializer, 202: DocumentCostSerializer},
                   parameters=[WAIT_PARAMETER])
    def get(self, request, doc_id):
        seconds = selectors.cost_wait_seconds(request.query_params.get("wait"))
        return _cost_response(selectors.cost_final_wait(
            lambda: selectors.document_cost(user=request.user, doc_id=doc_id), seconds=seconds))


class EntityCostApi(KnownQueryParamsMixin, CSVExportMixin, LedgerViewMixin, APIView):
    """An entity's costs over a period, grouped by service, day, task_type or operation_type.

    since is inclusive and until exclusive (ISO dates or date-times; a date is its midnight,
    UTC); until defaults to now, since to 30 days before until. `?format=csv` streams the
    groups, one row each, with `final` on each. `final` is false while a task of the
    entity created before until is still pending or processing; `?wait=N` waits for it.
    """

    basename = "entity_costs"
    query_params_known = ("since", "until", "group_by", "wait")

    @extend_schema(responses={200: EntityCostSerializer, 202: OpenApiResponse(
        EntityCostSerializer, description="Not final yet (`final` false): a task of the "
        "entity created before until is still pending or processing.")}, parameters=[
        OpenApiParameter("since", DATE_OR_DATE_TIME, description="ISO date or date-time, inclusive."),
        OpenApiParameter("until", DATE_OR_DATE_TIME, description="ISO date or date-time, exclusive."),
        OpenApiParameter("group_by", str, enum=GROUP_BY_CHOICES, default="service"),
        WAIT_PARAMETER,
    ])
    def get(self, request, entity_id):
        seconds = selectors.cost_wait_seconds(request.query_params.get("wait"))
        report = selectors.cost_final_wait(lambda: selectors.entity_cost_report(
            user=request.user, entity_id=entity_id, params=request.query_params
        ), seconds=seconds)
        if not self.wants_csv():
            return Response(EntityCostSerializer(report).data,
                            status=status.HTTP_200_OK if report["final"] else status.HTTP_202_ACCEPTED)
        group_by = report["group_by"]
        return csv_response(
            request,
            filename=(f"costs-{report['entity_id']}-by-{group_by}-"
                      f"{report['period_start']:%Y%m%d}-{report['period_end']:%Y%m%d}.csv"),
            header=entity_group_csv_header(group_by),
            rows=(entity_group_csv_row(group, final=report["final"]) for group in report["groups"]),
        )


class EntityCreateApi(LedgerViewMixin, APIView):
    """POST /entities/ (staff): make the entity clients name, with its members, in one call."""

    basename = "entity"
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=EntityCreateSerializer, responses={
        201: EntitySerializer, **error_responses(e409="entity_exists: that entity_id is taken.")})
    def post(self, request):
        serializer = EntityCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entity = entity_create(entity_id=data["entity_id"], name=data["name"],
                               members=users_by_username(data["members"]))
        return Response(EntitySerializer(entity).data, status=status.HTTP_201_CREATED)
