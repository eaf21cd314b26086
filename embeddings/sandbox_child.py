"""The sandbox's child: read one PDF or DOCX under limits, sending its pages as frames.

Started by `embeddings.sandbox.sandboxed_pages` as `python -m embeddings.sandbox_child <path>
<format> <limits as JSON>`. It sets `RLIMIT_AS` and `RLIMIT_CPU` once the readers' libraries
are loaded, reads with the in-process readers (embeddings/extraction.py), and writes frames
in the format embeddings/sandbox.py reads (`P` page, `E` error, `D` done).
"""
import json
import logging
import resource
import sys
import traceback
from pathlib import Path

from embeddings.extraction import document_pages
from embeddings.extraction_types import ExtractionError, ExtractionLimits
from embeddings.sandbox import FRAME_HEADER, memory_message


def _send(out, kind: bytes, text: str) -> None:
    body = text.encode("utf-8")
    out.write(FRAME_HEADER.pack(kind, len(body)) + body)
    out.flush()


def _child_main(path: str, format: str, limits: ExtractionLimits) -> int:
    """Read the document under the limits, sending frames on standard output."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not break the frames
    too_large = memory_message(limits)  # built now: there may be no memory for it later
    import docx, lxml.etree, pypdf  # noqa: E401,F401  (so that their size is the baseline)

    baseline = _peak_memory()
    cpu = int(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        for page in document_pages(path, format, limits=limits, contained=False):
            _send(out, b"P", page)
    except MemoryError:
        _send(out, b"E", too_large)
        return 1
    except Exception as exc:
        sys.stderr.write(f"extraction: baseline {baseline >> 20} MB, peak {_peak_memory() >> 20} MB\n")
        if not isinstance(exc, ExtractionError):
            traceback.print_exc()  # the operator's log; the user gets words
        # A reader that runs out of memory in C (lxml) reports a parse error, not MemoryError.
        if _peak_memory() - baseline >= (limits.memory_bytes - baseline) * MEMORY_EXHAUSTED_SHARE:
            sys.stderr.write(f"extraction ran out of memory: {exc}\n")
            _send(out, b"E", too_large)
        elif isinstance(exc, ExtractionError):
            _send(out, b"E", str(exc))
        else:
            _send(out, b"E", f"the {format.upper()} file could not be read")
        return 1
    _send(out, b"D", "")
    return 0


# A read that failed after taking this share of the memory left to it failed for want of it.
MEMORY_EXHAUSTED_SHARE = 0.5


def _peak_memory() -> int:
    """The process's peak address space (what RLIMIT_AS bounds), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(process)d %(message)s")
    sys.exit(_child_main(sys.argv[1], sys.argv[2], ExtractionLimits(**json.loads(sys.argv[3]))))
