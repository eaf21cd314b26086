"""The chunker's guarantees, for any text: property-tested with hypothesis."""
import pytest
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from embeddings.chunking import chunk_pages, chunk_text

ALPHABET = st.sampled_from(list("abcdefghij ABC.!?,\n\t") + ["  ", "\n\n", ". ", "é", "日本"])
TEXTS = st.lists(ALPHABET, max_size=400).map("".join) | st.text(max_size=400)
SIZES = st.tuples(st.integers(2, 120), st.integers(0, 119)).filter(lambda t: t[1] < t[0])


def assert_guarantees(text, chunks, size, overlap):
    covered = bytearray(len(text))
    previous = None
    for index, chunk in enumerate(chunks):
        assert chunk.position == index
        assert chunk.text == text[chunk.start:chunk.end]
        assert chunk.text.strip(), "no chunk is empty or blank"
        assert chunk.text == chunk.text.strip(), "chunks start and end on non-whitespace"
        assert len(chunk.text) <= size
        if previous is not None:
            assert chunk.start > previous.start
            assert previous.end - chunk.start <= overlap, "overlap within bounds"
        covered[chunk.start:chunk.end] = b"\x01" * (chunk.end - chunk.start)
        previous = chunk
    missed = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert missed == [], "every non-whitespace character is covered"


@hypothesis_settings(max_examples=400, deadline=None)
@given(text=TEXTS, sizes=SIZES)
def test_chunk_text_guarantees_hold_for_any_text(text, sizes):
    size, overlap = sizes
    assert_guarantees(text, chunk_text(text, size=size, overlap=overlap), size, overlap)


@hypothesis_settings(max_examples=200, deadline=None)
@given(text=TEXTS, sizes=SIZES, cuts=st.lists(st.integers(0, 400), max_size=6))
def test_chunk_pages_streaming_equals_whole_text(text, sizes, cuts):
    size, overlap = sizes
    bounds = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    pages = [text[a:b] for a, b in zip(bounds, bounds[1:])] or [""]

    streamed = list(chunk_pages(pages, size=size, overlap=overlap))

    assert [(c.start, c.end, c.text) for c in streamed] == [
        (c.start, c.end, c.text) for c in chunk_text(text, size=size, overlap=overlap)]
    starts = [sum(len(p) for p in pages[:i]) for i in range(len(pages))]
    for chunk in streamed:
        assert starts[chunk.page - 1] <= chunk.start
        assert chunk.page == len(pages) or chunk.start < starts[chunk.page] or not pages[chunk.page]


@hypothesis_settings(max_examples=100, deadline=None)
@given(text=TEXTS, sizes=SIZES)
def test_chunk_text_is_deterministic(text, sizes):
    size, overlap = sizes
    assert chunk_text(text, size=size, overlap=overlap) == chunk_text(text, size=size, overlap=overlap)


def test_chunk_text_prefers_paragraph_then_sentence_then_word_breaks():
    paragraph = "First paragraph ends here.\n\nSecond paragraph goes on and on"
    sentence = "One sentence ends here. Another one follows without a break"
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa"

    assert chunk_text(paragraph, size=40, overlap=0)[0].text == "First paragraph ends here."
    assert chunk_text(sentence, size=40, overlap=0)[0].text == "One sentence ends here."
    assert chunk_text(words, size=20, overlap=0)[0].text == "alpha beta gamma"
    assert chunk_text("x" * 25, size=10, overlap=0)[0].text == "x" * 10


def test_chunk_text_overlap_starts_at_a_sentence_or_word():
    text = "The first sentence is here. The second sentence is longer than that one. " * 3

    chunks = chunk_text(text, size=80, overlap=30)

    for chunk in chunks[1:]:
        assert text[chunk.start - 1] == " "


def test_chunk_text_defaults_give_chunks_near_the_size():
    text = ("A sentence of moderate length that ends with a full stop. " * 40 + "\n\n") * 20

    chunks = chunk_text(text, size=1000, overlap=200)

    assert all(len(c.text) > 500 for c in chunks[:-1])
    assert max(len(c.text) for c in chunks) <= 1000


@pytest.mark.parametrize("size,overlap", [(1, 0), (10, 10), (10, -1)])
def test_chunk_text_refuses_impossible_settings(size, overlap):
    with pytest.raises(ValueError):
        chunk_text("text", size=size, overlap=overlap)
