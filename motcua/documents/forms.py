"""The catalogue of prescribed forms and the two numberings in use.

Numbers and titles of Circular 03/2025/TT-VPCP (in force since 15/09/2025) are the
default; those of Circular 01/2018/TT-VPCP are kept because provinces still print them.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.documents.enums import FormKey

PAPER_SIZES = ("A5", "A4", "A4 landscape")


@dataclass(frozen=True)
class FormSpec:
    key: str
    number: str
    title: str
    paper_size: str
    template: str
    # True when the form is printed for a single dossier (01–06); the book (07) is not.
    per_dossier: bool = True


RECEIPT = FormKey.receipt
SUPPLEMENT_REQUEST = FormKey.supplement_request
REFUSAL = FormKey.refusal
REFUSAL_NOTICE = FormKey.refusal_notice
APOLOGY = FormKey.apology
STOP_NOTICE = FormKey.stop_notice
CONTROL_SLIP = FormKey.control_slip
TRACKING_BOOK = FormKey.tracking_book

TEMPLATES = {
    RECEIPT: "documents/form_receipt.html",
    SUPPLEMENT_REQUEST: "documents/form_supplement.html",
    REFUSAL: "documents/form_refusal.html",
    REFUSAL_NOTICE: "documents/form_refusal_notice.html",
    APOLOGY: "documents/form_apology.html",
    STOP_NOTICE: "documents/form_stop.html",
    CONTROL_SLIP: "documents/form_control_slip.html",
    TRACKING_BOOK: "documents/form_tracking_book.html",
}

# The refusal after appraisal (ND 61/2018 Art. 19: the agency refuses with its reasons) has
# no prescribed form in either circular: it is printed as an agency notice in the state
# document layout, under the local number "03a" (as TT 01/2018 sets have a local "05a").
REFUSAL_NOTICE_SPEC_TITLE = "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"

# The second part of the slips' "Số: 15/GTN" (ND 30/2020 writes the number, then an
# abbreviation of the document): one register per form and issuing unit and year
# (documents.registers). These abbreviations are the system's, not prescribed by law.
NUMBER_SUFFIXES = {
    RECEIPT: "GTN",
    SUPPLEMENT_REQUEST: "PBS",
    REFUSAL: "PTC",
    REFUSAL_NOTICE: "TB-TCGQ",
    APOLOGY: "XL",
    STOP_NOTICE: "TB-DGQ",
    CONTROL_SLIP: "PKS",
}

# Circular 03/2025/TT-VPCP.
TT03_2025 = [
    FormSpec(RECEIPT, "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "A5", TEMPLATES[RECEIPT]),
    FormSpec(SUPPLEMENT_REQUEST, "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "A5", TEMPLATES[SUPPLEMENT_REQUEST]),
    FormSpec(REFUSAL, "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "A5", TEMPLATES[REFUSAL]),
    FormSpec(REFUSAL_NOTICE, "03a", REFUSAL_NOTICE_SPEC_TITLE, "A5", TEMPLATES[REFUSAL_NOTICE]),
    FormSpec(APOLOGY, "04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "A5", TEMPLATES[APOLOGY]),
    FormSpec(STOP_NOTICE, "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "A5", TEMPLATES[STOP_NOTICE]),
    FormSpec(CONTROL_SLIP, "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "A5", TEMPLATES[CONTROL_SLIP]),
    FormSpec(TRACKING_BOOK, "07", "SỔ THEO DÕI HỒ SƠ", "A4 landscape", TEMPLATES[TRACKING_BOOK], per_dossier=False),
]

# Circular 01/2018/TT-VPCP: no stop notice (kept with a local number "05a"), the control
# slip is 05 and the book 06.
TT01_2018 = [
    FormSpec(RECEIPT, "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "A5", TEMPLATES[RECEIPT]),
    FormSpec(SUPPLEMENT_REQUEST, "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "A5", TEMPLATES[SUPPLEMENT_REQUEST]),
    FormSpec(REFUSAL, "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "A5", TEMPLATES[REFUSAL]),
    FormSpec(REFUSAL_NOTICE, "03a", REFUSAL_NOTICE_SPEC_TITLE, "A5", TEMPLATES[REFUSAL_NOTICE]),
    FormSpec(APOLOGY, "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "A5", TEMPLATES[APOLOGY]),
    FormSpec(STOP_NOTICE, "05a", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "A5", TEMPLATES[STOP_NOTICE]),
    FormSpec(CONTROL_SLIP, "05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "A5", TEMPLATES[CONTROL_SLIP]),
    FormSpec(TRACKING_BOOK, "06", "SỔ THEO DÕI HỒ SƠ", "A4 landscape", TEMPLATES[TRACKING_BOOK], per_dossier=False),
]

NUMBERINGS = {"tt03-2025": TT03_2025, "tt01-2018": TT01_2018}
NUMBERING_LABELS = {
    "tt03-2025": "Thông tư 03/2025/TT-VPCP (mặc định)",
    "tt01-2018": "Thông tư 01/2018/TT-VPCP",
}
DEFAULTS = {spec.key: spec for spec in TT03_2025}
FORM_KEYS = [spec.key for spec in TT03_2025]
