"""«Hồ sơ của tôi»: the dossiers of a signed-in citizen, whatever the channel they came by.

A dossier is the citizen's when its applicant ID number is one of the identifiers the
national identity vouches for on this account (dossiers.tracking does the reading). Only a
linked account (with its TechID: the session requires it) has verified identifiers; an
identifier stored on an unlinked account proves nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from motcua.citizens.enums import AccountType
from motcua.citizens.models import Citizen
from motcua.citizens.service import IDENTIFIERS
from motcua.dossiers import tracking
from motcua.dossiers.identity import normal_id_number
from motcua.dossiers.models import Dossier, DossierAttachment
from motcua.dossiers.queries import Page

PAGE_SIZE = 20


def verified_identifiers(citizen: Citizen) -> set[str]:
    """The account's identifiers from the national identity, written as dossiers store an
    applicant's ID number (dossiers.identity); none for an account not linked yet."""
    if citizen.tech_id is None:
        return set()
    columns = [column for column, _attribute, _name in IDENTIFIERS[citizen.type]]
    if citizen.type is AccountType.citizen:
        columns.append("passport")
    kind = "person" if citizen.type is AccountType.citizen else "organisation"
    found = set()
    for column in columns:
        value = getattr(citizen, column)
        if not value:
            continue
        try:
            found.add(normal_id_number(value, kind))
        except ValueError:  # a value of another shape cannot be on a dossier either
            continue
    return found


def my_dossiers(session: Session, citizen: Citizen, *, page: int = 1) -> Page:
    return tracking.dossiers_of_applicant(session, verified_identifiers(citizen), page=page, page_size=PAGE_SIZE)


def my_dossier(session: Session, citizen: Citizen, code: str) -> Dossier:
    """The citizen's dossier with this code; NotFound for any other (another person's too)."""
    return tracking.dossier_of_applicant(session, verified_identifiers(citizen), code)


def my_result_files(session: Session, dossier: Dossier) -> list[DossierAttachment]:
    return tracking.result_files(session, dossier)


def my_result_file(session: Session, citizen: Citizen, code: str, attachment_id: uuid.UUID, *,
                   storage_root: Path | None) -> tuple[DossierAttachment, bytes]:
    dossier = my_dossier(session, citizen, code)
    return tracking.read_result_file(session, dossier, attachment_id, storage_root=storage_root)
