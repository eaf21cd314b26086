"""Read a product specification as text: the one place articles turns a file into words.

PDFs are read with pypdf (their text layer; scanned PDFs have none); anything else must be
text in UTF-8 (with or without a BOM), UTF-16 with a BOM, or Windows-1252. The reading
itself is the embeddings app's (embeddings/extraction.py), so both apps accept and refuse
files alike; a PDF is read as a document is, in a child process with a memory limit and a
deadline (embeddings/sandbox.py), so a hostile specification fails its analysis and never
takes the process that reads it.
"""
import logging
import tempfile
from dataclasses import dataclass

from embeddings.extraction import (
    DocumentFormat, ExtractionError, ExtractionLimits, document_pages, text_encoding_detect,
)
from tasks.errors import PermanentError

logger = logging.getLogger(__name__)

ACCEPTED = ("plain text (UTF-8, UTF-16 with a BOM or Windows-1252: .txt, .md, .csv, .json, ...) "
            "or a PDF with a text layer")


@dataclass(frozen=True)
class SpecText:
    text: str
    pages: int | None = None  # PDFs only


class UnreadableSpecification(PermanentError):
    """The specification cannot be read as text; retrying will not change that."""


def spec_text_read(*, data: bytes, filename: str = "") -> SpecText:
    """Return the text of a specification file, or raise UnreadableSpecification saying why."""
    if not data:
        raise UnreadableSpecification(f"the product specification {filename!r} is empty")
    if data.lstrip()[:5] == b"%PDF-":
        return _pdf_text(data, filename)
    text = _decode(data, filename)
    if not text.strip():
        raise UnreadableSpecification(
            f"the product specification {filename!r} contains no text; accepted: {ACCEPTED}")
    return SpecText(text=text)


def _decode(data: bytes, filename: str) -> str:
    try:
        encoding = text_encoding_detect(data)
    except ExtractionError as exc:
        raise UnreadableSpecification(
            f"the product specification {filename!r} cannot be read as text: {exc}; "
            f"accepted: {ACCEPTED}") from None
    return data.decode(encoding)


def _pdf_text(data: bytes, filename: str) -> SpecText:
    try:
        with tempfile.NamedTemporaryFile(prefix="spec-", suffix=".pdf") as copy:
            copy.write(data)
            copy.flush()
            pages = [page.strip() for page in document_pages(
                copy.name, DocumentFormat.PDF, limits=ExtractionLimits.from_settings())]
    except ExtractionError as exc:
        logger.info("could not read the PDF %s: %s", filename, exc)
        raise UnreadableSpecification(
            f"the PDF specification {filename!r}: {exc}; accepted: {ACCEPTED}") from None
    text = "\n\n".join(page for page in pages if page)
    if not text:
        raise UnreadableSpecification(
            f"the PDF specification {filename!r} has no text layer ({len(pages)} page(s), "
            "probably scanned images); OCR is not supported yet: upload a text PDF or a text file")
    return SpecText(text=text, pages=len(pages))
