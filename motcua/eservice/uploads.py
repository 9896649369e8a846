"""What a citizen may upload with an online form, checked by content (pure functions).

The type is sniffed from the bytes by `dossiers.storage.sniff` (the store's own check,
reused), then narrowed to what a citizen sends: PDF, JPEG, PNG and DOCX — not the TIFF or
XLSX a counter scanner or officer may produce. Unlike the counter's store, which renames a
file to its sniffed type, a citizen's file whose name says one type and whose content is
another is refused: it is most likely the wrong file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from motcua.dossiers.storage import DOCX, EXTENSIONS, sniff

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "ảnh JPEG",
    "image/png": "ảnh PNG",
    DOCX: "văn bản Word (DOCX)",
}
# What every other sniffed type is called in a refusal.
OTHER_NAMES = {"image/tiff": "ảnh TIFF", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
               "bảng tính Excel (XLSX)"}
ALLOWED_TEXT = "PDF, JPEG, PNG hoặc DOCX"
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,.docx"


@dataclass(frozen=True)
class Upload:
    """A file as posted: the name the browser sent and its bytes (read up to the limit + 1)."""

    filename: str
    content: bytes


def megabytes(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g} MB" if value >= 1 else f"{limit // 1024 or 1} KB"


def refusal(upload: Upload, max_bytes: int) -> str | None:
    """Why `upload` is refused (a Vietnamese sentence), or None when it may be kept."""
    name = os.path.basename(upload.filename.replace("\\", "/")) or "tệp"
    if not upload.content:
        return f"Tệp “{name}” rỗng (0 byte): hãy chọn lại tệp có nội dung."
    if len(upload.content) > max_bytes:
        return f"Tệp “{name}” lớn hơn dung lượng cho phép ({megabytes(max_bytes)} mỗi tệp)."
    kind = sniff(upload.content)
    if kind not in ALLOWED:
        found = f" (nội dung là {OTHER_NAMES[kind]})" if kind in OTHER_NAMES else ""
        return f"Tệp “{name}” không phải {ALLOWED_TEXT}{found}: chỉ nhận các định dạng này."
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS[kind]:
        stated = f"có đuôi “{ext}”" if ext else "không có đuôi tên tệp"
        return (f"Tệp “{name}” {stated} nhưng nội dung là {ALLOWED[kind]}: hãy chọn đúng tệp "
                f"hoặc đặt tên tệp với đuôi {EXTENSIONS[kind][0]}.")
    return None
