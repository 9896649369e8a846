"""Units with ISO systems, their quality secretaries and the Department's, for the audit,
legal-change, objective and report tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.org.models import Agency
from motcua.quality import legal_changes
from motcua.quality.models import QualityUnit
from tests import factories


@dataclass
class QualityWorld:
    dept_agency: Agency  # Sở Khoa học và Công nghệ (seeded)
    a: Agency
    b: Agency
    c: Agency  # implements the procedure, has no quality unit
    unit_a: QualityUnit
    unit_b: QualityUnit
    sec_a: User
    sec_b: User
    sec_dept: User
    head_a: User


def unit(session: Session, agency: Agency, *, stage: str = "maintain", standard: str = "iso_9001_2015",
         announced=None) -> QualityUnit:
    u = QualityUnit(agency_id=agency.id, standard=standard, stage=stage, announcement_date=announced,
                    announcement_number="12/QĐ-ISO" if announced else None)
    session.add(u)
    session.flush()
    return u


def with_email(session: Session, user: User, email: str) -> User:
    user.email = email
    session.flush()
    return user


def build(session: Session, *, suffix: str = "") -> QualityWorld:
    s = suffix
    dept_agency = session.scalars(select(Agency).where(Agency.seed_key == "so-khcn")).one()
    a = factories.agency(session, f"Q00.01.00.H99{s}", "Sở Xây dựng thử ISO")
    b = factories.agency(session, f"Q00.02.00.H99{s}", "UBND xã Thử ISO", kind="commune_committee", level="commune")
    c = factories.agency(session, f"Q00.03.00.H99{s}", "UBND xã Chưa ISO", kind="commune_committee", level="commune")
    # Existing installations and the seed are the starting point: nothing before this is a change.
    legal_changes.baseline(session)
    return QualityWorld(
        dept_agency, a, b, c, unit(session, a), unit(session, b, stage="apply"),
        sec_a=with_email(session, factories.user(session, f"q_thuky_a{s}", "Nguyễn Thị Thư Ký",
                                                 ("quality_secretary", a)), "thuky.a@example.vn"),
        sec_b=with_email(session, factories.user(session, f"q_thuky_b{s}", "Trần Văn Xã",
                                                 ("quality_secretary", b)), "thuky.b@example.vn"),
        sec_dept=with_email(session, factories.user(session, f"q_khcn{s}", "Lê Thị Khoa Học",
                                                    ("quality_secretary", dept_agency)), "iso@khcn.example.vn"),
        head_a=factories.user(session, f"q_lanhdao_a{s}", "Phạm Văn Lãnh Đạo", ("head", a)),
    )
