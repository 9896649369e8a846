"""Process templates: default split, lazy creation, versions, JSON import/export, parallel steps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.auth.service import issue_token
from motcua.core.clock import frozen
from motcua.core.errors import Forbidden, InvalidInput
from motcua.dossiers.service import ActionParams, available_actions, perform_action
from motcua.workflow.defaults import default_steps, split_allotments, total_hours
from motcua.workflow.service import default_process_for, export_template, import_template
from tests.dossiers.world import build_world, local, receive


def test_default_split_of_five_days():
    steps = default_steps(5, None)
    assert [(s.kind, s.role, s.allotment_hours) for s in steps] == [
        ("receive", "counter_officer", Decimal("2.00")), ("assign", "head", Decimal("2.00")),
        ("appraise", "specialist", Decimal("24.00")), ("approve", "head", Decimal("6.00")),
        ("issue", "clerk", Decimal("4.00")), ("return", "counter_officer", Decimal("2.00")),
    ]
    assert total_hours(0, None) == 8 and total_hours(None, 4) == 4 and total_hours(None, None) == 40


@given(st.integers(min_value=0, max_value=400), st.one_of(st.none(), st.integers(min_value=1, max_value=2000)))
def test_allotments_add_up_to_the_time_limit(days, hours):
    total = total_hours(days, hours)
    parts = split_allotments(total)
    assert sum(p for _, p in parts) == total
    assert all(p >= 0 for _, p in parts)


@pytest.fixture
def world(db):
    return build_world(db)


def test_default_template_is_created_lazily_once(db, world):
    first = default_process_for(db, world.p_dept, world.dept)
    again = default_process_for(db, world.p_dept, world.dept)
    assert first.id == again.id and first.version == 1 and first.is_default
    assert sum(s.allotment_hours for s in first.steps) == Decimal(40)


def test_import_creates_a_new_version_and_dossiers_keep_theirs(db, world):
    with frozen(local(2027, 3, 2, 9, 0)):
        old = receive(db, world)
    data = export_template(db, default_process_for(db, world.p_dept, world.dept))
    assert data["version"] == 1 and data["agency_code"] == world.dept.code
    # Insert a parallel inter-agency step (liên thông) after appraisal.
    steps = data["steps"]
    steps.insert(3, {"kind": "consult", "name": "Xác minh tại Sở Tài chính", "role": "specialist",
                     "unit_code": world.dept2.code, "allotment_hours": "8", "parallel_group": "lt1",
                     "actions": ["forward"]})
    steps[2]["allotment_hours"] = "16"
    new = import_template(db, procedure=world.p_dept, agency=world.dept, data=data)
    assert new.version == 2 and [s.kind for s in new.steps][3] == "consult"
    assert new.steps[3].unit_id == world.dept2.id
    assert default_process_for(db, world.p_dept, world.dept).id == new.id
    with frozen(local(2027, 3, 2, 10, 0)):
        fresh = receive(db, world)
    assert (old.template_version, fresh.template_version) == (1, 2)

    # The new dossier goes through the parallel step: the other agency hands it back.
    with frozen(local(2027, 3, 2, 11, 0)):
        perform_action(db, fresh, user=world.head, action="assign", params=ActionParams(assignee=world.specialist))
        perform_action(db, fresh, user=world.specialist, action="forward", params=ActionParams())
    assert fresh.status == "awaiting_consultation"
    assert available_actions(db, fresh, world.specialist2) == ["forward"]
    with frozen(local(2027, 3, 3, 9, 0)):
        perform_action(db, fresh, user=world.specialist2, action="forward", params=ActionParams(note="Đã xác minh"))
    assert fresh.status == "awaiting_approval"


def test_import_checks_the_acting_administrator_in_the_service(db, world):
    data = export_template(db, default_process_for(db, world.p_dept, world.dept))
    with pytest.raises(Forbidden):
        import_template(db, procedure=world.p_dept, agency=world.dept, data=data, actor=world.specialist)
    assert default_process_for(db, world.p_dept, world.dept).version == 1
    new = import_template(db, procedure=world.p_dept, agency=world.dept, data=data, actor=world.admin)
    assert (new.version, new.created_by_id) == (2, world.admin.id)


def test_invalid_import_lists_every_problem(db, world):
    bad = {"steps": [{"kind": "dance", "name": "", "role": "x"}, {"kind": "appraise", "name": "A", "role": "head",
                                                                 "allotment_hours": "-1"}]}
    with pytest.raises(InvalidInput) as err:
        import_template(db, procedure=world.p_dept, agency=world.dept, data=bad)
    assert "Bước 1: loại bước “dance” không hợp lệ" in err.value.message
    assert "Bước 2: thời gian (giờ làm việc) không hợp lệ." in err.value.message
    with pytest.raises(InvalidInput, match="steps"):
        import_template(db, procedure=world.p_dept, agency=world.dept, data=[])


def test_process_api_export_and_import(client, db, world):
    admin = {"Authorization": f"Bearer {issue_token(db, world.admin, 't')}"}
    other = {"Authorization": f"Bearer {issue_token(db, world.specialist, 't')}"}
    db.flush()
    url = f"/api/v1/processes/{world.p_dept.code}/{world.dept.code}"
    r = client.get(url, headers=admin)
    assert r.status_code == 200 and r.json()["version"] == 0
    body = r.json()
    assert client.put(url, json=body, headers=other).status_code == 403
    r = client.put(url, json=body, headers=admin)
    assert r.status_code == 201 and r.json()["version"] == 1
    assert client.get(url + "/versions", headers=admin).json()[0]["total_hours"] == "40.00"
    body["steps"][0]["kind"] = "nope"
    r = client.put(url, json=body, headers=admin)
    assert r.status_code == 422 and "không hợp lệ" in r.json()["title"]
