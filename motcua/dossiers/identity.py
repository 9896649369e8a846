"""Pure: an applicant's identity number, checked by its shape (issue 16).

One rule for the input models (dossiers/schemas.py: the counter page and the API) and the
receipt service (dossiers/service/receive.py: every other caller). Spaces and dots typed between
groups of digits are dropped first ("001 234 567 890" → "001234567890").
"""

from __future__ import annotations

import re

PERSON_ID_PATTERNS = (
    re.compile(r"\d{12}"),  # căn cước / căn cước công dân: the 12-digit số định danh cá nhân
    re.compile(r"\d{9}"),  # chứng minh nhân dân (old ID card): 9 digits
    # Vietnamese passport: one letter and 7 digits (e.g. C1234567). A foreign passport has
    # other shapes: such an applicant is received with the number left empty and noted.
    re.compile(r"[A-Z]\d{7}"),
)
# Mã số thuế / mã số doanh nghiệp: 10 digits, or 13 for a branch or unit (10 + 3, written
# with a hyphen "0101234567-001" or plain "0101234567001"; Luật Quản lý thuế 2019 Art. 30(3),
# TT 105/2020/TT-BTC). Stored in its written form, with the hyphen.
TAX_CODE_PATTERN = re.compile(r"(\d{10})(?:-?(\d{3}))?")
PERSON_ID_TEXT = "số căn cước (12 chữ số), chứng minh nhân dân cũ (9 chữ số) hoặc hộ chiếu (1 chữ cái và 7 chữ số)"
TAX_CODE_TEXT = "mã số thuế, mã số doanh nghiệp (10 chữ số, hoặc 13 chữ số dạng 0101234567-001)"


def normal_id_number(value: str, kind: str | None) -> str:
    """Pure: the identity number of an applicant of `kind` ("person", "organisation", or None
    when unknown) in its written form, or ValueError with the Vietnamese reason.

    A person gives a citizen ID, an old ID card or a passport; an organisation its tax code,
    13-digit codes written 10-3 with a hyphen. An unknown kind accepts any of them."""
    text = re.sub(r"[\s.]", "", value).upper()
    if kind != "organisation" and any(p.fullmatch(text) for p in PERSON_ID_PATTERNS):
        return text
    tax = TAX_CODE_PATTERN.fullmatch(text) if kind != "person" else None
    if tax:
        return tax.group(1) + (f"-{tax.group(2)}" if tax.group(2) else "")
    expected = {"person": PERSON_ID_TEXT, "organisation": TAX_CODE_TEXT}.get(kind, f"{PERSON_ID_TEXT}; hoặc {TAX_CODE_TEXT}")
    raise ValueError(f"Số định danh “{value}” không đúng định dạng: cần {expected}.")
