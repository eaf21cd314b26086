"""What the article endpoints answer, for the OpenAPI schema (articles/apis.py stays thin)."""
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers

from articles.filters import ArticleFilter
from articles.serializers import (
    AnalyzeSerializer, ArticleCreatedSerializer, ArticleSerializer, ArticleStatusSerializer,
    CostModelLineSerializer,
)
from budgets.serializers import BudgetExceededSerializer, EstimateSerializer
from core.schema import THROTTLED, error_responses, filter_parameters
from tasks.dryrun import DRY_RUN_PARAMETER

BUDGET_EXCEEDED = OpenApiResponse(BudgetExceededSerializer, description="budget_exceeded: a "
                                  "hard budget of the entity cannot hold the analysis's estimate.")

analyze_schema = extend_schema(
    request={"multipart/form-data": AnalyzeSerializer}, parameters=[DRY_RUN_PARAMETER],
    responses={
        200: OpenApiResponse(EstimateSerializer, description="?dry_run=1: the estimate; "
                             "nothing stored or queued."),
        201: ArticleCreatedSerializer,
        402: BUDGET_EXCEEDED,
        **error_responses(e413="A file is over MAX_UPLOAD_MB.",
                          e415="The drawing's type is not accepted.", e429=THROTTLED),
    })

COST_MODELS = inline_serializer("ArticleCostModels", {
    "article_id": serializers.IntegerField(),
    "cost_models": CostModelLineSerializer(many=True),
})

article_viewset_schema = extend_schema_view(
    list=extend_schema(parameters=filter_parameters(ArticleFilter)),
    retrieve=extend_schema(responses=ArticleSerializer),
    article_status=extend_schema(responses=ArticleStatusSerializer),
    cost_models=extend_schema(responses=COST_MODELS),
    reanalyze=extend_schema(request=None, parameters=[DRY_RUN_PARAMETER], responses={
        200: OpenApiResponse(EstimateSerializer, description="?dry_run=1: the estimate; "
                             "nothing queued."),
        202: ArticleCreatedSerializer,
        402: BUDGET_EXCEEDED,
        **error_responses(e409="An analysis of it still runs.", e429=THROTTLED),
    }),
)
