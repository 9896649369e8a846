"""The fees of the record sent to the portal (`DanhSachLePhi`, `DuocThanhToanTrucTuyen`, 766
online payment): the lines paid through the national payment platform, each with its amount,
and 1; without an online payment the total fixed at receipt and 0."""

from __future__ import annotations

from motcua.core.clock import now
from motcua.dvcqg.outbound import record_builder
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.portal import FeeLine, NationalProcedure
from motcua.payments.enums import PaymentStatus
from motcua.payments.models import PaymentRequest
from tests.dossiers.world import build_world, receive

NATIONAL = NationalProcedure(code="1.000894", name="Đăng ký kết hôn", field_code="G09-TP", field_name="Hộ tịch")


def test_without_an_online_payment_the_receipt_total_is_sent(db):
    dossier = receive(db, build_world(db))
    record = record_builder(db, dossier)(NATIONAL)
    assert record.paid_online == 0
    assert record.fees == (FeeLine(name="Phí, lệ phí", amount=dossier.fees_amount or 0),)


def test_the_lines_paid_on_the_platform_are_sent_with_the_flag(db):
    dossier = receive(db, build_world(db))
    lines = [{"fee_id": "f1", "name": "Lệ phí đăng ký", "amount": 50000, "basis": "NQ HĐND tỉnh", "kind": "le_phi",
              "entered": False},
             {"fee_id": "f2", "name": "Phí cấp bản sao", "amount": 8000, "basis": "TT 281/2016", "kind": "phi",
              "entered": False}]
    db.add(PaymentRequest(dossier_id=dossier.id, lookup_code="HS-1-20270302", transaction_id="TX-1", amount=58000,
                          fees=lines, status=PaymentStatus.paid.value, paid_at=now(), paid_amount=58000,
                          receipt_number="BL-0001"))
    db.flush()
    record = record_builder(db, dossier)(NATIONAL)
    assert record.paid_online == 1
    assert record.fees == (FeeLine(name="Lệ phí đăng ký", amount=50000, kind="le_phi", collection="Trực tuyến"),
                           FeeLine(name="Phí cấp bản sao", amount=8000, kind="phi", collection="Trực tuyến"))
    sent = wire.record_out(record)
    assert sent["DuocThanhToanTrucTuyen"] == "1"
    assert [(line["TenPhiLePhi"], line["Gia"]) for line in sent["DanhSachLePhi"]] == [
        ("Lệ phí đăng ký", "50000"), ("Phí cấp bản sao", "8000")]
