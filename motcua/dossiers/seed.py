"""Demo-only dossiers in different states (README: demo data, never in production).

Uses the demo accounts of motcua.auth.seed (password demo12345, README "Demo logins"):
`motcua` (counter at the provincial service centre), `chuyenvien` / `lanhdao` / `vanthu`
(Sở Tư pháp), `motcua.xa` and `motcua.chilang` (two commune committees, each officer in all
four roles). Besides the Department of Justice's dossiers in every state, the centre
receives a dossier for each of a few other departments (they wait for their department's
head), and each commune walks its own procedures. Procedures are those in force with a
current implementing agency (catalog.applications) and, where the agency has one, a time
limit the catalogue holds with its source, so the appointments come from the catalogue.
Applicants live in communes and wards of Lạng Sơn as they are since 01/07/2025.

Idempotent: nothing happens when demo dossiers already exist or when the organisation,
catalogue or accounts are missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.service import find_user
from motcua.catalog.applications import application_current_clause
from motcua.catalog.enums import ProcedureStatus
from motcua.catalog.limits import procedure_time_limit
from motcua.catalog.models import Procedure, ProcedureAgency
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
from motcua.org.enums import AgencyKind, UnitKind
from motcua.org.models import AdministrativeUnit, Agency
from motcua.org.service import today

DEMO_NOTE = "Hồ sơ minh hoạ (dữ liệu demo)"
OTHER_DEPARTMENTS = 4  # departments besides Justice that get a dossier at the centre
PROCEDURES_PER_AGENCY = 3  # an agency's demo dossiers rotate over this many procedures

# Current communes and wards (since 01/07/2025: 61 communes and 4 wards, no districts).
APPLICANTS = [
    ("Nguyễn Văn An", "020090001234", "0912000001", "Số 12 đường Lê Lợi, phường Đông Kinh, tỉnh Lạng Sơn"),
    ("Trần Thị Bình", "020185004321", "0912000002", "Thôn Bản Ngày, xã Cao Lộc, tỉnh Lạng Sơn"),
    ("Hoàng Văn Cường", "020077009876", "0912000003", "Số 5 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn"),
    ("Lương Thị Dung", "020195001111", "0912000004", "Số 8 đường Trần Đăng Ninh, phường Tam Thanh, tỉnh Lạng Sơn"),
    ("Vi Văn Em", "020088002222", "0912000005", "Khối 3, xã Đồng Đăng, tỉnh Lạng Sơn"),
    ("Công ty TNHH Hữu Nghị", "4900123456", "0205387000", "Km 3, Quốc lộ 1A, phường Kỳ Lừa, tỉnh Lạng Sơn"),
    ("Đinh Thị Giang", "020199003333", "0912000007", "Thôn Nà Sla, xã Chi Lăng, tỉnh Lạng Sơn"),
    ("Phùng Văn Hải", "020180004444", "0912000008", "Số 20 đường Ngô Quyền, phường Đông Kinh, tỉnh Lạng Sơn"),
    ("Lộc Thị Khánh", "020190005555", "0912000009", "Thôn Pò Mã, xã Hoàng Văn Thụ, tỉnh Lạng Sơn"),
    ("Nông Văn Long", "020086006666", "0912000010", "Thôn Khòn Pát, xã Lộc Bình, tỉnh Lạng Sơn"),
    ("Hợp tác xã Nông sản Mẫu Sơn", "4900654321", "0205386111", "Thôn Nà Pàn, xã Mẫu Sơn, tỉnh Lạng Sơn"),
    ("Chu Thị Mai", "020192007777", "0912000012", "Thôn Còn Quan, xã Hữu Lũng, tỉnh Lạng Sơn"),
    ("Lăng Văn Nam", "020083008888", "0912000013", "Khu Trung Tâm, xã Chi Lăng, tỉnh Lạng Sơn"),
    ("Hà Thị Oanh", "020197009999", "0912000014", "Thôn Phai Luông, xã Chi Lăng, tỉnh Lạng Sơn"),
]

# (applicant index, receipt outcome, actions: (username, action, params)); "counter"/"head"/
# "specialist"/"clerk" name the agency's own accounts (a commune's officer holds all four).
Scenario = tuple[int, str, list[tuple[str, str, dict]]]
FULL = [("head", "assign", {"assignee": "specialist"}), ("specialist", "forward", {}), ("head", "approve", {})]
JUSTICE: list[Scenario] = [
    (0, "accepted", []),
    (1, "accepted", [("head", "assign", {"assignee": "specialist", "note": "Giao chuyên viên thẩm định"})]),
    (2, "accepted", [("head", "assign", {"assignee": "specialist"}),
                     ("specialist", "request_supplement", {"missing_items": ["Bản sao giấy khai sinh",
                                                                              "Ảnh chân dung 4x6"]})]),
    (3, "accepted", [("head", "assign", {"assignee": "specialist"}),
                     ("specialist", "forward", {"note": "Hồ sơ đủ điều kiện, trình lãnh đạo"})]),
    (4, "accepted", [*FULL, ("clerk", "issue_result", {"result_number": "15/STP-KQ"})]),
    (5, "accepted", [*FULL, ("clerk", "issue_result", {}), ("counter", "return_result", {})]),
    (6, "refused", []),
    (7, "incomplete", []),
]
DEPARTMENTS: list[Scenario] = [(5, "accepted", []), (9, "accepted", []), (10, "accepted", []), (11, "incomplete", [])]
FIRST_COMMUNE: list[Scenario] = [
    (0, "accepted", []),
    (7, "accepted", [("head", "assign", {"assignee": "specialist"})]),
    (3, "accepted", [*FULL, ("clerk", "issue_result", {"result_number": "08/UBND-KQ"}),
                     ("counter", "return_result", {})]),
    (2, "incomplete", []),
]
SECOND_COMMUNE: list[Scenario] = [
    (6, "accepted", []),
    (12, "accepted", [("head", "assign", {"assignee": "specialist"}),
                      ("specialist", "request_supplement", {"missing_items": ["Bản sao giấy khai sinh"]})]),
    (13, "accepted", [*FULL, ("clerk", "issue_result", {"result_number": "21/UBND-KQ"})]),
]

DEMO_ENTERED = {"time_limit_days": DEMO_DAYS, "time_limit_basis": DEMO_LIMIT_BASIS}


def demo_procedures(session: Session, agency: Agency) -> list[Procedure]:
    """The agency's procedures in force that it currently implements, those whose time
    limit the catalogue holds first (the appointment is then the law's, with its source),
    one per field before a second of the same field (demo dossiers of different kinds)."""
    procedures = list(session.scalars(
        select(Procedure)
        .join(ProcedureAgency, ProcedureAgency.procedure_id == Procedure.id)
        .join(Agency, Agency.id == ProcedureAgency.agency_id)
        .where(ProcedureAgency.agency_id == agency.id, Procedure.status == ProcedureStatus.in_force.value,
               application_current_clause(today()))
        .order_by(Procedure.code)
    ))
    seen: set = set()
    rank = {}
    for p in sorted(procedures, key=lambda p: not procedure_time_limit(p).known):
        rank[p.id] = (not procedure_time_limit(p).known, p.field_id in seen)
        seen.add(p.field_id)
    return sorted(procedures, key=lambda p: rank[p.id])  # stable: code order within a rank


def _role_agency(user: User | None, role: str) -> Agency | None:
    return next((r.agency for r in user.roles if r.role == role), None) if user else None


def _home_units(session: Session) -> dict[str, uuid.UUID]:
    """Current communes and wards by folded name ("phường đông kinh")."""
    return {unit.name.casefold(): unit.id for unit in session.scalars(select(AdministrativeUnit).where(
        AdministrativeUnit.kind.in_([UnitKind.commune.value, UnitKind.ward.value]),
        AdministrativeUnit.valid_to.is_(None)))}


def _receipt(index: int, outcome: str, procedure: Procedure, homes: dict[str, uuid.UUID]) -> ReceiptData:
    name, id_number, phone, address = APPLICANTS[index]
    organisation = name.startswith(("Công ty", "Hợp tác xã"))
    home = homes.get(address.rsplit(", ", 2)[-2].casefold())  # "…, xã Chi Lăng, tỉnh Lạng Sơn"
    return ReceiptData(
        applicant=ApplicantData("organisation" if organisation else "person", name, id_number, phone, None, address,
                                home),
        components=[ComponentData("Tờ khai theo mẫu", "original", 1),
                    ComponentData("Bản sao giấy tờ tùy thân", "copy", 1)],
        outcome=outcome, note=DEMO_NOTE,
        # Demo only: without a catalogue limit the officer enters one, with its basis (as the counter requires).
        **({} if procedure_time_limit(procedure).known else DEMO_ENTERED),
        missing_items=["Tờ khai có chữ ký của người yêu cầu"] if outcome == "incomplete" else None,
        refusal_reason="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan" if outcome == "refused" else None,
    )


def _play(
    session: Session, scenarios: Sequence[Scenario], *, procedures: list[Procedure], agency: Agency,
    receiving_unit: Agency, counter: User, staff: dict[str, User | None],
) -> list[Dossier]:
    """Receive each scenario's dossier (procedures in turn) and walk its actions."""
    created = []
    homes = _home_units(session)
    for n, (index, outcome, steps) in enumerate(scenarios):
        if not procedures:
            break
        procedure = procedures[n % len(procedures)]
        try:
            dossier = receive_dossier(session, user=counter, procedure=procedure, agency=agency,
                                      receiving_unit=receiving_unit, data=_receipt(index, outcome, procedure, homes))
            for who, action, params in steps:
                if "assignee" in params:
                    params = {**params, "assignee": staff[params["assignee"]]}
                perform_action(session, dossier, user=staff[who], action=action, params=ActionParams(**params))
        except DomainError:
            continue  # e.g. the centre may not receive this procedure: skip, the rest still seeds
        created.append(dossier)
    return created


def seed_demo_dossiers(session: Session) -> list[Dossier]:
    """Create the demo dossiers once; returns those created."""
    if session.scalar(select(Dossier.id).where(Dossier.note == DEMO_NOTE).limit(1)) is not None:
        return []
    users = {name: find_user(session, name)
             for name in ("motcua", "chuyenvien", "lanhdao", "vanthu", "motcua.xa", "motcua.chilang")}
    if any(users[n] is None for n in ("motcua", "chuyenvien", "lanhdao", "vanthu")):
        return []
    centre = _role_agency(users["motcua"], "counter_officer")
    dept = _role_agency(users["chuyenvien"], "specialist")
    if centre is None or dept is None:
        return []
    justice = {"counter": users["motcua"], "head": users["lanhdao"], "specialist": users["chuyenvien"],
               "clerk": users["vanthu"]}
    justice_procedures = demo_procedures(session, dept)
    created = _play(session, JUSTICE, procedures=justice_procedures[:PROCEDURES_PER_AGENCY], agency=dept,
                    receiving_unit=centre, counter=users["motcua"], staff=justice)

    # Other departments: received at the centre, waiting for their head (no demo accounts there).
    others = session.scalars(
        select(Agency).where(Agency.kind == AgencyKind.department.value, Agency.id != dept.id,
                             Agency.dissolved_on.is_(None), Agency.valid_to.is_(None)).order_by(Agency.code)
    )
    taken = 0
    for other in others:
        if taken == OTHER_DEPARTMENTS:
            break
        procedures = [p for p in demo_procedures(session, other) if procedure_time_limit(p).known]
        made = _play(session, DEPARTMENTS[taken:taken + 1], procedures=procedures, agency=other,
                     receiving_unit=centre, counter=users["motcua"], staff={})
        taken += bool(made)
        created += made

    # Communes: each officer receives, appraises, approves, issues and returns for the commune.
    for n, (username, scenarios) in enumerate((("motcua.xa", FIRST_COMMUNE), ("motcua.chilang", SECOND_COMMUNE))):
        commune = _role_agency(users[username], "counter_officer")
        if commune is None:
            continue
        staff = dict.fromkeys(("counter", "head", "specialist", "clerk"), users[username])
        # The second commune takes the next procedures: more kinds of dossier in the demo.
        procedures = demo_procedures(session, commune)[n * PROCEDURES_PER_AGENCY:(n + 1) * PROCEDURES_PER_AGENCY]
        created += _play(session, scenarios, procedures=procedures, agency=commune,
                         receiving_unit=commune, counter=users[username], staff=staff)

    # A cross-boundary receipt at a commune, when the catalogue flags one of the department's procedures.
    commune = _role_agency(users["motcua.xa"], "counter_officer")
    cross = [p for p in justice_procedures if p.cross_boundary]
    if commune is not None and cross:
        created += _play(session, [(8, "accepted", [])], procedures=cross, agency=dept, receiving_unit=commune,
                         counter=users["motcua.xa"], staff={})
    session.flush()
    return created


def seed_demo(session: Session) -> None:
    """Demo dossiers (registry convention: motcua.domains)."""
    seed_demo_dossiers(session)
