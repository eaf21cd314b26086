"""What the embedding and knowledge-base endpoints answer, for the OpenAPI schema.

The answers built by hand in embeddings/apis.py (cancel, queue status, batch, search) are
described here as inline serializers of exactly their keys.
"""
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema,
    extend_schema_view, inline_serializer,
)
from rest_framework import serializers

from budgets.serializers import BatchEstimateSerializer, BudgetExceededSerializer
from core.schema import THROTTLED, error_responses, paginated
from costs.serializers import MoneyField
from embeddings.serializers import (
    DocumentSerializer, EmbeddingTaskCreateSerializer, EmbeddingTaskSerializer,
    KnowledgeBaseCreateSerializer, KnowledgeBaseSerializer, SearchResultSerializer,
)
from tasks.dryrun import DRY_RUN_PARAMETER
from tasks.openapi import QUEUE_STATUS, TASK_CANCELLED

BUDGET_EXCEEDED = OpenApiResponse(BudgetExceededSerializer, description="budget_exceeded: a "
                                  "hard budget of the entity cannot hold the estimate.")

EMBEDDING_BATCH = inline_serializer("EmbeddingBatchAnswer", {
    "total": serializers.IntegerField(),
    "queued": serializers.IntegerField(),
    "failed": serializers.IntegerField(),
    "tasks": inline_serializer("EmbeddingBatchItem", {
        "document_id": serializers.CharField(allow_null=True),
        "task_id": serializers.CharField(allow_null=True),
        "status": serializers.ChoiceField(["queued", "failed"]),
        "error": serializers.CharField(required=False, help_text="Why the item was refused."),
        "estimated_cost_usd": MoneyField(required=False, help_text="For a queued item."),
    }, many=True),
})

SEARCH_ANSWER = inline_serializer("KnowledgeBaseSearchAnswer", {
    "knowledge_base_id": serializers.CharField(),
    "query": serializers.CharField(),
    "k": serializers.IntegerField(),
    "model": serializers.CharField(),
    "searched_chunks": serializers.IntegerField(),
    "results": SearchResultSerializer(many=True),
})

embedding_task_viewset_schema = extend_schema_view(
    retrieve=extend_schema(responses=EmbeddingTaskSerializer),
    cancel=extend_schema(request=None, responses={200: TASK_CANCELLED, **error_responses(
        e409="The task has completed or failed.")}),
    queue_status=extend_schema(responses=QUEUE_STATUS),
    batch=extend_schema(
        request=EmbeddingTaskCreateSerializer(many=True, allow_empty=False, max_length=100),
        parameters=[DRY_RUN_PARAMETER],
        responses={200: PolymorphicProxySerializer(
            component_name="EmbeddingBatchOrEstimate", resource_type_field_name=None,
            serializers=[EMBEDDING_BATCH, BatchEstimateSerializer]),
            402: BUDGET_EXCEEDED, **error_responses(e429=THROTTLED)}),
)

knowledge_base_viewset_schema = extend_schema_view(
    create=extend_schema(request=KnowledgeBaseCreateSerializer,
                         responses={201: KnowledgeBaseSerializer, **error_responses(
                             e409="The entity already has a knowledge base of that name.")}),
    retrieve=extend_schema(responses=KnowledgeBaseSerializer),
    documents=extend_schema(responses=paginated("PaginatedDocumentList", "documents",
                                                DocumentSerializer)),
    search=extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="The text to search for."),
            OpenApiParameter("k", {"type": "integer", "minimum": 1, "maximum": 100},
                             description="How many chunks, 1 to 100; default 10 (also when blank)."),
        ],
        responses={200: SEARCH_ANSWER, **error_responses(
            e400="q is missing or too long, or k is out of range.",
            e402="The entity's hard budget cannot hold the query's embedding.")}),
)
