"""Rules of the organisation domain: lookups, hierarchy, reorganisation, admin edits.

Services take the session first and keyword arguments, never commit, and raise DomainErrors
with Vietnamese messages. The organisation sits below auth (users belong to agencies), so
an edit does not ask who may make it: the caller hands in `authorize`, the check of
`auth.policies.ensure_may_edit_agency` bound to its actor; none means the system itself
(seed, CLI operator).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from motcua.core.clock import now, to_local
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import fold_words, nfc
from motcua.org.enums import AgencyKind, AgencyLevel, UnitKind
from motcua.org.models import AdministrativeUnit, Agency, AgencyAlias, QmsRolloutUnit

# QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2 (e.g. 000.00.00.H37).
CODE_PATTERN = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
# Anything that could be (part of) a code; other text is never sent to the database as a code.
_CODE_CHARS = re.compile(r"^[0-9A-Z.]{1,20}$")
MAX_PAGE_SIZE = 200

_LEVEL_ORDER = case(
    {AgencyLevel.province.value: 0, AgencyLevel.district.value: 1, AgencyLevel.commune.value: 2},
    value=Agency.level,
    else_=3,
)


def name_key(text: str | None) -> str:
    """Accent-, case- and punctuation-insensitive key of a name; "Ủy ban nhân dân" = "UBND"."""
    key = " ".join(fold_words(text))
    return re.sub(r"\buy ban nhan dan\b", "ubnd", key)


def today() -> date:
    return to_local(now()).date()


def normalise_code(code: str | None) -> str:
    """Upper-cased, without spaces; "" when the text cannot be an agency code at all."""
    value = (nfc(code) or "").replace(" ", "").upper()
    return value if _CODE_CHARS.match(value) else ""


def validate_code(code: str | None) -> str:
    value = normalise_code(code)
    if not CODE_PATTERN.match(value):
        raise InvalidInput(
            f"Mã cơ quan “{code or ''}” không đúng định dạng QCVN 102 (ví dụ 000.00.00.H37)."
        )
    return value


def is_current(agency: Agency, on: date | None = None) -> bool:
    on = on or today()
    if agency.dissolved_on is not None and agency.dissolved_on <= on:
        return False
    if agency.valid_to is not None and agency.valid_to < on:
        return False
    return agency.valid_from is None or agency.valid_from <= on


def agency_current_clause(on: date):
    return and_(
        or_(Agency.dissolved_on.is_(None), Agency.dissolved_on > on),
        or_(Agency.valid_to.is_(None), Agency.valid_to >= on),
        or_(Agency.valid_from.is_(None), Agency.valid_from <= on),
    )


def _unit_current_clause(on: date):
    return and_(
        or_(AdministrativeUnit.valid_to.is_(None), AdministrativeUnit.valid_to >= on),
        or_(AdministrativeUnit.valid_from.is_(None), AdministrativeUnit.valid_from <= on),
    )


def _with_relations(stmt):
    return stmt.options(
        selectinload(Agency.parent),
        selectinload(Agency.successor),
        selectinload(Agency.admin_unit),
    )


# ---------------------------------------------------------------- lookups


def get_agency(session: Session, agency_id: uuid.UUID) -> Agency:
    agency = session.scalar(_with_relations(select(Agency).where(Agency.id == agency_id)))
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan.")
    return agency


def get_agency_by_code(session: Session, code: str) -> Agency:
    """The agency with this QCVN 102 code, dissolved ones included."""
    value = normalise_code(code)
    agency = session.scalar(_with_relations(select(Agency).where(Agency.code == value))) if value else None
    if agency is None:
        raise NotFound(f"Không tìm thấy cơ quan có mã “{code}”.")
    return agency


def find_agency_by_name(session: Session, name: str) -> Agency | None:
    """By name (accent/case/punctuation-insensitive, current agencies first) or by alias."""
    key = name_key(name)
    if not key:
        return None
    candidates = session.scalars(
        _with_relations(select(Agency).where(Agency.name_folded == key)).order_by(Agency.code)
    ).all()
    if candidates:
        current = [a for a in candidates if is_current(a)]
        return (current or list(candidates))[0]
    return session.scalar(
        _with_relations(
            select(Agency).join(AgencyAlias, AgencyAlias.agency_id == Agency.id).where(
                AgencyAlias.alias_folded == key
            )
        )
    )


def aliases_of(session: Session, agency: Agency) -> list[str]:
    return list(
        session.scalars(
            select(AgencyAlias.alias).where(AgencyAlias.agency_id == agency.id).order_by(AgencyAlias.alias)
        )
    )


def add_alias(session: Session, agency: Agency, alias: str) -> AgencyAlias | None:
    """Record another name of `agency`; None when the name is already its own or taken."""
    alias = nfc(alias) or ""
    key = name_key(alias)
    if not key or key == agency.name_folded:
        return None
    existing = session.scalar(select(AgencyAlias).where(AgencyAlias.alias_folded == key))
    if existing is not None:
        if existing.agency_id != agency.id:
            raise Conflict(f"Tên gọi khác “{alias}” đã dùng cho một cơ quan khác.")
        return None
    row = AgencyAlias(agency_id=agency.id, alias=alias, alias_folded=key)
    session.add(row)
    session.flush()
    return row


def list_district_committees(session: Session) -> list[Agency]:
    """The district People's Committees (the 11 historical ones of Lạng Sơn)."""
    return list(
        session.scalars(
            _with_relations(select(Agency).where(Agency.kind == AgencyKind.district_committee)).order_by(
                Agency.code
            )
        )
    )


