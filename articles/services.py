"""Writes on articles: create and (re)start an analysis, record its steps and its outcome."""
import hashlib
import logging
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleFile, CostModelLine, FileRole, ProcessingStatus
from articles.spec_text import UnreadableSpecification, spec_text_read
from budgets.services import budget_check, budget_reserve
from core.exceptions import ConflictError
from tasks.estimators import Estimate, estimate_for
from tasks.models import ACTIVE_STATUSES, Task
from tasks.services import task_create

logger = logging.getLogger(__name__)

ANALYZE_KIND = "article.analyze"


def analysis_estimate(*, article_name: str, description: str | None, spec_data: bytes,
                      filename: str) -> Estimate:
    """What analysing this specification is expected to cost; an unreadable one nothing (its
    analysis fails before any call)."""
    try:
        text = spec_text_read(data=spec_data, filename=filename).text
    except UnreadableSpecification:
        return Estimate(kind=ANALYZE_KIND)
    return estimate_for(ANALYZE_KIND, spec_text=text, article_name=article_name,
                        description=description)


def _upload_bytes(upload: UploadedFile) -> bytes:
    data = b"".join(upload.chunks())
    upload.seek(0)
    return data


def article_estimate(*, article_name: str, description: str | None, specification: UploadedFile,
                     entity=None) -> dict:
    """A dry run of `article_create`: the estimate and the budgets' verdict; nothing stored."""
    estimate = analysis_estimate(article_name=article_name, description=description,
                                 spec_data=_upload_bytes(specification),
                                 filename=specification.name)
    return {"estimate": estimate, "verdict": budget_check(entity=entity, estimate=estimate)}


def article_create(*, article_name: str, description: str | None, specification: UploadedFile,
                   drawing: UploadedFile | None = None, entity=None, created_by=None,
                   fresh: bool = False) -> Article:
    """Store an article and its files and queue its analysis; all or nothing (a budget that
    cannot hold its estimate refuses it, budgets.errors.BudgetExceeded)."""
    estimate = analysis_estimate(article_name=article_name, description=description,
                                 spec_data=_upload_bytes(specification),
                                 filename=specification.name)
    with transaction.atomic():
        # `processing` from the start, as analysis clients expect (and stop polling only on
        # completed or failed); the task's own status says whether a worker has begun.
        article = Article.objects.create(
            article_name=article_name, description=description, entity=entity,
            created_by=created_by, processing_status=ProcessingStatus.PROCESSING,
        )
        _file_store(article=article, role=FileRole.SPECIFICATION, upload=specification)
        if drawing is not None:
            _file_store(article=article, role=FileRole.DRAWING, upload=drawing)
        _analysis_queue(article=article, created_by=created_by, fresh=fresh, estimate=estimate)
    return article


def _file_store(*, article: Article, role: str, upload: UploadedFile) -> ArticleFile:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ArticleFile.objects.create(
        article=article, role=role, file=upload, original_name=upload.name[:255],
        content_type=(upload.content_type or "")[:100], size=upload.size,
        sha256=digest.hexdigest(),
    )


def _analysis_queue(*, article: Article, created_by, fresh: bool, estimate: Estimate) -> Task:
    task = task_create(
        kind=ANALYZE_KIND, entity=article.entity, created_by=created_by,
        params={"article_id": article.pk, "fresh": fresh},
        metadata={"article_id": article.pk, "doc_id": article_doc_id(article)},
    )
    budget_reserve(task=task, estimate=estimate)
    task.estimate = estimate
    article.task = task
    article.save(update_fields=["task", "updated_at"])
    return task


def article_doc_id(article: Article) -> str:
    """The ledger's doc_id for an article's analysis work (GET /api/documents/{doc_id}/cost)."""
    return f"article_{article.pk}"


