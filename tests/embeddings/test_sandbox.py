"""Bounded extraction: hostile PDFs and DOCX files end in a clear refusal, read in a child
process that has a memory limit and a deadline, never by taking the reader's memory."""
import resource

import pytest

from embeddings.extraction import ExtractionError, ExtractionLimits, document_text
from embeddings.sandbox import memory_message, time_message
from testsupport.bombs import (
    docx_many_nodes, docx_one_huge_member, pdf_flate_bomb, pdf_many_pages,
    zip_lying_about_sizes,
)
from testsupport.files import docx_bytes, pdf_bytes

# Small limits keep the bombs small: what is refused at 8 MB is refused at 100 MB alike.
LIMITS = ExtractionLimits(extracted_bytes=8 << 20, memory_bytes=200 << 20, seconds=60)


def read(tmp_path, name, data, limits=LIMITS):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ExtractionError) as error:
        document_text(path, name.rsplit(".", 1)[1], limits=limits)
    return str(error.value)


def test_sandbox_docx_one_huge_member_is_refused_by_its_declared_size(tmp_path):
    assert read(tmp_path, "bomb.docx", docx_one_huge_member(64)) == (
        "the document is too large once unpacked (limit 8 MB)")


def test_sandbox_docx_member_inflating_past_the_ratio_is_refused(tmp_path):
    limits = ExtractionLimits(extracted_bytes=64 << 20, memory_bytes=200 << 20)

    message = read(tmp_path, "bomb.docx", docx_one_huge_member(16), limits)

    assert message.startswith("the document is too large once unpacked (a part inflates ")
    assert message.endswith("times; the limit is 200)")


def test_sandbox_docx_lying_about_its_sizes_is_refused_without_inflating_it(tmp_path):
    # 150 MB behind a declared 1 KB: a reader that trusts zipfile.read() needs 150 MB
    # first, more than the 200 MB limit leaves after the interpreter and the libraries.
    limits = ExtractionLimits(extracted_bytes=64 << 20, compression_ratio=10_000,
                              memory_bytes=200 << 20)

    message = read(tmp_path, "liar.docx", zip_lying_about_sizes(docx_one_huge_member(150)), limits)

    assert message == "the DOCX file is damaged or not a Word document"


def test_sandbox_docx_of_many_small_nodes_fails_with_the_memory_limit(tmp_path):
    # 24 MB of XML passes the size and ratio checks; its tree takes many times that.
    limits = ExtractionLimits(extracted_bytes=64 << 20, memory_bytes=200 << 20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    message = read(tmp_path, "nodes.docx", docx_many_nodes(24), limits)

    assert message == memory_message(limits) == (
        "the document is too large once unpacked (limit 200 MB of memory, EXTRACTION_MEMORY_MB)")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown < 50, f"the reading process itself grew by {grown:.0f} MB"


def test_sandbox_docx_within_the_limits_reads_in_the_child(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes(["Hello", "World"], [["a", "b"]]))

    assert document_text(path, "docx", limits=LIMITS) == "Hello\n\nWorld\n\na | b\n\n"


def test_sandbox_pdf_over_the_page_cap_is_refused(tmp_path):
    limits = ExtractionLimits(pdf_pages=100)

    assert read(tmp_path, "pages.pdf", pdf_many_pages(500), limits) == (
        "the PDF has 500 pages; the limit is 100 (MAX_PDF_PAGES)")


def test_sandbox_pdf_page_text_cap(tmp_path):
    limits = ExtractionLimits(page_chars=1000)

    assert read(tmp_path, "long.pdf", pdf_bytes(["x" * 2000]), limits) == (
        "page 1 of the PDF holds more than 1000 characters of text (MAX_PAGE_CHARS)")


def test_sandbox_pdf_flate_bomb_is_refused(tmp_path):
    limits = ExtractionLimits(memory_bytes=1 << 30)  # past pypdf's own 75 MB stream limit

    assert read(tmp_path, "flate.pdf", pdf_flate_bomb(100), limits) == (
        "the document is too large once unpacked (a stream of the PDF inflates past the "
        "reader's limit)")


def test_sandbox_pdf_reading_past_the_deadline_is_stopped(tmp_path):
    limits = ExtractionLimits(seconds=1, memory_bytes=1 << 30)

    assert read(tmp_path, "slow.pdf", pdf_flate_bomb(10), limits) == time_message(limits) == (
        "the document took longer than 1 s to read (EXTRACTION_TIMEOUT)")
