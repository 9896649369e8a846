"""The applicant is told, on each of their channels, once per event, in the change's transaction."""

from __future__ import annotations

from sqlalchemy import select

from motcua.citizens.models import Citizen
from motcua.core.clock import frozen, to_local
from motcua.core.config import get_settings
from motcua.documents.render import lookup_url
from motcua.dossiers.service import ActionParams, perform_action
from motcua.notices.applicant import sms_number
from motcua.notify import wording
from motcua.notify.models import MessageTemplate, OutboxMessage
from motcua.payments.models import PaymentRequest
from tests.dossiers.world import build_world, local, receive


def act(db, dossier, user, action, **params):
    perform_action(db, dossier, user=user, action=action, params=ActionParams(**params))
    db.commit()


def messages(db, dossier) -> dict[tuple[str, str], OutboxMessage]:
    """(kind, channel) → the message; one at most each (asserted)."""
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.key.like(f"applicant:{dossier.id}:%"))
                      .order_by(OutboxMessage.created_at)).all()
    found = {(m.kind, m.channel): m for m in rows}
    assert len(found) == len(rows)
    return found


def notice(db, dossier, kind) -> tuple[OutboxMessage, OutboxMessage]:
    """The e-mail and the SMS of one notice."""
    sent = messages(db, dossier)
    return sent[kind, "email"], sent[kind, "sms"]