def article_reanalyze(*, article: Article, fresh: bool = True, created_by=None) -> Article:
    """Analyse an article again with a new task; refused while its analysis still runs."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.task_id and Task.objects.filter(pk=article.task_id,
                                                   status__in=ACTIVE_STATUSES).exists():
            raise ConflictError(
                f"Article {article.pk} is still being analysed (task {article.task.task_id}); "
                "wait for it to finish or cancel that task first",
                code="analysis_running",
            )
        article.processing_status = ProcessingStatus.PROCESSING
        article.processing_error = None
        article.processing_started_at = article.processing_completed_at = None
        article.weight_extracted, article.extracted_weight = False, None
        article.save(update_fields=["processing_status", "processing_error",
                                    "processing_started_at", "processing_completed_at",
                                    "weight_extracted", "extracted_weight", "updated_at"])
        _analysis_queue(article=article, created_by=created_by, fresh=fresh,
                        estimate=_stored_estimate(article))
    return article


def _stored_estimate(article: Article) -> Estimate:
    """What analysing a stored article again is expected to cost."""
    spec_file = article.files.filter(role=FileRole.SPECIFICATION).first()
    spec_data = b""
    if spec_file is not None:
        with spec_file.file.open("rb") as handle:
            spec_data = handle.read()
    return analysis_estimate(article_name=article.article_name, description=article.description,
                             spec_data=spec_data,
                             filename=spec_file.original_name if spec_file else "")


def article_reanalyze_estimate(*, article: Article) -> dict:
    """A dry run of `article_reanalyze`: the estimate and the budgets' verdict."""
    estimate = _stored_estimate(article)
    return {"estimate": estimate, "verdict": budget_check(entity=article.entity, estimate=estimate)}


def article_processing_start(*, article: Article) -> Article:
    """Mark the analysis as running (a retried attempt keeps its first start time)."""
    article.processing_status = ProcessingStatus.PROCESSING
    if article.processing_started_at is None:
        article.processing_started_at = timezone.now()
    article.processing_error = None
    article.processing_completed_at = None
    article.save(update_fields=["processing_status", "processing_started_at", "processing_error",
                                "processing_completed_at", "updated_at"])
    return article


def article_weight_save(*, article: Article, unit_weight: Decimal | None) -> Article:
    """Keep the weight step's outcome, so a retried attempt does not ask (and pay) again."""
    article.extracted_weight = unit_weight
    article.weight_extracted = True
    article.save(update_fields=["extracted_weight", "weight_extracted", "updated_at"])
    return article


def article_analysis_save(
    *, article: Article, unit_weight: Decimal | None, lines: list[tuple[int, Decimal]],
    provider: str, model: str, analysis_key: str, notes: list[str],
    cached_from: Article | None = None,
) -> Article:
    """Replace the article's cost model with the checked lines, at once.

    The article stays `processing`: it becomes `completed` in the transaction that completes
    its task (`article_analysis_finish`), so nobody reads a completed article whose task is
    still running, and an attempt that loses its task (cancelled meanwhile) never completes it.
    """
    with transaction.atomic():
        CostModelLine.objects.filter(article=article).delete()
        CostModelLine.objects.bulk_create(
            CostModelLine(article=article, cost_index_id=index_id, part=part)
            for index_id, part in lines
        )
        article.unit_weight = unit_weight
        article.weight_extracted, article.extracted_weight = False, None
        article.analysis_provider = provider
        article.analysis_model = model
        article.analysis_key = analysis_key
        article.analysis_notes = notes
        article.cached_from = cached_from
        article.save(update_fields=[
            "unit_weight", "weight_extracted", "extracted_weight", "analysis_provider",
            "analysis_model", "analysis_key", "analysis_notes", "cached_from", "updated_at"])
    return article


def article_analysis_finish(*, task: Task) -> int:
    """Mark the article of `task` completed, inside the transaction completing the task."""
    now = timezone.now()
    return Article.objects.filter(
        task_id=task.pk, processing_status=ProcessingStatus.PROCESSING
    ).update(processing_status=ProcessingStatus.COMPLETED, processing_error=None,
             processing_completed_at=now, updated_at=now)


def article_analysis_fail(*, task: Task, error: str) -> int:
    """Mark the article whose current analysis `task` was as failed (unless it completed)."""
    return Article.objects.filter(task_id=task.pk).exclude(
        processing_status=ProcessingStatus.COMPLETED
    ).update(
        processing_status=ProcessingStatus.FAILED,
        processing_error=error or "analysis failed",
        processing_completed_at=timezone.now(),
        updated_at=timezone.now(),
    )
