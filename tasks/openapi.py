"""What the task endpoints answer, for the OpenAPI schema (kept here so tasks/apis.py stays thin).

The answers are the ones the views build by hand (cancel, events, queue status, batch):
each is described as an inline serializer of exactly the keys the view returns.

A dry run (`?dry_run=1`) answers the budgets app's Estimate or BatchEstimate, and a refusal
is its BudgetExceeded (budgets/serializers.py; `POST /api/estimate` puts all three in the
schema). The task framework sits below budgets and does not import it: this module names
those components, and the budgets app registers its BatchEstimateSerializer here from its
AppConfig.ready() for the one place that needs the serializer itself, the batch's oneOf.
"""
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema, extend_schema_view, inline_serializer,
)
from rest_framework import serializers

from core.schema import THROTTLED, error_responses, filter_parameters
from costs.serializers import MoneyField
from tasks.dryrun import DRY_RUN_PARAMETER
from tasks.filters import TaskFilter
from tasks.serializers import (
    TaskCreateSerializer, TaskEventSerializer, TaskPrioritySerializer, TaskSerializer,
    TaskStatusSerializer,
)

ESTIMATE = {"$ref": "#/components/schemas/Estimate"}
BUDGET_EXCEEDED = OpenApiResponse({"$ref": "#/components/schemas/BudgetExceeded"},
                                  description="budget_exceeded: a hard budget of the entity "
                                  "cannot hold the estimate.")

_batch_estimate_serializers: list[type] = []


def batch_estimate_register(serializer: type) -> None:
    """Name the serializer of a batch's dry-run answer (the budgets app's AppConfig.ready)."""
    _batch_estimate_serializers[:] = [serializer]


class TaskCreatedSerializer(TaskSerializer):
    estimated_cost_usd = MoneyField(help_text="The estimate made at creation (docs/budgets.md).")

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "estimated_cost_usd"]


TASK_CANCELLED = inline_serializer("TaskCancelled", {
    "message": serializers.CharField(help_text="Cancelled at once, or at its next progress "
                                     "check when it runs."),
    "task_id": serializers.CharField(),
    "status": serializers.CharField(),
})

QUEUE_STATUS = inline_serializer("QueueStatus", {
    "queue_size": serializers.IntegerField(help_text="Pending tasks."),
    "status_counts": serializers.DictField(child=serializers.IntegerField(),
                                           help_text="Visible tasks per status."),
    "max_concurrent_tasks": serializers.IntegerField(),
    "active_tasks": serializers.IntegerField(help_text="Tasks processing now."),
    "queue_by_priority": serializers.DictField(child=serializers.IntegerField(),
                                               help_text="Pending tasks per priority."),
})

TASK_EVENTS = inline_serializer("TaskEventList", {
    "task_id": serializers.CharField(),
    "events": TaskEventSerializer(many=True),
    "last_seq": serializers.IntegerField(help_text="Pass as ?after= to read only newer events."),
})

BATCH_ITEM_FIELDS = {
    "task_id": serializers.CharField(allow_null=True),
    "kind": serializers.CharField(allow_null=True),
    "status": serializers.ChoiceField(["queued", "failed"]),
    "error": serializers.CharField(allow_null=True, help_text="Why the item was refused."),
    "estimated_cost_usd": MoneyField(required=False, help_text="For a queued item."),
}

TASK_BATCH = inline_serializer("TaskBatchAnswer", {
    "total": serializers.IntegerField(),
    "queued": serializers.IntegerField(),
    "failed": serializers.IntegerField(),
    "tasks": inline_serializer("TaskBatchItem", BATCH_ITEM_FIELDS, many=True),
})

task_viewset_schema = extend_schema_view(
    list=extend_schema(parameters=filter_parameters(TaskFilter)),
    create=extend_schema(
        request=TaskCreateSerializer, parameters=[DRY_RUN_PARAMETER],
        responses={201: TaskCreatedSerializer,
                   200: OpenApiResponse(ESTIMATE, description="?dry_run=1: the estimate; "
                                        "nothing created."),
                   402: BUDGET_EXCEEDED,
                   **error_responses(e404="parent_id or entity_id names nothing of yours.",
                                     e409="parent_id names a group that has ended.",
                                     e429=THROTTLED)}),
    batch=extend_schema(
        request=TaskCreateSerializer(many=True, allow_empty=False, max_length=1000), parameters=[DRY_RUN_PARAMETER],
        responses={200: PolymorphicProxySerializer(
            component_name="TaskBatchOrEstimate", resource_type_field_name=None,
            # Read when the schema is built, after every app's ready().
            serializers=lambda: [TASK_BATCH, *_batch_estimate_serializers]),
                   402: BUDGET_EXCEEDED,
                   **error_responses(e429=THROTTLED)},
        description="Create up to 1,000 tasks; each item is a create body, checked on its own "
                    "(a refused item is listed with its reason). With ?dry_run=1 the answer is "
                    "the batch's estimate (BatchEstimate)."),
    retrieve=extend_schema(responses=TaskSerializer),
    destroy=extend_schema(responses={204: None, **error_responses(
        e409="The task is pending or running: cancel it first.")}),
    task_status=extend_schema(responses=TaskStatusSerializer),
    cancel=extend_schema(request=None, responses={200: TASK_CANCELLED, **error_responses(
        e409="The task has completed or failed.")}),
    retry=extend_schema(request=None, responses={200: TaskSerializer, **error_responses(
        e409="Only a failed or cancelled task can be retried.")}),
    priority=extend_schema(request=TaskPrioritySerializer, responses={
        200: TaskSerializer, **error_responses(e409="The task has already started or ended.")}),
    events=extend_schema(
        parameters=[OpenApiParameter("after", int,
                                     description="The seq of the last event you have; 0 (the "
                                     "default, also when blank) for all.")],
        responses={200: TASK_EVENTS, **error_responses(e400="after is not a whole number >= 0.")}),
    queue_status=extend_schema(responses=QUEUE_STATUS),
)
