"""Demo data only: a few procedures on the province's own online list, so that `./run.sh`
shows "Nộp trực tuyến" and the online form. Chosen from the catalogue as it is (never
changing what it says): in force, marked online, implemented by a provincial agency today,
with components, and without a confirmed national code (the national portal is then the
more likely place for it). A real installation lists its procedures on /quan-tri/nop-truc-tuyen."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from motcua.catalog.applications import current_applications
from motcua.catalog.models import DossierComponentSpec, NationalCode, Procedure
from motcua.eservice.models import OnlineService
from motcua.eservice.offers import ONLINE_LEVELS

DEMO_COUNT = 3
DEMO_BASIS = "Dữ liệu minh hoạ (demo): danh mục thủ tục nộp trực tuyến trên Cổng dịch vụ công của tỉnh"


def seed_demo(session: Session) -> None:
    """Idempotent: nothing is added once any demo entry exists."""
    if session.scalar(select(OnlineService.id).where(OnlineService.basis == DEMO_BASIS).limit(1)) is not None:
        return
    candidates = session.scalars(
        select(Procedure).where(
            Procedure.status == "in_force", Procedure.online_level.in_(ONLINE_LEVELS), Procedure.level == "province",
            exists().where(DossierComponentSpec.procedure_id == Procedure.id),
            ~exists().where(NationalCode.procedure_id == Procedure.id),
            ~exists().where(OnlineService.procedure_id == Procedure.id))
        .order_by(Procedure.time_limit_days.is_(None), Procedure.code).limit(50)).all()
    with_agency = {app.procedure_id for app in current_applications(session, [p.id for p in candidates])}
    for procedure in [p for p in candidates if p.id in with_agency][:DEMO_COUNT]:
        session.add(OnlineService(procedure_id=procedure.id, basis=DEMO_BASIS, added_by="demo"))
    session.flush()
