"""Builders of test data shared by every domain's tests.

- organisation: `agency` (a new one) and `seeded_agencies` (the seeded Lạng Sơn ones);
- users: `user` (roles at any agencies, no password by default: fast) and `account`
  (through the auth service, with a password, to sign in on the pages); `bearer` headers;
- catalogue: `procedure` with its time limit, implementing agencies, components and fees;
- workflow: `process_template` (the default steps of a time limit, or given steps);
- dossiers: `DossierDesk` receives dossiers and moves them into any status through the JSON
  API (`/api/v1`, the stable interface), following `STATUS_PATHS`.

Agencies built here use the fictitious province code H99 so they never collide with seeds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua.auth import service as auth_service
from motcua.auth.models import User, UserRole
from motcua.auth.passwords import hash_password
from motcua.catalog.models import DossierComponentSpec, Fee, Procedure, ProcedureAgency
from motcua.core.clock import LOCAL_TZ
from motcua.core.text import fold
from motcua.dossiers.enums import EXTERNAL_STATUS, DossierStatus
from motcua.dossiers.models import Dossier
from motcua.org import service as org_service
from motcua.org.models import Agency
from motcua.workflow.defaults import StepSpec, default_steps
from motcua.workflow.models import ProcessStep, ProcessTemplate

PASSWORD = "matkhau-dung-1"
S = DossierStatus


def local(y, mo, d, h=9, mi=0) -> datetime:
    """A moment in Vietnam time."""
    return datetime(y, mo, d, h, mi, tzinfo=LOCAL_TZ)


# ------------------------------------------------------------------ organisation


def agency(session: Session, code: str, name: str, *, kind: str = "department", level: str = "province",
           one_stop: bool = False, parent: Agency | None = None) -> Agency:
    a = Agency(code=code, name=name, name_folded=fold(name), kind=kind, level=level, is_one_stop=one_stop,
               parent_id=parent.id if parent else None)
    session.add(a)
    session.flush()
    return a


def seeded_agencies(session: Session) -> SimpleNamespace:
    """Agencies of the seeded organisation (Lạng Sơn), by the names tests use."""
    find = org_service.find_agency_by_name
    return SimpleNamespace(
        province=org_service.get_agency_by_code(session, "000.00.00.H37"),
        centre=find(session, "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"),
        justice=find(session, "Sở Tư pháp"),
        justice_unit=find(session, "Trung tâm Dịch vụ pháp lý nhà nước"),
        finance=find(session, "Sở Tài chính"),
        commune=org_service.list_commune_committees(session, include_historical=False)[0],
    )


# ------------------------------------------------------------------ users


def user(session: Session, username: str, full_name: str, *roles: tuple[str, Agency],
         password: str | None = None) -> User:
    """A user holding each (role, agency) of `roles`; without `password` it cannot sign in
    (no hashing: fast), with one it can."""
    u = User(username=username, full_name=full_name, password_hash=hash_password(password) if password else "!",
             is_active=True)
    u.roles = [UserRole(role=r, agency_id=a.id) for r, a in roles]
    session.add(u)
    session.flush()
    return u


def account(session: Session, username: str, *roles: str, agency: Agency, full_name: str | None = None,
            password: str = PASSWORD) -> User:
    """A staff account made the way an administrator makes one (validated, password hashed)."""
    return auth_service.create_user(session, username=username, password=password,
                                    full_name=full_name or f"Cán bộ {username}", agency=agency, roles=list(roles))


def bearer(session: Session, u: User, name: str = "kiểm thử") -> dict[str, str]:
    """Authorization headers of a fresh API token of `u`."""
    return {"Authorization": f"Bearer {auth_service.issue_token(session, u, name)}"}


# ------------------------------------------------------------------ catalogue and workflow


def procedure(session: Session, code: str, name: str, *, level: str = "province", days: int | None = 5,
              hours: int | None = None, agencies: Iterable[Agency] = (), cross: bool = False,
              components: Sequence[tuple[str, int, int]] = (), fees: Sequence[tuple[str, int]] = ()) -> Procedure:
    """A procedure with its time limit (`days` or `hours`), implementing `agencies`,
    `components` as (name, originals, copies) and `fees` as (name, amount in đồng)."""
    p = Procedure(code=code, name=name, name_folded=fold(name), level=level, time_limit_days=days,
                  time_limit_hours=hours, cross_boundary=cross)
    session.add(p)
    session.flush()
    for a in agencies:
        session.add(ProcedureAgency(procedure_id=p.id, agency_id=a.id, level=a.level))
    for i, (c_name, originals, copies) in enumerate(components, start=1):
        session.add(DossierComponentSpec(procedure_id=p.id, position=i, name=c_name, original_count=originals,
                                         copy_count=copies))
    for i, (f_name, amount) in enumerate(fees, start=1):
        session.add(Fee(procedure_id=p.id, position=i, name=f_name, amount=amount))
    session.flush()
    return p


def process_template(session: Session, proc: Procedure, agency: Agency, steps: Sequence[StepSpec] | None = None,
                     *, name: str | None = None) -> ProcessTemplate:
    """The active process of (`proc`, `agency`): `steps`, or the default ones of its time limit;
    an earlier active version is deactivated, as an edit would."""
    specs = list(steps) if steps is not None else default_steps(proc.time_limit_days, proc.time_limit_hours)
    version = len(session.scalars(select(ProcessTemplate.id).where(
        ProcessTemplate.procedure_id == proc.id, ProcessTemplate.agency_id == agency.id)).all()) + 1
    session.execute(update(ProcessTemplate).where(
        ProcessTemplate.procedure_id == proc.id, ProcessTemplate.agency_id == agency.id).values(active=False))
    template = ProcessTemplate(procedure_id=proc.id, procedure_code=proc.code, agency_id=agency.id,
                               version=version, active=True, name=name or f"Quy trình nội bộ: {proc.name}",
                               is_default=steps is None)
    template.steps = [
        ProcessStep(position=s.position, kind=s.kind, name=s.name, role=s.role, unit_id=None,
                    allotment_hours=Decimal(s.allotment_hours), actions=list(s.actions),
                    parallel_group=s.parallel_group)
        for s in specs
    ]
    session.add(template)
    session.flush()
    return template


# ------------------------------------------------------------------ dossiers through the API


@dataclass(frozen=True)
class Move:
    """One API action on the way to a status: who does it and with what body."""

    action: str
    who: str
    body: dict = field(default_factory=dict)


RESULT_NUMBER = "15/QĐ-STP"
# The receipt outcome and the moves (default process: receive → assign → appraise → approve
# → issue → return) that bring a dossier into each status. `submitted_online` has no path:
# nothing receives into it yet (see `DossierDesk.dossier_in`).
RECEIPT_OUTCOME = {S.incomplete: "incomplete", S.refused_at_receipt: "refused"}
STATUS_PATHS: dict[DossierStatus, tuple[Move, ...]] = {
    S.incomplete: (),
    S.refused_at_receipt: (),
    S.awaiting_assignment: (),
    # Handed on without an assignee, so any specialist of the agency may still claim it.
    S.processing: (Move("forward", "head"),),
    S.awaiting_consultation: (Move("forward", "head"), Move("consult", "specialist", {"agency_code": "@dept2"})),
    S.awaiting_approval: (Move("forward", "head"), Move("forward", "specialist")),
    S.awaiting_result: (Move("forward", "head"), Move("forward", "specialist"), Move("approve", "head")),
    S.result_ready: (Move("forward", "head"), Move("forward", "specialist"), Move("approve", "head"),
                     Move("issue_result", "clerk", {"result_number": RESULT_NUMBER})),
    S.returned: (Move("forward", "head"), Move("forward", "specialist"), Move("approve", "head"),
                 Move("issue_result", "clerk", {"result_number": RESULT_NUMBER}), Move("return_result", "counter")),
    S.supplement_requested: (Move("request_supplement", "head", {"missing_items": ["Bản sao giấy khai sinh"]}),),
    S.payment_requested: (Move("forward", "head"), Move("request_payment", "specialist", {"amount": 200000})),
    S.refused: (Move("forward", "head"), Move("refuse", "head", {"note": "Không đủ điều kiện cấp"})),
    S.withdrawn: (Move("withdraw", "counter", {"note": "Công dân có đơn xin rút hồ sơ"}),),
    S.stopped: (Move("stop", "head", {"note": "Cơ quan dừng xử lý theo quyết định"}),),
}


@dataclass
class DossierDesk:
    """Receive dossiers and act on them through the JSON API as the people of a `World`
    (tests/dossiers/world.py): `headers[name]` is the bearer of `world.<name>`."""

    client: object
    world: object
    headers: dict[str, dict[str, str]]

    def receipt_body(self, outcome: str = "accepted", **extra) -> dict:
        w = self.world
        body = {
            "procedure_code": w.p_dept.code, "agency_code": w.dept.code, "receiving_unit_code": w.centre.code,
            "channel": "counter", "outcome": outcome,
            "applicant": {"kind": "person", "full_name": "Nguyễn Văn An", "id_number": "012345678901",
                          "phone": "0912345678", "email": "an@example.vn", "address": "Số 1 Lê Lợi"},
            "components": [{"name": "Tờ khai", "kind": "original", "count": 1},
                           {"name": "Bản sao CCCD", "kind": "copy", "count": 1}],
            "fees": 200000,
        }
        if outcome == "incomplete":
            body["missing_items"] = ["Bản sao giấy khai sinh"]
        if outcome == "refused":
            body["refusal_reason"] = "Không thuộc thẩm quyền giải quyết"
        body.update(extra)
        return body

    def receive(self, outcome: str = "accepted", **extra) -> dict:
        response = self.client.post("/api/v1/dossiers", json=self.receipt_body(outcome, **extra),
                                    headers=self.headers["counter"])
        assert response.status_code == 201, response.text
        return response.json()

    def act(self, dossier_id, action: str, who: str, body: dict | None = None):
        body = {k: self._resolve(v) for k, v in (body or {}).items()}
        return self.client.post(f"/api/v1/dossiers/{dossier_id}/actions/{action}", json=body,
                                headers=self.headers[who])

    def _resolve(self, value):
        # "@dept2" in a body stands for the code of world.dept2 (paths are data, the world is not).
        if isinstance(value, str) and value.startswith("@"):
            return getattr(self.world, value[1:]).code
        return value

    def dossier_in(self, status: DossierStatus | str, session: Session | None = None, **receipt) -> dict:
        """A dossier received at the counter (`receipt`: fields of the receipt's body to
        change, e.g. `applicant`) and moved into `status`; `submitted_online`, which no
        receipt produces yet, is an accepted dossier set to that status (needs `session`)."""
        status = S(status)
        if status == S.submitted_online:
            dossier = self.receive(**receipt)
            session.execute(update(Dossier).where(Dossier.id == uuid.UUID(dossier["id"])).values(
                status=status.value, external_status=int(EXTERNAL_STATUS[status])))
            session.expire_all()
            return self.read(dossier["id"])
        dossier = self.receive(RECEIPT_OUTCOME.get(status, "accepted"), **receipt)
        for move in STATUS_PATHS[status]:
            response = self.act(dossier["id"], move.action, move.who, move.body)
            assert response.status_code == 200, (move, response.text)
            dossier = response.json()
        assert dossier["status"] == status, (status, dossier["status"])
        return dossier

    def read(self, dossier_id, who: str = "admin") -> dict:
        response = self.client.get(f"/api/v1/dossiers/{dossier_id}", headers=self.headers[who])
        assert response.status_code == 200, response.text
        return response.json()

    def events(self, dossier_id, who: str = "admin") -> list[dict]:
        response = self.client.get(f"/api/v1/dossiers/{dossier_id}/events", headers=self.headers[who])
        assert response.status_code == 200, response.text
        return response.json()
