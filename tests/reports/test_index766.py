"""The 766 self-score of known histories built through the real services (qd766.md formulas).

The June history (conftest) gives the progress, digitisation and points-at-risk figures; a
small history of five results gives 16 of 20 (and two PAKN, one answered late, 3 of 6); the sync indicator comes from ledger rows the
real sender wrote against the simulator; the satisfaction from ratings recorded by the
ratings service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.auth.queries import find_user
from motcua.catalog.models import NationalCode
from motcua.core.clock import frozen, now, to_local
from motcua.core.errors import TransitionNotAllowed
from motcua.dossiers.enums import PauseKind
from motcua.dossiers.models import DossierPause
from motcua.dvcqg.outbound import send_pending
from motcua.feedback import service as feedback
from motcua.feedback.enums import Stage
from motcua.feedback.schemas import AnswerIn, ClassifyIn
from motcua.ratings import service as ratings
from motcua.ratings.enums import RatingChannel
from motcua.ratings.inputs import parse_rating
from motcua.reports import index766
from motcua.reports.counting import period
from motcua.reports.index766 import METRICS, PAYMENT, PROGRESS, Figures
from tests.dossiers.world import build_world, receive
from tests.factories import local
from tests.feedback.test_service import sent
from tests.integrations.dvcqg.fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    portal,
    portal_settings,
    simulator,
    simulator_server,
)
from tests.reports.conftest import JUNE, LOOK_AT, act, received_at, to_result

PDF_BYTES = b"%PDF-1.4\n% ket qua\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWERS = {"time_score": "2", "contacts_score": "2", "attitude_score": "2"}


def score_of(db, user, dates=JUNE, at=LOOK_AT, **kwargs):
    with frozen(at):
        return index766.report(db, user, period(*dates), **kwargs)


def by_code(score) -> dict[str, index766.Indicator]:
    return {i.metric.code + (":" + i.metric.part if i.metric.part else ""): i for i in score.indicators}


def test_80_of_100_on_time_gives_16_of_20():
    [progress] = [i for i in index766.indicators(Figures(handled=100, handled_on_time=80)) if i.metric.code == PROGRESS]
    assert (progress.numerator, progress.denominator, progress.value, progress.points, progress.metric.maximum) == (
        80, 100, 80.0, 16.0, 20)


def test_every_metric_is_listed_with_points_or_a_vietnamese_reason():
    found = index766.indicators(Figures())
    assert [i.metric for i in found] == list(METRICS)
    assert sum(m.maximum for m in METRICS) == 100
    for i in found:
        assert (i.points is None) == (i.reason is not None), i.metric.code
    reuse = by_code(type("S", (), {"indicators": found})())["REUSED_DIGITIZED_DATA"]
    assert reuse.points is None and "tái sử dụng" in reuse.reason


@pytest.fixture
def five(db):
    """Five dossiers received on Tuesday 1 June 2027 (5 working days: due 8 June): four
    results before the due day (one with its electronic result), one late (10 June)."""
    w = build_world(db)
    dossiers = []
    for n in range(5):
        d = received_at(db, w, local(2027, 6, 1, 9, n))
        dossiers.append(d)
        late = n == 4
        day = 10 if late else 3
        act(db, d, w.head, "forward", local(2027, 6, 2, 10))
        act(db, d, w.specialist, "forward", local(2027, 6, 2, 11))
        act(db, d, w.head, "approve", local(2027, 6, 2, 14))
        extra = {"file_content": PDF_BYTES, "file_name": "ket-qua.pdf"} if n == 0 else {}
        act(db, d, w.clerk, "issue_result", local(2027, 6, day, 15), result_number=f"{n}/KQ", **extra)
    db.flush()
    return w, dossiers


def test_four_of_five_on_time_through_the_services_gives_16_of_20(db, five):
    w, dossiers = five
    # Two PAKN about the department's procedure in June: one answered in time, one after its deadline.
    feedback.set_stage_limit(db, Stage.answer, working_days=10, basis="Quyết định 99/2026/QĐ-UBND (thử), Điều 5")
    with frozen(local(2027, 6, 1, 9)):
        quick, _ = feedback.submit_feedback(db, sent(procedure_code=w.p_dept.code))
        slow, _ = feedback.submit_feedback(db, sent(procedure_code=w.p_dept.code))
    for item, at in ((quick, local(2027, 6, 2, 9)), (slow, slow.answer_due_at + timedelta(hours=1))):
        feedback.classify(db, item, w.specialist, ClassifyIn(classification="regulation"), at=at)
        feedback.answer(db, item, w.specialist, AnswerIn(answer="Đã xem xét và trả lời."), at=at)
    assert [d.progress_outcome for d in dossiers] == ["early"] * 4 + ["late"]
    [score] = score_of(db, w.admin).scores
    assert score.agency_code == w.dept.code
    got = by_code(score)
    assert (got[PROGRESS].numerator, got[PROGRESS].denominator, got[PROGRESS].points) == (4, 5, 16.0)
    # One electronic result of five: 6 × 1/5; no scan, so nothing digitised.
    e = got["ORIGINAL_RESULT_AVAILABLE"]
    assert (e.numerator, e.denominator, e.value, e.points) == (1, 5, 20.0, 1.2)
    assert (got["SO_HOA_GIAY_TO_GIAI_QUYET"].numerator, got["SO_HOA_GIAY_TO_GIAI_QUYET"].points) == (0, 0.0)
    # No fees: part A of the payment group scores 0 (the portal's rule), parts B+C are not computed.
    assert (got[PAYMENT + ":A"].points, got[PAYMENT + ":A"].denominator) == (0.0, 0)
    assert got[PAYMENT + ":B+C"].points is None
    pakn = got["PETITION_PROCESSING_ON_TIME"]
    assert (pakn.numerator, pakn.denominator, pakn.value, pakn.points) == (1, 2, 50.0, 3.0)
    # Per procedure: the same dossiers; PAKN are the agency's, not the procedure's.
    [one] = score_of(db, w.admin, procedure_code=w.p_dept.code).scores
    assert by_code(one)[PROGRESS].points == 16.0
    assert by_code(one)["PETITION_PROCESSING_ON_TIME"].points is None


def test_a_dossier_with_two_supplement_requests_counts_late_and_is_at_risk(db):
    """The services refuse a second supplement request (one request only, ND 61/2018 Art. 19), so
    a dossier with two comes from an imported history: its first round goes through the
    services, the second is recorded as the import writes it (a closed pause and the count),
    and the result is issued through the services, which set its 766 outcome."""
    w = build_world(db)
    d = received_at(db, w, local(2027, 6, 1, 9))
    act(db, d, w.head, "request_supplement", local(2027, 6, 2, 9), missing_items=["Bản sao sổ hộ khẩu"])
    act(db, d, w.counter, "receive_supplement", local(2027, 6, 3, 9))
    with pytest.raises(TransitionNotAllowed):
        act(db, d, w.head, "request_supplement", local(2027, 6, 4, 9), missing_items=["Giấy ủy quyền"])
    db.add(DossierPause(dossier_id=d.id, kind=PauseKind.supplement.value, started_at=local(2027, 6, 4, 9),
                        ended_at=local(2027, 6, 4, 15), missing_items=["Giấy ủy quyền"], resume_status=d.status))
    d.supplement_count = 2
    db.flush()
    to_result(db, w, d, issue_at=local(2027, 6, 7, 15), start_day=7)
    # The legal view restarts the time limit from the complete dossier: early. The 766 view: late.
    assert (d.supplement_count, d.outcome, d.progress_outcome) == (2, "early", "late")
    report = score_of(db, w.admin)
    got = by_code(report.scores[0])
    assert (got[PROGRESS].numerator, got[PROGRESS].denominator, got[PROGRESS].points) == (0, 1, 0.0)
    [risk] = report.risks
    assert risk.dossier.id == d.id
    assert risk.reasons == ("second_supplement", "no_e_result", "not_synced", "unrated")


def test_june_history_scores_and_points_at_risk(db, history):
    d = history.d
    # Ratings recorded by the ratings service in June: two satisfied of three.
    for name, level in (("late", "satisfied"), ("early", "very_satisfied"), ("cross", "not_satisfied")):
        ratings.record_rating(db, d[name], parse_rating(ANSWERS | {"satisfaction": level}),
                              channel=RatingChannel.kiosk, at=local(2027, 6, 20, 9))
    db.flush()
    report = score_of(db, history.viewer)
    [score] = report.scores
    got = by_code(score)
    # Handled in June: carried (on time), late, early, refused (early), cross (early), apology — on time
    # after its new date in law, late in the 766 view (an apology does not move progress_due_at).
    assert (got[PROGRESS].numerator, got[PROGRESS].denominator, got[PROGRESS].points) == (4, 6, 13.33)
    sat = got["DOSSIER_RECEIVING_SATISFACTION"]
    assert (sat.numerator, sat.denominator, sat.points) == (2, 3, round(6 * (2 / 3) / 0.9, 2))
    sync = got["DOSSIER_SYNC"]  # nothing sent to the portal in this history
    assert (sync.numerator, sync.denominator, sync.points) == (0, 9, 0.0)
    online = got["provide-online-tree"]
    assert (online.numerator, online.denominator, online.value, online.points) == (0, 9, 0.0, None)
    assert online.reason
    assert got["PETITION_PROCESSING_ON_TIME"].points == 6.0  # no PAKN due: the portal's full marks
    assert score.points == round(13.33 + sat.points + 6.0, 2)
    assert score.computed_maximum == 6 + 20 + 6 + 4 + 6 + 6 + 6

    risks = {r.dossier.id: r.reasons for r in report.risks}
    expected = {
        "carried": ("no_e_result", "unrated"),  # received in May: not in June's sync denominator
        "late": ("no_e_result", "not_synced"),
        "early": ("no_e_result", "not_synced"),
        "apology": ("no_e_result", "not_synced", "unrated"),
        "withdrawn": ("not_synced",),
        "refused": ("not_synced", "unrated"),
        "overdue": ("overdue", "not_synced"),
        "supplement": ("not_synced",),
        "in_progress": ("not_synced",),
        "cross": ("no_e_result", "not_synced"),
    }
    assert risks == {d[name].id: reasons for name, reasons in expected.items()}
    assert [r.labels for r in report.risks if r.dossier.id == d["overdue"].id] == [
        ["Quá hạn giải quyết", "Chưa đồng bộ với Cổng DVCQG"]]

    # Two hours before D9's due time it is due soon (the inbox's rule), not overdue.
    at = d["in_progress"].due_at - timedelta(hours=2)
    soon = index766.report(db, history.viewer, period(date(2027, 6, 1), to_local(at).date(), at=at))
    assert soon.risks and {r.dossier.id: r.reasons for r in soon.risks}[d["in_progress"].id] == ("due_soon", "not_synced")


def test_sync_indicator_counts_the_dossiers_the_ledger_says_the_portal_holds(db, session_factory, portal):  # noqa: F811
    w = build_world(db)
    db.add(NationalCode(procedure_id=w.p_dept.id, national_code="1.000894", national_name="Đăng ký kết hôn",
                        confirmed_by="kiểm thử"))
    mapped = [receive(db, w), receive(db, w)]
    unmapped = receive(db, w, procedure=w.p_cross)  # no national code: the sender never sends it
    db.commit()
    sent = send_pending(session_factory, portal)
    assert sorted(sent.synced) == sorted(x.code for x in mapped)
    db.expire_all()
    today = to_local(now()).date()
    report = index766.report(db, find_user(db, w.admin.username), period(today, today))
    sync = by_code(report.scores[0])["DOSSIER_SYNC"]
    assert (sync.numerator, sync.denominator, sync.value, sync.points) == (2, 3, 66.67, 4.0)
    not_synced = {r.dossier.id for r in report.risks if "not_synced" in r.reasons}
    assert not_synced == {unmapped.id}
