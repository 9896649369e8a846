"""Vocabularies of the statistics and their Vietnamese labels (written once, read by the page,
the API's descriptions and the exports)."""

from __future__ import annotations

from enum import StrEnum


class GroupBy(StrEnum):
    agency = "agency"  # the competent agency (cơ quan giải quyết)
    receiving_unit = "receiving_unit"  # the one-stop section that received the dossier
    field = "field"  # the procedure's field (lĩnh vực)
    procedure = "procedure"
    channel = "channel"  # counter / post / online
    officer = "officer"  # the officer who received the dossier


GROUP_LABELS: dict[GroupBy, str] = {
    GroupBy.agency: "Cơ quan giải quyết",
    GroupBy.receiving_unit: "Bộ phận tiếp nhận",
    GroupBy.field: "Lĩnh vực",
    GroupBy.procedure: "Thủ tục hành chính",
    GroupBy.channel: "Hình thức nộp",
    GroupBy.officer: "Cán bộ tiếp nhận",
}


class Column(StrEnum):
    """Every counted figure of a statistics row (counting.py says which dossiers each holds)."""

    carried_over = "carried_over"
    received = "received"
    received_online = "received_online"
    received_counter = "received_counter"
    received_post = "received_post"
    cross_boundary = "cross_boundary"
    finished_early = "finished_early"
    finished_on_time = "finished_on_time"
    finished_late = "finished_late"
    refused = "refused"
    withdrawn = "withdrawn"
    stopped = "stopped"
    in_progress = "in_progress"
    overdue = "overdue"
    waiting_applicant = "waiting_applicant"
    waiting_supplement = "waiting_supplement"
    waiting_payment = "waiting_payment"


COLUMN_LABELS: dict[Column, str] = {
    Column.carried_over: "Kỳ trước chuyển qua",
    Column.received: "Tiếp nhận trong kỳ",
    Column.received_online: "Trực tuyến",
    Column.received_counter: "Trực tiếp",
    Column.received_post: "Qua bưu chính",
    Column.cross_boundary: "Nhận tại đơn vị khác cơ quan giải quyết",
    Column.finished_early: "Trước hạn",
    Column.finished_on_time: "Đúng hạn",
    Column.finished_late: "Quá hạn",
    Column.refused: "Từ chối giải quyết",
    Column.withdrawn: "Công dân rút hồ sơ",
    Column.stopped: "Dừng xử lý",
    Column.in_progress: "Đang giải quyết, chưa đến hạn",
    Column.overdue: "Đang giải quyết, quá hạn",
    Column.waiting_applicant: "Chờ công dân (bổ sung, nghĩa vụ tài chính)",
    Column.waiting_supplement: "Chờ bổ sung hồ sơ",
    Column.waiting_payment: "Chờ thực hiện nghĩa vụ tài chính",
}

ONLINE_SHARE_LABEL = "Tỷ lệ trực tuyến (%)"


class DueWindow(StrEnum):
    """The in-progress dossiers about to be late (the dashboard; `han=` of the list behind a figure)."""

    today = "today"  # due later today
    soon = "soon"  # due after today, within the inbox's "due soon" box (dossiers.deadlines)


DUE_WINDOW_LABELS: dict[DueWindow, str] = {
    DueWindow.today: "Đến hạn trong hôm nay",
    DueWindow.soon: "Sắp đến hạn",
}


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half = "half"  # six months
    year = "year"
    custom = "custom"


PERIOD_LABELS: dict[PeriodKind, str] = {
    PeriodKind.month: "Tháng",
    PeriodKind.quarter: "Quý",
    PeriodKind.half: "Sáu tháng",
    PeriodKind.year: "Năm",
    PeriodKind.custom: "Tùy chọn (từ ngày – đến ngày)",
}
