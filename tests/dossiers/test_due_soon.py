"""One "due soon" (issue 9): the inbox page, its count, the API's box and the overdue alert
agree on every dossier, at the boundary too (dossiers.deadlines)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from motcua.auth.passwords import hash_password
from motcua.auth.service import issue_token
from motcua.calendar.engine import WorkingCalendar, working_days_before
from motcua.core.clock import LOCAL_TZ, frozen, to_local
from motcua.dossiers import queries
from motcua.dossiers.deadlines import ALERT_WORKING_DAYS, due_soon_until
from motcua.dossiers.service import send_overdue_alerts
from tests.documents.conftest import login
from tests.dossiers.world import local, receive

PASSWORD = "matkhau-dung-1"
# Fri 30/4/2027 and Mon 3/5/2027 off, Sat 8/5/2027 worked (made up for the test).
CAL = WorkingCalendar(days_off={date(2027, 4, 30): "Giải phóng miền Nam", date(2027, 5, 3): "Nghỉ bù"},
                      makeup_days={date(2027, 5, 8): "Làm bù"})


def test_due_soon_until_is_the_same_clock_time_two_working_days_ahead():
    assert due_soon_until(CAL, local(2027, 3, 5, 10, 0)) == local(2027, 3, 9, 10, 0)  # Fri → Tue
    assert due_soon_until(CAL, local(2027, 4, 29, 16, 0)) == local(2027, 5, 5, 16, 0)  # over 30/4, 1–3/5
    assert due_soon_until(CAL, local(2027, 5, 7, 9, 0)) == local(2027, 5, 10, 9, 0)  # Sat 8/5 is worked


def test_on_a_day_off_the_whole_second_working_day_is_due_soon():
    end_of_tuesday = datetime.combine(date(2027, 3, 9), time.max, tzinfo=LOCAL_TZ)
    assert due_soon_until(CAL, local(2027, 3, 6, 10, 0)) == end_of_tuesday  # Saturday
    assert due_soon_until(CAL, local(2027, 3, 7, 23, 0)) == end_of_tuesday  # Sunday


def test_due_soon_starts_exactly_at_the_early_warning_instant():
    """For due times in office hours on working days, "due by `due_soon_until(at)`" is "the
    warning instant `working_days_before(due, 2)` has come" — the law's alert."""
    dues = [datetime.combine(date(2027, 4, 26) + timedelta(days=d), time(h, m), tzinfo=LOCAL_TZ)
            for d in range(20) for h, m in ((7, 30), (11, 30), (13, 30), (16, 59), (17, 0))
            if CAL.is_working_day(date(2027, 4, 26) + timedelta(days=d))]
    moments = [local(2027, 4, 22, 0, 0) + timedelta(minutes=30 * i) for i in range(24 * 2 * 22)]
    for at in moments:
        until = due_soon_until(CAL, at)
        for due in dues:
            assert (due <= until) == (at >= working_days_before(CAL, due, ALERT_WORKING_DAYS)), (at, due)


def _due_soon_badge(html: str) -> int:
    match = re.search(r'href="/xu-ly\?hop=due_soon"[^>]*>\s*Sắp đến hạn <span class="badge[^"]*">(\d+)</span>', html)
    assert match, "the inbox has no due-soon tab with a count"
    return int(match.group(1))


def test_page_api_counts_and_alert_agree_at_the_boundary(client, db, world):
    w = world
    with frozen(local(2027, 3, 2, 9, 0)):
        dossier = receive(db, w)
    assert to_local(dossier.due_at) == local(2027, 3, 9, 17, 0)  # Tuesday, 5 working days
    w.head.password_hash = hash_password(PASSWORD)
    api_headers = {"Authorization": f"Bearer {issue_token(db, w.head, 'test')}"}
    db.flush()
    login(client, w.head.username, PASSWORD)

    def seen(at: datetime) -> tuple[bool, int, bool, int, bool]:
        """(on the due-soon page, the page's badge, in the API's box, the count, in the overdue box)."""
        with frozen(at):
            page = client.get("/xu-ly", params={"hop": "due_soon"})
            api = client.get("/api/v1/dossiers", params={"box": "due_soon"}, headers=api_headers)
            overdue = client.get("/api/v1/dossiers", params={"box": "overdue"}, headers=api_headers)
        assert page.status_code == api.status_code == overdue.status_code == 200
        counts = queries.box_counts(db, w.head, at=at)
        return (dossier.code in page.text, _due_soon_badge(page.text),
                [i["id"] for i in api.json()["items"]] == [str(dossier.id)], counts["due_soon"],
                [i["id"] for i in overdue.json()["items"]] == [str(dossier.id)])

    # The alert instant: 17:00 two working days before Tuesday 17:00 is Friday 17:00.
    assert seen(local(2027, 3, 5, 16, 59)) == (False, 0, False, 0, False)
    assert send_overdue_alerts(db, at=local(2027, 3, 5, 16, 59)) == []
    assert seen(local(2027, 3, 5, 17, 0)) == (True, 1, True, 1, False)
    assert send_overdue_alerts(db, at=local(2027, 3, 5, 17, 0)) == [dossier]
    assert seen(local(2027, 3, 6, 10, 0)) == (True, 1, True, 1, False)  # Saturday
    assert seen(local(2027, 3, 9, 17, 0)) == (True, 1, True, 1, False)  # the due time itself
    assert seen(local(2027, 3, 9, 17, 1)) == (False, 0, False, 0, True)  # overdue from then on
