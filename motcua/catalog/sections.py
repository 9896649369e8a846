"""Sections other domains add to the procedure page (`/thu-tuc/{code}`) without catalog
importing them (the dependency points one way, as with `dossiers.sections`): e.g. the
province's own online service adds "Nộp trực tuyến" to the procedures it offers. A domain
registers its section in the module serving what the section links to, so the section is on
the page exactly when those routes are mounted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from motcua.catalog.models import Procedure


@dataclass(frozen=True)
class ProcedureSection:
    name: str  # registering a name again replaces its section
    template: str  # included with `section` = what `load` returned (nothing when it is empty)
    load: Callable[[Session, Procedure], Any]


_PROCEDURE_SECTIONS: dict[str, ProcedureSection] = {}


def register_procedure_section(section: ProcedureSection) -> None:
    _PROCEDURE_SECTIONS[section.name] = section


def procedure_sections(session: Session, procedure: Procedure) -> list[tuple[str, Any]]:
    """(template, data) of every registered section with something to show, in order."""
    loaded = ((s.template, s.load(session, procedure)) for s in _PROCEDURE_SECTIONS.values())
    return [(template, data) for template, data in loaded if data]
