"""A table row of a slip is never cut in two by a page break (QA regression)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import UTC, datetime

from motcua.documents.views import HandOver
from tests.documents.pdfutil import page_sizes
from tests.documents.test_render import pdf_for, sample_doc
from tests.needs import require_tool


def _page_texts(pdf: bytes, pages: int) -> list[str]:
    texts = []
    for n in range(1, pages + 1):
        out = subprocess.run([require_tool("pdftotext"), "-f", str(n), "-l", str(n), "-enc", "UTF-8", "-", "-"],
                             input=pdf, capture_output=True, check=True)
        texts.append(re.sub(r"\s+", " ", unicodedata.normalize("NFC", out.stdout.decode())))
    return texts


def test_control_slip_rows_are_not_split_across_pages():
    handovers = [
        HandOver(f"Đầu{i:02d} Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn — Thẩm định, xử lý hồ sơ (Cán bộ {i:02d})",
                 "Sở Tư pháp — Phê duyệt kết quả (Lê Thị Lãnh Đạo)",
                 datetime(2026, 11, 24, 4, i, tzinfo=UTC), "early", f"Ghi chú {i:02d}")
        for i in range(14)
    ]
    pdf = pdf_for("control_slip", sample_doc(handovers=handovers))
    texts = _page_texts(pdf, len(page_sizes(pdf)))
    assert len(texts) >= 2  # the slip does run over a page
    for i in range(14):
        holding = [n for n, t in enumerate(texts) if f"(Cán bộ {i:02d})" in t]
        assert len(holding) == 1, (i, holding)
        assert f"Ghi chú {i:02d}" in texts[holding[0]], i
        assert f"Đầu{i:02d}" in texts[holding[0]], i
