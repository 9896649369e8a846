"""Periodic jobs of the documents domain (run by `motcua worker`)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from motcua.core.config import get_settings
from motcua.core.db import session_scope
from motcua.core.jobs import Job
from motcua.documents.book import run_book_files


def book_files(factory: sessionmaker[Session]) -> str:
    # run_book_files commits after each claim and each part read, so no transaction stays
    # open while a part is laid out.
    with session_scope(factory) as session:
        printed = run_book_files(session, settings=get_settings())
    return f"in {len(printed)} tệp sổ theo dõi hồ sơ"


# Whole tracking-book files at every tick: the clerk waits for the link.
JOBS = [Job("book-files", 1, book_files)]
