"""Where document files live: MEDIA_ROOT/documents/<random>.<format>, never a client's name."""
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

COPY_BYTES = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str
    head: bytes  # the first bytes, for sniffing the content


def documents_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def document_path(stored_name: str) -> Path:
    return documents_dir() / stored_name


def file_store(*, chunks, extension: str, head_bytes: int = 64 * 1024) -> StoredFile:
    """Write an iterable of byte blocks under a generated name, hashing as it goes."""
    name = f"{secrets.token_hex(16)}.{extension}"
    path = document_path(name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(path, "xb") as file:
            for block in chunks:
                digest.update(block)
                size += len(block)
                if len(head) < head_bytes:
                    head += block[: head_bytes - len(head)]
                file.write(block)
    except BaseException:
        file_delete(name)
        raise
    return StoredFile(name=name, size=size, sha256=digest.hexdigest(), head=head)


def file_delete(stored_name: str) -> None:
    try:
        os.unlink(document_path(stored_name))
    except FileNotFoundError:
        pass
