"""Reading a specification as text: encodings, binary data, PDFs."""
import pytest

from articles.spec_text import ACCEPTED, UnreadableSpecification, spec_text_read
from tests.articles.test_analysis import _pdf


def test_spec_text_read_utf8_with_bom_and_cp1252():
    assert spec_text_read(data="\ufeffWeight: 2 kg".encode("utf-8")).text == "Weight: 2 kg"
    assert spec_text_read(data="Gewicht 5 kg, Größe".encode("cp1252")).text == "Gewicht 5 kg, Größe"
    assert spec_text_read(data="Weight 3 g".encode("utf-16")).text == "Weight 3 g"


def test_spec_text_read_pdf_text_layer():
    spec = spec_text_read(data=_pdf("Net weight: 1.2 kg"), filename="s.pdf")
    assert spec.text == "Net weight: 1.2 kg" and spec.pages == 1


@pytest.mark.parametrize("data, reason", [
    (b"", "is empty"),
    (b"\x7fELF\x02\x01\x01\x00" * 10,
     "cannot be read as text: its content is binary (it contains NUL bytes)"),
    (bytes(range(1, 32)) * 5, "control characters"),
    (b"%PDF-1.4\n garbage", "the PDF file is damaged or not a PDF document"),
    (b"   \n\t ", "contains no text"),
])
def test_spec_text_read_refuses_with_reason(data, reason):
    with pytest.raises(UnreadableSpecification) as error:
        spec_text_read(data=data, filename="spec.bin")
    assert reason in str(error.value)
    assert "spec.bin" in str(error.value)


def test_spec_text_read_pdf_without_text_layer_says_so():
    with pytest.raises(UnreadableSpecification, match="has no text layer"):
        spec_text_read(data=_pdf(""), filename="scan.pdf")


def test_spec_text_read_pdf_is_read_in_a_bounded_child(settings):
    from testsupport.bombs import pdf_flate_bomb

    settings.EXTRACTION_TIMEOUT = 1  # a stream of 10 MB of text operators takes longer

    with pytest.raises(UnreadableSpecification) as error:
        spec_text_read(data=pdf_flate_bomb(10), filename="slow.pdf")

    assert str(error.value) == (
        "the PDF specification 'slow.pdf': the document took longer than 1 s to read "
        "(EXTRACTION_TIMEOUT); accepted: " + ACCEPTED)


def test_spec_text_read_pdf_flate_bomb_is_refused_in_words(settings):
    from testsupport.bombs import pdf_flate_bomb

    with pytest.raises(UnreadableSpecification) as error:
        spec_text_read(data=pdf_flate_bomb(100), filename="bomb.pdf")

    assert "the document is too large once unpacked" in str(error.value)
    assert "/" not in str(error.value).replace("UTF-8, UTF-16", "")


def test_spec_text_read_pdf_page_cap_holds(settings):
    from testsupport.bombs import pdf_many_pages

    settings.MAX_PDF_PAGES = 100

    with pytest.raises(UnreadableSpecification, match=r"has 500 pages; the limit is 100 "
                                                      r"\(MAX_PDF_PAGES\)"):
        spec_text_read(data=pdf_many_pages(500), filename="pages.pdf")
