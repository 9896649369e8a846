"""Uploads: the type is sniffed from the bytes and the stored name gets its extension."""

import io
import zipfile

import pytest

from motcua.core.errors import InvalidInput
from motcua.dossiers.storage import DOCX, XLSX, name_for, sniff, store_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 32
PDF = b"%PDF-1.7\n" + b"0" * 32
TIFF = b"II*\x00" + b"0" * 32


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("content, kind", [
    (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (TIFF, "image/tiff"),
    (b"MM\x00*" + b"0" * 8, "image/tiff"), (_zip("word/document.xml"), DOCX), (_zip("xl/workbook.xml"), XLSX),
    (_zip("readme.txt"), None), (b"PK\x03\x04broken", None), (b"MZ\x90\x00evil", None), (b"<html>", None),
])
def test_sniffed_from_the_bytes(content, kind):
    assert sniff(content) == kind


@pytest.mark.parametrize("filename, kind, stored", [
    ("scan.pdf", "image/png", "scan.png"),
    ("Giấy khai sinh.PDF", "application/pdf", "Giấy khai sinh.PDF"),
    ("anh.jpeg", "image/jpeg", "anh.jpeg"),
    ("anh.png", "image/jpeg", "anh.jpg"),
    ("to-khai.docx", XLSX, "to-khai.xlsx"),
    ("ban-quet", "image/tiff", "ban-quet.tif"),
    ("ban.quet.v2", "application/pdf", "ban.quet.v2.pdf"),
    ("../../etc/passwd.pdf", "image/png", ".._.._etc_passwd.png"),
    (None, "application/pdf", "tep-dinh-kem.pdf"),
    ("a" * 300 + ".pdf", "image/png", "a" * 251 + ".png"),
])
def test_stored_names_carry_the_sniffed_extension(filename, kind, stored):
    assert name_for(filename, kind) == stored


def test_a_refused_type_is_a_vietnamese_error(tmp_path):
    with pytest.raises(InvalidInput) as refused:
        store_bytes(_zip("readme.txt"), root=tmp_path)
    assert refused.value.message.startswith("Định dạng tệp không được chấp nhận (chỉ nhận PDF, PNG, JPEG, TIFF, DOCX, XLSX)")
    assert list(tmp_path.iterdir()) == []
