"""Forms rendered from plain data: text, page size, fonts, QR — no database needed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from motcua.core.config import Settings
from motcua.documents import render
from motcua.documents.forms import DEFAULTS, TT01_2018, TT03_2025
from motcua.documents.service import FormInfo, render_dossier_form_html, render_tracking_book_html
from motcua.documents.views import (
    Applicant,
    BookRow,
    ComponentLine,
    DossierDoc,
    HandOver,
    Issuer,
    TrackingBookDoc,
)
from tests.documents.pdfutil import A4_LANDSCAPE, A5_PORTRAIT, embedded_fonts, page_sizes, pdf_text

CODE = "000.00.20.H37-261124-0007"
SETTINGS = Settings(
    database_url="sqlite://", secret_key="x" * 40, public_base_url="https://dichvucong.langson.gov.vn"
)


def info(key: str) -> FormInfo:
    spec = DEFAULTS[key]
    return FormInfo(spec.key, spec.number, spec.title, spec.paper_size, True)


def sample_doc(**overrides) -> DossierDoc:
    values = dict(
        code=CODE,
        procedure_name="Cấp bản sao trích lục hộ tịch",
        procedure_code="1.004884",
        issuer=Issuer("Trung tâm Phục vụ hành chính công", "Ủy ban nhân dân tỉnh Lạng Sơn"),
        applicant=Applicant("Nguyễn Thị Hoà", address="Phường Đông Kinh, tỉnh Lạng Sơn", phone="0912345678"),
        competent_agency_name="Sở Tư pháp",
        receiving_unit_name="Trung tâm Phục vụ hành chính công",
        components=[ComponentLine("Tờ khai cấp bản sao trích lục", "original", 1), ComponentLine("Căn cước", "copy", 2)],
        received_at=datetime(2026, 11, 24, 3, 5, tzinfo=UTC),
        due_at=datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
        time_limit_text="03 ngày làm việc",
        officer_name="Lường Văn Tâm",
    )
    values.update(overrides)
    return DossierDoc(**values)


def pdf_for(key: str, doc: DossierDoc) -> bytes:
    html = render_dossier_form_html(info(key), doc, settings=SETTINGS, issued_at=datetime(2026, 11, 24, 3, 5, tzinfo=UTC))
    return render.html_to_pdf(html)


def test_receipt_pdf_is_a5_with_code_labels_and_embedded_font():
    pdf = pdf_for("receipt", sample_doc())

    assert pdf.startswith(b"%PDF-")
    assert page_sizes(pdf) == [A5_PORTRAIT]
    text = pdf_text(pdf)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Mẫu số 01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        "Ông/Bà: Nguyễn Thị Hoà",
        "Lạng Sơn, ngày 24 tháng 11 năm 2026",
        "Thời gian nhận hồ sơ: 10 giờ 05 phút, ngày 24/11/2026",
        "17 giờ 00 phút, ngày 27/11/2026",
        "Bản chính",
        "Bản sao",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ]:
        assert expected in text, expected
    fonts = embedded_fonts(pdf)
    # one serif family covers every Vietnamese letter: no glyph falls back to another font
    assert fonts and all("MotcuaSerif" in f for f in fonts), fonts


def test_the_chosen_font_covers_vietnamese():
    fonts = render.find_fonts()
    assert fonts is not None
    from pathlib import Path
    from urllib.parse import urlparse

    assert render.covers_vietnamese(Path(urlparse(fonts.regular).path))
    assert not render.covers_vietnamese(Path("/nonexistent/font.ttf"))


def test_qr_code_points_to_public_lookup():
    url = render.lookup_url(SETTINGS.public_base_url, CODE)
    assert url == "https://dichvucong.langson.gov.vn/tra-cuu?ma=000.00.20.H37-261124-0007"
    html = render_dossier_form_html(info("receipt"), sample_doc(), settings=SETTINGS)
    assert render.qr_data_uri(url) in html
    assert html.count("data:image/svg+xml") == 1


@pytest.mark.parametrize("key", ["receipt", "supplement_request", "refusal", "apology", "stop_notice", "control_slip"])
def test_every_slip_prints_the_lookup_key_and_its_qr_opens_the_lookup_prefilled(key):
    """The QR opens /tra-cuu with the code and the key filled in; the key is printed in words
    next to the code, in two groups of three, for those who type it."""
    url = render.lookup_url(SETTINGS.public_base_url, CODE, "K7MP3X")
    assert url == "https://dichvucong.langson.gov.vn/tra-cuu?ma=000.00.20.H37-261124-0007&khoa=K7MP3X"
    html = render_dossier_form_html(info(key), sample_doc(lookup_key="K7MP3X"), settings=SETTINGS)
    assert render.qr_data_uri(url) in html
    assert html.count("data:image/svg+xml") == 1
    assert f"Mã hồ sơ: <span class=\"code\">{CODE}</span>" in html
    assert "Mã tra cứu: <span class=\"code\">K7M P3X</span>" in html


def test_receipt_pdf_prints_the_lookup_key_beside_the_code_on_one_a5_page():
    pdf = pdf_for("receipt", sample_doc(lookup_key="K7MP3X"))
    assert page_sizes(pdf) == [A5_PORTRAIT]
    text = " ".join(pdf_text(pdf).split())
    assert f"Mã hồ sơ: {CODE} — Mã tra cứu: K7M P3X" in text


@pytest.mark.parametrize(
    ("key", "doc_changes", "expected"),
    [
        ("supplement_request", {"missing_items": ["Bản sao giấy khai sinh", "Tờ khai có chữ ký"]},
         ["Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Bản sao giấy khai sinh", "Tờ khai có chữ ký"]),
        ("refusal", {"refusal_reasons": ["Không thuộc thẩm quyền giải quyết"]},
         ["Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Không thuộc thẩm quyền giải quyết"]),
        ("apology", {"apology_reason": "Chờ xác minh", "new_due_at": datetime(2026, 12, 2, 10, 0, tzinfo=UTC)},
         ["Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "Chờ xác minh",
          "17 giờ 00 phút, ngày 02/12/2026"]),
        ("stop_notice", {"stop_requested_at": datetime(2026, 11, 25, 2, 0, tzinfo=UTC), "stop_reason": "Không còn nhu cầu"},
         ["Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Ngày 25/11/2026", "Không còn nhu cầu"]),
        ("control_slip", {"handovers": [
            HandOver("Bộ phận Một cửa (Lường Văn Tâm)", "Phòng Hộ tịch (Hoàng Thu Trang)",
                     datetime(2026, 11, 24, 4, 0, tzinfo=UTC), "early", "Hồ sơ đủ"),
            HandOver("Phòng Hộ tịch (Hoàng Thu Trang)", "Lãnh đạo Sở (Vi Văn Đức)",
                     datetime(2026, 11, 26, 9, 30, tzinfo=UTC), "late", ""),
        ]},
         ["Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Phòng Hộ tịch (Hoàng Thu Trang)",
          "11:00 24/11/2026", "Trước hạn", "16:30 26/11/2026", "Quá hạn", "Hồ sơ đủ"]),
    ],
)
def test_each_slip_is_a5_with_its_title_and_content(key, doc_changes, expected):
    pdf = pdf_for(key, sample_doc(**doc_changes))

    assert page_sizes(pdf)[0] == A5_PORTRAIT
    text = pdf_text(pdf)
    assert CODE in text
    for item in expected:
        assert item in text, item


def test_tracking_book_is_a4_landscape():
    book = TrackingBookDoc(
        Issuer("Trung tâm Phục vụ hành chính công", "Ủy ban nhân dân tỉnh Lạng Sơn"),
        date(2026, 11, 1),
        date(2026, 11, 30),
        [BookRow(CODE, "Cấp bản sao trích lục hộ tịch", "Nguyễn Thị Hoà", received_at=datetime(2026, 11, 24, 3, 5, tzinfo=UTC))],
    )
    pdf = render.html_to_pdf(render_tracking_book_html(info("tracking_book"), book, settings=SETTINGS))

    assert set(page_sizes(pdf)) == {A4_LANDSCAPE}
    text = pdf_text(pdf)
    for item in ["SỔ THEO DÕI HỒ SƠ", "Mẫu số 07", "Từ ngày 01/11/2026 đến ngày 30/11/2026", CODE, "Nguyễn Thị Hoà",
                 "Cơ quan chủ trì giải quyết"]:
        assert item in text, item


def test_place_and_date_follows_decree_30():
    assert render.place_and_date("Lạng Sơn", date(2026, 3, 5)) == "Lạng Sơn, ngày 05 tháng 3 năm 2026"
    assert render.place_and_date("Lạng Sơn", date(2026, 2, 15)) == "Lạng Sơn, ngày 15 tháng 02 năm 2026"
    # 23:30 UTC is already the next day in Hà Nội.
    assert render.place_and_date("Lạng Sơn", datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == (
        "Lạng Sơn, ngày 01 tháng 01 năm 2027"
    )


def test_the_two_numberings_cover_the_same_forms():
    assert [s.key for s in TT03_2025] == [s.key for s in TT01_2018]
    assert {s.key: s.number for s in TT01_2018}["control_slip"] == "05"
    assert {s.key: s.number for s in TT03_2025}["control_slip"] == "06"
    assert len({s.number for s in TT01_2018}) == len(TT01_2018) == 8  # no number twice (03a: refusal notice)
