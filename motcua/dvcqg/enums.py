"""Vocabularies of the dossier exchange with the national portal, with their Vietnamese labels."""

from __future__ import annotations

from enum import StrEnum


class SyncState(StrEnum):
    pending = "pending"  # changes waiting to be sent (first attempt not made yet)
    synced = "synced"  # everything written so far was acknowledged
    failed = "failed"  # the last attempt failed; retried at next_attempt_at
    unmapped = "unmapped"  # the procedure has no national code: not sent, reported


SYNC_STATE_LABELS = {
    SyncState.pending: "Chờ gửi", SyncState.synced: "Đã đồng bộ", SyncState.failed: "Gửi lỗi, sẽ thử lại",
    SyncState.unmapped: "Thủ tục chưa ghép mã quốc gia",
}


# NoiDungXuLy of the progress entries whose action is not one of the dossier actions
# (dossiers.enums.ACTION_LABELS): receipt by outcome, and the online channel's own steps.
RECEIPT_CONTENT = {
    "accepted": "Tiếp nhận hồ sơ",
    "incomplete": "Hồ sơ chưa đầy đủ, yêu cầu bổ sung, hoàn thiện",
    "refused": "Từ chối tiếp nhận hồ sơ",
}
ONLINE_CONTENT = {
    "submit_online": "Công dân nộp hồ sơ trực tuyến",
    "online_supplement": "Công dân nộp hồ sơ bổ sung trực tuyến",
}
# Audit rows that change no step: the record is sent again, no progress entry.
RECORD_ONLY_ACTIONS = frozenset({"attach", "overdue_alert", "online_supplement"})
# Who NguoiXuLy names when no person acted (the portal, the system).
SYSTEM_HANDLER = "Hệ thống một cửa điện tử"
