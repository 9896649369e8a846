"""The wording of applicants' notices: named placeholders, the default templates, and a
sandboxed Jinja2 environment that renders what an administrator wrote (docs/notify.md).

A template is checked when it is saved (`check_template`): its syntax, every name it uses
(only the placeholders of its kind), and a rendering of the sample dossier; a refusal
says in Vietnamese what is wrong. The sandbox refuses attribute tricks (`__class__` …) and
`StrictUndefined` refuses an unknown name, so nothing an administrator writes can reach
the application's objects. Sending never fails on wording: `render_notice` falls back to
the default template if a stored one cannot be rendered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from motcua.notify.models import ChannelKind, NoticeKind

log = logging.getLogger("motcua.notify")

# Rendered SMS longer than this is refused at save (with the sample dossier): a Unicode SMS
# part holds 67 characters, so this is at most five parts.
SMS_MAX_CHARS = 335
SUBJECT_MAX_CHARS = 300

K = NoticeKind

# Placeholder → what the administrator reads about it (shown on the edit page).
COMMON_PLACEHOLDERS = {
    "ho_ten": "Họ tên người nộp hồ sơ (hoặc tên tổ chức)",
    "ma_ho_so": "Mã hồ sơ",
    "thu_tuc": "Tên thủ tục hành chính",
    "co_quan": "Cơ quan giải quyết",
    "noi_tra": "Nơi tiếp nhận, trả kết quả",
    "ngay_hen": "Ngày hẹn trả kết quả (dd/mm/yyyy)",
    "gio_hen": "Giờ hẹn trả kết quả (HH:MM)",
    "tra_cuu": "Đường dẫn tra cứu hồ sơ",
}
KIND_PLACEHOLDERS: dict[NoticeKind, dict[str, str]] = {
    K.ACCEPTED: {},
    K.SUPPLEMENT: {
        "giay_to_bo_sung": "Các giấy tờ, nội dung cần bổ sung, mỗi mục một dòng",
        "giay_to_ngan": "Các giấy tờ cần bổ sung trên một dòng (cho SMS)",
        "ghi_chu": "Ghi chú, hướng dẫn của cán bộ (có thể trống)",
    },
    K.PAYMENT: {
        "so_tien": "Số tiền phải nộp (đồng)",
        "cach_nop": "Cách nộp tiền",
        "duong_dan_thanh_toan": "Đường dẫn thanh toán trực tuyến (có thể trống)",
    },
    K.RESULT_READY: {
        "ket_qua": "“kết quả giải quyết” hoặc “văn bản từ chối giải quyết”",
    },
    K.APOLOGY: {
        "ngay_hen_cu": "Ngày hẹn cũ (dd/mm/yyyy)",
        "ngay_hen_moi": "Ngày hẹn mới (dd/mm/yyyy)",
        "gio_hen_moi": "Giờ hẹn mới (HH:MM)",
        "ly_do": "Lý do chậm",
    },
    K.RETURNED: {
        "ngay_tra": "Ngày trả kết quả (dd/mm/yyyy)",
        "hinh_thuc_tra": "Hình thức trả kết quả",
    },
}


def placeholders(kind: NoticeKind) -> dict[str, str]:
    return COMMON_PLACEHOLDERS | KIND_PLACEHOLDERS[kind]


# The sample dossier of the preview and of the check at save.
SAMPLE: dict[NoticeKind, dict[str, str]] = {
    kind: {
        "ho_ten": "Nguyễn Văn An", "ma_ho_so": "H37.21-261202-0001",
        "thu_tuc": "Đăng ký khai sinh", "co_quan": "Ủy ban nhân dân phường Lương Văn Tri",
        "noi_tra": "Bộ phận Một cửa Ủy ban nhân dân phường Lương Văn Tri",
        "ngay_hen": "09/12/2026", "gio_hen": "16:30",
        "tra_cuu": "https://dichvucong.langson.gov.vn/tra-cuu?ma=H37.21-261202-0001&khoa=K7MP3X",
    } | extra
    for kind, extra in {
        K.ACCEPTED: {},
        K.SUPPLEMENT: {"giay_to_bo_sung": "- Bản sao giấy chứng nhận kết hôn\n- Giấy chứng sinh (bản chính)",
                       "giay_to_ngan": "Bản sao giấy chứng nhận kết hôn; Giấy chứng sinh (bản chính)",
                       "ghi_chu": "Giấy chứng sinh phải có xác nhận của cơ sở y tế."},
        K.PAYMENT: {"so_tien": "1.250.000 đồng",
                    "cach_nop": "Nộp trực tuyến qua Nền tảng thanh toán quốc gia theo đường dẫn "
                                "https://thanhtoan.example/tt/123, hoặc nộp trực tiếp tại Bộ phận Một cửa "
                                "Ủy ban nhân dân phường Lương Văn Tri.",
                    "duong_dan_thanh_toan": "https://thanhtoan.example/tt/123"},
        K.RESULT_READY: {"ket_qua": "kết quả giải quyết"},
        K.APOLOGY: {"ngay_hen_cu": "09/12/2026", "ngay_hen_moi": "16/12/2026", "gio_hen_moi": "16:30",
                    "ly_do": "Cần xác minh thêm thông tin tại nơi cư trú."},
        K.RETURNED: {"ngay_tra": "08/12/2026", "hinh_thuc_tra": "Trực tiếp tại Bộ phận Một cửa"},
    }.items()
}

_FOOTER = "\n\nThư gửi tự động từ hệ thống một cửa; xin không trả lời thư này."
_GREETING = "Kính gửi Ông/Bà {{ ho_ten }},\n\n"
_FACTS = "Mã hồ sơ: {{ ma_ho_so }}\nThủ tục: {{ thu_tuc }}\n"
_LOOKUP = "\nTra cứu tình trạng hồ sơ: {{ tra_cuu }}"


@dataclass(frozen=True)
class Wording:
    subject: str  # e-mail only ("" for SMS)
    body: str


DEFAULTS: dict[tuple[NoticeKind, ChannelKind], Wording] = {
    (K.ACCEPTED, ChannelKind.EMAIL): Wording(
        "Hồ sơ {{ ma_ho_so }} đã được tiếp nhận",
        _GREETING + "Hồ sơ của Ông/Bà đã được tiếp nhận.\n\n" + _FACTS
        + "Cơ quan giải quyết: {{ co_quan }}\nNgày hẹn trả kết quả: {{ ngay_hen }}{% if gio_hen %} lúc {{ gio_hen }}"
        "{% endif %}\nNơi trả kết quả: {{ noi_tra }}\n" + _LOOKUP + _FOOTER),
    (K.ACCEPTED, ChannelKind.SMS): Wording(
        "", "Hồ sơ {{ ma_ho_so }} đã được tiếp nhận, hẹn trả kết quả ngày {{ ngay_hen }}. Tra cứu: {{ tra_cuu }}"),
    (K.SUPPLEMENT, ChannelKind.EMAIL): Wording(
        "Hồ sơ {{ ma_ho_so }} cần bổ sung giấy tờ",
        _GREETING + "Để hồ sơ được giải quyết, đề nghị Ông/Bà bổ sung, hoàn thiện các giấy tờ, nội dung sau:\n\n"
        "{{ giay_to_bo_sung }}\n{% if ghi_chu %}\nHướng dẫn của cán bộ: {{ ghi_chu }}\n{% endif %}\n" + _FACTS
        + "Nơi nộp bổ sung: {{ noi_tra }}\n" + _LOOKUP + _FOOTER),
    (K.SUPPLEMENT, ChannelKind.SMS): Wording(
        "", "Hồ sơ {{ ma_ho_so }} cần bổ sung: {{ giay_to_ngan }}. Nộp tại {{ noi_tra }}."),
    (K.PAYMENT, ChannelKind.EMAIL): Wording(
        "Hồ sơ {{ ma_ho_so }}: đề nghị nộp {{ so_tien }}",
        _GREETING + "Để hồ sơ được tiếp tục giải quyết, đề nghị Ông/Bà thực hiện nghĩa vụ tài chính.\n\n"
        "Số tiền phải nộp: {{ so_tien }}\nCách nộp: {{ cach_nop }}\n\n" + _FACTS + _LOOKUP + _FOOTER),
    (K.PAYMENT, ChannelKind.SMS): Wording(
        "", "Hồ sơ {{ ma_ho_so }}: đề nghị nộp {{ so_tien }}."
        "{% if duong_dan_thanh_toan %} Thanh toán: {{ duong_dan_thanh_toan }}{% else %} Nộp tại {{ noi_tra }}."
        "{% endif %}"),
    (K.RESULT_READY, ChannelKind.EMAIL): Wording(
        "Hồ sơ {{ ma_ho_so }} đã có kết quả",
        _GREETING + "Hồ sơ của Ông/Bà đã có {{ ket_qua }}. Mời Ông/Bà nhận tại {{ noi_tra }} "
        "(mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả).\n\n" + _FACTS + _LOOKUP + _FOOTER),
    (K.RESULT_READY, ChannelKind.SMS): Wording(
        "", "Hồ sơ {{ ma_ho_so }} đã có {{ ket_qua }}. Mời Ông/Bà nhận tại {{ noi_tra }}."),
    (K.APOLOGY, ChannelKind.EMAIL): Wording(
        "Hồ sơ {{ ma_ho_so }}: thư xin lỗi và hẹn lại ngày trả kết quả",
        _GREETING + "{{ co_quan }} xin lỗi Ông/Bà vì hồ sơ chưa được giải quyết xong theo ngày hẹn {{ ngay_hen_cu }}."
        "\n\nLý do: {{ ly_do }}\nNgày hẹn trả kết quả mới: {{ ngay_hen_moi }} lúc {{ gio_hen_moi }}\n\n" + _FACTS
        + _LOOKUP + _FOOTER),
    (K.APOLOGY, ChannelKind.SMS): Wording(
        "", "Xin lỗi Ông/Bà: hồ sơ {{ ma_ho_so }} được hẹn lại trả kết quả ngày {{ ngay_hen_moi }}."),
    (K.RETURNED, ChannelKind.EMAIL): Wording(
        "Hồ sơ {{ ma_ho_so }} đã trả kết quả",
        _GREETING + "Kết quả hồ sơ của Ông/Bà đã được trả ngày {{ ngay_tra }} ({{ hinh_thuc_tra }}).\n\n" + _FACTS
        + _LOOKUP + _FOOTER),
    (K.RETURNED, ChannelKind.SMS): Wording(
        "", "Hồ sơ {{ ma_ho_so }} đã trả kết quả ngày {{ ngay_tra }}. Cảm ơn Ông/Bà."),
}
assert set(DEFAULTS) == {(k, c) for k in NoticeKind for c in ChannelKind}

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


class TemplateRefused(ValueError):
    """A template that cannot be used; the message says why in Vietnamese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field  # "subject" or "body"
        self.message = message


