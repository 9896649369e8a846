"""The notice templates page (administrators) and the citizen's choice of channels."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from motcua.notify.models import ChannelKind, ChannelPreference, MessageTemplate, NoticeKind
from motcua.notify.templating import (
    DEFAULTS,
    SAMPLE,
    SMS_MAX_CHARS,
    TemplateRefused,
    check_template,
)
from tests.html_forms import csrf_from, signed_in
from tests.integrations.vneid.fixtures import CITIZEN, CLIENT_ID, CLIENT_SECRET, vneid, vneid_server  # noqa: F401

EDIT = "/quan-tri/thong-bao/mau/supplement/email"


def test_every_default_renders_with_the_sample_and_every_sms_is_short():
    for (kind, channel), wording in DEFAULTS.items():
        rendered = check_template(kind, channel, wording.subject, wording.body)
        assert rendered.body.strip() and "{{" not in rendered.body
        if channel == ChannelKind.SMS:
            assert len(rendered.body) <= SMS_MAX_CHARS
    assert check_template(NoticeKind.APOLOGY, ChannelKind.SMS, "", DEFAULTS[NoticeKind.APOLOGY, "sms"].body).body == (
        "Xin lỗi Ông/Bà: hồ sơ H37.21-261202-0001 được hẹn lại trả kết quả ngày 16/12/2026.")


@pytest.mark.parametrize(("body", "message"), [
    ("Hồ sơ {{ ma_ho_so }", "Nội dung viết sai cú pháp ở dòng 1"),
    ("{% if ghi_chu %}thiếu endif", "Nội dung viết sai cú pháp ở dòng 1"),
    ("Nộp {{ so_tien }}", "Nội dung dùng tên không có: so_tien. Các tên dùng được: ho_ten, ma_ho_so"),
    ("{{ ho_ten.__class__.__mro__ }}", "Nội dung dùng thao tác không được phép trong mẫu thông báo"),
    ("{{ ma_ho_so | lower | nonexistent_filter }}", "Nội dung viết sai cú pháp"),
    ("   ", "Cần nhập nội dung thông báo."),
])
def test_a_template_that_cannot_work_is_refused_with_the_reason(body, message):
    with pytest.raises(TemplateRefused) as refused:
        check_template(NoticeKind.SUPPLEMENT, ChannelKind.EMAIL, "Hồ sơ {{ ma_ho_so }}", body)
    assert refused.value.message.startswith(message) and refused.value.field == "body"


def test_an_sms_too_long_is_refused():
    with pytest.raises(TemplateRefused, match=r"Tin nhắn SMS quá dài: \d+ ký tự"):
        check_template(NoticeKind.SUPPLEMENT, ChannelKind.SMS, "", "{{ giay_to_bo_sung }} {{ ghi_chu }} " * 4)
    assert SAMPLE[NoticeKind.SUPPLEMENT]["giay_to_bo_sung"].startswith("- ")


def test_an_administrator_edits_a_template_previews_it_and_a_refusal_keeps_the_typing(client, db, make_user):
    make_user("qt.tinh", "province_admin")
    make_user("cv.thuong", "specialist")
    db.commit()
    signed_in(client, "cv.thuong")
    assert client.get("/quan-tri/thong-bao/mau").status_code == 403
    client.post("/dang-xuat", data={"csrf_token": csrf_from(client.get("/").text)})
    signed_in(client, "qt.tinh")

    listing = client.get("/quan-tri/thong-bao/mau")
    assert listing.status_code == 200
    assert f'href="{EDIT}"' in listing.text and "Yêu cầu bổ sung hồ sơ" in listing.text
    page = client.get(EDIT)
    assert page.status_code == 200
    assert "- Bản sao giấy chứng nhận kết hôn\n- Giấy chứng sinh (bản chính)" in html.unescape(page.text)
    token = csrf_from(page.text)

    broken = "Kính gửi {{ ho_ten },\nCần bổ sung: {{ giay_to_bo_sung }}"
    refused = client.post(EDIT, data={"csrf_token": token, "subject": "Bổ sung {{ ma_ho_so }}", "body": broken,
                                      "action": "save"})
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "Nội dung viết sai cú pháp ở dòng 1" in text
    assert f">{broken}</textarea>" in text and 'value="Bổ sung {{ ma_ho_so }}"' in text
    assert db.scalars(select(MessageTemplate.body).where(MessageTemplate.kind == "supplement",
                                                         MessageTemplate.channel == "email")).all() in (
        [], [DEFAULTS[NoticeKind.SUPPLEMENT, ChannelKind.EMAIL].body])

    good = "Kính gửi {{ ho_ten }},\r\nĐề nghị bổ sung:\r\n{{ giay_to_bo_sung }}\r\n{% if ghi_chu %}({{ ghi_chu }}){% endif %}"
    shown = client.post(EDIT, data={"csrf_token": token, "subject": "Bổ sung hồ sơ {{ ma_ho_so }}", "body": good,
                                    "action": "preview"})
    assert shown.status_code == 200
    assert ("Kính gửi Nguyễn Văn An,\nĐề nghị bổ sung:\n- Bản sao giấy chứng nhận kết hôn\n"
            "- Giấy chứng sinh (bản chính)\n(Giấy chứng sinh phải có xác nhận của cơ sở y tế.)") in html.unescape(
        shown.text).replace("<br>", "\n")
    saved = client.post(EDIT, data={"csrf_token": token, "subject": "Bổ sung hồ sơ {{ ma_ho_so }}", "body": good,
                                    "action": "save"}, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, EDIT)
    db.expire_all()
    row = db.get(MessageTemplate, ("supplement", "email"))
    assert (row.subject, row.body) == ("Bổ sung hồ sơ {{ ma_ho_so }}", good.replace("\r\n", "\n"))
    assert "(đã sửa)" in client.get("/quan-tri/thong-bao/mau").text
    assert client.get("/quan-tri/thong-bao/mau/khong-co/email").status_code == 404


@pytest.fixture
def settings(settings):
    settings.public_base_url = "http://testserver"  # the national login's redirect URI
    return settings


def test_a_signed_in_citizen_chooses_the_channels(client, db, vneid, monkeypatch):  # noqa: F811
    assert client.get("/cong-dan/thong-bao", follow_redirects=False).headers["location"] == "/cong-dan/dang-nhap"
    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)
    start = client.get("/cong-dan/dang-nhap/vneid", follow_redirects=False).headers["location"]
    assert client.get(vneid.authorize(start, CITIZEN), follow_redirects=False).status_code == 303

    page = client.get("/cong-dan/thong-bao")
    assert page.status_code == 200
    assert "an.nguyen@example.vn" in page.text and "0912345678" in page.text
    assert 'id="channel-email" checked' in page.text and 'id="channel-sms" checked' in page.text
    saved = client.post("/cong-dan/thong-bao", data={"csrf_token": csrf_from(page.text), "channel": "email"},
                        follow_redirects=False)
    assert saved.status_code == 303
    [choice] = db.scalars(select(ChannelPreference)).all()
    assert (choice.email, choice.sms) == (True, False)
    page = client.get("/cong-dan/thong-bao")
    assert "Đã lưu lựa chọn nhận thông báo." in page.text
    assert 'id="channel-email" checked' in page.text and 'id="channel-sms">' in page.text
    refused = client.post("/cong-dan/thong-bao", data={"csrf_token": csrf_from(page.text), "channel": "fax"})
    assert refused.status_code == 422 and "Kênh nhận thông báo không hợp lệ." in refused.text
