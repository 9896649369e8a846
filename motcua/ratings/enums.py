"""What a citizen rates, with the Vietnamese labels (docs/ratings.md gives the sources).

TT 01/2018/TT-VPCP (Art. 13, after Decree 61/2018/NĐ-CP) evaluates the handling of a dossier on
nine indices, each scored 2 / 1 / 0 points (18 in all). Four of them are the citizen's own
experience and are asked here; the others (time per unit, publicity, feedback handling,
online services) are measured from the system's data, not asked. The overall satisfaction
uses the three levels of the national portal's summary (Rất hài lòng / Hài lòng / Không hài
lòng). The answer wordings are this project's: the circular names the indices and the points,
not the words of a questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RatingChannel(StrEnum):
    online = "online"  # the signed-in applicant, on the citizen pages
    kiosk = "kiosk"  # the device at the counter, right after the result was returned


CHANNEL_LABELS = {RatingChannel.online: "Trực tuyến", RatingChannel.kiosk: "Tại quầy (thiết bị đánh giá)"}


class Satisfaction(StrEnum):
    very_satisfied = "very_satisfied"
    satisfied = "satisfied"
    not_satisfied = "not_satisfied"


SATISFACTION_LABELS = {
    Satisfaction.very_satisfied: "Rất hài lòng",
    Satisfaction.satisfied: "Hài lòng",
    Satisfaction.not_satisfied: "Không hài lòng",
}
# Points on the circular's 2 / 1 / 0 scale (also the score sent as DiemDanhGia).
SATISFACTION_POINTS = {Satisfaction.very_satisfied: 2, Satisfaction.satisfied: 1, Satisfaction.not_satisfied: 0}
SATISFIED = frozenset({Satisfaction.very_satisfied, Satisfaction.satisfied})


@dataclass(frozen=True)
class Index:
    """One TT 01/2018 index the citizen answers: the form field, the index number and name in
    the circular, the question, and the answers by points (2, 1, 0)."""

    field: str
    number: int
    name: str
    question: str
    answers: tuple[tuple[int, str], ...]


INDICES: tuple[Index, ...] = (
    Index("time_score", 1, "Tổng thời gian giải quyết thủ tục hành chính so với quy định của pháp luật",
          "Hồ sơ được giải quyết so với thời hạn quy định như thế nào?",
          ((2, "Trước hạn"), (1, "Đúng hạn"), (0, "Quá hạn"))),
    Index("contacts_score", 3, "Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ thủ tục hành chính "
          "(kể cả liên hệ theo hình thức trực tuyến)",
          "Ông/bà đã phải liên hệ (đến nơi hoặc trực tuyến) mấy lần để hoàn thiện hồ sơ?",
          ((2, "Không lần nào hoặc 1 lần"), (1, "2 lần"), (0, "Từ 3 lần trở lên"))),
    Index("attitude_score", 7, "Thái độ của cán bộ, công chức, viên chức khi hướng dẫn lập hồ sơ, tiếp nhận hồ sơ "
          "và giải quyết thủ tục hành chính",
          "Thái độ của cán bộ khi hướng dẫn, tiếp nhận và giải quyết hồ sơ?",
          ((2, "Lịch sự, tận tình"), (1, "Bình thường"), (0, "Chưa đúng mực, gây phiền hà"))),
)
INDEX_BY_FIELD = {i.field: i for i in INDICES}
OVERALL_QUESTION = "Nhìn chung, ông/bà có hài lòng với việc giải quyết hồ sơ này không?"