def test_each_event_of_a_dossier_tells_the_applicant_by_email_and_sms(db):
    w = build_world(db)
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)  # an@example.vn, 0912345678; 5 working days
    db.commit()
    link = lookup_url(get_settings().public_base_url, d.code, d.lookup_key)
    sent = messages(db, d)
    assert set(sent) == {("accepted", "email"), ("accepted", "sms")}
    mail, sms = sent["accepted", "email"], sent["accepted", "sms"]
    assert (mail.key, mail.recipient, mail.recipient_name) == (f"applicant:{d.id}:1:email", "an@example.vn",
                                                               "Nguyễn Văn An")
    assert mail.subject == f"Hồ sơ {d.code} đã được tiếp nhận"
    assert mail.body == (
        "Kính gửi Ông/Bà Nguyễn Văn An,\n\nHồ sơ của Ông/Bà đã được tiếp nhận.\n\n"
        f"Mã hồ sơ: {d.code}\nThủ tục: Cấp phiếu lý lịch tư pháp (thử)\nCơ quan giải quyết: Sở Tư pháp thử nghiệm\n"
        "Ngày hẹn trả kết quả: 09/03/2027 lúc 17:00\nNơi trả kết quả: Trung tâm Phục vụ hành chính công thử nghiệm\n"
        f"\nTra cứu tình trạng hồ sơ: {link}\n\nThư gửi tự động từ hệ thống một cửa; xin không trả lời thư này.")
    assert sms.recipient == "84912345678"
    assert sms.body == f"Hồ sơ {d.code} đã được tiếp nhận, hẹn trả kết quả ngày 09/03/2027. Tra cứu: {link}"

    with frozen(local(2027, 3, 2, 10, 0)):
        act(db, d, w.head, "assign", assignee=w.specialist)
    with frozen(local(2027, 3, 3, 9, 0)):
        act(db, d, w.specialist, "request_supplement", note="Giấy xác nhận do Công an xã cấp, còn hạn.",
            missing_items=["Bản sao giấy khai sinh", "Giấy xác nhận thông tin về cư trú"])
    sent = messages(db, d)
    assert len(sent) == 4  # assigning tells the applicant nothing
    mail, sms = notice(db, d, "supplement")
    assert mail.subject == f"Hồ sơ {d.code} cần bổ sung giấy tờ"
    assert ("đề nghị Ông/Bà bổ sung, hoàn thiện các giấy tờ, nội dung sau:\n\n- Bản sao giấy khai sinh\n"
            "- Giấy xác nhận thông tin về cư trú\n\nHướng dẫn của cán bộ: Giấy xác nhận do Công an xã cấp, còn hạn.\n"
            ) in mail.body
    assert "Nơi nộp bổ sung: Trung tâm Phục vụ hành chính công thử nghiệm\n" in mail.body
    assert sms.body == (f"Hồ sơ {d.code} cần bổ sung: Bản sao giấy khai sinh; Giấy xác nhận thông tin về cư trú. "
                        "Nộp tại Trung tâm Phục vụ hành chính công thử nghiệm.")

    with frozen(local(2027, 3, 4, 9, 0)):
        act(db, d, w.counter, "receive_supplement")
    with frozen(local(2027, 3, 4, 10, 0)):
        act(db, d, w.specialist, "request_payment", amount=1_250_000)
    mail, sms = notice(db, d, "payment")
    assert mail.subject == f"Hồ sơ {d.code}: đề nghị nộp 1.250.000 đồng"
    assert ("Số tiền phải nộp: 1.250.000 đồng\n"
            "Cách nộp: Nộp trực tiếp tại Trung tâm Phục vụ hành chính công thử nghiệm.\n") in mail.body
    assert sms.body == (f"Hồ sơ {d.code}: đề nghị nộp 1.250.000 đồng. "
                        "Nộp tại Trung tâm Phục vụ hành chính công thử nghiệm.")

    with frozen(local(2027, 3, 4, 11, 0)):
        act(db, d, w.counter, "confirm_payment")
    old_due = to_local(d.due_at)
    with frozen(local(2027, 3, 5, 9, 0)):
        act(db, d, w.head, "apologize_reschedule", extra_working_days=3, note="Cần xác minh thêm tại nơi cư trú.")
    # restarted in full from the supplement, moved by the hour waiting for payment (the calendar's rules)
    assert (old_due, to_local(d.due_at)) == (local(2027, 3, 12, 8, 30), local(2027, 3, 17, 8, 30))
    mail, sms = notice(db, d, "apology")
    assert mail.subject == f"Hồ sơ {d.code}: thư xin lỗi và hẹn lại ngày trả kết quả"
    assert ("Sở Tư pháp thử nghiệm xin lỗi Ông/Bà vì hồ sơ chưa được giải quyết xong theo ngày hẹn 12/03/2027.\n\n"
            "Lý do: Cần xác minh thêm tại nơi cư trú.\nNgày hẹn trả kết quả mới: 17/03/2027 lúc 08:30\n") in mail.body
    assert sms.body == f"Xin lỗi Ông/Bà: hồ sơ {d.code} được hẹn lại trả kết quả ngày 17/03/2027."

    with frozen(local(2027, 3, 8, 9, 0)):
        act(db, d, w.specialist, "forward")
        act(db, d, w.head, "approve")
    assert len(messages(db, d)) == 8
    with frozen(local(2027, 3, 9, 9, 0)):
        act(db, d, w.clerk, "issue_result", result_number="15/LLTP")
    mail, sms = notice(db, d, "result_ready")
    assert mail.subject == f"Hồ sơ {d.code} đã có kết quả"
    assert ("Hồ sơ của Ông/Bà đã có kết quả giải quyết. Mời Ông/Bà nhận tại Trung tâm Phục vụ hành chính công "
            "thử nghiệm (mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả).") in mail.body
    assert sms.body == (f"Hồ sơ {d.code} đã có kết quả giải quyết. "
                        "Mời Ông/Bà nhận tại Trung tâm Phục vụ hành chính công thử nghiệm.")

    with frozen(local(2027, 3, 10, 14, 0)):
        act(db, d, w.counter, "return_result")
    mail, sms = notice(db, d, "returned")
    assert "Kết quả hồ sơ của Ông/Bà đã được trả ngày 10/03/2027 (Trực tiếp tại Bộ phận Một cửa)." in mail.body
    assert sms.body == f"Hồ sơ {d.code} đã trả kết quả ngày 10/03/2027. Cảm ơn Ông/Bà."
    assert len(messages(db, d)) == 12
    assert {m.created_at for m in messages(db, d).values()} >= {local(2027, 3, 2, 9, 0), local(2027, 3, 10, 14, 0)}


def test_a_receipt_incomplete_at_the_counter_lists_what_to_bring(db):
    w = build_world(db)
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w, outcome="incomplete", missing_items=["Tờ khai có chữ ký", "Bản sao CCCD"])
    db.commit()
    sent = messages(db, d)
    assert set(sent) == {("supplement", "email"), ("supplement", "sms")}
    assert "\n\n- Tờ khai có chữ ký\n- Bản sao CCCD\n\n" in sent["supplement", "email"].body
    assert "Hướng dẫn của cán bộ" not in sent["supplement", "email"].body


