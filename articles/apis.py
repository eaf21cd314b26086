from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import selectors, services, uploads
from articles.openapi import analyze_schema, article_viewset_schema
from articles.filters import ArticleFilter
from articles.serializers import (
    AnalyzeSerializer, ArticleCreatedSerializer, ArticleSerializer, ArticleStatusSerializer, CostIndexSerializer,
    CostModelLineSerializer,
)
from core.exceptions import NotFoundError
from core.pagination import PagePagination
from core.query_params import KnownQueryParamsMixin
from costs.ledger import LedgerViewMixin, ledger_annotate
from core.throttling import creation_charge
from costs.selectors import entity_for_write
from tasks.dryrun import dry_run_answer, dry_run_register, dry_run_requested


def _annotate(request, article) -> None:
    ledger_annotate(request, entity=article.entity, doc_id=services.article_doc_id(article),
                    task_id=article.task.task_id if article.task else "",
                    task_type="article_analysis")


class AnalyzeApi(LedgerViewMixin, APIView):
    """POST /analyze: store the article and its files, queue the analysis, 201.

    The form and the answer are the analysis clients' (docs/api.md, Client contract).
    """

    parser_classes = [MultiPartParser, FormParser]
    basename = "article"

    @analyze_schema
    def post(self, request):
        data, entity = _analyze_checked(request)
        ledger_annotate(request, entity=entity)  # also when refused
        if dry_run_requested(request):
            return Response(_analyze_dry_run(data, entity))
        creation_charge(user=request.user, entity_ids=[entity.entity_id], uploads=True)
        article = services.article_create(
            article_name=data["articleName"].strip(), description=data["description"] or None,
            specification=data["productSpecification"], drawing=data["drawing"],
            entity=entity,
            created_by=request.user,
            fresh=data["fresh"])
        _annotate(request, article)
        estimate = article.task.estimate
        article = selectors.article_get(user=request.user, article_id=article.pk)
        return Response(ArticleCreatedSerializer(article, context={"estimate": estimate}).data,
                        status=status.HTTP_201_CREATED)


def _analyze_checked(request):
    """The checked body of POST /analyze and the entity that pays."""
    uploads.request_size_check(content_length=request.META.get("CONTENT_LENGTH"))
    serializer = AnalyzeSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    uploads.upload_size_check(field="productSpecification", upload=data["productSpecification"])
    if data["drawing"] is not None:
        uploads.upload_size_check(field="drawing", upload=data["drawing"])
        uploads.drawing_type_check(upload=data["drawing"])
    entity = entity_for_write(user=request.user, entity_id=data["entity_id"],
                              purpose="analyse articles")
    return data, entity


def _analyze_dry_run(data, entity) -> dict:
    run = services.article_estimate(
        article_name=data["articleName"].strip(), description=data["description"] or None,
        specification=data["productSpecification"], entity=entity)
    return dry_run_answer(estimate=run["estimate"], verdict=run["verdict"], entity=entity)


dry_run_register("analysis", matches=lambda request: "productSpecification" in request.FILES,
                 answer=lambda request: _analyze_dry_run(*_analyze_checked(request)))


class ArticlePagination(PagePagination):
    results_key = "articles"


@article_viewset_schema
class ArticleViewSet(KnownQueryParamsMixin, LedgerViewMixin, viewsets.GenericViewSet):
    """Articles: list with filters, one with its cost model, its status for polling, re-analyse."""

    serializer_class = ArticleSerializer
    pagination_class = ArticlePagination
    lookup_value_regex = r"[^/]+"
    filter_backends = []
    filterset_class = ArticleFilter

    def get_object(self):
        article = selectors.article_get(user=self.request.user, article_id=self.kwargs["pk"])
        _annotate(self.request, article)
        return article

    def list(self, request):
        articles = selectors.article_list(user=request.user, filters=request.query_params)
        page = self.paginate_queryset(articles)
        return self.get_paginated_response(ArticleSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ArticleSerializer(self.get_object()).data)

    @action(detail=True, methods=["get"], url_path="status")
    def article_status(self, request, pk=None):
        return Response(ArticleStatusSerializer(self.get_object()).data)

    @action(detail=True, methods=["get"], url_path="cost-models")
    def cost_models(self, request, pk=None):
        article = self.get_object()
        return Response({"article_id": article.pk,
                         "cost_models": CostModelLineSerializer(article.cost_models.all(),
                                                                many=True).data})

    @action(detail=True, methods=["post"])
    def reanalyze(self, request, pk=None):
        fresh = str(request.data.get("fresh", "true")).lower() not in ("false", "0", "no")
        article = self.get_object()
        if dry_run_requested(request):
            run = services.article_reanalyze_estimate(article=article)
            return Response(dry_run_answer(estimate=run["estimate"], verdict=run["verdict"],
                                           entity=article.entity))
        creation_charge(user=request.user, entity_ids=[article.entity.entity_id])
        article = services.article_reanalyze(article=article, fresh=fresh,
                                             created_by=request.user)
        estimate = article.task.estimate
        article = selectors.article_get(user=request.user, article_id=article.pk)
        _annotate(request, article)
        return Response(ArticleCreatedSerializer(article, context={"estimate": estimate}).data,
                        status=status.HTTP_202_ACCEPTED)


class CostIndexPagination(PagePagination):
    results_key = "cost_indices"
    page_size = 100


class CostIndexViewSet(KnownQueryParamsMixin, LedgerViewMixin, viewsets.ReadOnlyModelViewSet):
    """The cost-index catalogue the cost models are built over (edited in the admin)."""

    serializer_class = CostIndexSerializer
    pagination_class = CostIndexPagination
    filter_backends = []

    def get_queryset(self):
        return selectors.cost_index_list(active_only=False)

    def get_object(self):
        index = self.get_queryset().filter(pk=self.kwargs["pk"]).first() \
            if str(self.kwargs["pk"]).isdigit() else None
        if index is None:
            raise NotFoundError(f"Cost index {self.kwargs['pk']} not found")
        return index
