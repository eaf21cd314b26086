"""Text out of uploaded files, page by page, streamed so a large file is never held whole.

Public: `document_pages(path, format)` yields the text of each page; `document_text(path,
format)` returns it all at once; `pdf_pages(path or file)` and `text_encoding_detect(bytes)`
serve readers of other files (articles' product specifications). `ExtractionError` and
`ExtractionLimits` (embeddings/extraction_types.py) are importable from here too.

A page is a PDF page for PDF. Other formats have no pages of their own, so a page is
`PAGE_CHARS` (3,000) characters of extracted text, about one printed page; the last page
may be shorter. The `file_processor` ledger line counts these pages.
"""
import codecs
import csv
import io
import logging
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from django.db.models import TextChoices

from embeddings.containers import (
    DOCX_DAMAGED, ContainerDamaged, ContainerTooLarge, ZipLimits, zip_repacked,
)
from embeddings.extraction_types import ExtractionError, ExtractionLimits
from embeddings.sandbox import sandboxed_pages

logger = logging.getLogger(__name__)


class DocumentFormat(TextChoices):
    TEXT = "txt", "plain text"
    MARKDOWN = "md", "Markdown"
    CSV = "csv", "CSV"
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


PAGE_CHARS = 3000
READ_BYTES = 1 << 20  # text formats are decoded this many bytes at a time
SNIFF_BYTES = 64 * 1024
PAGED_FORMATS = {DocumentFormat.PDF}
# Formats whose reader may unpack far more than the file holds: read in a bounded child
# process (embeddings/sandbox.py, embeddings/sandbox_child.py).
CONTAINED_FORMATS = {DocumentFormat.PDF, DocumentFormat.DOCX}

EXTENSIONS = {
    ".txt": DocumentFormat.TEXT, ".text": DocumentFormat.TEXT,
    ".md": DocumentFormat.MARKDOWN, ".markdown": DocumentFormat.MARKDOWN,
    ".csv": DocumentFormat.CSV,
    ".html": DocumentFormat.HTML, ".htm": DocumentFormat.HTML,
    ".pdf": DocumentFormat.PDF,
    ".docx": DocumentFormat.DOCX,
}
CONTENT_TYPES = {
    "text/plain": DocumentFormat.TEXT,
    "text/markdown": DocumentFormat.MARKDOWN, "text/x-markdown": DocumentFormat.MARKDOWN,
    "text/csv": DocumentFormat.CSV,
    "text/html": DocumentFormat.HTML, "application/xhtml+xml": DocumentFormat.HTML,
    "application/pdf": DocumentFormat.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        DocumentFormat.DOCX,
}
TEXT_FORMATS = {DocumentFormat.TEXT, DocumentFormat.MARKDOWN, DocumentFormat.CSV,
                DocumentFormat.HTML}
ACCEPTED_TYPES = ", ".join(
    ["text/plain (.txt)", "text/markdown (.md)", "text/csv (.csv)", "text/html (.html)",
     "application/pdf (.pdf)",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document (.docx)"]
)


def format_detect(*, filename: str, content_type: str = "") -> str | None:
    """The document format named by the file's extension, else by its content type."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    return CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())


def text_encoding_detect(head: bytes, *, complete: bool = True) -> str:
    """Return the encoding of a text file from its first bytes; refuse binary content.

    `complete`: `head` is the whole file (else a character cut at its end is allowed).

    UTF-8 (with or without BOM) and UTF-16 with a BOM; otherwise Windows-1252 when that
    decodes to text without control characters. Anything else is binary.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise ExtractionError("its content is binary (it contains NUL bytes), not text")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
        encoding = "utf-8"
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            raise ExtractionError("its content is binary, not text in UTF-8, UTF-16 or Windows-1252") from None
        encoding = "cp1252"
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 1000):
        raise ExtractionError(f"its content is binary ({controls} control characters "
                              f"in its first {len(head)} bytes), not text")
    return encoding


def document_pages(path: str | Path, format: str, *, encoding: str = "utf-8",
                   limits: ExtractionLimits | None = None, contained: bool = True) -> Iterator[str]:
    """Yield the document's text page by page (see the module docstring for pages).

    PDF and DOCX are read in a child process under `limits` (from the settings when not
    given); `contained=False` reads them here, as that child does.
    """
    limits = limits or ExtractionLimits.from_settings()
    if contained and format in CONTAINED_FORMATS:
        yield from sandboxed_pages(path, format, limits=limits)
        return
    if format == DocumentFormat.PDF:
        yield from pdf_pages(path, limits=limits)
        return
    if format == DocumentFormat.DOCX:
        pieces = _docx_pieces(path, limits)
    elif format == DocumentFormat.HTML:
        pieces = _html_pieces(path, encoding)
    elif format == DocumentFormat.CSV:
        pieces = _csv_pieces(path, encoding)
    elif format in (DocumentFormat.TEXT, DocumentFormat.MARKDOWN):
        pieces = _text_pieces(path, encoding)
    else:
        raise ExtractionError(f"unsupported format {format!r}; accepted: {ACCEPTED_TYPES}")
    yield from _paginate(pieces)


def document_text(path: str | Path, format: str, *, encoding: str = "utf-8",
                  limits: ExtractionLimits | None = None) -> str:
    """Return the document's whole text (pages joined)."""
    return "".join(document_pages(path, format, encoding=encoding, limits=limits))


