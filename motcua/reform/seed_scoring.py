"""Seeds of the reform index and the surveys; reform/seed.py calls `seed_scoring_reference`
from its `seed_reference` and `seed_scoring_demo` from its `seed_demo`. Idempotent.

The sample sheet follows the national structure only as far as it was sourced
(docs/reform-scoring.md): QĐ 876/QĐ-BNV of 10/11/2022 (the scheme "Xác định Chỉ số cải cách
hành chính của các bộ, cơ quan ngang bộ, Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"
2022–2030, cited by Quảng Ninh's QĐ 3463/QĐ-UBND of 25/11/2022) scores provinces on 8 fields,
37 criteria and 88 sub-criteria, 32 of 100 points from surveys. The names below are the content
groups of the province's reform plan (seed 004) plus the impact field; the points of each field
were not found in a public text, so they are left empty and the sheet stays a draft (it cannot
be opened for scoring until the Department records every maximum with its source).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.reform.models import ScoreItem, ScoreSheet, SurveyForm, SurveyQuestion
from motcua.reform.scoring import SheetStatus
from motcua.reform.surveys import Element

SAMPLE_SHEET = "Mẫu: Chỉ số CCHC theo cấu trúc QĐ 876/QĐ-BNV (chưa có điểm từng lĩnh vực)"
SAMPLE_YEAR = 2026
BASIS = ("QĐ 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ: 8 lĩnh vực, 37 tiêu chí, 88 tiêu chí thành phần; "
         "32/100 điểm từ điều tra xã hội học. Chưa có: điểm tối đa của từng lĩnh vực, tên và điểm của tiêu chí, "
         "tiêu chí thành phần (chưa tìm được văn bản công khai). Tên lĩnh vực theo nhóm nội dung của kế hoạch "
         "CCHC (seed 004), cần đối chiếu với văn bản trước khi dùng.")
FIELDS = (
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
)
NOTE = "Điểm tối đa chưa có nguồn: Sở Nội vụ nhập theo văn bản trước khi đưa vào chấm điểm."

SAMPLE_SURVEY = "khao-sat-mau"
# Our wording, one or two questions per SIPAS element: a sample to adapt, not an official form.
SURVEY_QUESTIONS = (
    (Element.access, "Nơi tiếp nhận hồ sơ, trả kết quả dễ tìm, có đủ chỗ ngồi và trang thiết bị phục vụ."),
    (Element.procedure, "Thủ tục hành chính được niêm yết công khai, đầy đủ; thành phần hồ sơ, phí, lệ phí đúng quy định."),
    (Element.servant, "Công chức có thái độ lịch sự, hướng dẫn kê khai hồ sơ tận tình, dễ hiểu."),
    (Element.result, "Kết quả đúng quy định, thông tin chính xác và được trả đúng hẹn."),
    (Element.feedback, "Góp ý, phản ánh, kiến nghị của quý vị được tiếp nhận và trả lời kịp thời."),
)


def seed_scoring_reference(session: Session) -> None:
    if session.scalar(select(ScoreSheet.id).where(ScoreSheet.year == SAMPLE_YEAR, ScoreSheet.name == SAMPLE_SHEET)):
        return
    sheet = ScoreSheet(year=SAMPLE_YEAR, name=SAMPLE_SHEET, basis=BASIS, status=SheetStatus.draft)
    session.add(sheet)
    session.flush()
    for position, title in enumerate(FIELDS, start=1):
        session.add(ScoreItem(sheet_id=sheet.id, code=str(position), position=position, title=title,
                              max_points=None, note=NOTE))
    session.flush()


def seed_scoring_demo(session: Session) -> None:
    if session.scalar(select(SurveyForm.id).where(SurveyForm.slug == SAMPLE_SURVEY)):
        return
    form = SurveyForm(slug=SAMPLE_SURVEY, title="Khảo sát sự hài lòng của người dân, tổ chức (mẫu)", year=SAMPLE_YEAR,
                      intro="Phiếu mẫu để thử: câu hỏi do hệ thống soạn theo 5 yếu tố của dịch vụ.",
                      scale_max=5, satisfied_from=4, target_percent=90, is_open=True)
    session.add(form)
    session.flush()
    for position, (element, text) in enumerate(SURVEY_QUESTIONS, start=1):
        session.add(SurveyQuestion(form_id=form.id, position=position, element=element, text=text))
    session.flush()
