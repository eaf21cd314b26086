"""Text extraction per format, pages, and what is refused."""
import io

import pytest

from embeddings import extraction
from embeddings.extraction import (
    PAGE_CHARS, ExtractionError, document_pages, document_text, format_detect,
    text_encoding_detect,
)
from testsupport.files import docx_bytes, encrypted_pdf_bytes, pdf_bytes


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_document_pages_pdf_pages_are_pdf_pages(tmp_path):
    path = write(tmp_path, "a.pdf", pdf_bytes(["one", "two", "three"]))

    assert list(document_pages(path, "pdf")) == ["one\n\n", "two\n\n", "three\n\n"]


def test_document_pages_text_pages_are_fixed_character_counts(tmp_path, monkeypatch):
    monkeypatch.setattr(extraction, "READ_BYTES", 7)  # blocks split lines and characters
    text = ("ligne \u00e9t\u00e9\r\n" * 1000)
    path = write(tmp_path, "a.txt", text.encode())

    pages = list(document_pages(path, "txt"))

    assert "".join(pages) == text.replace("\r\n", "\n")
    assert [len(p) for p in pages[:-1]] == [PAGE_CHARS] * (len(pages) - 1)
    assert 0 < len(pages[-1]) <= PAGE_CHARS


def test_document_text_html_keeps_visible_text_only(tmp_path):
    path = write(tmp_path, "a.html", b"<title>T</title><script>alert(1)</script><p>One</p>"
                                     b"<p>Two &lt;b&gt;</p><style>.x{}</style>")

    text = document_text(path, "html")

    assert "One" in text and "Two <b>" in text
    assert "alert" not in text and ".x{}" not in text


def test_document_text_docx_paragraphs_and_tables(tmp_path):
    path = write(tmp_path, "a.docx", docx_bytes(["Hello", "World"], [["a", "b"]]))

    assert document_text(path, "docx") == "Hello\n\nWorld\n\na | b\n\n"


def test_document_text_csv_rows_become_lines(tmp_path):
    path = write(tmp_path, "a.csv", b'name,note\nlid,"3 kg, steel"\n')

    assert document_text(path, "csv") == "name, note\nlid, 3 kg, steel\n"


@pytest.mark.parametrize("name,data,message", [
    ("a.pdf", b"%PDF-1.7 garbage", "the PDF file is damaged or not a PDF document"),
    ("a.pdf", encrypted_pdf_bytes(), "could not read PDF: it is encrypted with a password"),
    ("a.docx", b"PK not a zip", "the DOCX file is damaged or not a Word document"),
])
def test_document_text_unreadable_files_say_why(tmp_path, name, data, message):
    path = write(tmp_path, name, data)

    with pytest.raises(ExtractionError) as error:
        document_text(path, name.rsplit(".", 1)[1])

    assert str(error.value).startswith(message)


@pytest.mark.parametrize("head,encoding", [
    ("plain text".encode(), "utf-8"),
    ("\ufeffbom".encode(), "utf-8-sig"),
    ("caf\u00e9".encode("utf-16"), "utf-16"),
    ("caf\u00e9".encode("cp1252"), "cp1252"),
    # a character cut at the sniffing boundary is still UTF-8
    (("\u00e9" * 10).encode()[:-1], "utf-8"),
])
def test_text_encoding_detect(head, encoding):
    complete = not encoding == "utf-8" or head.endswith(b"t")
    assert text_encoding_detect(head, complete=complete) == encoding


@pytest.mark.parametrize("head", [b"abc\x00def", bytes(range(1, 32)) * 10])
def test_text_encoding_detect_refuses_binary(head):
    with pytest.raises(ExtractionError, match="binary"):
        text_encoding_detect(head)


@pytest.mark.parametrize("filename,content_type,expected", [
    ("x.PDF", "", "pdf"), ("x.markdown", "", "md"), ("noext", "text/csv; charset=utf-8", "csv"),
    ("x.docx", "application/octet-stream", "docx"), ("x.png", "image/png", None),
])
def test_format_detect(filename, content_type, expected):
    assert format_detect(filename=filename, content_type=content_type) == expected


def test_pdf_page_cap_reads_the_declared_count_before_walking_the_tree():
    from embeddings.extraction import ExtractionError, ExtractionLimits, pdf_pages
    from testsupport.bombs import _pdf

    # One page, declared as 6,000: a tree that large is refused from its count alone.
    declared = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [3 0 R] /Count 6000 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])

    with pytest.raises(ExtractionError, match=r"the PDF has 6000 pages; the limit is 5000"):
        list(pdf_pages(io.BytesIO(declared), limits=ExtractionLimits(pdf_pages=5000)))
