"""Similarity search over one knowledge base's chunks, and the charge for the query.

Vectors are L2-normalised, so the score is the dot product (cosine similarity). A knowledge
base's matrix is read once into memory and kept until its completed documents change
(checked with one cheap query per search), so a query costs one matrix-vector product.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Sum

from core.exceptions import ApplicationError
from costs.services import request_record_close, request_record_open, usage_record
from embeddings.models import Chunk, DocumentStatus, KnowledgeBase
from embeddings.providers import provider_get
from tasks.errors import PermanentError, RetryableError

MAX_K = 100
MAX_QUERY_CHARS = 2000
CACHED_KNOWLEDGE_BASES = 8
LOAD_BATCH = 5000


class ProviderUnavailableError(ApplicationError):
    status_code = 503
    default_code = "embedding_provider_unavailable"


@dataclass
class _Matrix:
    version: tuple
    chunk_pks: np.ndarray
    vectors: np.ndarray


_cache: "OrderedDict[tuple, _Matrix]" = OrderedDict()
_cache_lock = threading.Lock()


def knowledge_base_search(*, knowledge_base: KnowledgeBase, query: str, k: int, user=None,
                          request_id: str | None = None, endpoint: str = "") -> dict:
    """Embed the query (charged to the knowledge base's entity) and return the top-k chunks."""
    query = (query or "").strip()
    if not query:
        raise ApplicationError("q is required: the text to search for", code="invalid_query")
    if len(query) > MAX_QUERY_CHARS:
        raise ApplicationError(f"q must be at most {MAX_QUERY_CHARS} characters", code="invalid_query")
    if not 1 <= k <= MAX_K:
        raise ApplicationError(f"k must be a whole number from 1 to {MAX_K}; got {k}", code="invalid_k")
    provider = provider_get()
    vector = _query_vector(provider, query, knowledge_base, user, request_id, endpoint)
    matrix = _matrix(knowledge_base, provider.model)
    results = []
    if len(matrix.chunk_pks) and matrix.vectors.shape[1] == vector.shape[0]:
        scores = matrix.vectors @ vector
        top = min(k, len(scores))
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.argsort(-scores[best], kind="stable")]
        chunks = Chunk.objects.select_related("document").in_bulk(
            [int(matrix.chunk_pks[i]) for i in best])
        for i in best:
            chunk = chunks.get(int(matrix.chunk_pks[i]))
            if chunk is None:  # deleted since the matrix was read
                continue
            results.append({
                "chunk_id": chunk.chunk_id, "document_id": chunk.document.doc_id,
                "score": round(float(scores[i]), 6), "text": chunk.text,
                "position": chunk.position, "page": chunk.page, "start_char": chunk.start_char,
                "end_char": chunk.end_char,
            })
    return {"knowledge_base_id": knowledge_base.kb_id, "query": query, "k": k,
            "model": provider.model, "searched_chunks": int(len(matrix.chunk_pks)),
            "results": results}


def _query_vector(provider, query, knowledge_base, user, request_id, endpoint) -> np.ndarray:
    """Embed the query and record what it cost on its own ledger record."""
    record = request_record_open(
        operation_type="knowledge_base_search", endpoint=endpoint or "search", method="GET",
        request_id=request_id, entity=knowledge_base.entity, user=user,
        task_type="search",
    )
    try:
        batch = provider.embed([query])
    except (RetryableError, PermanentError) as exc:
        request_record_close(record=record, status_code=503, error_message=str(exc))
        raise ProviderUnavailableError(f"the query could not be embedded: {exc}") from None
    usage_record(record=record, service_type=batch.service_type, unit=batch.unit,
                 quantity=batch.quantity, model=batch.model,
                 breakdown={**batch.breakdown, "query_chars": len(query)})
    if batch.problem:
        request_record_close(record=record, status_code=503, error_message=batch.problem)
        raise ProviderUnavailableError(f"the query could not be embedded: {batch.problem}")
    request_record_close(record=record, status_code=200)
    return batch.vectors[0]


def _version(knowledge_base: KnowledgeBase) -> tuple:
    done = knowledge_base.documents.filter(status=DocumentStatus.COMPLETED).aggregate(
        n=Count("id"), chunks=Sum("chunk_count"), changed=Max("updated_at"))
    return done["n"], done["chunks"], done["changed"]


def _matrix(knowledge_base: KnowledgeBase, model: str) -> _Matrix:
    key = (knowledge_base.pk, model)
    version = _version(knowledge_base)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached.version == version:
            _cache.move_to_end(key)
            return cached
    matrix = _matrix_load(knowledge_base, model, version)
    with _cache_lock:
        _cache[key] = matrix
        _cache.move_to_end(key)
        while len(_cache) > CACHED_KNOWLEDGE_BASES:
            _cache.popitem(last=False)
    return matrix


def _matrix_load(knowledge_base: KnowledgeBase, model: str, version: tuple) -> _Matrix:
    rows = (Chunk.objects.filter(knowledge_base=knowledge_base, model=model,
                                 document__status=DocumentStatus.COMPLETED)
            .order_by("id").values_list("id", "embedding"))
    pks, vectors = [], []
    for pk, blob in rows.iterator(chunk_size=LOAD_BATCH):
        pks.append(pk)
        vectors.append(np.frombuffer(bytes(blob), dtype="<f4"))
    if not vectors:
        return _Matrix(version, np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))
    return _Matrix(version, np.asarray(pks, dtype=np.int64), np.vstack(vectors))


def search_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()
