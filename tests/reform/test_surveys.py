"""Satisfaction surveys: aggregation per element, unit, field and province against the 90 % target;
closed forms; paper entry; refusals naming the question."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from motcua.catalog.models import Field
from motcua.core.errors import Conflict, Forbidden, InvalidInput
from motcua.reform import surveys
from motcua.reform.surveys import Channel, Element, FormIn, QuestionIn, ResponseIn

E = Element
QUESTIONS = [(E.access, "Thông tin về thủ tục dễ tìm?"), (E.access, "Nơi tiếp nhận thuận tiện?"),
             (E.procedure, "Thành phần hồ sơ hợp lý?"), (E.servant, "Công chức hướng dẫn tận tình?"),
             (E.result, "Kết quả đúng quy định?"), (E.feedback, "Góp ý được tiếp nhận, trả lời?")]


def make_form(db, council, **extra):
    return surveys.create_form(db, council, FormIn(
        slug="sipas-2026", title="Khảo sát sự hài lòng năm 2026", year=2026,
        questions=[QuestionIn(element=e, text=t) for e, t in QUESTIONS], **extra))


def answer(db, form, agency, values, *, field=None, channel=Channel.online, staff=None):
    data = ResponseIn(agency_code=agency.code, field_code=field.code if field else None,
                      answers={i: v for i, v in enumerate(values, start=1)})
    return surveys.submit(db, form, data, channel=channel, staff=staff)


def shares(result):
    return {e.value: (s.answers, s.satisfied) for e, s in result.by_element.items()}


def test_results_per_element_unit_field_and_province(db, people, agencies):
    form = make_form(db, people["council"])
    field = db.scalars(select(Field).order_by(Field.code)).first()
    answer(db, form, agencies.justice, [5, 4, 4, 5, 4, 3], field=field)
    answer(db, form, agencies.justice, [4, 4, 2, 5, 5, 4], channel=Channel.paper, staff=people["justice"])
    answer(db, form, agencies.finance, [5, 5, 5, 5, 5, 5])

    r = surveys.results(db, form)
    province = r["province"]
    assert province.responses == 3
    assert shares(province) == {"access": (6, 6), "procedure": (3, 2), "servant": (3, 3), "result": (3, 3),
                                "feedback": (3, 2)}
    assert (province.overall.answers, province.overall.satisfied) == (18, 16)
    assert province.overall.percent == Decimal("88.9") and province.target_met is False

    units = {res.label: res for _, res in r["units"]}
    justice, finance = units[agencies.justice.name], units[agencies.finance.name]
    assert (justice.responses, justice.overall.satisfied, justice.overall.answers) == (2, 10, 12)
    assert justice.overall.percent == Decimal("83.3") and justice.target_met is False
    assert shares(justice) == {"access": (4, 4), "procedure": (2, 1), "servant": (2, 2), "result": (2, 2),
                               "feedback": (2, 1)}
    assert finance.overall.percent == Decimal("100.0") and finance.target_met is True

    fields = {res.label: res.overall for _, res in r["fields"]}
    assert {k: (v.satisfied, v.answers, v.percent) for k, v in fields.items()} == {
        field.name: (5, 6, Decimal("83.3")), "Không ghi lĩnh vực": (11, 12, Decimal("91.7"))}

    assert surveys.unit_share(db, 2026, agencies.justice.id) == Decimal(10) / Decimal(12)
    assert surveys.unit_share(db, 2025, agencies.justice.id) is None
    beside = surveys.dossier_ratings(db, form, [None, agencies.justice.id])
    assert beside[None].total == 0 and beside[None].share_satisfied is None


def test_exactly_the_target_meets_it(db, people, agencies):
    form = surveys.create_form(db, people["council"], FormIn(slug="muc-tieu", title="Khảo sát mục tiêu", year=2026,
                                                             questions=[QuestionIn(element=E.servant,
                                                                                   text="Công chức tận tình?")]))
    for value in [5] * 9 + [1]:
        answer(db, form, agencies.justice, [value])
    province = surveys.results(db, form)["province"]
    assert province.overall.percent == Decimal("90.0") and province.target_met is True


def test_a_closed_form_refuses_online_answers_but_takes_paper(db, people, agencies):
    form = make_form(db, people["council"])
    surveys.set_open(db, people["council"], form, False)
    with pytest.raises(Conflict, match="đã đóng"):
        answer(db, form, agencies.justice, [5] * 6)
    answer(db, form, agencies.justice, [5] * 6, channel=Channel.paper, staff=people["justice"])
    assert surveys.results(db, form)["province"].responses == 1


def test_a_form_outside_its_dates_refuses_online_answers(db, people, agencies):
    form = make_form(db, people["council"], opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 31))
    assert surveys.is_accepting(form, date(2026, 1, 31)) and not surveys.is_accepting(form, date(2026, 2, 1))


def test_bad_answers_are_refused_naming_each_question(db, people, agencies):
    form = make_form(db, people["council"])
    data = ResponseIn(agency_code="KHONG-CO", answers={1: 5, 2: 6, 4: 0, 5: 4, 6: 4})
    with pytest.raises(InvalidInput) as refused:
        surveys.submit(db, form, data, channel=Channel.online)
    assert [(d["name"], d["message"]) for d in refused.value.details] == [
        ("agency_code", "Chọn cơ quan đã giải quyết hồ sơ của quý vị."),
        ("q2", "Câu 2: mức đánh giá phải từ 1 đến 5."),
        ("q3", "Câu 3: chưa chọn mức đánh giá."),
        ("q4", "Câu 4: mức đánh giá phải từ 1 đến 5."),
    ]


def test_paper_entry_only_for_ones_own_unit_and_forms_only_by_the_department(db, people, agencies):
    form = make_form(db, people["council"])
    with pytest.raises(Forbidden, match="của mình"):
        answer(db, form, agencies.finance, [5] * 6, channel=Channel.paper, staff=people["justice"])
    answer(db, form, agencies.finance, [5] * 6, channel=Channel.paper, staff=people["council"])
    with pytest.raises(Forbidden, match="Sở Nội vụ"):
        surveys.set_open(db, people["justice"], form, False)
