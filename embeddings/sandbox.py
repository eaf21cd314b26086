"""Read a PDF or DOCX in a child process with a memory limit and a deadline.

A hostile file can make its reader take far more memory than the file's size (a zip bomb of
many small XML nodes passes every size check and still builds a tree of gigabytes). In the
child, going over `RLIMIT_AS` ends the child, never the worker, and the worker never holds
the memory the reading took. The child sends pages back over a pipe as frames: a kind byte
(`P` page, `E` error, `D` done), a 4-byte length, and UTF-8.

Run as `python -m embeddings.sandbox <path> <format> <limits as JSON>` by `sandboxed_pages`.
"""
import dataclasses
import json
import logging
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from embeddings.extraction import ExtractionError, ExtractionLimits, document_pages

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
_HEADER = struct.Struct(">cI")


def memory_message(limits: ExtractionLimits) -> str:
    return ("the document is too large once unpacked "
            f"(limit {limits.memory_bytes >> 20} MB of memory, EXTRACTION_MEMORY_MB)")


def time_message(limits: ExtractionLimits) -> str:
    return f"the document took longer than {limits.seconds:g} s to read (EXTRACTION_TIMEOUT)"


def sandboxed_pages(path, format: str, *, limits: ExtractionLimits) -> Iterator[str]:
    """Yield the document's pages as read by a bounded child process."""
    child = subprocess.Popen(
        [sys.executable, "-m", "embeddings.sandbox", str(path), format,
         json.dumps(dataclasses.asdict(limits))],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
    )
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            kind, body = _frame(child, deadline, limits)
            if kind == b"P":
                yield body.decode("utf-8")
            elif kind == b"E":
                message = body.decode("utf-8")
                # The child's own log lines (pid below) hold the library's words.
                logger.warning("extraction child %s refused the %s file: %s", child.pid,
                               format.upper(), message)
                raise ExtractionError(message)
            else:
                return
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()


def _frame(child: subprocess.Popen, deadline: float, limits: ExtractionLimits) -> tuple[bytes, bytes]:
    header = _read(child, _HEADER.size, deadline, limits)
    kind, length = _HEADER.unpack(header)
    return kind, _read(child, length, deadline, limits)


def _read(child: subprocess.Popen, size: int, deadline: float, limits: ExtractionLimits) -> bytes:
    data = b""
    fd = child.stdout.fileno()
    while len(data) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            logger.warning("extraction child %s passed its deadline of %s s; killed",
                           child.pid, limits.seconds)
            raise ExtractionError(time_message(limits))
        block = os.read(fd, size - len(data))
        if not block:
            code = child.wait()
            logger.warning("extraction child %s ended with %s before answering", child.pid, code)
            if code in (-signal.SIGXCPU, -signal.SIGKILL) and time.monotonic() >= deadline - 1:
                raise ExtractionError(time_message(limits))
            raise ExtractionError(memory_message(limits))
        data += block
    return data


def _send(out, kind: bytes, text: str) -> None:
    body = text.encode("utf-8")
    out.write(_HEADER.pack(kind, len(body)) + body)
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
