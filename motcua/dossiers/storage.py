"""Files stored by content hash under settings.storage_dir (never a user-chosen path).

Size limit: settings.max_upload_bytes. Content sniffing: the type is decided from the
first bytes, not from the name or the declared type; only document and image formats
the counters scan to are accepted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from motcua.core.config import get_settings
from motcua.core.errors import InvalidInput

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)


def sniff(content: bytes) -> str | None:
    for magic, kind in SIGNATURES:
        if content.startswith(magic):
            return kind
    return None


def storage_root() -> Path:
    return Path(get_settings().storage_dir)


def path_for(sha256: str, root: Path | None = None) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise InvalidInput("Mã tệp không hợp lệ.")
    return (root or storage_root()) / sha256[:2] / sha256


def store_bytes(content: bytes, *, root: Path | None = None, max_bytes: int | None = None) -> tuple[str, str, int]:
    """Validate and store `content`; returns (sha256, sniffed content type, size)."""
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    if not content:
        raise InvalidInput("Tệp rỗng.")
    if len(content) > limit:
        raise InvalidInput(f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB).")
    kind = sniff(content)
    if kind is None:
        raise InvalidInput("Định dạng tệp không được chấp nhận (chỉ nhận PDF, PNG, JPEG, TIFF, DOCX).")
    digest = hashlib.sha256(content).hexdigest()
    target = path_for(digest, root)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(content)
        tmp.replace(target)
    return digest, kind, len(content)


def read_bytes(sha256: str, root: Path | None = None) -> bytes:
    return path_for(sha256, root).read_bytes()
