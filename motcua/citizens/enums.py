"""Vocabularies of citizen accounts; every label is written here, once."""

from __future__ import annotations

from enum import StrEnum


class AccountType(StrEnum):
    """Whose account it is (`LoaiTaiKhoan` of the national login)."""

    citizen = "citizen"  # công dân (LoaiTaiKhoan 1)
    business = "business"  # tổ chức, doanh nghiệp (LoaiTaiKhoan 2)

    @property
    def label(self) -> str:
        return ACCOUNT_TYPE_LABELS[self]


ACCOUNT_TYPE_LABELS = {
    AccountType.citizen: "Công dân",
    AccountType.business: "Tổ chức, doanh nghiệp",
}
