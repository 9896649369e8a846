"""Sections other domains add to the citizen's dossier page (`/cong-dan/ho-so/{code}`) without
citizens importing them (ratings comes after citizens: it adds its «Đánh giá» link here). Same
shape as the staff dossier page's `dossiers.sections`: a `PageSection` whose template sees the
page's context (`d`, the dossier) and `section`, what its loader returned."""

from __future__ import annotations

from sqlalchemy.orm import Session

from motcua.dossiers.models import Dossier
from motcua.dossiers.sections import LoadedSection, PageSection, load_from

_SECTIONS: dict[str, PageSection] = {}


def register_citizen_section(section: PageSection) -> None:
    _SECTIONS[section.name] = section


def citizen_sections(session: Session, dossier: Dossier) -> list[LoadedSection]:
    return load_from(_SECTIONS, session, dossier)