def _render(source: str, values: dict[str, str]) -> str:
    return _env.from_string(source).render(values)


def _check_part(field: str, label: str, source: str, kind: NoticeKind) -> str:
    """Render `source` with the sample dossier, or refuse it with what is wrong."""
    try:
        names = meta.find_undeclared_variables(_env.parse(source))
    except TemplateSyntaxError as exc:
        raise TemplateRefused(field, f"{label} viết sai cú pháp ở dòng {exc.lineno} ({exc.message}). "
                                     "Chỗ thay thế viết dạng {{ ma_ho_so }}; điều kiện dạng {% if … %}…{% endif %}."
                              ) from None
    unknown = sorted(names - set(placeholders(kind)))
    if unknown:
        raise TemplateRefused(field, f"{label} dùng tên không có: {', '.join(unknown)}. Các tên dùng được: "
                                     f"{', '.join(placeholders(kind))}.")
    try:
        return _render(source, SAMPLE[kind])
    except (SecurityError, UndefinedError) as exc:
        # The sandbox answers an unsafe attribute (`__class__` …) with an undefined value,
        # which StrictUndefined turns into this error; a plain unknown name was caught above.
        raise TemplateRefused(field, f"{label} dùng thao tác không được phép trong mẫu thông báo "
                                     "(chỉ dùng các chỗ thay thế và {% if %}).") from exc
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as exc:
        raise TemplateRefused(field, f"{label} không tạo được nội dung với hồ sơ mẫu ({exc}).") from None


