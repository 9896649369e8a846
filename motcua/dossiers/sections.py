"""Sections that other domains add to the dossier page, without dossiers importing them.

Dependencies point one way: a domain built on dossiers (documents: the forms a dossier can
print) imports dossiers, never the reverse. To show something on the dossier page it
registers a `PageSection`: a template, included in the page, and a loader called with the
session and the dossier while the page's data is loaded (templates trigger no queries).
The template sees the page's context (`d`, the dossier) and `section`, the loader's result;
a loader returning something empty shows nothing.

A domain registers its sections at import time of the module that serves what they link to
(documents.routes), so a section is on the page exactly when its routes are mounted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from motcua.dossiers.models import Dossier


@dataclass(frozen=True)
class PageSection:
    name: str  # unique; registering the same name again replaces the section
    template: str  # included in the dossier page with `section` = what `load` returned
    load: Callable[[Session, Dossier], Any]


@dataclass(frozen=True)
class LoadedSection:
    template: str
    data: Any


_SECTIONS: dict[str, PageSection] = {}


def register_section(section: PageSection) -> None:
    _SECTIONS[section.name] = section


def load_sections(session: Session, dossier: Dossier) -> list[LoadedSection]:
    """Every registered section with its data for `dossier`, in registration order; those
    with nothing to show are left out."""
    return load_from(_SECTIONS, session, dossier)


def load_from(registry: dict[str, PageSection], session: Session, dossier: Dossier) -> list[LoadedSection]:
    """The sections of `registry` (another page's own, e.g. the citizen's dossier page) with
    their data for `dossier`, empty ones left out."""
    loaded = []
    for section in registry.values():
        data = section.load(session, dossier)
        if data:
            loaded.append(LoadedSection(section.template, data))
    return loaded
