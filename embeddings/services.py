"""Writes on knowledge bases and documents: create, upload, submit text for embedding."""
import json
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import IntegrityError, transaction

from config.exceptions import (
    ApplicationError, ConflictError, PayloadTooLargeError, UnsupportedMediaTypeError,
)
from budgets.estimators import Estimate, estimate_for
from budgets.services import budget_check, budget_reserve
from embeddings import storage
from embeddings.containers import docx_looks_valid
from embeddings.extraction import (
    ACCEPTED_TYPES, PAGED_FORMATS, TEXT_FORMATS, ExtractionError, format_detect,
    text_encoding_detect,
)
from embeddings.models import Document, DocumentFormat, KnowledgeBase
from tasks.services import priority_parse, task_create

logger = logging.getLogger(__name__)

UPLOAD_KIND = "embeddings.upload"
EMBED_KIND = "embeddings.embed"
EMBEDDING_KINDS = (UPLOAD_KIND, EMBED_KIND)
MAX_DOCUMENT_ID = 64
MAX_METADATA_BYTES = 16 * 1024


@dataclass(frozen=True)
class DryRun:
    """What a creation would cost, and each budget's figures with it; nothing was made."""

    estimate: Estimate
    verdict: dict  # budgets.services.budget_check's


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def knowledge_base_create(*, entity, name: str) -> KnowledgeBase:
    """Create a knowledge base; names are unique within an entity."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ApplicationError("name must be 1-200 characters", code="invalid_name")
    try:
        with transaction.atomic():
            return KnowledgeBase.objects.create(entity=entity, name=name)
    except IntegrityError:
        raise ConflictError(f"entity {entity.entity_id} already has a knowledge base named "
                            f"{name!r}", code="knowledge_base_exists") from None


def knowledge_base_default(*, entity) -> KnowledgeBase:
    """The entity's default knowledge base, created on first use."""
    kb, _ = KnowledgeBase.objects.get_or_create(entity=entity, name=KnowledgeBase.DEFAULT_NAME)
    return kb


def document_upload(*, entity, knowledge_base: KnowledgeBase | None, upload, priority="normal",
                    metadata: dict | None = None, user=None, dry_run: bool = False
                    ) -> Document | DryRun:
    """Store an uploaded file and queue its embedding; refuse what cannot be processed.

    Every refusal happens before anything is written, or removes what was: no file or row
    outlives a refused upload. The job's cost is estimated first and reserved against the
    entity's budgets with the task (budgets.services.budget_reserve). `dry_run`: check and
    estimate only; nothing is kept.
    """
    priority = priority_parse(priority)
    metadata = _metadata_check(metadata)
    if upload.size == 0:
        raise ApplicationError("the file is empty; upload a file with content", code="empty_file")
    if upload.size > max_upload_bytes():
        raise PayloadTooLargeError(
            f"the file is {upload.size / 1048576:.1f} MB; the limit is "
            f"{settings.MAX_UPLOAD_MB} MB (MAX_UPLOAD_MB)"
        )
    fmt = format_detect(filename=upload.name, content_type=upload.content_type)
    if fmt is None:
        raise UnsupportedMediaTypeError(
            f"unsupported file type ({upload.content_type or 'unknown'}, "
            f"name ending {_suffix(upload.name)!r}); accepted: {ACCEPTED_TYPES}"
        )
    stored = storage.file_store(chunks=upload.chunks(storage.COPY_BYTES), extension=fmt)
    try:
        encoding = _content_check(fmt, stored.head, complete=stored.size <= len(stored.head),
                                  path=storage.document_path(stored.name))
        estimate = estimate_for(UPLOAD_KIND, path=storage.document_path(stored.name), fmt=fmt,
                                encoding=encoding)
        if dry_run:
            storage.file_delete(stored.name)
            return DryRun(estimate=estimate, verdict=budget_check(entity=entity, estimate=estimate))
        return _document_create(
            entity=entity, knowledge_base=knowledge_base, stored=stored, fmt=fmt,
            encoding=encoding, original_filename=_safe_filename(upload.name),
            content_type=(upload.content_type or "")[:100], metadata=metadata,
            priority=priority, user=user, kind=UPLOAD_KIND, estimate=estimate,
        )
    except BaseException:
        storage.file_delete(stored.name)
        raise