def _paginate(pieces: Iterable[str]) -> Iterator[str]:
    """Cut a stream of text pieces into PAGE_CHARS-character pages."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while len(buffer) >= PAGE_CHARS:
            yield buffer[:PAGE_CHARS]
            buffer = buffer[PAGE_CHARS:]
    if buffer:
        yield buffer


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _decoded(path, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with open(path, "rb") as file:
        while block := file.read(READ_BYTES):
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)


def _text_pieces(path, encoding: str) -> Iterator[str]:
    pending_cr = False  # a "\r\n" split across two blocks must stay one line break
    for piece in _decoded(path, encoding):
        if pending_cr:
            piece = "\r" + piece
        pending_cr = piece.endswith("\r")
        if pending_cr:
            piece = piece[:-1]
        yield _clean(piece)
    if pending_cr:
        yield "\n"


def _csv_pieces(path, encoding: str) -> Iterator[str]:
    """One line per row, cells separated by ', '."""
    with open(path, "rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        lines = []
        try:
            for row in csv.reader(stream):
                lines.append(", ".join(cell.strip() for cell in row))
                if len(lines) >= 1000:
                    yield _clean("\n".join(lines) + "\n")
                    lines = []
        except csv.Error as exc:
            raise ExtractionError(f"could not read CSV: {exc}") from None
        if lines:
            yield _clean("\n".join(lines) + "\n")


class _HTMLText(HTMLParser):
    """Visible text of an HTML page; block elements become line breaks."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg"}
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "header", "footer", "table", "ul", "ol", "blockquote", "pre", "hr",
              "title", "dd", "dt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self.BLOCKS:
            self.out.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else "\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(" ".join(data.split()) if data.strip() else (" " if data else ""))

    def take(self) -> str:
        text, self.out = "".join(self.out), []
        return text


def _html_pieces(path, encoding: str) -> Iterator[str]:
    parser = _HTMLText()
    for piece in _decoded(path, encoding):
        parser.feed(piece)
        yield _clean(parser.take())
    parser.close()
    yield _clean(parser.take())


def _docx_pieces(path, limits: ExtractionLimits) -> Iterator[str]:
    import docx
    from docx.table import Table

    try:
        package = zip_repacked(path, ZipLimits(limits.extracted_bytes, limits.compression_ratio))
    except (ContainerDamaged, ContainerTooLarge) as exc:
        logger.warning("refused DOCX: %s", exc)
        raise ExtractionError(str(exc)) from None
    try:
        document = docx.Document(package)
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows]
                yield _clean("\n".join(rows) + "\n\n")
            elif block.text.strip():
                yield _clean(block.text + "\n\n")
    except (KeyError, ValueError) as exc:
        _logged(exc, "DOCX")
        raise ExtractionError(DOCX_DAMAGED) from None
    except Exception as exc:  # python-docx / lxml raise many types on a damaged file
        if type(exc).__module__.split(".")[0] in ("docx", "lxml"):
            _logged(exc, "DOCX")
            raise ExtractionError(DOCX_DAMAGED) from None
        raise


PDF_DAMAGED = "the PDF file is damaged or not a PDF document"
PDF_STREAM_TOO_LARGE = ("the document is too large once unpacked (a stream of the PDF inflates "
                        "past the reader's limit)")
_PDF_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
               RecursionError)


def _logged(exc: BaseException, what: str) -> None:
    """The library's own words go to the operator's log, never to the user."""
    logger.warning("could not read %s: %s: %s", what, type(exc).__name__, exc)


def _declared_page_count(reader) -> int | None:
    """The /Count of the PDF's page tree root; None when it has none (or not a number)."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
    except (KeyError, TypeError, AttributeError):
        return None
    return count if isinstance(count, int) and count >= 0 else None


def pdf_pages(source, *, limits: ExtractionLimits | None = None) -> Iterator[str]:
    """Yield a PDF's text page by page; `source` is a path or a binary file object."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    limits = limits or ExtractionLimits()
    try:
        reader = PdfReader(source if hasattr(source, "read") else str(source))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # pypdf needs `cryptography` for AES; either way we cannot read it
                opened = 0
            if not opened:
                raise ExtractionError("could not read PDF: it is encrypted with a password")
        # The page tree's own count first: counting the pages walks the whole tree (20 s
        # of a worker for 100,000 empty pages), the declared count is one lookup.
        count = _declared_page_count(reader)
        if count is None or count <= limits.pdf_pages:
            pages = reader.pages
            count = len(pages)
    except ExtractionError:
        raise
    except LimitReachedError as exc:
        _logged(exc, "PDF")
        raise ExtractionError(PDF_STREAM_TOO_LARGE) from None
    except (PyPdfError, *_PDF_ERRORS) as exc:
        _logged(exc, "PDF")
        raise ExtractionError(PDF_DAMAGED) from None
    if count > limits.pdf_pages:
        raise ExtractionError(f"the PDF has {count} pages; the limit is {limits.pdf_pages} "
                              "(MAX_PDF_PAGES)")
    for number in range(count):
        try:
            text = pages[number].extract_text() or ""
        except LimitReachedError as exc:
            _logged(exc, "PDF")
            raise ExtractionError(PDF_STREAM_TOO_LARGE) from None
        except (PyPdfError, *_PDF_ERRORS) as exc:
            _logged(exc, "PDF")
            raise ExtractionError(f"{PDF_DAMAGED} (page {number + 1} cannot be read)") from None
        if len(text) > limits.page_chars:
            raise ExtractionError(
                f"page {number + 1} of the PDF holds more than {limits.page_chars} characters "
                "of text (MAX_PAGE_CHARS)")
        text = _clean(text)
        # Pages are joined by a paragraph break, so chunks prefer to end at a page's end.
        yield text if text.endswith("\n\n") else text.rstrip("\n") + "\n\n"
