"""Writes on knowledge bases and documents: create, upload, submit text for embedding."""
import json
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import IntegrityError, transaction

from core.exceptions import (
    ApplicationError, ConflictError, PayloadTooLargeError, UnsupportedMediaTypeError,
    refusal_message,
)
from budgets.errors import BudgetExceeded
from budgets.services import BudgetAdmission, budget_check
from embeddings import storage
from embeddings.containers import docx_looks_valid
from embeddings.extraction import (
    ACCEPTED_TYPES, PAGED_FORMATS, TEXT_FORMATS, ExtractionError, format_detect,
    text_encoding_detect,
)
from embeddings.models import Document, DocumentFormat, KnowledgeBase
from tasks.estimators import Estimate, estimate_for
from tasks.services import priority_parse, task_create_many

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
    entity's budgets with the task (budgets.services.BudgetAdmission). `dry_run`: check and
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
        return _document_create(_Submission(
            entity=entity, knowledge_base=knowledge_base, stored=stored, fmt=fmt,
            encoding=encoding, original_filename=_safe_filename(upload.name),
            content_type=(upload.content_type or "")[:100], metadata=metadata,
            priority=priority, user=user, kind=UPLOAD_KIND, estimate=estimate,
        ))
    except BaseException:
        storage.file_delete(stored.name)
        raise


def document_submit(*, entity, knowledge_base: KnowledgeBase | None, content: str,
                    document_id: str | None = None, priority="normal",
                    metadata: dict | None = None, user=None, dry_run: bool = False,
                    budget_ahead: dict | None = None) -> Document | DryRun:
    """Queue text submitted through the embedding-tasks API for embedding (`dry_run`: only check
    and estimate it; `budget_ahead`: a batch dry run's reservations so far, as
    budgets.services.budget_check takes them)."""
    submission = _text_submission(entity=entity, knowledge_base=knowledge_base, content=content,
                                  document_id=document_id, priority=priority,
                                  metadata=metadata, user=user)
    try:
        if dry_run:
            storage.file_delete(submission.stored.name)
            return DryRun(estimate=submission.estimate, verdict=budget_check(
                entity=entity, estimate=submission.estimate, ahead=budget_ahead))
        return _document_create(submission)
    except BaseException:
        storage.file_delete(submission.stored.name)
        raise


def documents_submit_many(*, items: list[dict]) -> list[Document | Exception]:
    """Queue many texts (the embedding-tasks batch), each item `document_submit`'s keywords.

    Each is checked, stored and estimated on its own; the ones that pass are created
    together (_documents_create). Returns, in the items' order, each one's document or
    the refusal that stopped it; nothing of a refused item is kept.
    """
    submissions, results = [], []
    try:
        for fields in items:
            try:
                submissions.append(_text_submission(**fields))
                results.append(None)
            except Exception as exc:
                if refusal_message(exc) is None:
                    raise
                results.append(exc)
        created = iter(_documents_create(submissions))
    except BaseException:
        for submission in submissions:
            storage.file_delete(submission.stored.name)
        raise
    return [next(created) if result is None else result for result in results]


@dataclass
class _Submission:
    """A document to be: checked, its file stored and its embedding estimated."""

    entity: object
    knowledge_base: KnowledgeBase | None
    stored: storage.StoredFile
    fmt: str
    encoding: str
    original_filename: str
    content_type: str
    metadata: dict
    priority: int
    user: object
    kind: str
    estimate: Estimate
    doc_id: str | None = None


def _text_submission(*, entity, knowledge_base: KnowledgeBase | None, content: str,
                     document_id: str | None = None, priority="normal",
                     metadata: dict | None = None, user=None) -> _Submission:
    """Check a submitted text, store it and estimate its embedding; refusals keep nothing."""
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
    except BaseException:
        storage.file_delete(stored.name)
        raise
    return _Submission(entity=entity, knowledge_base=knowledge_base, stored=stored,
                       fmt=DocumentFormat.TEXT, encoding="utf-8", original_filename="",
                       content_type="text/plain", metadata=metadata, priority=priority,
                       user=user, kind=EMBED_KIND, estimate=estimate, doc_id=document_id)


