"""Legal states and vocabularies of a dossier (DOMAIN.md §2).

Internal statuses are richer than the ten external status codes exchanged with the
National Public Service Portal; `EXTERNAL_STATUS` maps each internal status to one code.

Every Vietnamese label of these vocabularies is written here, once: the pages, the API and
the printed forms (documents) all read it from these `*_LABELS` maps. Labels shown on a
printed form use the form's legal wording. The keys are StrEnum members, which look up
like their plain values (`OUTCOME_LABELS.get("early")`).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DossierStatus(StrEnum):
    submitted_online = "submitted_online"  # registered online, not yet checked by the counter
    incomplete = "incomplete"  # receipt: dossier incomplete, form 02 issued, nothing to handle
    refused_at_receipt = "refused_at_receipt"  # receipt: refused (not competent / not eligible), form 03
    awaiting_assignment = "awaiting_assignment"  # accepted, waiting for the head to assign a handler
    processing = "processing"  # at a handling step (appraisal, verification, drafting)
    awaiting_consultation = "awaiting_consultation"  # waiting for inter-agency (liên thông) steps
    awaiting_approval = "awaiting_approval"  # waiting for the head's approval / signature
    awaiting_result = "awaiting_result"  # approved, waiting for the clerk to number and issue the result
    supplement_requested = "supplement_requested"  # paused: the applicant must supplement (form 02)
    payment_requested = "payment_requested"  # paused: the applicant must pay a financial obligation
    result_ready = "result_ready"  # result issued, waiting to be returned to the applicant
    refused = "refused"  # refused after appraisal; the refusal is the result, still to be returned
    returned = "returned"  # result (or refusal) returned to the applicant
    withdrawn = "withdrawn"  # stopped at the applicant's request (form 05)
    stopped = "stopped"  # processing stopped by the agency


class ExternalStatus(IntEnum):
    """Status codes exchanged with the National Public Service Portal (DOMAIN.md §2)."""

    registered = 1  # Mới đăng ký
    accepted = 2  # Được tiếp nhận
    not_accepted = 3  # Không được tiếp nhận
    processing = 4  # Đang xử lý
    supplement = 5  # Yêu cầu bổ sung giấy tờ
    payment = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    withdrawn = 7  # Công dân yêu cầu rút hồ sơ
    stopped = 8  # Dừng xử lý
    processed = 9  # Đã xử lý xong
    returned = 10  # Đã trả kết quả


EXTERNAL_STATUS: dict[DossierStatus, ExternalStatus] = {
    DossierStatus.submitted_online: ExternalStatus.registered,
    DossierStatus.incomplete: ExternalStatus.not_accepted,
    DossierStatus.refused_at_receipt: ExternalStatus.not_accepted,
    DossierStatus.awaiting_assignment: ExternalStatus.accepted,
    DossierStatus.processing: ExternalStatus.processing,
    DossierStatus.awaiting_consultation: ExternalStatus.processing,
    DossierStatus.awaiting_approval: ExternalStatus.processing,
    DossierStatus.awaiting_result: ExternalStatus.processing,
    DossierStatus.supplement_requested: ExternalStatus.supplement,
    DossierStatus.payment_requested: ExternalStatus.payment,
    DossierStatus.result_ready: ExternalStatus.processed,
    DossierStatus.refused: ExternalStatus.processed,
    DossierStatus.returned: ExternalStatus.returned,
    DossierStatus.withdrawn: ExternalStatus.withdrawn,
    DossierStatus.stopped: ExternalStatus.stopped,
}

STATUS_LABELS: dict[DossierStatus, str] = {
    DossierStatus.submitted_online: "Mới đăng ký trực tuyến",
    DossierStatus.incomplete: "Hồ sơ chưa đầy đủ (yêu cầu bổ sung, hoàn thiện)",
    DossierStatus.refused_at_receipt: "Từ chối tiếp nhận",
    DossierStatus.awaiting_assignment: "Đã tiếp nhận, chờ phân công",
    DossierStatus.processing: "Đang xử lý",
    DossierStatus.awaiting_consultation: "Chờ cơ quan phối hợp (liên thông)",
    DossierStatus.awaiting_approval: "Chờ lãnh đạo phê duyệt",
    DossierStatus.awaiting_result: "Đã phê duyệt, chờ ban hành kết quả",
    DossierStatus.supplement_requested: "Yêu cầu bổ sung hồ sơ",
    DossierStatus.payment_requested: "Yêu cầu thực hiện nghĩa vụ tài chính",
    DossierStatus.result_ready: "Đã có kết quả, chờ trả",
    DossierStatus.refused: "Từ chối giải quyết (chờ trả văn bản từ chối)",
    DossierStatus.returned: "Đã trả kết quả",
    DossierStatus.withdrawn: "Công dân rút hồ sơ",
    DossierStatus.stopped: "Dừng xử lý",
}

# The status as the applicant reads it (public lookup, «Hồ sơ của tôi»): what is happening
# and, where the applicant has something to do, what.
PUBLIC_STATUS_TEXT: dict[DossierStatus, str] = {
    DossierStatus.submitted_online: "Hồ sơ nộp trực tuyến đang chờ Bộ phận Một cửa kiểm tra, tiếp nhận.",
    DossierStatus.incomplete: "Hồ sơ chưa đầy đủ nên chưa được tiếp nhận: vui lòng nộp lại hồ sơ với đủ các "
                              "giấy tờ còn thiếu nêu dưới đây.",
    DossierStatus.refused_at_receipt: "Hồ sơ không được tiếp nhận (xem lý do bên dưới).",
    DossierStatus.awaiting_assignment: "Hồ sơ đã được tiếp nhận, đang chờ phân công người xử lý.",
    DossierStatus.processing: "Hồ sơ đang được xử lý.",
    DossierStatus.awaiting_consultation: "Hồ sơ đang chờ ý kiến của cơ quan phối hợp.",
    DossierStatus.awaiting_approval: "Hồ sơ đang chờ lãnh đạo xem xét, phê duyệt.",
    DossierStatus.awaiting_result: "Hồ sơ đã được phê duyệt, đang chờ ban hành kết quả.",
    DossierStatus.supplement_requested: "Cần bổ sung hồ sơ: vui lòng nộp các giấy tờ nêu dưới đây; thời hạn "
                                        "giải quyết tạm dừng cho đến khi nhận đủ.",
    DossierStatus.payment_requested: "Cần thực hiện nghĩa vụ tài chính (nộp phí, lệ phí, thuế) trước khi hồ sơ "
                                     "được giải quyết tiếp.",
    DossierStatus.result_ready: "Đã có kết quả: mời nhận kết quả theo hình thức đã đăng ký.",
    DossierStatus.refused: "Hồ sơ bị từ chối giải quyết (xem lý do bên dưới): mời nhận văn bản trả lời.",
    DossierStatus.returned: "Đã trả kết quả.",
    DossierStatus.withdrawn: "Đã dừng giải quyết theo yêu cầu rút hồ sơ của người nộp.",
    DossierStatus.stopped: "Cơ quan giải quyết đã dừng xử lý hồ sơ.",
}

EXTERNAL_LABELS: dict[ExternalStatus, str] = {
    ExternalStatus.registered: "Mới đăng ký",
    ExternalStatus.accepted: "Được tiếp nhận",
    ExternalStatus.not_accepted: "Không được tiếp nhận",
    ExternalStatus.processing: "Đang xử lý",
    ExternalStatus.supplement: "Yêu cầu bổ sung giấy tờ",
    ExternalStatus.payment: "Yêu cầu thực hiện nghĩa vụ tài chính",
    ExternalStatus.withdrawn: "Công dân yêu cầu rút hồ sơ",
    ExternalStatus.stopped: "Dừng xử lý",
    ExternalStatus.processed: "Đã xử lý xong",
    ExternalStatus.returned: "Đã trả kết quả",
}

# No further handling happens in these statuses.
TERMINAL_STATUSES = frozenset(
    {
        DossierStatus.incomplete,
        DossierStatus.refused_at_receipt,
        DossierStatus.returned,
        DossierStatus.withdrawn,
        DossierStatus.stopped,
    }
)
# Processing is over (a result or refusal exists, or handling ended): the clock is stopped.
FINISHED_STATUSES = TERMINAL_STATUSES | {DossierStatus.result_ready, DossierStatus.refused}
# The clock is paused (the applicant owes something).
PAUSED_STATUSES = frozenset({DossierStatus.supplement_requested, DossierStatus.payment_requested})
# `status NOT IN (these)` selects the open dossiers (every inbox box lies within them); the
# same sorted list is the predicate of the partial indexes over open dossiers (migration
# 0007_list_indexes), so PostgreSQL can match the queries to them.
OPEN_STATUSES_FILTER = tuple(sorted(s.value for s in TERMINAL_STATUSES))
# Overdue alerts go to running dossiers only (`status NOT IN (these)`, partial index too).
ALERT_EXCLUDED_FILTER = tuple(sorted(s.value for s in FINISHED_STATUSES | PAUSED_STATUSES))


class Channel(StrEnum):
    counter = "counter"  # in person at a one-stop section
    post = "post"  # public postal service or a hired service
    online = "online"  # National Public Service Portal / provincial portal
    local_online = "local_online"  # the province's own online service (ND 224/2026; motcua.eservice)


# Both online channels wait in the same online queue (status submitted_online) for the counter.
ONLINE_CHANNELS = frozenset({Channel.online, Channel.local_online})

# "Hình thức nộp" on the receipt (form 01); ND 61/2018 Art. 5: in person, through the postal
# service, online.
CHANNEL_LABELS: dict[Channel, str] = {
    Channel.counter: "Trực tiếp",
    Channel.post: "Qua dịch vụ bưu chính",
    Channel.online: "Trực tuyến",
    Channel.local_online: "Trực tuyến (Cổng dịch vụ công của tỉnh)",
}


class ReceiptOutcome(StrEnum):
    accepted = "accepted"  # form 01: code + appointment
    incomplete = "incomplete"  # form 02: everything missing, listed at once
    refused = "refused"  # form 03: refusal with reasons


class ApplicantKind(StrEnum):
    person = "person"  # công dân
    organisation = "organisation"  # tổ chức, doanh nghiệp


class ComponentKind(StrEnum):
    original = "original"  # bản chính
    copy = "copy"  # bản sao


COMPONENT_KIND_LABELS: dict[ComponentKind, str] = {ComponentKind.original: "Bản chính", ComponentKind.copy: "Bản sao"}


class Outcome(StrEnum):
    early = "early"  # trước hạn (also said "sớm hạn")
    on_time = "on_time"  # đúng hạn
    late = "late"  # quá hạn


# The wording of the process-control slip (TT 01/2018 form 05, TT 03/2025 form 06: "Kết quả
# giải quyết hồ sơ (trước hạn/ đúng hạn/ quá hạn)") and of QĐ 766 ("trước hạn, đúng hạn").
OUTCOME_LABELS: dict[Outcome, str] = {Outcome.early: "Trước hạn", Outcome.on_time: "Đúng hạn", Outcome.late: "Quá hạn"}


class ReturnMethod(StrEnum):
    counter = "counter"  # at the one-stop counter
    post = "post"  # by post
    online = "online"  # electronically


RETURN_METHOD_LABELS: dict[ReturnMethod, str] = {
    ReturnMethod.counter: "Trực tiếp tại Bộ phận Một cửa",
    ReturnMethod.post: "Qua dịch vụ bưu chính",
    ReturnMethod.online: "Trực tuyến",
}


class PauseKind(StrEnum):
    supplement = "supplement"  # yêu cầu bổ sung (clock restarts / interval subtracted)
    payment = "payment"  # nghĩa vụ tài chính


class StepState(StrEnum):
    open = "open"  # the step is being handled
    done = "done"  # handed over
    cancelled = "cancelled"  # closed without hand-over (sent back, dossier stopped …)


class Action(StrEnum):
    """Every action on a dossier, with the exact names of the API (issue 5)."""

    claim = "claim"  # take the dossier at the current step
    assign = "assign"  # the head assigns a handler
    forward = "forward"  # hand over to the next step
    send_back = "send_back"  # return to the previous step
    request_supplement = "request_supplement"
    receive_supplement = "receive_supplement"
    request_payment = "request_payment"
    confirm_payment = "confirm_payment"
    consult = "consult"  # inter-agency step with its own deadline
    approve = "approve"
    refuse = "refuse"  # refusal after appraisal
    issue_result = "issue_result"
    return_result = "return_result"
    apologize_reschedule = "apologize_reschedule"  # form 04, once
    withdraw = "withdraw"  # at the applicant's request (form 05)
    stop = "stop"  # the agency stops processing


ACTION_LABELS: dict[Action, str] = {
    Action.claim: "Nhận xử lý",
    Action.assign: "Phân công",
    Action.forward: "Chuyển bước tiếp theo",
    Action.send_back: "Trả lại bước trước",
    Action.request_supplement: "Yêu cầu bổ sung hồ sơ",
    Action.receive_supplement: "Tiếp nhận hồ sơ bổ sung",
    Action.request_payment: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Action.confirm_payment: "Xác nhận đã thực hiện nghĩa vụ tài chính",
    Action.consult: "Lấy ý kiến cơ quan phối hợp",
    Action.approve: "Phê duyệt",
    Action.refuse: "Từ chối giải quyết",
    Action.issue_result: "Ban hành kết quả",
    Action.return_result: "Trả kết quả",
    Action.apologize_reschedule: "Xin lỗi và hẹn lại ngày trả",
    Action.withdraw: "Rút hồ sơ theo yêu cầu",
    Action.stop: "Dừng xử lý",
}
