"""Builders for documents and dossier-page tests: staff at the provincial centre and at
the Department of Justice, a dossier received at the counter, and walking it forward."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from motcua.auth.roles import Role
from motcua.catalog.service import get_procedure_by_code
from motcua.dossiers.service import (
    ActionParams,
    ApplicantData,
    ComponentData,
    ReceiptData,
    available_actions,
    perform_action,
    receive_dossier,
)
from tests import factories
from tests.factories import PASSWORD  # noqa: F401
from tests.html_forms import csrf_from  # noqa: F401  (the tests import both from here)
from tests.html_forms import signed_in as login  # noqa: F401

PROCEDURE = "T-LSN-285002-TT"  # Cấp bản sao trích lục hộ tịch — Sở Tư pháp, provincial level
# The catalogue holds no limit for PROCEDURE: the counter officer enters one with its basis.
ENTERED_BASIS = "Khoản 2 Điều 64 Luật Hộ tịch số 60/2014/QH13 (ví dụ của bộ kiểm thử)"
# Actions that move a dossier one step towards "returned", in the order they are tried.
FORWARD_ACTIONS = ("forward", "approve", "issue_result", "return_result")


@pytest.fixture
def org(agencies):
    return agencies


@pytest.fixture
def staff(db, org):
    def make(username, role, agency, full_name):
        return factories.account(db, username, role, agency=agency, full_name=full_name)

    return SimpleNamespace(
        counter=make("tn.quay", Role.counter_officer, org.centre, "Lường Thị Quầy"),
        specialist=make("tn.chuyenvien", Role.specialist, org.justice, "Hoàng Văn Chuyên"),
        head=make("tn.lanhdao", Role.head, org.justice, "Vi Thị Lãnh"),
        clerk=make("tn.vanthu", Role.clerk, org.justice, "Nông Văn Thư"),
        outsider=make("tn.ngoai", Role.head, org.finance, "Đinh Văn Ngoài"),
        admin=make("tn.quantri", Role.province_admin, org.province, "Quản Trị Tỉnh"),
    )


@pytest.fixture
def receive(db, org, staff):
    def _receive(outcome: str = "accepted", **changes):
        data = ReceiptData(
            applicant=ApplicantData(
                kind="person", full_name="Nguyễn Thị Hoà", id_number="020190001234", phone="0912345678",
                address="Phường Đông Kinh, tỉnh Lạng Sơn",
            ),
            components=[ComponentData("Tờ khai cấp bản sao trích lục hộ tịch", "original", 1),
                        ComponentData("Căn cước công dân", "copy", 1)],
            outcome=outcome,
            missing_items=["Bản sao giấy khai sinh", "Tờ khai có chữ ký người yêu cầu"] if outcome == "incomplete" else None,
            refusal_reason="Không thuộc thẩm quyền giải quyết của Sở Tư pháp" if outcome == "refused" else None,
            time_limit_days=3, time_limit_basis=ENTERED_BASIS,
        )
        for key, value in changes.items():
            setattr(data, key, value)
        return receive_dossier(
            db, user=staff.counter, procedure=get_procedure_by_code(db, PROCEDURE), agency=org.justice,
            receiving_unit=org.centre, data=data,
        )

    return _receive


@pytest.fixture
def walk(db, staff):
    """Move a dossier forward as whichever demo staff member may act, until `until` (a status)."""

    def _walk(dossier, until: str = "returned", max_moves: int = 20):
        people = [staff.head, staff.specialist, staff.clerk, staff.counter]
        for _ in range(max_moves):
            if dossier.status == until:
                return dossier
            for user in people:
                actions = available_actions(db, dossier, user)
                action = next((a for a in FORWARD_ACTIONS if a in actions), None)
                if action:
                    params = ActionParams(result_number="15/QĐ-STP") if action == "issue_result" else None
                    perform_action(db, dossier, user=user, action=action, params=params)
                    break
            else:
                raise AssertionError(f"nobody can move the dossier on from {dossier.status}")
        raise AssertionError(f"dossier did not reach {until}")

    return _walk
