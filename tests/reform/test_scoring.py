"""Reform index: a configured sheet, self and appraised scores, the survey part, the ranking."""

from decimal import Decimal

import pytest

from motcua.core.errors import Conflict, Forbidden, InvalidInput
from motcua.reform import scoring, seed_scoring, surveys
from motcua.reform.scoring import AppraisalIn, ItemIn, SelfScoreIn, SheetIn
from motcua.reform.surveys import Channel, Element, FormIn, QuestionIn, ResponseIn

D = Decimal


def _sheet(db, council):
    data = SheetIn(year=2026, name="Bộ chỉ số CCHC các sở (kiểm thử)", basis="Kiểm thử", items=[
        ItemIn(code="1", title="Công tác chỉ đạo, điều hành"),
        ItemIn(code="1.1", title="Kế hoạch CCHC", max_points=D("2"), evidence_required=True),
        ItemIn(code="1.2", title="Báo cáo CCHC", max_points=D("1.5")),
        ItemIn(code="2", title="Cải cách thủ tục hành chính"),
        ItemIn(code="2.1", title="Công khai thủ tục", max_points=D("3")),
        ItemIn(code="3", title="Sự hài lòng của người dân"),
        ItemIn(code="3.1", title="Chỉ số hài lòng", max_points=D("4"), from_survey=True),
    ])
    sheet = scoring.create_sheet(db, council, data)
    scoring.set_status(db, council, sheet, scoring.SheetStatus.open)
    return sheet


def test_maxima_are_summed_from_the_sub_criteria(db, people):
    sheet = _sheet(db, people["council"])
    items = scoring.items_of(db, sheet)
    m = scoring.maxima(items)
    assert {i.code: m[i.id] for i in items} == {"1": D("3.5"), "1.1": D("2"), "1.2": D("1.5"), "2": D("3"),
                                                 "2.1": D("3"), "3": D("4"), "3.1": D("4")}
    assert scoring.sheet_max(items) == D("10.5") and scoring.survey_max(items) == D("4")


def test_self_and_appraised_scores_and_the_ranking(db, people, agencies):
    council = people["council"]
    sheet = _sheet(db, council)
    j, f = agencies.justice, agencies.finance
    scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="1.1", points=D("2"), evidence="KH 12/KH-STP"))
    scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="1.2", points=D("1.5")))
    scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="2.1", points=D("3")))
    scoring.self_score(db, people["finance"], sheet, SelfScoreIn(agency_code=f.code, item_code="1.1", points=D("1.75"), evidence="KH 3"))
    scoring.self_score(db, people["finance"], sheet, SelfScoreIn(agency_code=f.code, item_code="2.1", points=D("2.5")))
    # Justice's plan was late: the council takes 0.5 off 1.1 and 1 off 2.1.
    scoring.appraise(db, council, sheet, AppraisalIn(agency_code=j.code, item_code="1.1", points=D("1.5"), note="Ban hành muộn"))
    scoring.appraise(db, council, sheet, AppraisalIn(agency_code=j.code, item_code="2.1", points=D("2")))
    # Survey: justice 3 of 4 answers satisfied (0.75 × 4 = 3 points); finance nobody answered.
    form = surveys.create_form(db, council, FormIn(slug="sipas-2026", title="Khảo sát hài lòng 2026", year=2026, questions=[
        QuestionIn(element=Element.access, text="Nơi tiếp nhận dễ tìm?"),
        QuestionIn(element=Element.servant, text="Công chức tận tình?")]))
    for answers in ({1: 5, 2: 4}, {1: 2, 2: 4}):
        surveys.submit(db, form, ResponseIn(agency_code=j.code, answers=answers), channel=Channel.online)

    ranked = scoring.ranking(db, sheet)
    assert [(t.agency_name, t.self_total, t.appraised_total, t.survey_total, t.total, t.appraised_complete,
             t.rank) for t in ranked] == [
        (j.name, D("6.5"), D("3.5"), D("3.00"), D("8.00"), False, 1),  # 1.5 + 1.5 (self) + 2 + 3 (survey)
        (f.name, D("4.25"), D("0"), D("0"), D("4.25"), False, 2),
    ]
    assert ranked[1].survey_answered is False


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    T = scoring.UnitTotal
    totals = [T(f"{n}", n, D(0), D(0), D(0), D(t), True, True, 0) for n, t in
              (("C", 7), ("A", 9), ("B", 9), ("D", 5))]
    assert [(t.agency_name, t.rank) for t in scoring.rank_totals(totals)] == [("A", 1), ("B", 1), ("C", 3), ("D", 4)]


def test_refusals(db, people, agencies):
    sheet = _sheet(db, people["council"])
    j = agencies.justice
    with pytest.raises(InvalidInput, match="cần tài liệu kiểm chứng"):
        scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="1.1", points=D("1")))
    with pytest.raises(InvalidInput, match="không được vượt quá 1,5"):
        scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="1.2", points=D("2")))
    with pytest.raises(InvalidInput, match="lấy điểm từ kết quả khảo sát"):
        scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="3.1", points=D("2")))
    with pytest.raises(Forbidden, match="cơ quan, đơn vị của mình"):
        scoring.self_score(db, people["finance"], sheet, SelfScoreIn(agency_code=j.code, item_code="1.2", points=D("1")))
    with pytest.raises(Forbidden, match="Hội đồng thẩm định"):
        scoring.appraise(db, people["justice"], sheet, AppraisalIn(agency_code=j.code, item_code="1.2", points=D("1")))
    scoring.appraise(db, people["council"], sheet, AppraisalIn(agency_code=j.code, item_code="1.2", points=D("1")))
    with pytest.raises(Conflict, match="đã được thẩm định"):
        scoring.self_score(db, people["justice"], sheet, SelfScoreIn(agency_code=j.code, item_code="1.2", points=D("1.5")))


def test_a_sheet_opens_only_when_every_item_has_points(db, people):
    sheet = scoring.create_sheet(db, people["council"], SheetIn(year=2025, name="Bộ thiếu điểm", basis="Kiểm thử",
                                                                items=[ItemIn(code="1", title="Lĩnh vực chưa có điểm")]))
    with pytest.raises(Conflict, match="chưa có điểm tối đa: 1"):
        scoring.set_status(db, people["council"], sheet, scoring.SheetStatus.open)


def test_the_sample_sheet_has_the_eight_fields_without_invented_points(db, people):
    seed_scoring.seed_scoring_reference(db)
    seed_scoring.seed_scoring_reference(db)  # idempotent
    sheet = next(s for s in scoring.list_sheets(db) if s.name == seed_scoring.SAMPLE_SHEET)
    items = scoring.items_of(db, sheet)
    assert [i.code for i in items] == [str(n) for n in range(1, 9)]
    assert all(i.max_points is None for i in items) and scoring.sheet_max(items) is None
    assert "QĐ 876/QĐ-BNV" in sheet.basis and sheet.status == "draft"
    with pytest.raises(Conflict, match="chưa có điểm tối đa"):
        scoring.set_status(db, people["council"], sheet, scoring.SheetStatus.open)
