"""Vocabularies of the population lookups; every label is written here once."""

from __future__ import annotations

from enum import StrEnum


class LookupPurpose(StrEnum):
    counter_prefill = "counter_prefill"  # the counter form, before the dossier exists
    dossier_check = "dossier_check"  # checking a dossier's data against the database
    online_prefill = "online_prefill"  # a citizen's own number, to fill in an online form (eservice)

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]


PURPOSE_LABELS: dict[LookupPurpose, str] = {
    LookupPurpose.counter_prefill: "Tiếp nhận hồ sơ tại quầy: điền thông tin người nộp",
    LookupPurpose.dossier_check: "Giải quyết hồ sơ: đối chiếu thông tin công dân",
    LookupPurpose.online_prefill: "Nộp hồ sơ trực tuyến: điền thông tin người nộp",
}


class LookupOutcome(StrEnum):
    found = "found"
    not_found = "not_found"  # the database has no such citizen
    not_permitted = "not_permitted"  # the platform refused this caller or purpose
    unavailable = "unavailable"  # the platform or the database did not answer

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[LookupOutcome, str] = {
    LookupOutcome.found: "Có thông tin",
    LookupOutcome.not_found: "Không có công dân này",
    LookupOutcome.not_permitted: "Nền tảng không cho phép",
    LookupOutcome.unavailable: "Dịch vụ không trả lời",
}
