"""A periodic job of `motcua worker`, declared by a domain in its `jobs.py` as `JOBS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Job:
    """`run` gets the sessionmaker, not a session: it reads in a read unit of work and writes
    in short write ones, so on SQLite it holds the write lock only while it writes."""

    name: str
    every_seconds: int
    run: Callable[[sessionmaker[Session]], str]
