"""The vocabularies of feedback (PAKN); every label is written here once."""

from __future__ import annotations

from enum import StrEnum


class Subject(StrEnum):
    procedure = "procedure"  # a procedure (its agency in the catalogue)
    dossier = "dossier"  # a dossier, by its code (its agency)
    agency = "agency"  # an agency chosen directly
    officer = "officer"  # an officer, as the sender knows them (routed by the agency given)


SUBJECT_LABELS = {
    Subject.procedure: "Thủ tục hành chính",
    Subject.dossier: "Hồ sơ (theo mã hồ sơ)",
    Subject.agency: "Cơ quan",
    Subject.officer: "Cán bộ, công chức",
}


class Status(StrEnum):
    received = "received"  # received, waiting for the responsible agency to accept and classify it
    rejected = "rejected"  # not accepted (ND 20/2008 Art. 9(1)(d): not meeting Art. 7)
    processing = "processing"  # accepted and classified, being handled
    answered = "answered"  # answered, not yet public
    published = "published"  # answer public on /phan-anh-kien-nghi


STATUS_LABELS = {
    Status.received: "Đã tiếp nhận, chờ phân loại",
    Status.rejected: "Không tiếp nhận",
    Status.processing: "Đang xử lý",
    Status.answered: "Đã trả lời",
    Status.published: "Đã công khai kết quả",
}

OPEN_STATUSES = (Status.received, Status.processing, Status.answered)


class Classification(StrEnum):
    # The two kinds the national portal counts apart (qd766.md rows 19, 20).
    regulation = "regulation"  # about a regulation or an administrative procedure
    conduct = "conduct"  # about the conduct of officials (delay, harassment, not applying the rules)
    other = "other"


CLASSIFICATION_LABELS = {
    Classification.regulation: "Về quy định hành chính, thủ tục hành chính",
    Classification.conduct: "Về hành vi của cán bộ, công chức, viên chức",
    Classification.other: "Khác",
}


class Stage(StrEnum):
    """The stages with a time limit (rows of `feedback_stages`)."""

    classify = "classify"  # accept or refuse, classify, forward to the competent agency
    answer = "answer"  # handle and answer
    publish = "publish"  # publish the result


# The stage an item in each open status is in (its deadline is the one that can be missed).
STAGE_OF_STATUS = {
    Status.received: Stage.classify,
    Status.processing: Stage.answer,
    Status.answered: Stage.publish,
}
