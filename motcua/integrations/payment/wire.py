"""The platform's wire format (shared/reference/dvcqg.md §9) and its checksum. Pure
functions, shared by the adapter and the simulator so both sides build and check a message
the same way.

Values follow the national transport's conventions (dvcqg §1): strings, dates
`yyyyMMddHHmmss` in local time, `error_code` "0" for success.

**The checksum.** The platform signs its confirmations (`check_sum`) with a hash key it
shares with the province; the real algorithm is not public (OpenCPS reads it from a
configured class). motcua uses, on both sides, HMAC-SHA256 keyed with the shared key over a
canonical string: the fields of `CONFIRMATION_FIELDS` (or `CREATE_FIELDS`,
`LOOKUP_FIELDS` for what motcua sends) in that order, each as trimmed NFC text, joined by
"|"; the digest is lowercase hex. Every field a decision rests on (which transaction,
which attempt, paid or not, how much, which e-receipt, when) is covered, so a changed value
breaks the checksum. Replacing the algorithm is a change of `checksum` only.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from motcua.integrations.dvcqg.wire import format_date, is_success, parse_date, text
from motcua.integrations.payment.platform import Confirmation, InvalidConfirmation, PaymentOrder

__all__ = ["format_date", "is_success", "parse_date", "text"]

PAID_STATUS = "0"  # §9: `status` 0 = paid
CONFIRMATION_FIELDS = ("transaction_id", "MaTraCuuTT", "status", "SoTien", "MaBienLai", "NgayThanhToan")
CREATE_FIELDS = ("merchant_code", "MaHoSo", "MaTraCuuTT", "TongTien")
LOOKUP_FIELDS = ("merchant_code", "transaction_id")


def canonical(body: dict[str, Any], fields: Iterable[str]) -> str:
    return "|".join(unicodedata.normalize("NFC", text(body.get(name))) for name in fields)


def checksum(key: str, body: dict[str, Any], fields: Iterable[str] = CONFIRMATION_FIELDS) -> str:
    return hmac.new(key.encode(), canonical(body, fields).encode(), hashlib.sha256).hexdigest()


def signed(key: str, body: dict[str, Any], fields: Iterable[str] = CONFIRMATION_FIELDS) -> dict[str, Any]:
    """`body` with its `check_sum`."""
    return body | {"check_sum": checksum(key, body, fields)}


def checksum_valid(key: str, body: dict[str, Any], fields: Iterable[str] = CONFIRMATION_FIELDS) -> bool:
    given = text(body.get("check_sum")).lower()
    # Bytes: compare_digest refuses str with non-ASCII characters, and a forged checksum may hold any.
    return bool(key) and bool(given) and hmac.compare_digest(given.encode(), checksum(key, body, fields).encode())


def order_payload(order: PaymentOrder, *, merchant_code: str, service_suffix: str) -> dict[str, Any]:
    """The create-transaction payload of §9 (identity, fees, payer), every value a string.
    Beneficiary and treasury fields are the platform's configuration per procedure and are
    sent empty; penalty fields do not apply to a dossier's fees."""
    payer = order.payer
    return {
        "merchant_code": merchant_code,
        "MaHoSo": order.dossier_code,
        "MaTraCuuTT": order.lookup_code,
        "MaDichVu": "1",  # fees and charges of an administrative procedure (OpenCPS)
        "MaDVC": f"{order.procedure_code}{service_suffix}",
        "TenDVC": order.procedure_name,
        "MaTTHC": order.procedure_code,
        "TenTTHC": order.procedure_name,
        "MaDonVi": order.unit_code,
        "TenDonVi": order.unit_name,
        "PhiLePhi": [{"LoaiPhiLePhi": f.kind, "MaPhiLePhi": f.code, "TenPhiLePhi": f.name, "SoTien": str(f.amount)}
                     for f in order.fees],
        "TongTien": str(order.total),
        "TKThuHuong": "", "MaNHThuHuong": "", "TenTKThuHuong": "",
        "NoiDungThanhToan": order.description,
        "HoTenNguoiNop": payer.name,
        "SoCMNDNguoiNop": payer.id_number,
        "DiaChiNguoiNop": payer.address,
        "HuyenNguoiNop": payer.district,
        "TinhNguoiNop": payer.province,
        "DSKhoanNop": [{"NoiDung": f.name, "SoTien": str(f.amount)} for f in order.fees],
    }


def confirmation_body(*, transaction_id: str, lookup_code: str, status: str, amount: int | None,
                      receipt_number: str | None, paid_at: datetime | None) -> dict[str, str]:
    """A confirmation as the platform sends it (unsigned)."""
    return {
        "transaction_id": transaction_id, "MaTraCuuTT": lookup_code, "status": status,
        "SoTien": "" if amount is None else str(amount), "MaBienLai": receipt_number or "",
        "NgayThanhToan": format_date(paid_at),
    }


def read_confirmation(key: str, body: dict[str, Any]) -> Confirmation:
    """A verified `Confirmation` from a callback or look-up record; `InvalidConfirmation`
    when the checksum does not verify or a covered value cannot be read."""
    if not isinstance(body, dict) or not checksum_valid(key, body):
        raise InvalidConfirmation("Xác nhận thanh toán không hợp lệ: sai mã kiểm tra (check_sum).")
    transaction_id = text(body.get("transaction_id"))
    status = text(body.get("status"))
    if not transaction_id or not status:
        raise InvalidConfirmation("Xác nhận thanh toán thiếu mã giao dịch hoặc trạng thái.")
    raw_amount = text(body.get("SoTien"))
    try:
        amount = int(raw_amount) if raw_amount else None
        paid_at = parse_date(body.get("NgayThanhToan"))
    except ValueError:
        raise InvalidConfirmation("Xác nhận thanh toán có số tiền hoặc ngày thanh toán không đọc được.") from None
    return Confirmation(
        transaction_id=transaction_id, lookup_code=text(body.get("MaTraCuuTT")), paid=status == PAID_STATUS,
        status=status, amount=amount, receipt_number=text(body.get("MaBienLai")) or None, paid_at=paid_at,
        raw=dict(body),
    )
