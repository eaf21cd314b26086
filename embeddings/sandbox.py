"""Read a PDF or DOCX in a child process with a memory limit and a deadline.

A hostile file can make its reader take far more memory than the file's size (a zip bomb of
many small XML nodes passes every size check and still builds a tree of gigabytes). In the
child, going over `RLIMIT_AS` ends the child, never the worker, and the worker never holds
the memory the reading took. The child sends pages back over a pipe as frames: a kind byte
(`P` page, `E` error, `D` done), a 4-byte length, and UTF-8.

This is the worker's side. `sandboxed_pages` starts the child, `python -m
embeddings.sandbox_child <path> <format> <limits as JSON>` (embeddings/sandbox_child.py),
which runs the in-process readers under the limits.
"""
import dataclasses
import json
import logging
import os
import select
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from embeddings.extraction_types import ExtractionError, ExtractionLimits

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
FRAME_HEADER = struct.Struct(">cI")  # kind byte, body length


def memory_message(limits: ExtractionLimits) -> str:
    return ("the document is too large once unpacked "
            f"(limit {limits.memory_bytes >> 20} MB of memory, EXTRACTION_MEMORY_MB)")


def time_message(limits: ExtractionLimits) -> str:
    return f"the document took longer than {limits.seconds:g} s to read (EXTRACTION_TIMEOUT)"


def sandboxed_pages(path, format: str, *, limits: ExtractionLimits) -> Iterator[str]:
    """Yield the document's pages as read by a bounded child process."""
    child = subprocess.Popen(
        [sys.executable, "-m", "embeddings.sandbox_child", str(path), format,
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
    header = _read(child, FRAME_HEADER.size, deadline, limits)
    kind, length = FRAME_HEADER.unpack(header)
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