def _document_create(submission: _Submission) -> Document:
    """Create one submission's document and task, or raise its refusal."""
    [created] = _documents_create([submission])
    if isinstance(created, Exception):
        raise created
    return created


def _documents_create(submissions: list[_Submission]) -> list[Document | Exception]:
    """Create the submissions' documents and tasks in one transaction: the documents in one
    INSERT, their tasks through task_create_many, their budget reservations in one INSERT.

    Each is admitted first, in order: refused if its document_id is taken (by a document
    or by an earlier submission) or if its entity's hard budget cannot hold it after the
    ones admitted before it (BudgetAdmission, under the budgets' lock). A refused one is
    its exception, and its file is removed.
    """
    results: list = [None] * len(submissions)
    with transaction.atomic():
        taken = set(Document.objects.filter(
            entity__in={s.entity.pk for s in submissions if s.doc_id},
            doc_id__in={s.doc_id for s in submissions if s.doc_id},
        ).values_list("entity_id", "doc_id"))
        admissions, admitted = {}, []
        for index, submission in enumerate(submissions):
            key = (submission.entity.pk, submission.doc_id)
            try:
                if submission.doc_id and key in taken:
                    raise ConflictError(
                        f"document {submission.doc_id} already exists; retry its task or use "
                        "a new document_id", code="document_exists")
                if submission.entity.pk not in admissions:
                    admissions[submission.entity.pk] = BudgetAdmission(
                        entity_id=submission.entity.pk, lock=True)
                admissions[submission.entity.pk].admit(submission.estimate)
            except (ConflictError, BudgetExceeded) as refusal:
                results[index] = refusal
                continue
            taken.add(key)
            admitted.append(index)
        defaults = {}
        documents = [_document_new(submissions[index], defaults) for index in admitted]
        Document.objects.bulk_create(documents)
        tasks = task_create_many([_task_fields(submissions[index], document)
                                  for index, document in zip(admitted, documents)])
        for document, task in zip(documents, tasks):
            document.task = task
        Document.objects.bulk_update(documents, ["task"])
        for entity_pk, admission in admissions.items():
            admission.reserve([(task, submissions[index].estimate)
                               for index, task in zip(admitted, tasks)
                               if submissions[index].entity.pk == entity_pk])
    for index, document in zip(admitted, documents):
        document.estimate = submissions[index].estimate
        results[index] = document
    for submission, result in zip(submissions, results):
        if isinstance(result, Exception):
            storage.file_delete(submission.stored.name)
    return results


def _document_new(submission: _Submission, defaults: dict) -> Document:
    """The submission's document, unsaved; `defaults`: each entity's default knowledge base,
    got (or made) once."""
    knowledge_base = submission.knowledge_base
    if knowledge_base is None:
        if submission.entity.pk not in defaults:
            defaults[submission.entity.pk] = knowledge_base_default(entity=submission.entity)
        knowledge_base = defaults[submission.entity.pk]
    document = Document(
        entity=submission.entity, knowledge_base=knowledge_base,
        original_filename=submission.original_filename, content_type=submission.content_type,
        format=submission.fmt, encoding=submission.encoding,
        stored_name=submission.stored.name, size=submission.stored.size,
        sha256=submission.stored.sha256, metadata=submission.metadata,
    )
    if submission.doc_id:
        document.doc_id = submission.doc_id
    return document


def _task_fields(submission: _Submission, document: Document) -> dict:
    """`task_create`'s keywords for the task that embeds a new document."""
    metadata = {"doc_id": document.doc_id, "knowledge_base_id": document.knowledge_base.kb_id,
                "format": submission.fmt}
    if submission.original_filename:
        metadata["filename"] = submission.original_filename
    return {"kind": submission.kind, "entity": submission.entity, "created_by": submission.user,
            "priority": submission.priority, "params": {"document_pk": document.pk},
            "metadata": metadata}


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
