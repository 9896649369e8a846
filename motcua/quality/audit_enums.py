"""Vocabularies of legal-change tasks, audits, reviews and objectives, each label written once."""

from __future__ import annotations

from enum import StrEnum


class LegalChange(StrEnum):
    added = "added"
    legal_basis = "legal_basis"
    time_limit = "time_limit"
    components = "components"
    abolished = "abolished"


LEGAL_CHANGE_LABELS = {
    LegalChange.added: "Thủ tục mới công bố",
    LegalChange.legal_basis: "Căn cứ pháp lý",
    LegalChange.time_limit: "Thời hạn giải quyết",
    LegalChange.components: "Thành phần hồ sơ",
    LegalChange.abolished: "Thủ tục bị bãi bỏ",
}


class TaskStatus(StrEnum):
    open = "open"
    done = "done"


TASK_STATUS_LABELS = {TaskStatus.open: "Chưa cập nhật", TaskStatus.done: "Đã cập nhật"}


class AuditStatus(StrEnum):
    planned = "planned"
    held = "held"
    closed = "closed"


AUDIT_STATUS_LABELS = {
    AuditStatus.planned: "Đã lập kế hoạch",
    AuditStatus.held: "Đã đánh giá, đang khắc phục",
    AuditStatus.closed: "Đã kết thúc",
}


class FindingKind(StrEnum):
    nonconformity = "nonconformity"
    observation = "observation"


FINDING_KIND_LABELS = {FindingKind.nonconformity: "Điểm không phù hợp", FindingKind.observation: "Khuyến nghị"}


class FindingStatus(StrEnum):
    open = "open"
    verified = "verified"
    closed = "closed"


FINDING_STATUS_LABELS = {
    FindingStatus.open: "Đang khắc phục",
    FindingStatus.verified: "Đã kiểm tra hiệu lực",
    FindingStatus.closed: "Đã đóng",
}


class ReviewInput(StrEnum):
    """The inputs of a management review (ISO 9001:2015 clause 9.3.2)."""

    previous_actions = "previous_actions"
    context_changes = "context_changes"
    satisfaction = "satisfaction"
    objectives = "objectives"
    process_performance = "process_performance"
    nonconformities = "nonconformities"
    audit_results = "audit_results"
    resources = "resources"
    risks = "risks"
    improvement = "improvement"


REVIEW_INPUT_LABELS = {
    ReviewInput.previous_actions: "Tình trạng các hành động từ lần xem xét trước",
    ReviewInput.context_changes: "Thay đổi của các vấn đề bên ngoài và nội bộ",
    ReviewInput.satisfaction: "Sự hài lòng của tổ chức, cá nhân",
    ReviewInput.objectives: "Mức độ đạt mục tiêu chất lượng",
    ReviewInput.process_performance: "Kết quả thực hiện các quy trình",
    ReviewInput.nonconformities: "Sự không phù hợp và hành động khắc phục",
    ReviewInput.audit_results: "Kết quả đánh giá nội bộ",
    ReviewInput.resources: "Sự thỏa đáng của nguồn lực",
    ReviewInput.risks: "Hiệu lực của hành động giải quyết rủi ro và cơ hội",
    ReviewInput.improvement: "Cơ hội cải tiến",
}


class ReportKind(StrEnum):
    half = "half"
    year = "year"


REPORT_KIND_LABELS = {ReportKind.half: "Báo cáo 6 tháng", ReportKind.year: "Báo cáo năm"}
