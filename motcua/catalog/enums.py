"""Catalogue enumerations (stored as plain strings) and their Vietnamese labels."""

from enum import StrEnum


class ProcedureLevel(StrEnum):
    province = "province"  # cấp tỉnh (Sở, Ban, UBND tỉnh)
    district = "district"  # cấp huyện (UBND huyện; until 30/06/2025)
    commune = "commune"  # cấp xã (UBND xã, phường, thị trấn)


class OnlineLevel(StrEnum):
    full = "full"  # dịch vụ công trực tuyến toàn trình
    partial = "partial"  # dịch vụ công trực tuyến một phần
    none = "none"  # chỉ nộp trực tiếp hoặc qua bưu chính


class ProcedureStatus(StrEnum):
    in_force = "in_force"  # đang có hiệu lực
    abolished = "abolished"  # đã bãi bỏ


class Channel(StrEnum):
    counter = "counter"  # nộp trực tiếp tại Bộ phận Một cửa
    post = "post"  # nộp qua dịch vụ bưu chính
    online = "online"  # nộp trực tuyến


LEVEL_LABELS = {
    ProcedureLevel.province: "Cấp tỉnh",
    ProcedureLevel.district: "Cấp huyện",
    ProcedureLevel.commune: "Cấp xã",
}

ONLINE_LEVEL_LABELS = {
    OnlineLevel.full: "Trực tuyến toàn trình",
    OnlineLevel.partial: "Trực tuyến một phần",
    OnlineLevel.none: "Không trực tuyến",
}

STATUS_LABELS = {
    ProcedureStatus.in_force: "Đang có hiệu lực",
    ProcedureStatus.abolished: "Đã bãi bỏ",
}

CHANNEL_LABELS = {
    Channel.counter: "Trực tiếp",
    Channel.post: "Bưu chính",
    Channel.online: "Trực tuyến",
}


class ChangeKind(StrEnum):
    added = "added"  # thủ tục được công bố mới
    amended = "amended"  # thủ tục được sửa đổi, bổ sung (hoặc thay thế)
    abolished = "abolished"  # thủ tục bị bãi bỏ


class DecisionStatus(StrEnum):
    draft = "draft"  # read from a file and previewed, not yet confirmed
    pending = "pending"  # confirmed; takes effect on its effective date (worker job)
    applied = "applied"  # its changes are in the catalogue
    failed = "failed"  # could not be applied on its effective date (see its errors)


CHANGE_KIND_LABELS = {
    ChangeKind.added: "Thêm mới",
    ChangeKind.amended: "Sửa đổi, bổ sung",
    ChangeKind.abolished: "Bãi bỏ",
}

DECISION_STATUS_LABELS = {
    DecisionStatus.draft: "Chưa xác nhận",
    DecisionStatus.pending: "Chờ đến ngày hiệu lực",
    DecisionStatus.applied: "Đã áp dụng",
    DecisionStatus.failed: "Không áp dụng được",
}
