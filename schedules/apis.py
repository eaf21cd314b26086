"""Schedules over HTTP: thin views over schedules.services and schedules.selectors."""
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.pagination import PagePagination
from schedules.openapi import schedule_viewset_schema
from core.query_params import KnownQueryParamsMixin
from costs.ledger import LedgerViewMixin, ledger_annotate
from costs.selectors import entity_for_write
from schedules import selectors, services
from schedules.serializers import (
    ScheduleCostSerializer, ScheduleRunSerializer, ScheduleSerializer, ScheduleWriteSerializer,
)


class SchedulePagination(PagePagination):
    results_key = "schedules"


class RunPagination(PagePagination):
    results_key = "runs"


def _service_fields(data: dict) -> dict:
    """The checked body as schedule_create / schedule_update keywords."""
    fields = {key: value for key, value in data.items() if key not in ("entity_id", "timezone")}
    fields["timezone_name"] = data["timezone"]
    return fields


@schedule_viewset_schema
class ScheduleViewSet(KnownQueryParamsMixin, LedgerViewMixin, viewsets.GenericViewSet):
    """Recurring work: list, create, change, delete, run now, pause, resume, runs, cost."""

    serializer_class = ScheduleSerializer
    pagination_class = SchedulePagination
    lookup_field = "schedule_id"
    lookup_value_regex = r"[^/]+"
    filter_backends = []
    query_params_actions = frozenset({"list", "runs", "cost"})

    def get_serializer_class(self):
        action = self.action_map.get(self.request.method.lower(), self.action)
        if action in ("create", "partial_update"):
            return ScheduleWriteSerializer
        return {"runs": ScheduleRunSerializer, "cost": ScheduleCostSerializer}.get(
            action, ScheduleSerializer)

    def query_params_accepted(self) -> list[str]:
        return ["since", "until"] if self.action == "cost" else []

    def get_object(self):
        schedule = selectors.schedule_get(user=self.request.user,
                                          schedule_id=self.kwargs["schedule_id"])
        ledger_annotate(self.request, entity=schedule.entity)
        return schedule

    def _answer(self, schedules, **kwargs):
        many = isinstance(schedules, list)
        summaries = selectors.schedule_summaries(user=self.request.user,
                                                 schedules=schedules if many else [schedules])
        return ScheduleSerializer(schedules, many=many,
                                  context={"summaries": summaries}).data

    def list(self, request):
        page = self.paginate_queryset(selectors.schedule_visible(user=request.user))
        return self.get_paginated_response(self._answer(list(page)))

    def retrieve(self, request, schedule_id=None):
        return Response(self._answer(self.get_object()))

    def create(self, request):
        serializer = ScheduleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            entity = entity_for_write(user=request.user, entity_id=data["entity_id"],
                                      purpose="create schedules")
            schedule = services.schedule_create(entity=entity, created_by=request.user,
                                                **_service_fields(data))
        ledger_annotate(request, entity=entity)
        return Response(self._answer(schedule), status=status.HTTP_201_CREATED)

    def partial_update(self, request, schedule_id=None):
        schedule = self.get_object()
        serializer = ScheduleWriteSerializer.for_patch(schedule, request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entity = entity_for_write(user=request.user, entity_id=data["entity_id"],
                                  purpose="create schedules")
        schedule = services.schedule_update(schedule=schedule, entity=entity,
                                            **_service_fields(data))
        return Response(self._answer(schedule))

    def destroy(self, request, schedule_id=None):
        services.schedule_delete(schedule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="run-now")
    def run_now(self, request, schedule_id=None):
        run = services.schedule_run_now(schedule=self.get_object())
        return Response(ScheduleRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def pause(self, request, schedule_id=None):
        return Response(self._answer(services.schedule_pause(schedule=self.get_object())))

    @action(detail=True, methods=["post"])
    def resume(self, request, schedule_id=None):
        return Response(self._answer(services.schedule_resume(schedule=self.get_object())))

    @action(detail=True, methods=["get"])
    def runs(self, request, schedule_id=None):
        """The schedule's firings, newest first, each with the task it made."""
        runs = selectors.schedule_run_list(schedule=self.get_object())
        page = RunPagination()
        rows = page.paginate_queryset(runs, request, view=self)
        return page.get_paginated_response(ScheduleRunSerializer(rows, many=True).data)

    @extend_schema(responses={200: ScheduleCostSerializer, 202: ScheduleCostSerializer},
                   parameters=[
                       OpenApiParameter("since", str, description="ISO date or date-time, inclusive."),
                       OpenApiParameter("until", str, description="ISO date or date-time, exclusive."),
                   ])
    @action(detail=True, methods=["get"])
    def cost(self, request, schedule_id=None):
        """What the runs due in [since, until) cost: 200 once final, 202 while one runs."""
        report = selectors.schedule_cost_report(user=request.user, schedule_id=schedule_id,
                                                params=request.query_params)
        return Response(ScheduleCostSerializer(report).data,
                        status=status.HTTP_200_OK if report["final"] else status.HTTP_202_ACCEPTED)
