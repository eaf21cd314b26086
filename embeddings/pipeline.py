"""The embedding job: extract, chunk, embed in batches, store; resumable and cancellable.

Resume: chunking is deterministic, so a retried attempt recomputes the same chunks and
embeds only the batches not yet stored. A batch's usage is recorded the moment its answer
arrives, by the thread that received it (before its chunks are stored: paid work must
reach the ledger even if storing fails), so a stored batch is neither embedded nor charged
twice. A worker killed outright loses the batches answered but not yet stored (at most
EMBEDDING_CONCURRENCY + 2 * WRITERS); the retry embeds and pays for those again, and the
ledger shows both payments, as both were made.

Before each request the entity's hard budgets are checked (budgets.services.budget_guard):
at the cap the request is not made and the task fails "budget exceeded", keeping what it
paid for; at most the requests already in flight land after the cap.

Cancellation and timeouts stop between batches: requests already in flight are awaited,
recorded and stored (they were paid for), then the job stops. Stored chunks are kept, so a
retry continues where it stopped; search only reads documents whose embedding completed.
"""
import logging
import queue
import threading
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from budgets.services import budget_guard
from embeddings.chunking import ChunkSpan, chunk_pages
from embeddings.extraction import PAGED_FORMATS, ExtractionError, document_pages
from embeddings.models import Chunk, Document, DocumentStatus
from embeddings.providers import EmbeddingBatch, EmbeddingProvider, provider_get
from embeddings.storage import document_path
from tasks.errors import PermanentError, RetryableError, TaskCancelled, TaskTimedOut

logger = logging.getLogger(__name__)

CHUNK_IDS_LIMIT = 10_000  # a task result (and its WebSocket message) lists at most this many


def document_embed(progress, *, document_pk: int) -> dict:
    """Run one attempt of a document's embedding; return its result."""
    document = Document.objects.select_related("knowledge_base").filter(pk=document_pk).first()
    if document is None:
        raise PermanentError(f"document #{document_pk} no longer exists")
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING, error_message="")
    provider = provider_get()
    size, overlap = settings.CHUNK_SIZE, settings.CHUNK_OVERLAP

    progress.send_progress_text("reading the document")
    total, pages = _count(progress, document, size, overlap)
    if total == 0:
        raise PermanentError(f"no text could be extracted from the {document.get_format_display()} "
                             "file; nothing to embed")
    _charge_pages(progress, document, pages)

    # A retry after the provider setting changed cannot mix models in one document.
    document.chunks.exclude(model=provider.model).delete()
    stored = set(document.chunks.values_list("position", flat=True))
    progress.set_units(len(stored), total, text=_units_text(len(stored), total))
    batches = _batches(_spans(document, size, overlap), settings.EMBEDDING_BATCH_SIZE, stored)
    _embed_all(progress, provider, document, batches, done=len(stored), total=total)

    chunk_count = document.chunks.count()
    Document.objects.filter(pk=document.pk).update(chunk_count=chunk_count)
    chunk_ids = list(document.chunks.order_by("position").values_list("pk", flat=True)[:CHUNK_IDS_LIMIT])
    return {
        "doc_id": document.doc_id,
        "document_id": document.doc_id,
        "knowledge_base_id": document.knowledge_base.kb_id,
        "pages": pages,
        "chunk_count": chunk_count,
        "model": provider.model,
        "chunk_ids": [f"chunk_{pk}" for pk in chunk_ids],
        "chunk_ids_truncated": chunk_count > CHUNK_IDS_LIMIT,
    }


def _pages(document: Document) -> Iterator[str]:
    try:
        yield from document_pages(document_path(document.stored_name), document.format,
                                  encoding=document.encoding or "utf-8")
    except FileNotFoundError:
        raise PermanentError("the document's stored file is missing") from None
    except ExtractionError as exc:
        raise PermanentError(str(exc)) from None


def _spans(document: Document, size: int, overlap: int) -> Iterator[ChunkSpan]:
    return chunk_pages(_pages(document), size=size, overlap=overlap)


def _count(progress, document: Document, size: int, overlap: int) -> tuple[int, int]:
    """A first pass: how many chunks (for progress and ETA) and pages (for the ledger)."""
    pages = 0

    def counted_pages():
        nonlocal pages
        for page in _pages(document):
            pages += 1
            if pages % 100 == 0:
                progress.check()
            yield page

    total = sum(1 for _ in chunk_pages(counted_pages(), size=size, overlap=overlap))
    return total, pages


def _charge_pages(progress, document: Document, pages: int) -> None:
    """Record the file_processor line once per document, not once per attempt."""
    if document.pages is not None:
        return
    progress.usage_record(
        service_type="file_processor", unit="pages", quantity=pages,
        breakdown={"pages": pages, "format": document.format,
                   "paged": document.format in PAGED_FORMATS},
    )
    document.pages = pages
    Document.objects.filter(pk=document.pk).update(pages=pages)


def _batches(spans: Iterator[ChunkSpan], batch_size: int, stored: set[int]) -> Iterator[list[ChunkSpan]]:
    """Batches of chunks not yet stored, in the fixed batch grid (resume skips whole batches)."""
    while batch := list(islice(spans, batch_size)):
        missing = [span for span in batch if span.position not in stored]
        if missing:
            yield missing