def check_template(kind: NoticeKind, channel: ChannelKind, subject: str, body: str) -> Wording:
    """The template rendered with the sample dossier, or `TemplateRefused`."""
    rendered_subject = ""
    if channel == ChannelKind.EMAIL:
        if not subject.strip():
            raise TemplateRefused("subject", "Cần nhập tiêu đề thư.")
        rendered_subject = _check_part("subject", "Tiêu đề", subject, kind)
        if "\n" in rendered_subject.strip() or len(rendered_subject) > SUBJECT_MAX_CHARS:
            raise TemplateRefused("subject", f"Tiêu đề phải trên một dòng, không quá {SUBJECT_MAX_CHARS} ký tự.")
    if not body.strip():
        raise TemplateRefused("body", "Cần nhập nội dung thông báo.")
    rendered_body = _check_part("body", "Nội dung", body, kind)
    if channel == ChannelKind.SMS and len(rendered_body) > SMS_MAX_CHARS:
        raise TemplateRefused("body", f"Tin nhắn SMS quá dài: {len(rendered_body)} ký tự với hồ sơ mẫu "
                                      f"(tối đa {SMS_MAX_CHARS}, khoảng 5 tin). Hãy viết ngắn hơn.")
    return Wording(rendered_subject.strip(), rendered_body)


def render_notice(kind: NoticeKind, channel: ChannelKind, stored: Wording | None, values: dict[str, str]) -> Wording:
    """The notice for `values`: the stored template, or the default if it is missing or
    cannot be rendered (logged): a notice is never lost, and never breaks the change."""
    for wording in (stored, DEFAULTS[(kind, channel)]):
        if wording is None:
            continue
        try:
            return Wording(" ".join(_render(wording.subject, values).split()), _render(wording.body, values))
        except Exception:  # noqa: BLE001 - any failure of a stored template falls back to the default
            log.exception("notice template %s/%s cannot be rendered; using the default", kind, channel)
    raise AssertionError("default templates always render")  # checked by the tests
