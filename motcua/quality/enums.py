"""Labels of the quality domain (ISO 9001 systems of the province's units)."""

from __future__ import annotations

from enum import StrEnum


class Standard(StrEnum):
    iso_9001_2008 = "iso_9001_2008"
    iso_9001_2015 = "iso_9001_2015"

    @property
    def label(self) -> str:
        return {"iso_9001_2008": "TCVN ISO 9001:2008", "iso_9001_2015": "TCVN ISO 9001:2015"}[self.value]


class Stage(StrEnum):
    """Lifecycle of a unit's system (QĐ 19/2014 art. 4; DOMAIN.md §7), in order."""

    build = "build"
    apply = "apply"
    announce = "announce"
    maintain = "maintain"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def position(self) -> int:
        return list(Stage).index(self)


STAGE_LABELS = {
    Stage.build: "Xây dựng",
    Stage.apply: "Áp dụng",
    Stage.announce: "Công bố",
    Stage.maintain: "Duy trì, cải tiến",
}


class UnitEventKind(StrEnum):
    created = "created"
    stage = "stage"
    standard = "standard"
    announced = "announced"
    details = "details"
    scope = "scope"
    handed_over = "handed_over"  # this unit's system went to its successor (2025 reorganisation)
    received = "received"  # this unit received a predecessor's system

    @property
    def label(self) -> str:
        return {
            "created": "Tạo hồ sơ hệ thống",
            "stage": "Chuyển giai đoạn",
            "standard": "Đổi tiêu chuẩn áp dụng",
            "announced": "Công bố hệ thống",
            "details": "Cập nhật thông tin",
            "scope": "Cập nhật phạm vi áp dụng",
            "handed_over": "Bàn giao hệ thống cho đơn vị kế thừa",
            "received": "Nhận hệ thống từ đơn vị bị sáp nhập/giải thể",
        }[self.value]


class DocumentKind(StrEnum):
    policy = "policy"
    objectives = "objectives"
    procedure = "procedure"
    form = "form"
    internal_process = "internal_process"

    @property
    def label(self) -> str:
        return {
            "policy": "Chính sách chất lượng",
            "objectives": "Mục tiêu chất lượng",
            "procedure": "Quy trình",
            "form": "Biểu mẫu",
            "internal_process": "Quy trình nội bộ giải quyết TTHC",
        }[self.value]


class VersionStatus(StrEnum):
    draft = "draft"
    approved = "approved"  # approved, effective from its effective date
    obsolete = "obsolete"  # replaced by a later version; kept and marked

    @property
    def label(self) -> str:
        return {"draft": "Dự thảo", "approved": "Đã phê duyệt", "obsolete": "Hết hiệu lực"}[self.value]


class ActivityStatus(StrEnum):
    planned = "planned"
    done = "done"

    @property
    def label(self) -> str:
        return {"planned": "Theo kế hoạch", "done": "Đã thực hiện"}[self.value]
