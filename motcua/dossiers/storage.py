"""Files stored by content hash under settings.storage_dir (never a user-chosen path).

Size limit: settings.max_upload_bytes. Content sniffing: the type is decided from the
bytes, not from the name or the declared type; only document and image formats the
counters scan to are accepted, and the stored name gets the extension of the sniffed type.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path
from urllib.parse import quote

from motcua.core.config import get_settings
from motcua.core.errors import InvalidInput
from motcua.core.text import nfc

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"

# Magic bytes of the accepted types. A documented table rather than a library: the set is
# small and fixed, and the libraries we looked at either guess Office files from the first
# bytes (filetype) or weigh the file name in (puremagic); an Office file is a ZIP told apart
# by the part it must contain, which zipfile reads exactly.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
OFFICE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
# The extension a stored name gets for each type; the first is used when the name's own
# extension does not match what the content is (a PNG named `.pdf` is stored as `.png`).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/tiff": (".tif", ".tiff"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
ACCEPTED = "PDF, PNG, JPEG, TIFF, DOCX, XLSX"


def sniff(content: bytes) -> str | None:
    """The content type decided from the bytes alone, or None when not accepted."""
    for magic, kind in SIGNATURES:
        if content.startswith(magic):
            return kind
    if content.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return next((kind for part, kind in OFFICE_PARTS if part in names), None)
    return None


def name_for(filename: str | None, kind: str, *, default: str = "tep-dinh-kem") -> str:
    """`filename` made safe and given the extension of the sniffed `kind` when it differs."""
    name = (nfc(filename) or default).replace("/", "_").replace("\\", "_")
    stem, ext = os.path.splitext(name)
    if ext.lower() not in EXTENSIONS[kind]:
        stem = name if ext.lower() not in {e for exts in EXTENSIONS.values() for e in exts} else stem
        name = (stem or default) + EXTENSIONS[kind][0]
        stem, ext = os.path.splitext(name)
    return stem[: 255 - len(ext)] + ext


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a stored file sent back (its name may hold Vietnamese)."""
    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"


def storage_root() -> Path:
    return Path(get_settings().storage_dir)


def path_for(sha256: str, root: Path | None = None) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise InvalidInput("Mã tệp không hợp lệ.")
    return (root or storage_root()) / sha256[:2] / sha256


def check_bytes(content: bytes, *, max_bytes: int | None = None) -> str:
    """The sniffed content type of `content`, or InvalidInput (empty, too large, not accepted).
    Callers storing several files check them all first, so a bad one leaves nothing on disk."""
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    if not content:
        raise InvalidInput("Tệp rỗng.")
    if len(content) > limit:
        raise InvalidInput(f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB).")
    kind = sniff(content)
    if kind is None:
        raise InvalidInput(f"Định dạng tệp không được chấp nhận (chỉ nhận {ACCEPTED}); nội dung tệp không khớp định dạng nào trong số đó.")
    return kind


def store_bytes(content: bytes, *, root: Path | None = None, max_bytes: int | None = None) -> tuple[str, str, int]:
    """Validate and store `content`; returns (sha256, sniffed content type, size)."""
    kind = check_bytes(content, max_bytes=max_bytes)
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