def document_submit(*, entity, knowledge_base: KnowledgeBase | None, content: str,
                    document_id: str | None = None, priority="normal",
                    metadata: dict | None = None, user=None, dry_run: bool = False,
                    budget_ahead: dict | None = None) -> Document | DryRun:
    """Queue text submitted through seed 001's API for embedding (`dry_run`: only check
    and estimate it; `budget_ahead`: a batch dry run's reservations so far, as
    budgets.services.budget_check takes them)."""
    priority = priority_parse(priority)
    metadata = _metadata_check(metadata)
    if not isinstance(content, str) or not content.strip():
        raise ApplicationError("content is empty; send the document's text", code="empty_content")
    data = content.encode("utf-8")
    if len(data) > max_upload_bytes():
        raise PayloadTooLargeError(
            f"content is {len(data) / 1048576:.1f} MB; the limit is {settings.MAX_UPLOAD_MB} MB "
            "(MAX_UPLOAD_MB)"
        )
    if document_id is not None:
        document_id = str(document_id).strip()
        if not document_id or len(document_id) > MAX_DOCUMENT_ID or "/" in document_id:
            raise ApplicationError(
                f"document_id must be 1-{MAX_DOCUMENT_ID} characters without '/'",
                code="invalid_document_id",
            )
    stored = storage.file_store(
        chunks=(data[i:i + storage.COPY_BYTES] for i in range(0, len(data), storage.COPY_BYTES)),
        extension=DocumentFormat.TEXT,
    )
    try:
        estimate = estimate_for(EMBED_KIND, path=storage.document_path(stored.name),
                                fmt=DocumentFormat.TEXT, encoding="utf-8")
        if dry_run:
            storage.file_delete(stored.name)
            return DryRun(estimate=estimate, verdict=budget_check(
                entity=entity, estimate=estimate, ahead=budget_ahead))
        return _document_create(
            entity=entity, knowledge_base=knowledge_base, stored=stored, fmt=DocumentFormat.TEXT,
            encoding="utf-8", original_filename="", content_type="text/plain",
            metadata=metadata, priority=priority, user=user, kind=EMBED_KIND,
            doc_id=document_id, estimate=estimate,
        )
    except BaseException:
        storage.file_delete(stored.name)
        raise


def _document_create(*, entity, knowledge_base, stored, fmt, encoding, original_filename,
                     content_type, metadata, priority, user, kind, estimate: Estimate,
                     doc_id=None) -> Document:
    with transaction.atomic():
        if knowledge_base is None:
            knowledge_base = knowledge_base_default(entity=entity)
        document = Document(
            entity=entity, knowledge_base=knowledge_base, original_filename=original_filename,
            content_type=content_type, format=fmt, encoding=encoding, stored_name=stored.name,
            size=stored.size, sha256=stored.sha256, metadata=metadata,
        )
        if doc_id:
            document.doc_id = doc_id
            if Document.objects.filter(entity=entity, doc_id=doc_id).exists():
                raise ConflictError(
                    f"document {doc_id} already exists; retry its task or use a new document_id",
                    code="document_exists",
                )
        document.save()
        document.task = task_create(
            kind=kind, entity=entity, created_by=user, priority=priority,
            params={"document_pk": document.pk},
            metadata={"doc_id": document.doc_id, "knowledge_base_id": knowledge_base.kb_id,
                      "format": fmt, **({"filename": original_filename} if original_filename else {})},
        )
        document.save(update_fields=["task"])
        budget_reserve(task=document.task, estimate=estimate)  # refused: nothing is kept
    document.estimate = estimate
    return document


def _content_check(fmt: str, head: bytes, *, complete: bool, path) -> str:
    """Refuse content that cannot be the format it claims; return a text file's encoding."""
    if fmt in TEXT_FORMATS:
        try:
            return text_encoding_detect(head, complete=complete)
        except ExtractionError as exc:
            raise UnsupportedMediaTypeError(
                f"the file claims to be {DocumentFormat(fmt).label} but {exc}; "
                f"accepted: {ACCEPTED_TYPES}"
            ) from None
    if fmt in PAGED_FORMATS and not head.lstrip()[:5] == b"%PDF-":
        raise UnsupportedMediaTypeError(
            "the file claims to be PDF but does not start with %PDF-; accepted: " + ACCEPTED_TYPES
        )
    if fmt == DocumentFormat.DOCX and not (head.startswith(b"PK") and docx_looks_valid(path)):
        raise UnsupportedMediaTypeError(
            "the file claims to be DOCX but is not a ZIP package holding word/document.xml; "
            "accepted: " + ACCEPTED_TYPES
        )
    return ""


def _metadata_check(metadata) -> dict:
    if metadata in (None, ""):
        return {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            raise ApplicationError("metadata must be a JSON object", code="invalid_metadata") from None
    if not isinstance(metadata, dict):
        raise ApplicationError("metadata must be a JSON object", code="invalid_metadata")
    if len(json.dumps(metadata)) > MAX_METADATA_BYTES:
        raise ApplicationError(f"metadata must be at most {MAX_METADATA_BYTES} bytes of JSON",
                               code="invalid_metadata")
    return metadata


def _suffix(name: str) -> str:
    return PurePosixPath((name or "").replace("\\", "/")).suffix.lower()


def _safe_filename(name: str) -> str:
    """The client's file name for display only: its last path component, printable."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:255]
