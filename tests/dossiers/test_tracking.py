"""Tracking from the applicant's side: the timeline built from the audit trail, and the public
lookup by code plus a second factor (the lookup key on the slips, or the ID number)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from motcua.core.clock import frozen
from motcua.dossiers.lookup_keys import (
    KEY_ALPHABET,
    KEY_LENGTH,
    code_candidates,
    new_lookup_key,
    normal_key,
)
from motcua.dossiers.service import ActionParams, perform_action
from motcua.dossiers.tracking import find_for_lookup, load_timeline

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
TUESDAY = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
MISSING = ["Bản sao giấy khai sinh có chứng thực", "Tờ khai có chữ ký của người yêu cầu"]


def test_lookup_keys_are_typable_and_read_back_whatever_the_case_and_spaces():
    keys = {new_lookup_key() for _ in range(200)}
    assert len(keys) == 200
    assert all(len(k) == KEY_LENGTH and set(k) <= set(KEY_ALPHABET) for k in keys)
    assert not set("01OIL") & set(KEY_ALPHABET)  # nothing read as another character
    assert normal_key(" k7m-p3x ") == normal_key("K7M P3X") == "K7MP3X"
    assert code_candidates(" 000.00.20.h37 - 261124 - 0001 ") == [
        "000.00.20.h37-261124-0001", "000.00.20.H37-261124-0001"]


@pytest.fixture
def story(db, receive, staff, walk):
    """A dossier asked for a supplement (what is missing, and why), supplemented, apologised
    for with a new date, then issued and returned."""
    with frozen(MONDAY):
        dossier = receive()
        first_due = dossier.due_at
        perform_action(db, dossier, user=staff.head, action="assign", params=ActionParams(assignee=staff.specialist))
    with frozen(TUESDAY):
        perform_action(db, dossier, user=staff.specialist, action="request_supplement",
                       params=ActionParams(missing_items=MISSING, note="Bản sao nộp kèm bị mờ, không đọc được"))
    with frozen(WEDNESDAY):
        perform_action(db, dossier, user=staff.counter, action="receive_supplement")
        after_supplement = dossier.due_at
        perform_action(db, dossier, user=staff.head, action="apologize_reschedule",
                       params=ActionParams(note="Cần xác minh thêm tại UBND xã", extra_working_days=2))
    with frozen(THURSDAY):
        walk(dossier, "returned")
    db.commit()
    return dossier, first_due, after_supplement


def test_timeline_says_what_is_missing_the_apology_and_the_new_date(db, story, staff):
    dossier, first_due, after_supplement = story
    with frozen(THURSDAY):
        t = load_timeline(db, dossier)

    titles = [s.title for s in t.steps]
    assert titles[:4] == ["Tiếp nhận hồ sơ", "Phân công xử lý", "Yêu cầu bổ sung hồ sơ",
                          "Đã nhận hồ sơ bổ sung, tiếp tục giải quyết"]
    assert titles[4] == "Cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả"
    assert titles[-2:] == ["Đã có kết quả giải quyết", "Đã trả kết quả"]
    received, assigned, asked, supplemented, apology = t.steps[:5]
    assert received.due_at == first_due
    assert assigned.unit.startswith("Sở Tư pháp — ")  # where it went: the unit and the step
    assert asked.items == tuple(MISSING) and asked.note == "Bản sao nộp kèm bị mờ, không đọc được"
    assert supplemented.due_at == after_supplement  # the limit restarts from the complete dossier
    assert apology.note == "Cần xác minh thêm tại UBND xã" and apology.due_at == dossier.due_at
    assert t.first_due_at == after_supplement and t.due_at == dossier.due_at != after_supplement
    assert [(p.kind, p.started_at, p.ended_at) for p in t.pauses] == [("supplement", TUESDAY, WEDNESDAY)]
    # returned: status in plain words, the outcome by the dossiers' own rule, no file yet
    assert (t.external_status, t.status_text, t.result_ready) == (10, "Đã trả kết quả.", True)
    assert (t.timing.kind, t.timing.text) == (dossier.outcome, "Trước hạn")
    assert t.missing_items == ()
    # nobody's name but the applicant knows: no officer is named anywhere
    text = json.dumps(t.as_json(), ensure_ascii=False)
    for person in (staff.counter, staff.head, staff.specialist, staff.clerk):
        assert person.full_name not in text
    assert "Nguyễn Thị Hoà" not in text and "020190001234" not in text


def test_while_waiting_for_the_supplement_the_timeline_lists_what_to_bring(db, receive, staff):
    with frozen(MONDAY):
        dossier = receive()
        perform_action(db, dossier, user=staff.head, action="assign", params=ActionParams(assignee=staff.specialist))
    with frozen(TUESDAY):
        perform_action(db, dossier, user=staff.specialist, action="request_supplement",
                       params=ActionParams(missing_items=MISSING, note="Bản sao mờ"))
        t = load_timeline(db, dossier)
    assert (t.external_status, t.missing_items, t.missing_note) == (5, tuple(MISSING), "Bản sao mờ")
    assert t.timing.kind == "paused" and t.pauses[0].ended_at is None
    assert t.status_text.startswith("Cần bổ sung hồ sơ")


def test_incomplete_at_the_counter_lists_what_is_missing(db, receive):
    with frozen(MONDAY):
        dossier = receive("incomplete")
        t = load_timeline(db, dossier)
    assert t.steps[0].title == "Hồ sơ chưa đầy đủ: cần bổ sung, hoàn thiện"
    assert t.steps[0].items == t.missing_items == ("Bản sao giấy khai sinh", "Tờ khai có chữ ký người yêu cầu")
    assert t.timing.kind == "none"


# ------------------------------------------------------------------------- the public lookup


def result_part(html: str) -> str:
    """The answer of the lookup page (the form above it repeats what was typed)."""
    match = re.search(r'<section id="ket-qua-tra-cuu".*?</section>', html, re.S)
    assert match, html[:2000]
    return match.group(0)


def test_wrong_factor_and_unknown_code_get_the_same_answer(client, db, receive):
    dossier = receive()
    db.commit()
    unknown_code = client.get("/tra-cuu", params={"ma": dossier.code[:-4] + "9999", "khoa": dossier.lookup_key})
    wrong_key = client.get("/tra-cuu", params={"ma": dossier.code, "khoa": "ZZZ999"})
    wrong_id = client.get("/tra-cuu", params={"ma": dossier.code, "khoa": "020190009999"})
    # another dossier's key does not open this one
    other = receive()
    db.commit()
    crossed = client.get("/tra-cuu", params={"ma": dossier.code, "khoa": other.lookup_key})

    answers = [unknown_code, wrong_key, wrong_id, crossed]
    assert {r.status_code for r in answers} == {404}
    assert len({result_part(r.text) for r in answers}) == 1
    assert "Không tìm thấy hồ sơ khớp với mã hồ sơ" in result_part(wrong_key.text)
    assert dossier.procedure_name not in wrong_key.text

    api = [client.get("/tra-cuu", params={"ma": code, "khoa": key}, headers={"Accept": "application/json"})
           for code, key in ((dossier.code[:-4] + "9999", dossier.lookup_key), (dossier.code, "ZZZ999"))]
    assert [r.status_code for r in api] == [404, 404]
    assert api[0].content == api[1].content  # byte for byte
    assert api[0].headers["content-type"] == "application/problem+json"


def test_lookup_ignores_case_and_spaces_and_takes_the_id_number_too(client, db, receive):
    dossier = receive()
    db.commit()
    key = dossier.lookup_key
    typed_code = " " + dossier.code.lower().replace("-", " - ") + " "
    typed_key = f" {key[:3].lower()} {key[3:].lower()} "

    by_key = client.get("/tra-cuu", params={"ma": typed_code, "khoa": typed_key})
    by_id = client.get("/tra-cuu", params={"ma": dossier.code, "khoa": "020 190 001 234"})

    for response in (by_key, by_id):
        assert response.status_code == 200, result_part(response.text)
        part = result_part(response.text)
        assert f"Hồ sơ {dossier.code}" in part and "Tiếp nhận hồ sơ" in part
        assert "Nguyễn Thị Hoà" not in part and "020190001234" not in part and "Lường Thị Quầy" not in part
    assert by_key.headers["cache-control"] == "no-store"
    api = client.get("/tra-cuu", params={"ma": typed_code, "khoa": typed_key}, headers={"Accept": "application/json"})
    assert api.status_code == 200
    body = api.json()
    assert (body["code"], body["external_status"], body["steps"][0]["title"]) == (dossier.code, 2, "Tiếp nhận hồ sơ")
    assert body["due_at"] == dossier.due_at.isoformat()


def test_the_second_factor_is_required(client, db, receive):
    dossier = receive()
    db.commit()
    page = client.get("/tra-cuu", params={"ma": dossier.code})
    assert page.status_code == 422
    assert "Vui lòng nhập cả mã tra cứu" in result_part(page.text)
    assert dossier.procedure_name not in page.text
    assert client.get("/tra-cuu").status_code == 200  # the empty form


def test_find_for_lookup_compares_both_factors(db, receive):
    dossier = receive()
    assert find_for_lookup(db, dossier.code, dossier.lookup_key) is dossier
    assert find_for_lookup(db, dossier.code, "020190001234") is dossier
    assert find_for_lookup(db, dossier.code, "") is None
    assert find_for_lookup(db, "", dossier.lookup_key) is None
    dossier.applicant_id_number = None  # an applicant without an ID number: the key only
    assert find_for_lookup(db, dossier.code, "020190001234") is None
