"""Split extracted text into overlapping chunks at paragraph, sentence, then word breaks.

Deterministic: the same text, size and overlap always give the same chunks, which is what
lets a retried job resume after the last stored batch. Streaming: pages go in one by one
and only about one chunk's worth of text is held beyond the current position.

Guarantees (property-tested in tests/embeddings/test_chunking.py):
- every non-whitespace character lies in at least one chunk (whitespace between chunks
  carries nothing to embed and may be left out);
- a chunk is at most `size` characters, never blank, and starts and ends on non-whitespace;
- a chunk overlaps the previous one by at most `overlap` characters; starts increase.
"""
import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_WORD_START = re.compile(r"\s\S")
_SENTENCE_START = re.compile(r"(?:[.!?]\s|\n)\s*(?=\S)")
_NON_SPACE = re.compile(r"\S")
_SENTENCE_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n")
# Compact the buffer once this much text lies behind the current chunk.
_COMPACT_AT = 1 << 16


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    position: int
    start: int  # character offsets into the document's extracted text, end exclusive
    end: int
    text: str
    page: int  # 1-based page the chunk starts on


def chunk_text(text: str, *, size: int, overlap: int) -> list[ChunkSpan]:
    """Chunk a whole text (one page)."""
    return list(chunk_pages([text], size=size, overlap=overlap))


def chunk_pages(pages: Iterable[str], *, size: int, overlap: int) -> Iterator[ChunkSpan]:
    """Chunk the concatenation of `pages`, remembering the page each chunk starts on."""
    if size < 2 or not 0 <= overlap < size:
        raise ValueError(f"need size >= 2 and 0 <= overlap < size; got {size}, {overlap}")
    page_starts: list[int] = []
    buffer, base, p, position = "", 0, 0, 0
    for page in pages:
        page_starts.append(base + len(buffer))
        buffer += page
        while True:
            p = _skip_space(buffer, p)
            found = _next_span(buffer, p, size, overlap, eof=False)
            if found is None:
                break
            start, end, p = found
            yield ChunkSpan(position, base + start, base + end, buffer[start:end],
                            bisect.bisect_right(page_starts, base + start))
            position += 1
        if p > _COMPACT_AT:
            buffer, base, p = buffer[p:], base + p, 0
    while True:
        p = _skip_space(buffer, p)
        found = _next_span(buffer, p, size, overlap, eof=True)
        if found is None:
            return
        start, end, p = found
        yield ChunkSpan(position, base + start, base + end, buffer[start:end],
                        bisect.bisect_right(page_starts, base + start))
        position += 1


def _skip_space(text: str, p: int) -> int:
    match = _NON_SPACE.search(text, p)
    return match.start() if match else len(text)


def _next_span(text: str, p: int, size: int, overlap: int, *, eof: bool):
    """(start, end, next start) of the chunk starting at non-space `p`; None if it needs more text."""
    n = len(text)
    if p >= n:
        return None
    limit = p + size
    if limit >= n:  # the break test looks at the character after the window
        if not eof:
            return None
        end = n
    else:
        end = _break(text, p, limit, size)
    trimmed = end
    while text[trimmed - 1].isspace():
        trimmed -= 1
    if end >= n or overlap == 0:
        return p, trimmed, end
    # The next chunk starts inside the overlap: at a sentence if one starts there, else a word.
    earliest = max(end - overlap, p + 1)
    sentence = _SENTENCE_START.search(text, earliest - 1, end)
    if sentence and sentence.end() < end:
        return p, trimmed, sentence.end()
    match = _WORD_START.search(text, earliest - 1, end)
    following = match.start() + 1 if match else end
    return p, trimmed, following


def _break(text: str, p: int, limit: int, size: int) -> int:
    """Where a chunk starting at `p` should end: paragraph, sentence, word, or hard cut."""
    shortest = p + size // 2  # a paragraph or sentence break earlier than this wastes a chunk
    paragraph = text.rfind("\n\n", shortest, limit)
    if paragraph >= 0:
        return paragraph + 1
    sentence = max(text.rfind(end, shortest, limit + 1) for end in _SENTENCE_ENDS)
    if sentence >= 0:
        return sentence + 1
    word = max(text.rfind(" ", p + 1, limit + 1), text.rfind("\n", p + 1, limit + 1),
               text.rfind("\t", p + 1, limit + 1))
    if word > p:
        return word
    return limit
