"""Vocabularies of the documents domain: the forms' stable keys and their Vietnamese labels.

The key identifies a form in the code and the database (`form_definitions.key`); people see
the label (the forms admin page) and the form's own number and title (data, editable).
"""

from __future__ import annotations

from enum import StrEnum


class FormKey(StrEnum):
    receipt = "receipt"
    supplement_request = "supplement_request"
    refusal = "refusal"
    refusal_notice = "refusal_notice"
    apology = "apology"
    stop_notice = "stop_notice"
    control_slip = "control_slip"
    tracking_book = "tracking_book"


FORM_LABELS: dict[FormKey, str] = {
    FormKey.receipt: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    FormKey.supplement_request: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    FormKey.refusal: "Phiếu từ chối tiếp nhận hồ sơ (tại quầy)",
    FormKey.refusal_notice: "Thông báo từ chối giải quyết hồ sơ (sau thẩm định)",
    FormKey.apology: "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
    FormKey.stop_notice: "Thông báo dừng giải quyết hồ sơ",
    FormKey.control_slip: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    FormKey.tracking_book: "Sổ theo dõi hồ sơ",
}
