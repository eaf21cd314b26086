"""Upload, embedding tasks and metrics, knowledge bases and search.

The upload and embedding-task shapes are existing clients' (docs/api.md, Client contract).
"""
from django.core.exceptions import RequestDataTooBig
from django.db.models import Count
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ApplicationError, PayloadTooLargeError, refusal_message
from core.parsers import JSONObjectParser
from core.pagination import PagePagination
from core.query_params import KnownQueryParamsMixin
from core.schema import THROTTLED, ErrorSerializer, error_responses
from costs.ledger import LedgerViewMixin, ledger_annotate
from costs.middleware import endpoint_pattern
from core.throttling import creation_charge
from costs.selectors import entity_for_write, entity_get
from embeddings import selectors, services
from embeddings.openapi import embedding_task_viewset_schema, knowledge_base_viewset_schema
from embeddings.search import knowledge_base_search
from embeddings.serializers import (
    DocumentSerializer, EmbeddingTaskCreateSerializer, EmbeddingTaskSerializer,
    KnowledgeBaseCreateSerializer, KnowledgeBaseSerializer, stream_url,
)
from budgets.serializers import BudgetExceededSerializer, EstimateSerializer
from tasks.dryrun import DRY_RUN_PARAMETER, dry_run_answer, dry_run_register, dry_run_requested
from tasks.services import task_cancel

MAX_BATCH_ITEMS = 100
# Multipart framing around the file may add this much to the request beyond the file itself.
MULTIPART_SLACK_BYTES = 1024 * 1024


def _body(request):
    """The parsed body; one too large to read is a 413, not a server error."""
    try:
        return request.data
    except RequestDataTooBig:
        raise PayloadTooLargeError(
            f"the request body is too large; the limit is {services.max_upload_bytes() // 1048576} "
            "MB of content (MAX_UPLOAD_MB)"
        ) from None