def _units_text(done: int, total: int) -> str:
    return f"embedded {done} of {total} chunks"


def _embed_all(progress, provider: EmbeddingProvider, document: Document, batches,
               *, done: int, total: int) -> None:
    """Embed and store every batch, keeping `provider.concurrency` requests in flight.

    Request threads only talk to the provider and record each answer's cost at once;
    answered batches go to writer threads that store their chunks, so a request slot never
    waits for storage. Each thread uses its own database connection. Only the main thread reports progress (the handle is not
    thread-safe). The local provider has one request thread: its CPU-bound embedding then
    overlaps with the writers' database round trips.
    """
    feed = _Feed(batches)
    # Small: an answered batch waiting here is charged but not stored; if the worker dies,
    # a retry embeds (and pays for) it again.
    answered: queue.Queue = queue.Queue(maxsize=WRITERS)
    events: queue.Queue = queue.Queue()

    def request():
        try:
            while (batch := feed.take()) is not None:
                # At a hard budget's cap the call is not made (BudgetStop, permanent); the
                # other threads finish the requests they hold, then stop.
                budget_guard(task=progress.task, service_type=provider.service_type)
                result = provider.embed([s.text for s in batch])
                _charge(progress, result)  # paid: on the ledger before anything else
                answered.put((batch, result))
        except Exception as exc:  # the others finish the request they hold, then stop
            feed.stop()
            events.put(exc)
        finally:
            connections.close_all()  # this thread's connection only
            events.put(_REQUESTS_DONE)

    def write():
        try:
            while (item := answered.get()) is not _WRITERS_STOP:
                batch, result = item
                try:
                    _store(document, batch, result, model=provider.model)
                except Exception as exc:  # keep storing what the others paid for
                    feed.stop()
                    events.put(exc)
                else:
                    events.put(len(batch))
        finally:
            connections.close_all()
            events.put(_WRITER_DONE)

    requesters = [threading.Thread(target=request, name=f"embed-request-{i}", daemon=True)
                  for i in range(provider.concurrency)]
    writers = [threading.Thread(target=write, name=f"embed-write-{i}", daemon=True)
               for i in range(WRITERS)]
    for thread in requesters + writers:
        thread.start()
    failure: BaseException | None = None
    stop: BaseException | None = None
    requesting, writing = len(requesters), len(writers)
    while writing:
        item = events.get()
        if item is _REQUESTS_DONE:
            requesting -= 1
            if not requesting:
                for _ in writers:
                    answered.put(_WRITERS_STOP)
        elif item is _WRITER_DONE:
            writing -= 1
        elif isinstance(item, BaseException):
            failure = failure or item
        else:
            done += item
            try:
                progress.set_units(done, total, text=_units_text(done, total))
            except (TaskCancelled, TaskTimedOut) as exc:
                stop = stop or exc
                feed.stop()
    for thread in requesters + writers:
        thread.join()
    if failure is not None:
        raise failure
    if stop is not None:
        raise stop


# Threads storing answered batches. With COPY one keeps up with four requests in flight;
# a second was no faster there and slowed the local provider (3,700 -> 3,300 chunks/s).
WRITERS = 1
_REQUESTS_DONE, _WRITER_DONE, _WRITERS_STOP = object(), object(), object()


class _Feed:
    """Hands out batches to the embedding threads, one at a time, until stopped."""

    def __init__(self, batches):
        self._batches = batches
        self._lock = threading.Lock()
        self._stopped = False

    def take(self):
        with self._lock:
            if self._stopped:
                return None
            batch = next(self._batches, None)
            if batch is None:
                self._stopped = True
            return batch

    def stop(self) -> None:
        self._stopped = True


def _charge(progress, result: EmbeddingBatch) -> None:
    """Record what a batch cost, committed at once."""
    progress.usage_record(service_type=result.service_type, unit=result.unit,
                          quantity=result.quantity, model=result.model,
                          breakdown=result.breakdown)


def _store(document: Document, batch: list[ChunkSpan], result: EmbeddingBatch, *,
           model: str) -> None:
    """Store a charged batch's chunks in one transaction."""
    if result.problem:
        raise RetryableError(result.problem)
    vectors = result.vectors
    rows = [
        {"document_id": document.pk, "knowledge_base_id": document.knowledge_base_id,
         "position": span.position, "text": span.text, "start_char": span.start,
         "end_char": span.end, "page": span.page, "embedding": vectors[row].tobytes(),
         "model": model, "dimensions": vectors.shape[1]}
        for row, span in enumerate(batch)
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy(rows)
        else:
            Chunk.objects.bulk_create(Chunk(**row) for row in rows)


_COPY_COLUMNS = ["document_id", "knowledge_base_id", "position", "text", "start_char",
                 "end_char", "page", "embedding", "model", "dimensions", "created_at"]


def _copy(rows: list[dict]) -> None:
    """PostgreSQL: store chunks with COPY. bulk_create's INSERT has each 6 KB vector quoted
    into the statement as a hex literal, in Python, holding the GIL that the request
    threads need to read their answers (COPY: 1.34x the ideal against 1.37-1.44x)."""
    now = timezone.now()
    table = connection.ops.quote_name(Chunk._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row([*(row[name] for name in _COPY_COLUMNS[:-1]), now])
