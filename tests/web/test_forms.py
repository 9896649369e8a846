"""web/forms.py: a refusal as the form macros show it (issue 16: every error at its field)."""

from __future__ import annotations

from motcua.core.errors import Conflict, InvalidInput
from motcua.web.forms import field_errors


def test_details_naming_inputs_are_grouped_by_input_and_all_listed():
    exc = InvalidInput("Dữ liệu không hợp lệ.", details=[
        {"name": "full_name", "label": "Họ và tên", "message": "Không được quá 200 ký tự."},
        {"name": "missing_items", "label": "Giấy tờ 1", "message": "Không được quá 1000 ký tự."},
        {"name": "missing_items", "label": "Giấy tờ 3", "message": "Không được quá 1000 ký tự."},
        {"name": None, "label": "", "message": "Chọn cơ quan có thẩm quyền giải quyết."},
        "Hồ sơ được tiếp nhận phải có ít nhất một thành phần hồ sơ.",
    ])
    shown = field_errors(exc)
    assert shown["fields"] == {"full_name": ["Không được quá 200 ký tự."],
                               "missing_items": ["Không được quá 1000 ký tự."] * 2}
    assert [i["message"] for i in shown["items"]][3:] == [
        "Chọn cơ quan có thẩm quyền giải quyết.", "Hồ sơ được tiếp nhận phải có ít nhất một thành phần hồ sơ."]
    assert shown["message"] == "Dữ liệu không hợp lệ."


def test_a_refusal_without_details_is_its_message():
    assert field_errors(Conflict("Hồ sơ đã được người khác nhận xử lý.")) == {
        "message": "Hồ sơ đã được người khác nhận xử lý.", "fields": {}, "items": []}