def test_a_change_rolled_back_leaves_no_message(db):
    w = build_world(db)
    db.commit()
    with frozen(local(2027, 3, 2, 9, 0)):
        nested = db.begin_nested()
        receive(db, w)
        nested.rollback()  # undone inside the transaction, which then commits
    db.commit()
    assert db.scalars(select(OutboxMessage)).all() == []
    with frozen(local(2027, 3, 2, 9, 0)):
        receive(db, w)
    db.rollback()
    db.commit()
    assert db.scalars(select(OutboxMessage)).all() == []


def test_the_citizen_chooses_the_channels_and_the_account_supplies_a_missing_number(db):
    w = build_world(db)
    citizen = Citizen(account_type="person", full_name="Nguyễn Văn An", id_number="012345678901",
                      phone="0988 777 666", email="an.taikhoan@example.vn")
    db.add(citizen)
    db.flush()
    wording.save_channel_choice(db, citizen.id, {"email"})
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
    db.commit()
    assert [(m.channel, m.recipient) for m in messages(db, d).values()] == [("email", "an@example.vn")]

    wording.save_channel_choice(db, citizen.id, {"sms"})
    with frozen(local(2027, 3, 2, 9, 30)):
        d2 = receive(db, w)
        d2.applicant_phone = None  # erased since: the account's number is used
        act(db, d2, w.head, "apologize_reschedule", extra_working_days=2, note="Chờ xác minh.")
    assert [(m.kind, m.channel, m.recipient) for m in messages(db, d2).values()] == [
        ("accepted", "sms", "84912345678"), ("apology", "sms", "84988777666")]

    wording.save_channel_choice(db, citizen.id, set())
    with frozen(local(2027, 3, 2, 10, 0)):
        d3 = receive(db, w)
    db.commit()
    assert messages(db, d3) == {}


def test_an_edited_template_is_used_and_a_broken_one_falls_back_to_the_default(db):
    w = build_world(db)
    wording.save_template(db, w.admin, "accepted", "sms", "", "{{ ho_ten }}: hồ sơ {{ ma_ho_so }} hẹn {{ ngay_hen }}.")
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
    db.commit()
    assert messages(db, d)["accepted", "sms"].body == f"Nguyễn Văn An: hồ sơ {d.code} hẹn 09/03/2027."
    # A row written around the check (by hand in the database): the notice still leaves, worded by default.
    db.get(MessageTemplate, ("accepted", "sms")).body = "{{ khong_co }} {{ ma_ho_so.__class__ }}"
    with frozen(local(2027, 3, 2, 9, 30)):
        d2 = receive(db, w)
    db.commit()
    assert messages(db, d2)["accepted", "sms"].body.startswith(f"Hồ sơ {d2.code} đã được tiếp nhận, hẹn trả kết quả")


def test_phone_numbers_for_the_gateway():
    assert sms_number("0912 345 678") == "84912345678"
    assert sms_number("+84.912.345.678") == "84912345678"
    assert sms_number("(0205) 3812 345") == "842053812345"
    assert sms_number("12345") is None
    assert sms_number(None) is None


def test_a_payment_notice_gives_the_platform_link_made_after_the_action(db):
    w = build_world(db)
    with frozen(local(2027, 3, 2, 9, 0)):
        d = receive(db, w)
        act(db, d, w.head, "assign", assignee=w.specialist)
    with frozen(local(2027, 3, 3, 9, 0)):
        perform_action(db, d, user=w.specialist, action="request_payment", params=ActionParams(amount=50_000))
        # what the payments domain does next in the same unit of work: the platform's transaction
        db.add(PaymentRequest(dossier_id=d.id, lookup_code=f"{d.code}20270303090000", amount=50_000, fees=[],
                              payment_url="https://thanhtoan.example/tt/42", status="pending"))
        db.commit()
    mail, sms = notice(db, d, "payment")
    assert ("Số tiền phải nộp: 50.000 đồng\nCách nộp: Nộp trực tuyến qua Nền tảng thanh toán quốc gia theo đường "
            "dẫn https://thanhtoan.example/tt/42, hoặc nộp trực tiếp tại Trung tâm Phục vụ hành chính công thử "
            "nghiệm.\n") in mail.body
    assert sms.body == f"Hồ sơ {d.code}: đề nghị nộp 50.000 đồng. Thanh toán: https://thanhtoan.example/tt/42"