def _whole_number(raw, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = low - 1
    if not low <= value <= high:
        raise ApplicationError(f"{name} must be a whole number from {low} to {high}; got {raw!r}",
                               code=f"invalid_{name}")
    return value


class DocumentUploadApi(LedgerViewMixin, APIView):
    """POST /entities/{entity_id}/files: store the file, answer at once, embed in the background."""

    parser_classes = [MultiPartParser, FormParser]
    basename = "document"

    @extend_schema(
        request={"multipart/form-data": inline_serializer("DocumentUploadRequest", {
            "file": serializers.FileField(help_text="txt, md, csv, html, pdf or docx"),
            "knowledge_base_id": serializers.CharField(required=False),
            "priority": serializers.ChoiceField(["low", "normal", "high", "critical"],
                                                required=False),
            "metadata": serializers.JSONField(required=False, help_text="A JSON object."),
        })},
        responses={
            200: PolymorphicProxySerializer(component_name="DocumentUploadAnswer",
                                            resource_type_field_name=None, serializers=[
                inline_serializer("DocumentUploadAccepted", {
                "success": serializers.BooleanField(), "task_id": serializers.CharField(),
                "doc_id": serializers.CharField(), "knowledge_base_id": serializers.CharField(),
                "status": serializers.CharField(), "stream_url": serializers.CharField(),
                "message": serializers.CharField(),
                "estimated_cost_usd": serializers.DecimalField(
                    max_digits=None, decimal_places=None, coerce_to_string=False,
                    help_text="The job's estimate, reserved against the entity's budgets."),
                }), EstimateSerializer]),
            402: OpenApiResponse(BudgetExceededSerializer, description="A hard budget of the "
                                 "entity cannot hold the estimate."),
            413: OpenApiResponse(ErrorSerializer, description="The file is over MAX_UPLOAD_MB."),
            415: OpenApiResponse(ErrorSerializer, description="Not an accepted file type."),
        },
        parameters=[DRY_RUN_PARAMETER],
    )
    def post(self, request, entity_id):
        entity = entity_get(user=request.user, entity_id=entity_id)
        ledger_annotate(request, entity=entity, operation_type="file_upload", task_type="upload")
        if dry_run_requested(request):
            return Response(_upload_dry_run(request, entity))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > services.max_upload_bytes() + MULTIPART_SLACK_BYTES:
            raise PayloadTooLargeError(
                f"the upload is {length / 1048576:.1f} MB; the limit is "
                f"{services.max_upload_bytes() // 1048576} MB (MAX_UPLOAD_MB)"
            )
        fields = _upload_fields(request, entity)
        creation_charge(user=request.user, entity_ids=[entity.entity_id], uploads=True)
        document = services.document_upload(**fields)
        task = document.task
        ledger_annotate(request, task_id=task.task_id, doc_id=document.doc_id)
        return Response({
            "success": True,
            "task_id": task.task_id,
            "doc_id": document.doc_id,
            "knowledge_base_id": document.knowledge_base.kb_id,
            "status": task.status,
            "stream_url": stream_url(task),
            "message": f"File {document.original_filename or 'upload'} accepted; "
                       "it is being processed in the background",
            "estimated_cost_usd": document.estimate.total,
        }, status=status.HTTP_200_OK)


@embedding_task_viewset_schema
class EmbeddingTaskViewSet(LedgerViewMixin, viewsets.GenericViewSet):
    """Embedding tasks: create, progress, cancel, queue status, batch."""

    serializer_class = EmbeddingTaskSerializer
    lookup_field = "task_id"
    lookup_value_regex = r"[^/]+"
    filter_backends = []
    parser_classes = [JSONObjectParser]
    json_array_actions = frozenset({"batch"})

    def get_serializer_class(self):
        action_name = self.action_map.get(self.request.method.lower(), self.action)
        return EmbeddingTaskCreateSerializer if action_name == "create" else EmbeddingTaskSerializer

    def get_object(self):
        task = selectors.embedding_task_get(user=self.request.user, task_id=self.kwargs["task_id"])
        ledger_annotate(self.request, task_id=task.task_id, entity=task.entity,
                        doc_id=task.metadata.get("doc_id", ""), task_type=task.kind)
        return task

    def _checked(self, item, found: dict | None = None) -> dict:
        return _embedding_checked(self.request.user, item, found)

    @extend_schema(parameters=[DRY_RUN_PARAMETER], responses={
        200: PolymorphicProxySerializer(component_name="EmbeddingTaskAnswer",
                                        resource_type_field_name=None, serializers=[
            inline_serializer("EmbeddingTaskQueued", {
            "task_id": serializers.CharField(), "document_id": serializers.CharField(),
            "knowledge_base_id": serializers.CharField(), "status": serializers.CharField(),
            "stream_url": serializers.CharField(), "message": serializers.CharField(),
            "estimated_cost_usd": serializers.DecimalField(max_digits=None, decimal_places=None,
                                                           coerce_to_string=False),
            }), EstimateSerializer]),
        402: OpenApiResponse(BudgetExceededSerializer, description="A hard budget of the entity "
                             "cannot hold the estimate."),
        **error_responses(e409="document_exists: that document_id is taken.", e429=THROTTLED),
    })
    def create(self, request):
        fields = self._checked(_body(request))
        ledger_annotate(request, entity=fields["entity"])  # also when refused
        if dry_run_requested(request):
            return Response(_submit_dry_run(fields))
        creation_charge(user=request.user, entity_ids=[fields["entity"].entity_id])
        document = services.document_submit(**fields)
        ledger_annotate(request, task_id=document.task.task_id, doc_id=document.doc_id,
                        entity=document.entity, task_type=document.task.kind)
        return Response({
            "task_id": document.task.task_id,
            "document_id": document.doc_id,
            "knowledge_base_id": document.knowledge_base.kb_id,
            "status": "pending",
            "stream_url": stream_url(document.task),
            "message": "Task queued successfully",
            "estimated_cost_usd": document.estimate.total,
        })

    def retrieve(self, request, task_id=None):
        return Response(EmbeddingTaskSerializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, task_id=None):
        task, message = task_cancel(task=self.get_object())
        return Response({"message": message, "task_id": task.task_id, "status": task.status})

    @action(detail=False, methods=["get"], url_path="queue/status")
    def queue_status(self, request):
        return Response(selectors.embedding_queue_status(user=request.user))

    @action(detail=False, methods=["post"])
    def batch(self, request):
        items = _batch_items(_body(request))
        if dry_run_requested(request):
            return Response(_batch_dry_run(request.user, items))
        # Every item is checked before any is stored, so that the rates count the whole batch
        # (each item one task) and a refused batch stores nothing.
        results, checked, found = [], [], {}
        for item in items:
            # Echoed so a refused item can be told apart; an id that is not text is no id.
            document_id = item.get("document_id") if isinstance(item, dict) else None
            document_id = document_id if isinstance(document_id, str) else None
            try:
                if not isinstance(item, dict):
                    raise ApplicationError("each item must be a JSON object", code="invalid")
                checked.append(self._checked(item, found))
                results.append(None)
            except Exception as exc:
                detail = refusal_message(exc)
                if detail is None:
                    raise
                checked.append(None)
                results.append({"document_id": document_id, "task_id": None, "status": "failed",
                                "error": detail})
        creation_charge(user=request.user,
                        entity_ids=[fields["entity"].entity_id for fields in checked if fields])
        submitted = iter(services.documents_submit_many(
            items=[fields for fields in checked if fields]))
        for index, fields in enumerate(checked):
            if fields is None:
                continue
            document = next(submitted)
            if isinstance(document, Exception):
                results[index] = {"document_id": fields.get("document_id"), "task_id": None,
                                  "status": "failed", "error": refusal_message(document)}
                continue
            results[index] = {"document_id": document.doc_id, "task_id": document.task.task_id,
                              "status": "queued",
                              "estimated_cost_usd": document.estimate.total}
        queued = sum(1 for r in results if r["status"] == "queued")
        return Response({"total": len(items), "queued": queued, "failed": len(items) - queued,
                         "tasks": results})


def _batch_items(items) -> list:
    if not isinstance(items, list) or not items:
        raise ApplicationError("the body must be a non-empty JSON array of tasks",
                               code="invalid_batch")
    if len(items) > MAX_BATCH_ITEMS:
        raise ApplicationError(f"a batch holds at most {MAX_BATCH_ITEMS} tasks; got {len(items)}",
                               code="invalid_batch")
    return items


def _once(found: dict, key: tuple, look_up):
    """`look_up()` the first time `key` is asked for; its answer, or its refusal, after."""
    if key not in found:
        try:
            found[key] = look_up()
        except Exception as exc:
            found[key] = exc
    if isinstance(found[key], Exception):
        raise found[key]
    return found[key]


def _embedding_checked(user, item, found: dict | None = None) -> dict:
    """One create body as `document_submit` takes it; raises what a refusal is. `found`:
    the knowledge bases and entities a batch has looked up so far (each looked up once)."""
    serializer = EmbeddingTaskCreateSerializer(data=item)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    found = {} if found is None else found
    if data["knowledge_base_id"]:
        knowledge_base = _once(found, ("kb", data["knowledge_base_id"]), lambda: (
            selectors.knowledge_base_get(user=user, kb_id=data["knowledge_base_id"])))
        if data["entity_id"] and data["entity_id"] != knowledge_base.entity.entity_id:
            raise ApplicationError(
                f"knowledge base {knowledge_base.kb_id} belongs to another entity than "
                f"{data['entity_id']}", code="entity_mismatch")
        entity = knowledge_base.entity
    else:
        knowledge_base = None
        entity = _once(found, ("entity", data["entity_id"]), lambda: entity_for_write(
            user=user, entity_id=data["entity_id"], purpose="submit documents",
            staff_may_omit=False))
    return {"entity": entity, "knowledge_base": knowledge_base, "content": data["content"],
            "document_id": data["document_id"], "priority": data["priority"],
            "metadata": data["metadata"], "user": user}


def _submit_dry_run(fields: dict, *, budget_ahead: dict | None = None) -> dict:
    run = services.document_submit(**fields, dry_run=True, budget_ahead=budget_ahead)
    return dry_run_answer(estimate=run.estimate, verdict=run.verdict, entity=fields["entity"])


def _batch_dry_run(user, items: list) -> dict:
    """Each item's estimate and verdict, each judged against the budget after the
    reservations of the items before it, as the batch itself is."""
    answers, total, ahead, found = [], 0, {}, {}
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise ApplicationError("each item must be a JSON object", code="invalid")
            answer = _submit_dry_run(_embedding_checked(user, item, found), budget_ahead=ahead)
        except Exception as exc:
            detail = refusal_message(exc)
            if detail is None:
                raise
            answers.append({"index": index, "estimate": None, "error": detail})
            continue
        total += answer["estimated_cost_usd"]
        answers.append({"index": index, "estimate": answer, "error": None})
    return {"dry_run": True, "total": len(items), "estimated_cost_usd": total, "tasks": answers}


def _upload_fields(request, entity) -> dict:
    """An upload request as `document_upload` takes it; raises what a refusal is."""
    upload = request.FILES.get("file")
    if upload is None:
        raise ApplicationError("file is required: send the document as the multipart field "
                               "'file'", code="file_required")
    kb_id = request.data.get("knowledge_base_id") or None
    knowledge_base = (selectors.knowledge_base_get(user=request.user, kb_id=kb_id, entity=entity)
                      if kb_id else None)
    return {"entity": entity, "knowledge_base": knowledge_base, "upload": upload,
            "priority": request.data.get("priority") or "normal",
            "metadata": request.data.get("metadata"), "user": request.user}


def _upload_dry_run(request, entity) -> dict:
    run = services.document_upload(**_upload_fields(request, entity), dry_run=True)
    return dry_run_answer(estimate=run.estimate, verdict=run.verdict, entity=entity)


def _estimate_upload(request) -> dict:
    entity = entity_for_write(user=request.user, entity_id=request.data.get("entity_id") or None,
                              purpose="upload files")
    return _upload_dry_run(request, entity)


def _is_json_list_of(request, key: str) -> bool:
    data = request.data
    return isinstance(data, list) and any(isinstance(item, dict) and key in item for item in data)


dry_run_register("upload", matches=lambda request: "file" in request.FILES,
                 answer=_estimate_upload)
dry_run_register("embedding", answer=lambda request: _submit_dry_run(
                     _embedding_checked(request.user, _body(request))),
                 matches=lambda request: isinstance(request.data, dict) and "content" in request.data)
dry_run_register("embedding_batch", answer=lambda request: _batch_dry_run(
                     request.user, _batch_items(_body(request))),
                 matches=lambda request: _is_json_list_of(request, "content"))


class EmbeddingMetricsApi(LedgerViewMixin, APIView):
    """GET /metrics/embedding-tasks: embedding tasks' performance (`?minutes=`, default 60)."""

    basename = "embedding_metrics"

    @extend_schema(
        parameters=[OpenApiParameter("minutes", {"type": "integer", "minimum": 1, "maximum": 43200}, description="Window, 1 to 43200; default 60 (also when blank).")],
        responses=inline_serializer("EmbeddingMetrics", {
            "window_minutes": serializers.IntegerField(),
            "average_processing_time_seconds": serializers.FloatField(allow_null=True),
            "average_end_to_end_time_seconds": serializers.FloatField(allow_null=True),
            "queue_depth": serializers.IntegerField(),
            "active_tasks": serializers.IntegerField(),
            "success_rate": serializers.FloatField(allow_null=True, help_text="Percent."),
            "retry_rate": serializers.FloatField(allow_null=True, help_text="Percent."),
            "throughput_per_minute": serializers.FloatField(),
            "completed": serializers.IntegerField(),
            "failed": serializers.IntegerField(),
            "cancelled": serializers.IntegerField(),
        }),
    )
    def get(self, request):
        minutes = _whole_number(request.query_params.get("minutes"), "minutes", 60, 1, 60 * 24 * 30)
        return Response(selectors.embedding_metrics(user=request.user, minutes=minutes))


class KnowledgeBasePagination(PagePagination):
    results_key = "knowledge_bases"


class DocumentPagination(PagePagination):
    results_key = "documents"


@knowledge_base_viewset_schema
class KnowledgeBaseViewSet(KnownQueryParamsMixin, LedgerViewMixin, viewsets.GenericViewSet):
    """Knowledge bases: list, create, inspect, list documents, search."""

    serializer_class = KnowledgeBaseSerializer
    lookup_field = "kb_id"
    lookup_value_regex = r"[^/]+"
    filter_backends = []
    basename = "knowledge_base"
    pagination_class = KnowledgeBasePagination
    query_params_actions = frozenset({"list", "documents"})

    def get_object(self):
        kb = selectors.knowledge_base_get(user=self.request.user, kb_id=self.kwargs["kb_id"])
        ledger_annotate(self.request, entity=kb.entity)
        return kb

    def list(self, request):
        kbs = selectors.knowledge_base_visible(user=request.user).annotate(
            document_count=Count("documents")).order_by("entity__entity_id", "name", "id")
        page = self.paginate_queryset(kbs)
        return self.get_paginated_response(KnowledgeBaseSerializer(page, many=True).data)

    def create(self, request):
        serializer = KnowledgeBaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entity = entity_for_write(user=request.user,
                                  entity_id=serializer.validated_data["entity_id"],
                                  purpose="create knowledge bases", staff_may_omit=False)
        kb = services.knowledge_base_create(entity=entity, name=serializer.validated_data["name"])
        ledger_annotate(request, entity=entity)
        return Response(KnowledgeBaseSerializer(kb).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, kb_id=None):
        return Response(KnowledgeBaseSerializer(self.get_object()).data)

    @action(detail=True, methods=["get"])
    def documents(self, request, kb_id=None):
        documents = selectors.document_list(knowledge_base=self.get_object())
        paginator = DocumentPagination()
        page = paginator.paginate_queryset(documents, request, view=self)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def search(self, request, kb_id=None):
        kb = self.get_object()
        k = _whole_number(request.query_params.get("k"), "k", 10, 1, 100)
        return Response(knowledge_base_search(
            knowledge_base=kb, query=request.query_params.get("q", ""), k=k, user=request.user,
            request_id=getattr(request._request, "request_id", None),
            endpoint=endpoint_pattern(request._request),
        ))
