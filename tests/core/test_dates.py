from datetime import date

import pytest

from motcua.core.dates import parse_date
from motcua.core.errors import InvalidInput


@pytest.mark.parametrize("text", ["24/11/2026", "2026-11-24", " 24/11/2026 ", "24/11/2026"])
def test_accepts_vietnamese_and_iso_dates(text):
    assert parse_date(text, label="Ngày") == date(2026, 11, 24)


@pytest.mark.parametrize("text", ["31/02/2026", "11/24/2026x", "hôm qua", "2026-13-01"])
def test_refuses_impossible_dates_in_vietnamese(text):
    with pytest.raises(InvalidInput) as err:
        parse_date(text, label="Ngày hiệu lực")
    assert err.value.message == f"Ngày hiệu lực không hợp lệ: “{text}” (nhập dạng dd/mm/yyyy, ví dụ 01/07/2025)."


def test_empty_input_names_the_field_only():
    with pytest.raises(InvalidInput) as err:
        parse_date("", label="Ngày giải thể/sáp nhập")
    assert err.value.message == "Ngày giải thể/sáp nhập không hợp lệ (nhập dạng dd/mm/yyyy, ví dụ 01/07/2025)."
