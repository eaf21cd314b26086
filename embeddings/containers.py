"""Zip containers (DOCX) opened with bounds: no member may unpack beyond what it declares,
the whole beyond MAX_EXTRACTED_MB, or any part beyond MAX_COMPRESSION_RATIO times its size.

Python's `zipfile.read()` inflates a member in one call, as far as its data goes, before it
compares the result with the declared size: a member that declares 1 KB and inflates to
1.5 GB takes 1.5 GB first. Here every member's raw data is inflated a block at a time and
counted, and what passes is repacked uncompressed, so the reader that opens it (python-docx)
inflates nothing.
"""
import copy
import io
import zipfile
import zlib
from dataclasses import dataclass

INFLATE_BLOCK = 1 << 20
# Below this, a part's ratio says nothing (a few KB of zeros may shrink a thousand times).
RATIO_FLOOR_BYTES = 1 << 20

DOCX_DAMAGED = "the DOCX file is damaged or not a Word document"


class ContainerTooLarge(Exception):
    """The container unpacks beyond a limit; the message says which, in the user's words."""


class ContainerDamaged(Exception):
    """The container is not a readable zip of its format."""


@dataclass(frozen=True)
class ZipLimits:
    unpacked_bytes: int
    compression_ratio: float


def too_large_message(limit_bytes: int) -> str:
    return f"the document is too large once unpacked (limit {limit_bytes // 1048576} MB)"


def docx_looks_valid(path) -> bool:
    """Whether the file is a zip holding word/document.xml (reads the directory only)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def zip_repacked(path, limits: ZipLimits) -> io.BytesIO:
    """Return the zip's members repacked uncompressed, after checking every bound."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ContainerDamaged(DOCX_DAMAGED) from None
    out = io.BytesIO()
    with archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
        members = archive.infolist()
        if sum(info.file_size for info in members) > limits.unpacked_bytes:
            raise ContainerTooLarge(too_large_message(limits.unpacked_bytes))
        total = 0
        for info in members:
            with repacked.open(zipfile.ZipInfo(info.filename, info.date_time), "w") as target:
                total += _member_copy(archive, info, target, limits,
                                      room=limits.unpacked_bytes - total)
    out.seek(0)
    return out


def _member_copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target, limits: ZipLimits,
                 *, room: int) -> int:
    """Inflate one member block by block into `target`, checked against its declaration."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ContainerDamaged(DOCX_DAMAGED)  # encrypted, or a method no Word writer uses
    if info.file_size > room:
        raise ContainerTooLarge(too_large_message(limits.unpacked_bytes))
    _ratio_check(info.file_size, info.compress_size, limits)
    raw_info = copy.copy(info)  # the raw bytes as stored: zipfile neither inflates nor checks
    raw_info.compress_type, raw_info.file_size, raw_info.CRC = (
        zipfile.ZIP_STORED, info.compress_size, None)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    size, crc = 0, 0
    try:
        with archive.open(raw_info) as raw:
            while block := raw.read(INFLATE_BLOCK):
                pending = block
                while pending:
                    if inflater is None:
                        piece, pending = pending, b""
                    else:
                        # Never more than one byte past the declared size per member.
                        piece = inflater.decompress(pending, info.file_size - size + 1)
                        pending = inflater.unconsumed_tail
                    size += len(piece)
                    if size > info.file_size:  # the member lies about its size
                        raise ContainerDamaged(DOCX_DAMAGED)
                    crc = zlib.crc32(piece, crc)
                    target.write(piece)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise ContainerDamaged(DOCX_DAMAGED) from None
    if size != info.file_size or crc != info.CRC:
        raise ContainerDamaged(DOCX_DAMAGED)
    return size


def _ratio_check(size: int, compressed: int, limits: ZipLimits) -> None:
    if size > RATIO_FLOOR_BYTES and size > limits.compression_ratio * max(compressed, 1):
        raise ContainerTooLarge(
            f"the document is too large once unpacked (a part inflates "
            f"{size // max(compressed, 1)} times; the limit is {limits.compression_ratio:g})"
        )
