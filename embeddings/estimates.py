"""What an embedding job will cost, counted from the text exactly as the job will count it.

Chunking is deterministic, so pages and chunks are the job's own numbers: the estimate of
the local provider's `transformer` chunks and of the `file_processor` pages is exact. With
OpenAI the tokens of each chunk are estimated (tasks.estimators.token_estimate).
"""
from pathlib import Path

from django.conf import settings

from embeddings.chunking import chunk_pages
from embeddings.extraction import ExtractionError, document_pages
from embeddings.providers import LOCAL_MODEL
from tasks.estimators import EstimatedUse, token_estimate


def document_uses(*, path: Path, fmt: str, encoding: str, pages_charged: bool = False
                  ) -> list[EstimatedUse]:
    """The usage lines a document's embedding job records: its pages (once per document)
    and its chunks or tokens. A file that cannot be read is estimated at nothing: its job
    fails before it pays for anything."""
    pages = chunks = tokens = 0

    def counted_pages():
        nonlocal pages
        for page in document_pages(path, fmt, encoding=encoding or "utf-8"):
            pages += 1
            yield page

    try:
        for span in chunk_pages(counted_pages(), size=settings.CHUNK_SIZE,
                                overlap=settings.CHUNK_OVERLAP):
            chunks += 1
            tokens += token_estimate(span.text)
    except (ExtractionError, FileNotFoundError):
        return []
    if not chunks:
        return []
    uses = [] if pages_charged else [EstimatedUse("file_processor", "pages", pages)]
    if settings.AI_PROVIDER == "openai":
        uses.append(EstimatedUse("openai_embedding", "input_tokens", tokens,
                                 model=settings.OPENAI_EMBEDDING_MODEL))
    else:
        uses.append(EstimatedUse("transformer", "chunks", chunks, model=LOCAL_MODEL))
    return uses