def list_commune_committees(session: Session, *, include_historical: bool = True) -> list[Agency]:
    stmt = select(Agency).where(Agency.kind == AgencyKind.commune_committee)
    if not include_historical:
        stmt = stmt.where(agency_current_clause(today()))
    return list(session.scalars(_with_relations(stmt).order_by(Agency.code)))


def list_one_stop_agencies(session: Session, *, include_historical: bool = False) -> list[Agency]:
    stmt = select(Agency).where(Agency.is_one_stop.is_(True))
    if not include_historical:
        stmt = stmt.where(agency_current_clause(today()))
    return list(session.scalars(_with_relations(stmt).order_by(_LEVEL_ORDER, Agency.code)))


def current_successor(session: Session, agency: Agency) -> Agency:
    """Who handles `agency`'s affairs now: follows the merge chain (itself when not merged)."""
    seen = {agency.id}
    current = agency
    while current.successor_id is not None and current.successor_id not in seen:
        seen.add(current.successor_id)
        current = session.get(Agency, current.successor_id)  # type: ignore[assignment]
    return current


def children_of(session: Session, agency: Agency) -> list[Agency]:
    return list(
        session.scalars(
            _with_relations(select(Agency).where(Agency.parent_id == agency.id)).order_by(Agency.code)
        )
    )


def predecessors_of(session: Session, agency: Agency) -> list[Agency]:
    return list(
        session.scalars(
            _with_relations(select(Agency).where(Agency.successor_id == agency.id)).order_by(Agency.code)
        )
    )


def qms_rollout_of(session: Session, agency: Agency) -> list[QmsRolloutUnit]:
    return list(
        session.scalars(
            select(QmsRolloutUnit).where(QmsRolloutUnit.agency_id == agency.id).order_by(QmsRolloutUnit.source_row)
        )
    )


@dataclass
class AgencyPage:
    items: list[Agency]
    total: int
    page: int
    page_size: int


