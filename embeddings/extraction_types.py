"""What reading a document may take and how it fails, shared by the readers and the sandbox.

The readers (embeddings/extraction.py) run in the worker for text formats and in a child
process for PDF and DOCX (embeddings/sandbox.py starts it, embeddings/sandbox_child.py is
it); all three raise the one error and honour the same limits.
"""
from dataclasses import dataclass


class ExtractionError(Exception):
    """The file could not be read as its format; the message says why, in the user's words."""


@dataclass(frozen=True)
class ExtractionLimits:
    """How far reading one document may go (settings MAX_EXTRACTED_MB and following)."""

    extracted_bytes: int = 100 << 20
    compression_ratio: float = 200.0
    pdf_pages: int = 5000
    page_chars: int = 100_000
    seconds: float = 120.0
    memory_bytes: int = 1 << 30

    @classmethod
    def from_settings(cls) -> "ExtractionLimits":
        from django.conf import settings

        return cls(
            extracted_bytes=settings.MAX_EXTRACTED_MB << 20,
            compression_ratio=settings.MAX_COMPRESSION_RATIO,
            pdf_pages=settings.MAX_PDF_PAGES, page_chars=settings.MAX_PAGE_CHARS,
            seconds=settings.EXTRACTION_TIMEOUT, memory_bytes=settings.EXTRACTION_MEMORY_MB << 20,
        )
