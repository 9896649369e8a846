"""Import the seed procedure catalogue (seed 003)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from motcua.catalog.importer import import_catalog
from motcua.catalog.legal import load_legal_seed
from motcua.core.config import seeds_dir

log = logging.getLogger("motcua.catalog")

CATALOG_SEED = seeds_dir() / "003_63ef3d5cf247435b.txt"


def seed_catalog(session: Session, path: Path) -> None:
    """Idempotent: a second run creates nothing. Quiet: the report goes to the log only."""
    if not Path(path).exists():
        log.warning("catalogue seed %s not found; catalogue left empty", path)
        return
    report = import_catalog(session, Path(path))
    log.info(
        "catalogue: %s rows, %s procedures created, %s agency applications created",
        report.rows_read,
        report.procedures_created,
        report.agency_links_created,
    )


def seed_reference(session: Session) -> None:
    """The seed procedure catalogue and its legal content (registry convention: motcua.domains)."""
    seed_catalog(session, CATALOG_SEED)
    report = load_legal_seed(session)
    log.info(
        "legal content: %s lines, %s matched, %s procedures changed",
        report.lines_read,
        len(report.matched),
        len(report.procedures_changed),
    )
