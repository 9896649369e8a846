"""Demo data of the online channel, so that `./run.sh` shows it working (issue 11 item 7):

- `map_exact_names`: the procedures in force whose name is exactly (accent-folded) the name of
  one national procedure in the simulator's catalogue get that code, confirmed as demo data —
  the demo dossiers of those procedures are then synced to the simulator by the worker. A real
  installation confirms its codes on the mapping page instead (docs/dvcqg.md).
- `demo_submissions`: citizens' online submissions of mapped procedures addressed to the
  provincial centre, in the national record shape the simulator accepts at `POST /_sim/dossiers`
  (`motcua dvcqg demo-submit`, run by ./run.sh when it starts the simulator): the worker's
  inbound job then brings them into the online queue with status 1.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.catalog.applications import current_applications
from motcua.catalog.enums import ProcedureStatus
from motcua.catalog.models import NationalCode, Procedure
from motcua.core.clock import local_now
from motcua.core.errors import DomainError
from motcua.core.text import fold
from motcua.dossiers.service.receive import check_receiving_unit
from motcua.integrations.dvcqg.simulator import DEFAULT_CATALOG
from motcua.org.models import Agency

DEMO_CONFIRMER = "demo (tên trùng khớp)"
# A one-page PDF: the demo's submitted form.
DEMO_PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").decode()
APPLICANTS = (
    ("Nông Thị Hạnh", "020190004321", "0912000111", "phường Đông Kinh, tỉnh Lạng Sơn"),
    ("Hoàng Văn Sơn", "020188006789", "0987000222", "xã Chi Lăng, tỉnh Lạng Sơn"),
    ("Lương Thị Mai", "020195001122", "0975000333", "phường Lương Văn Tri, tỉnh Lạng Sơn"),
)


def _national_names(catalog: Path) -> dict[str, tuple[str, str]]:
    """Folded name → (code, name) of the national procedures whose name is unique."""
    seen: dict[str, list[tuple[str, str]]] = {}
    for line in catalog.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            seen.setdefault(fold(record["name"]), []).append((record["code"], record["name"]))
    return {name: found[0] for name, found in seen.items() if len(found) == 1}


def map_exact_names(session: Session, catalog: Path = DEFAULT_CATALOG) -> int:
    """Confirm, as demo data, the national code of every unmapped procedure in force whose name
    is exactly one national name; returns how many were mapped."""
    national = _national_names(catalog)
    mapped = set(session.scalars(select(NationalCode.procedure_id)))
    added = 0
    for procedure in session.scalars(select(Procedure).where(Procedure.status == ProcedureStatus.in_force.value)):
        found = national.get(procedure.name_folded)
        if found is None or procedure.id in mapped:
            continue
        session.add(NationalCode(procedure_id=procedure.id, national_code=found[0], national_name=found[1],
                                 confirmed_by=DEMO_CONFIRMER))
        added += 1
    session.flush()
    return added


def demo_submissions(session: Session, receiving_unit: Agency, *, count: int) -> list[dict]:
    """`count` submissions of mapped procedures `receiving_unit` may receive, one per procedure;
    those whose time limit the catalogue holds with its basis first (their appointment at
    acceptance comes from the catalogue, as it would for a real dossier)."""
    rows = session.execute(
        select(NationalCode.national_code, Procedure).join(Procedure, Procedure.id == NationalCode.procedure_id)
        .where(Procedure.status == ProcedureStatus.in_force.value)
        .order_by(Procedure.time_limit_basis.is_(None), Procedure.code)
    ).all()
    stamp = local_now().strftime("%Y%m%d%H%M%S")
    records: list[dict] = []
    fields: set = set()  # one procedure per field: the queue shows several departments' work
    for national_code, procedure in rows:
        if len(records) == count:
            break
        if procedure.field_id in fields:
            continue
        receivable = False
        for application in current_applications(session, [procedure.id]):
            try:
                check_receiving_unit(session, procedure=procedure, agency=application.agency,
                                     receiving_unit=receiving_unit)
            except DomainError:
                continue
            receivable = True
            break
        if not receivable:
            continue
        fields.add(procedure.field_id)
        name, id_number, phone, address = APPLICANTS[len(records) % len(APPLICANTS)]
        records.append({
            "MaTTHC": national_code, "MaDonViTiepNhan": receiving_unit.code, "ChuHoSo": name,
            "LoaiDoiTuong": "1", "SoGiayToChuHoSo": id_number, "SoDienThoai": phone, "DiaChi": address,
            "Email": "", "TrichYeuHoSo": procedure.name[:1000], "NgayNopHoSo": stamp,
            "ThanhPhanHoSo": [{"TenThanhPhanHoSo": "Đơn, tờ khai theo mẫu", "SoLuong": "1",
                               "TaiLieuNop": [{"TepDinhKemId": f"DEMO-{len(records) + 1}",
                                               "TenTepDinhKem": "to-khai.pdf", "NoiDungTep": DEMO_PDF}]}],
        })
    return records
