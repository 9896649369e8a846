"""What a citizen may upload, decided by content (pure, no database)."""

from __future__ import annotations

import pytest

from motcua.eservice.uploads import Upload, refusal
from tests.eservice.support import JPEG, PDF, PNG, docx

LIMIT = 1024


@pytest.mark.parametrize(("name", "content"), [
    ("to-khai.pdf", PDF), ("TO-KHAI.PDF", PDF), ("anh.jpg", JPEG), ("anh.jpeg", JPEG), ("anh.png", PNG),
    ("don.docx", docx()),
])
def test_accepted(name, content):
    assert refusal(Upload(name, content), LIMIT) is None


@pytest.mark.parametrize(("name", "content", "message"), [
    ("to-khai.pdf", b"", "Tệp “to-khai.pdf” rỗng (0 byte): hãy chọn lại tệp có nội dung."),
    ("to-khai.pdf", PDF + b"x" * LIMIT, "Tệp “to-khai.pdf” lớn hơn dung lượng cho phép (1 KB mỗi tệp)."),
    ("ghi-chu.txt", b"van ban", "Tệp “ghi-chu.txt” không phải PDF, JPEG, PNG hoặc DOCX: chỉ nhận các định dạng này."),
    ("to-khai.pdf", b"II*\x00abc", "Tệp “to-khai.pdf” không phải PDF, JPEG, PNG hoặc DOCX (nội dung là ảnh TIFF): "
                                   "chỉ nhận các định dạng này."),
    ("anh.png", JPEG, "Tệp “anh.png” có đuôi “.png” nhưng nội dung là ảnh JPEG: hãy chọn đúng tệp hoặc đặt tên tệp "
                      "với đuôi .jpg."),
    ("to-khai", PDF, "Tệp “to-khai” không có đuôi tên tệp nhưng nội dung là PDF: hãy chọn đúng tệp hoặc đặt tên tệp "
                     "với đuôi .pdf."),
    ("C:\\Users\\An\\don.pdf", docx(), "Tệp “don.pdf” có đuôi “.pdf” nhưng nội dung là văn bản Word (DOCX): hãy chọn "
                                        "đúng tệp hoặc đặt tên tệp với đuôi .docx."),
    ("hong.docx", b"PK\x03\x04 not a zip", "Tệp “hong.docx” không phải PDF, JPEG, PNG hoặc DOCX: chỉ nhận các định dạng này."),
])
def test_refused_with_a_clear_message(name, content, message):
    assert refusal(Upload(name, content), LIMIT) == message


def test_the_limit_is_inclusive():
    assert refusal(Upload("a.pdf", PDF + b"x" * (LIMIT - len(PDF))), LIMIT) is None
