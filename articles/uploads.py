"""What an upload must be to be accepted: size (413) and, for drawings, type (415)."""
from pathlib import Path

from django.conf import settings

from core.exceptions import PayloadTooLargeError, UnsupportedMediaTypeError

MIB = 1024 * 1024
# Drawings are stored for people to look at (reading them is a future enhancement), so any
# common drawing or image format is accepted; each is checked by its leading bytes too.
DRAWING_TYPES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".tif": (b"II*\x00", b"MM\x00*"),
    ".tiff": (b"II*\x00", b"MM\x00*"),
    ".webp": (b"RIFF",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".svg": None,  # text: checked below
    ".dxf": None,
    ".dwg": (b"AC10",),
    ".step": None,
    ".stp": None,
}


def upload_limit_bytes() -> int:
    return settings.MAX_UPLOAD_MB * MIB


def upload_size_check(*, field: str, upload) -> None:
    """Refuse a file larger than MAX_UPLOAD_MB with a 413 naming the limit."""
    if upload.size > upload_limit_bytes():
        raise PayloadTooLargeError(
            f"{field} is {upload.size / MIB:.1f} MB; the largest accepted upload is "
            f"{settings.MAX_UPLOAD_MB} MB (MAX_UPLOAD_MB)",
            extra={"field": field, "limit_mb": settings.MAX_UPLOAD_MB},
        )


def request_size_check(*, content_length: str | None) -> None:
    """Refuse a body that cannot hold files within the limit before it is read at all."""
    try:
        length = int(content_length or 0)
    except ValueError:
        return
    largest = 2 * upload_limit_bytes() + MIB  # a specification, a drawing and the form fields
    if length > largest:
        raise PayloadTooLargeError(
            f"the request is {length / MIB:.1f} MB; each file may be at most "
            f"{settings.MAX_UPLOAD_MB} MB (MAX_UPLOAD_MB)",
            extra={"limit_mb": settings.MAX_UPLOAD_MB},
        )


def drawing_type_check(*, upload) -> None:
    """Refuse a drawing that is not one of the accepted types (415), by name and by content."""
    suffix = Path(upload.name or "").suffix.lower()
    accepted = ", ".join(DRAWING_TYPES)
    if suffix not in DRAWING_TYPES:
        raise UnsupportedMediaTypeError(
            f"drawing {upload.name!r} is not an accepted drawing type; accepted: {accepted}",
            extra={"field": "drawing"},
        )
    head = upload.read(512)
    upload.seek(0)
    signatures = DRAWING_TYPES[suffix]
    if signatures is None:
        looks_right = b"\x00" not in head and (suffix != ".svg" or b"<" in head)
    else:
        looks_right = head.startswith(signatures)
    if not looks_right:
        raise UnsupportedMediaTypeError(
            f"drawing {upload.name!r} does not contain {suffix[1:].upper()} data; "
            f"accepted: {accepted}",
            extra={"field": "drawing"},
        )
