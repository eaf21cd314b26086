from django.db import transaction
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.exceptions import ApplicationError
from core.pagination import PagePagination
from core.throttling import creation_charge
from core.query_params import KnownQueryParamsMixin
from costs.ledger import LedgerViewMixin, ledger_annotate
from costs.selectors import entity_for_write
from tasks import selectors, services
from tasks.batch import task_batch_dry_run, task_batch_submit, task_body_estimate
from tasks.dryrun import dry_run_answer, dry_run_register, dry_run_requested, dry_run_verdict
from tasks.filters import METADATA_PREFIX, TaskFilter
from tasks.openapi import task_viewset_schema
from tasks.serializers import (
    TaskCreateSerializer, TaskEventSerializer, TaskPrioritySerializer, TaskSerializer,
    TaskStatusSerializer,
)
from tasks.submit import task_submit


def _after_seq(raw: str | None) -> int:
    """Parse `?after=`: the seq of the last event a client has, 0 (the default) for all."""
    if raw in (None, ""):
        return 0
    try:
        after = int(raw)
    except ValueError:
        after = -1
    if after < 0:
        raise ApplicationError(
            f"after must be an event seq, a whole number >= 0; got {raw!r}", code="invalid_after"
        )
    return after


class TaskPagination(PagePagination):
    results_key = "tasks"


@task_viewset_schema
class TaskViewSet(KnownQueryParamsMixin, LedgerViewMixin, viewsets.GenericViewSet):
    """Tracked tasks: list, inspect, create diagnostics, cancel, retry, delete, follow events."""

    serializer_class = TaskSerializer
    pagination_class = TaskPagination
    lookup_field = "task_id"
    # Any id reaches the view, so an unknown one gets the JSON 404 rather than Django's page.
    lookup_value_regex = r"[^/]+"
    filter_backends = []
    filterset_class = TaskFilter
    query_params_prefixes = (METADATA_PREFIX,)
    json_array_actions = frozenset({"batch"})  # core/parsers.py

    def get_serializer_class(self):
        # What OPTIONS and the browsable API's form describe for each action's body; under
        # OPTIONS `self.action` is "metadata", so look the action up by the method asked about.
        action = self.action_map.get(self.request.method.lower(), self.action)
        return {"create": TaskCreateSerializer, "priority": TaskPrioritySerializer}.get(
            action, TaskSerializer
        )

    def get_object(self):
        task = selectors.task_get(user=self.request.user, task_id=self.kwargs["task_id"])
        ledger_annotate(self.request, task_id=task.task_id, entity=task.entity, task_type=task.kind)
        return task

    def list(self, request):
        tasks = selectors.task_list(user=request.user, filters=request.query_params)
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    def retrieve(self, request, task_id=None):
        return Response(TaskSerializer(self.get_object()).data)

    def create(self, request):
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # A child joining a group belongs to the group's entity (tasks.submit).
        entity = None if data.get("parent_id") else entity_for_write(
            user=request.user, entity_id=data["entity_id"], purpose="create tasks")
        ledger_annotate(request, entity=entity, task_type=data["kind"])  # also when refused
        if dry_run_requested(request):
            estimate = task_body_estimate(data)
            verdict = dry_run_verdict(entity=entity, estimate=estimate)
            return Response(dry_run_answer(estimate=estimate, entity=entity, verdict=verdict))
        # A group's children count against the rates as if each had been created on its own.
        # A child joining a group counts against the group's entity's rate.
        payer = entity.entity_id if entity else selectors.task_entity_id(task_id=data["parent_id"])
        creation_charge(user=request.user,
                        entity_ids=[payer] * (1 + len(data.get("children") or ())))
        with transaction.atomic():
            task = task_submit(user=request.user, data=data)
        ledger_annotate(request, task_id=task.task_id, entity=task.entity, task_type=task.kind)
        return Response({**TaskSerializer(task).data,
                         "estimated_cost_usd": task_body_estimate(data).total},
                        status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"])
    def batch(self, request):
        """Create up to 1,000 tasks in one call; each item is a create body, checked on its own."""
        if dry_run_requested(request):
            return Response(task_batch_dry_run(user=request.user, items=request.data))
        return Response(task_batch_submit(user=request.user, items=request.data))

    def destroy(self, request, task_id=None):
        services.task_delete(task=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"], url_path="status")
    def task_status(self, request, task_id=None):
        return Response(TaskStatusSerializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, task_id=None):
        task, message = services.task_cancel(task=self.get_object())
        return Response({"message": message, "task_id": task.task_id, "status": task.status})

    @action(detail=True, methods=["post"])
    def retry(self, request, task_id=None):
        task = services.task_retry(task=self.get_object())
        return Response(TaskSerializer(task).data)

    @action(detail=True, methods=["post"])
    def priority(self, request, task_id=None):
        task = self.get_object()
        serializer = TaskPrioritySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_set_priority(
            task=task, priority=serializer.validated_data["priority"]
        )
        return Response(TaskSerializer(task).data)

    @action(detail=True, methods=["get"])
    def events(self, request, task_id=None):
        task = self.get_object()
        after = _after_seq(request.query_params.get("after"))
        events = selectors.task_event_list(task=task, after=after)
        return Response({
            "task_id": task.task_id,
            "events": TaskEventSerializer(events, many=True).data,
            "last_seq": events[-1].id if events else after,
        })

    @action(detail=False, methods=["get"], url_path="queue/status")
    def queue_status(self, request):
        return Response(selectors.queue_status(user=request.user))


def _task_dry_run(request) -> dict:
    """`POST /estimate` of a task create body."""
    serializer = TaskCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    entity = (selectors.task_get(user=request.user, task_id=data["parent_id"]).entity
              if data.get("parent_id") else
              entity_for_write(user=request.user, entity_id=data["entity_id"],
                               purpose="create tasks"))
    estimate = task_body_estimate(data)
    verdict = dry_run_verdict(entity=entity, estimate=estimate)
    return dry_run_answer(estimate=estimate, entity=entity, verdict=verdict)


dry_run_register("task", answer=_task_dry_run,
                 matches=lambda request: isinstance(request.data, dict) and "kind" in request.data)
dry_run_register("task_batch",
                 answer=lambda request: task_batch_dry_run(user=request.user, items=request.data),
                 matches=lambda request: isinstance(request.data, list) and any(
                     isinstance(item, dict) and "kind" in item for item in request.data))
