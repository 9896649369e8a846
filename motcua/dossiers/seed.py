"""Demo-only dossiers in different states (README: demo data, never in production).

Uses the demo accounts of motcua.auth.seed (password demo12345): `motcua` (counter at the
provincial service centre), `chuyenvien` / `lanhdao` / `vanthu` (Sở Tư pháp) and
`motcua.xa` (a commune). Idempotent: nothing happens when demo dossiers already exist or
when the organisation, catalogue or accounts are missing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.service import find_user
from motcua.catalog.limits import procedure_time_limit
from motcua.catalog.service import procedures_of_agency
from motcua.core.errors import DomainError
from motcua.dossiers.demo import DEMO_DAYS, DEMO_LIMIT_BASIS
from motcua.dossiers.models import Dossier
from motcua.dossiers.service import (
    ActionParams,
    ApplicantData,
    ComponentData,
    ReceiptData,
    perform_action,
    receive_dossier,
)
from motcua.org.models import Agency

DEMO_NOTE = "Hồ sơ minh hoạ (dữ liệu demo)"

APPLICANTS = [
    ("Nguyễn Văn An", "001090001234", "0912000001", "Số 12 đường Lê Lợi, phường Đông Kinh"),
    ("Trần Thị Bình", "020185004321", "0912000002", "Thôn Bản Ngày, xã Hoàng Đồng"),
    ("Hoàng Văn Cường", "020077009876", "0912000003", "Số 5 Bà Triệu, phường Lương Văn Tri"),
    ("Lương Thị Dung", "020195001111", "0912000004", "Số 8 Trần Đăng Ninh, phường Tam Thanh"),
    ("Vi Văn Em", "020088002222", "0912000005", "Khu 3, thị trấn Đồng Đăng"),
    ("Công ty TNHH Hữu Nghị", "4900123456", "0205387000", "Km 3, Quốc lộ 1A, phường Hoàng Văn Thụ"),
    ("Đinh Thị Giang", "020199003333", "0912000007", "Thôn Nà Sla, xã Mai Pha"),
    ("Phùng Văn Hải", "020180004444", "0912000008", "Số 20 Ngô Quyền, phường Vĩnh Trại"),
]

# (applicant index, receipt outcome, actions to walk through: (username, action, params))
SCENARIOS = [
    (0, "accepted", []),
    (1, "accepted", [("lanhdao", "assign", {"assignee": "chuyenvien", "note": "Giao chuyên viên thẩm định"})]),
    (2, "accepted", [("lanhdao", "assign", {"assignee": "chuyenvien"}),
                     ("chuyenvien", "request_supplement", {"missing_items": ["Bản sao giấy khai sinh",
                                                                              "Ảnh chân dung 4x6"]})]),
    (3, "accepted", [("lanhdao", "assign", {"assignee": "chuyenvien"}),
                     ("chuyenvien", "forward", {"note": "Hồ sơ đủ điều kiện, trình lãnh đạo"})]),
    (4, "accepted", [("lanhdao", "assign", {"assignee": "chuyenvien"}), ("chuyenvien", "forward", {}),
                     ("lanhdao", "approve", {}), ("vanthu", "issue_result", {"result_number": "15/STP-KQ"})]),
    (5, "accepted", [("lanhdao", "assign", {"assignee": "chuyenvien"}), ("chuyenvien", "forward", {}),
                     ("lanhdao", "approve", {}), ("vanthu", "issue_result", {}), ("motcua", "return_result", {})]),
    (6, "refused", []),
    (7, "incomplete", []),
]


DEMO_ENTERED = {"time_limit_days": DEMO_DAYS, "time_limit_basis": DEMO_LIMIT_BASIS}


def seed_demo_dossiers(session: Session) -> list[Dossier]:
    """Create the demo dossiers once; returns those created."""
    if session.scalar(select(Dossier.id).where(Dossier.note == DEMO_NOTE).limit(1)) is not None:
        return []
    users = {name: find_user(session, name) for name in ("motcua", "chuyenvien", "lanhdao", "vanthu", "motcua.xa")}
    if any(users[n] is None for n in ("motcua", "chuyenvien", "lanhdao", "vanthu")):
        return []
    centre = next((r.agency for r in users["motcua"].roles if r.role == "counter_officer"), None)
    dept = next((r.agency for r in users["chuyenvien"].roles if r.role == "specialist"), None)
    if centre is None or dept is None:
        return []
    procedures = procedures_of_agency(session, dept)
    if not procedures:
        return []
    procedure = next((p for p in procedures if procedure_time_limit(p).known), procedures[0])
    # Demo only: without a catalogue limit the officer enters one, with its basis (as the counter requires).
    entered = {} if procedure_time_limit(procedure).known else DEMO_ENTERED
    created = []
    for index, outcome, steps in SCENARIOS:
        name, id_number, phone, address = APPLICANTS[index]
        data = ReceiptData(
            applicant=ApplicantData("organisation" if name.startswith("Công ty") else "person", name, id_number,
                                    phone, None, address),
            components=[ComponentData("Tờ khai theo mẫu", "original", 1),
                        ComponentData("Bản sao giấy tờ tùy thân", "copy", 1)],
            outcome=outcome, note=DEMO_NOTE, **entered,
            missing_items=["Tờ khai có chữ ký của người yêu cầu"] if outcome == "incomplete" else None,
            refusal_reason="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan" if outcome == "refused" else None,
        )
        try:
            dossier = receive_dossier(session, user=users["motcua"], procedure=procedure, agency=dept,
                                      receiving_unit=centre, data=data)
            for username, action, params in steps:
                if "assignee" in params:
                    params = {**params, "assignee": users[params["assignee"]]}
                perform_action(session, dossier, user=users[username], action=action, params=ActionParams(**params))
        except DomainError:
            continue  # e.g. the centre may not receive this procedure: skip, the rest still seeds
        created.append(dossier)
    # A cross-boundary receipt at a commune, when the catalogue flags one of the department's procedures.
    commune_user = users.get("motcua.xa")
    commune = next((r.agency for r in commune_user.roles if r.role == "counter_officer"), None) if commune_user else None
    cross = next((p for p in procedures if p.cross_boundary), None)
    if commune is not None and cross is not None and isinstance(commune, Agency):
        try:
            created.append(receive_dossier(
                session, user=commune_user, procedure=cross, agency=dept, receiving_unit=commune,
                data=ReceiptData(ApplicantData("person", "Lộc Thị Khánh", "020190005555", "0912000009", None,
                                               "Thôn Pò Mã, xã Tân Thanh"),
                                 [ComponentData("Tờ khai theo mẫu", "original", 1)], note=DEMO_NOTE,
                                 **({} if procedure_time_limit(cross).known else DEMO_ENTERED)),
            ))
        except DomainError:
            pass
    session.flush()
    return created


def seed_demo(session: Session) -> None:
    """Demo dossiers (registry convention: motcua.domains)."""
    seed_demo_dossiers(session)