def _parse_choice(value: str | None, enum, label: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return enum(value).value
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(f"{label} “{value}” không hợp lệ. Giá trị hợp lệ: {allowed}.") from None


def search_agencies(
    session: Session,
    *,
    q: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    include_historical: bool = False,
    parent_code: str | None = None,
    one_stop: bool | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AgencyPage:
    """Agencies matching the filters, ordered by level then code, one page of them."""
    if page < 1:
        raise InvalidInput("Số trang phải từ 1 trở lên.")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"Số dòng mỗi trang phải từ 1 đến {MAX_PAGE_SIZE}.")
    level = _parse_choice(level, AgencyLevel, "Cấp")
    kind = _parse_choice(kind, AgencyKind, "Loại cơ quan")
    conditions = []
    if level:
        conditions.append(Agency.level == level)
    if kind:
        conditions.append(Agency.kind == kind)
    if one_stop is not None:
        conditions.append(Agency.is_one_stop.is_(one_stop))
    if not include_historical:
        conditions.append(agency_current_clause(today()))
    if parent_code:
        parent = get_agency_by_code(session, parent_code)
        conditions.append(Agency.parent_id == parent.id)
    if q and q.strip():
        text = nfc(q) or ""
        code = normalise_code(text)
        words = name_key(text).split()[:10]
        word_conditions = [
            or_(
                Agency.name_folded.like(f"%{word}%"),
                Agency.id.in_(select(AgencyAlias.agency_id).where(AgencyAlias.alias_folded.like(f"%{word}%"))),
            )
            for word in words
        ]
        alternatives = []
        if word_conditions:
            alternatives.append(and_(*word_conditions))
        if "." in code:
            alternatives.append(Agency.code.like(f"{code}%"))
        if not alternatives:
            conditions.append(Agency.id.is_(None))
        else:
            conditions.append(or_(*alternatives))
    base = select(Agency).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    items = session.scalars(
        _with_relations(base)
        .order_by(_LEVEL_ORDER, Agency.code)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return AgencyPage(items=list(items), total=total, page=page, page_size=page_size)


def list_units(
    session: Session, *, kind: str | None = None, include_historical: bool = False, parent_code: str | None = None
) -> list[AdministrativeUnit]:
    kind = _parse_choice(kind, UnitKind, "Loại đơn vị hành chính")
    stmt = select(AdministrativeUnit).options(selectinload(AdministrativeUnit.parent))
    if kind:
        stmt = stmt.where(AdministrativeUnit.kind == kind)
    if not include_historical:
        stmt = stmt.where(_unit_current_clause(today()))
    if parent_code:
        value = parent_code.strip()
        if not re.fullmatch(r"[0-9]{1,16}", value):
            raise InvalidInput(f"Mã đơn vị hành chính “{parent_code}” không hợp lệ (chỉ gồm chữ số).")
        parents = select(AdministrativeUnit.id).where(AdministrativeUnit.code == value)
        stmt = stmt.where(AdministrativeUnit.parent_id.in_(parents))
    order = case(
        {"province": 0, "district": 1},
        value=AdministrativeUnit.kind,
        else_=2,
    )
    return list(session.scalars(stmt.order_by(order, AdministrativeUnit.code, AdministrativeUnit.valid_from)))


# ---------------------------------------------------------------- changes


# authorize(agency, name_only) raises Forbidden when the edit is not allowed; name_only is
# False when the edit touches the code, the note or the agency's existence.
Authorize = Callable[[Agency, bool], None]


def _system(agency: Agency, name_only: bool) -> None:
    """The system itself (seed, CLI operator) may make every edit."""


def update_agency(
    session: Session,
    agency: Agency,
    *,
    authorize: Authorize = _system,
    code: str | None = None,
    code_official: bool | None = None,
    name: str | None = None,
    short_name: str | None = None,
    note: str | None = None,
) -> Agency:
    """Administrator edit. A province administrator may change anything; an agency
    administrator only the name (and short name) of its own agency. Changing a provisional
    code keeps it provisional unless `code_official=True` (the administrator says the code
    was officially assigned)."""
    new_code = validate_code(code) if code is not None and normalise_code(code) != agency.code else None
    new_name = nfc(name) if name is not None else None
    if name is not None and not new_name:
        raise InvalidInput("Tên cơ quan không được để trống.")
    if new_name is not None and len(new_name) > 255:
        raise InvalidInput("Tên cơ quan dài quá 255 ký tự.")
    new_short = nfc(short_name) if short_name is not None else None
    if new_short is not None and len(new_short) > 100:
        raise InvalidInput("Tên viết tắt dài quá 100 ký tự.")
    touches_code = new_code is not None or (code_official is not None and code_official == agency.code_provisional)
    authorize(agency, not (touches_code or note is not None))
    if new_code is not None:
        other = session.scalar(select(Agency).where(Agency.code == new_code, Agency.id != agency.id))
        if other is not None:
            raise Conflict(f"Mã {new_code} đã được dùng cho “{other.name}”.")
        agency.code = new_code
    if code_official is not None:
        agency.code_provisional = not code_official
    if new_name is not None and new_name != agency.name:
        old_name = agency.name
        agency.name = new_name
        agency.name_folded = name_key(new_name)
        # the old name stays findable
        if name_key(old_name) != agency.name_folded and session.scalar(
            select(AgencyAlias.id).where(AgencyAlias.alias_folded == name_key(old_name))
        ) is None:
            session.add(AgencyAlias(agency_id=agency.id, alias=old_name, alias_folded=name_key(old_name)))
    if short_name is not None:
        agency.short_name = new_short or None
    if note is not None:
        agency.note = nfc(note) or None
    session.flush()
    return agency


# name → listener(session, agency, actor_id), called by `dissolve_agency` once the agency is
# marked dissolved, in the same transaction. Domains above org that keep something per agency
# (the quality domain hands the agency's ISO system to its successor) register themselves here:
# org imports none of them. A name registered again replaces its listener.
DissolvedListener = Callable[[Session, Agency, "uuid.UUID | None"], None]
_DISSOLVED_LISTENERS: dict[str, DissolvedListener] = {}


def on_dissolved(name: str, listener: DissolvedListener) -> None:
    """Call `listener` after every dissolution or merger recorded from now on, in its
    transaction (it may add rows; an exception it raises undoes the dissolution)."""
    _DISSOLVED_LISTENERS[name] = listener


def dissolve_agency(
    session: Session,
    agency: Agency,
    *,
    on: date,
    successor: Agency | None,
    authorize: Authorize = _system,
    note: str | None = None,
    actor_id: uuid.UUID | None = None,
    listeners: bool = True,
) -> Agency:
    """Dissolve `agency` on `on` (its last day is the day before), optionally merging it into
    `successor`. The row stays: codes, dossiers and users attached to it remain findable.
    `actor_id`: the user who recorded it (none: the system), handed to the listeners.
    `listeners=False`: the org seed, which loads the reorganisation as data before the domains
    that listen have rows of their own (each of them seeds from the data it left)."""
    authorize(agency, False)
    if agency.dissolved_on is not None:
        raise Conflict(f"Cơ quan “{agency.name}” đã giải thể/sáp nhập từ ngày {agency.dissolved_on:%d/%m/%Y}.")
    if agency.valid_from is not None and on <= agency.valid_from:
        raise InvalidInput(f"Ngày giải thể phải sau ngày thành lập ({agency.valid_from:%d/%m/%Y}).")
    if agency.code == "000.00.00.H37":
        raise InvalidInput("Không thể giải thể UBND tỉnh.")
    if successor is not None:
        if successor.id == agency.id:
            raise InvalidInput("Cơ quan không thể sáp nhập vào chính nó.")
        if current_successor(session, successor).id == agency.id:
            raise InvalidInput("Sáp nhập này tạo thành vòng lặp giữa các cơ quan.")
        if successor.dissolved_on is not None and successor.dissolved_on <= on:
            raise InvalidInput(
                f"Cơ quan kế thừa “{successor.name}” đã giải thể từ ngày {successor.dissolved_on:%d/%m/%Y}."
            )
        agency.successor_id = successor.id
    agency.dissolved_on = on
    agency.valid_to = on - timedelta(days=1)
    if note:
        agency.note = nfc(note)
    session.flush()
    for listener in _DISSOLVED_LISTENERS.values() if listeners else ():
        listener(session, agency, actor_id)
    return agency
