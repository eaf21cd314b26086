"""Budgets over HTTP: an entity's budgets, estimates, and a task's estimate beside its cost."""
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from budgets import selectors, services
from budgets.serializers import (
    BatchEstimateSerializer, BudgetsWriteSerializer, EntityBudgetsSerializer, EstimateSerializer,
    TaskCostEstimateSerializer,
)
from core.parsers import JSONObjectParser
from core.query_params import KnownQueryParamsMixin
from core.schema import ErrorSerializer
from costs import selectors as cost_selectors
from costs.apis import WAIT_PARAMETER, TaskCostApi, _cost_response
from costs.ledger import LedgerViewMixin, ledger_annotate
from costs.selectors import entity_get
from tasks.dryrun import dry_run_dispatch


class EntityBudgetsApi(KnownQueryParamsMixin, LedgerViewMixin, APIView):
    """GET (members and staff) / PUT (staff) an entity's budgets, with their figures now."""

    basename = "entity_budgets"
    parser_classes = [JSONObjectParser]

    @extend_schema(responses={200: EntityBudgetsSerializer,
                              404: OpenApiResponse(ErrorSerializer, description="No such entity, "
                                                   "or not one of yours.")})
    def get(self, request, entity_id):
        return Response(EntityBudgetsSerializer(selectors.entity_budgets_for_user(
            user=request.user, entity_id=entity_id)).data)

    @extend_schema(request=BudgetsWriteSerializer, responses={
        200: EntityBudgetsSerializer,
        400: OpenApiResponse(ErrorSerializer, description="A budget field is wrong: `errors` "
                             "names it."),
        403: OpenApiResponse(ErrorSerializer, description="Only staff may change budgets."),
        404: OpenApiResponse(ErrorSerializer, description="No such entity, or not one of yours."),
    })
    def put(self, request, entity_id):
        entity = entity_get(user=request.user, entity_id=entity_id)
        ledger_annotate(request, entity=entity, operation_type="budgets_set")
        if not request.user.is_staff:
            raise PermissionDenied("only staff may change an entity's budgets; members may read them")
        serializer = BudgetsWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.entity_budgets_replace(entity=entity, budgets=serializer.validated_data["budgets"])
        return Response(EntityBudgetsSerializer(selectors.entity_budgets_for_user(
            user=request.user, entity_id=entity_id)).data)


class EstimateApi(LedgerViewMixin, APIView):
    """POST /estimate: the same payload as a creating endpoint; its estimate, nothing queued."""

    basename = "estimate"
    parser_classes = [JSONObjectParser, MultiPartParser, FormParser]
    json_array_allowed = True  # the estimate of a batch

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter(
            "for", str, enum=["task", "task_batch", "embedding", "embedding_batch", "upload",
                              "analysis"],
            description="The creating endpoint the payload is for; found from its shape when "
                        "left out.")],
        responses={
            200: OpenApiResponse(PolymorphicProxySerializer(
                component_name="EstimateAnswer", resource_type_field_name=None,
                serializers=[EstimateSerializer, BatchEstimateSerializer]),
                description="One task's estimate, or a batch's item by item."),
            400: OpenApiResponse(ErrorSerializer, description="The payload is not a creating "
                                 "endpoint's, or is refused as that endpoint would refuse it."),
            404: OpenApiResponse(ErrorSerializer, description="An entity or knowledge base that "
                                 "is not yours."),
        },
    )
    def post(self, request):
        return Response(dry_run_dispatch(request), status=status.HTTP_200_OK)


class TaskCostEstimateApi(TaskCostApi):
    """What a task cost so far, with the estimate made when it was created beside it."""

    @extend_schema(responses={200: TaskCostEstimateSerializer, 202: TaskCostEstimateSerializer,
                              404: OpenApiResponse(ErrorSerializer, description="No such task, "
                                                   "or not one of yours.")},
                   parameters=[WAIT_PARAMETER])
    def get(self, request, task_id):
        seconds = cost_selectors.cost_wait_seconds(request.query_params.get("wait"))
        cost = cost_selectors.cost_final_wait(
            lambda: cost_selectors.task_cost(user=request.user, task_id=task_id), seconds=seconds)
        estimate = selectors.task_estimate_get(task_id=task_id)
        cost["estimated_cost_usd"] = estimate.total_usd if estimate else None
        cost["estimated_breakdown_by_service"] = (
            {service: Decimal(value) for service, value in estimate.breakdown.items()}
            if estimate else None)
        cost["reserved"] = bool(estimate and estimate.reserved)
        return _cost_response(cost)
