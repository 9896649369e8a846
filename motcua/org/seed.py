"""Seed the organisation: current units, seed-era historical units, agencies.

Idempotent: units are found again by (code, valid_from), agencies by `seed_key`, aliases by
their folded text, appendix-II rows by their row number; nothing existing is overwritten, so
an administrator's edits (names, codes) survive a re-seed.

Provisional QCVN 102 codes (`code_provisional=True`) are derived from a fixed order — the
order of `data/provincial_agencies.json`, GSO codes for districts and communes — so a fresh
install always gets the same codes:

- level 2, under UBND tỉnh `000.00.00.H37`: provincial agencies `000.00.01..39.H37` (file order),
  other units directly under the province `000.00.40..49.H37`, the 11 historical district
  committees `000.00.50..60.H37` (GSO order);
- level 3, under a level-2 unit `000.00.YY.H37`: `000.ZZ.YY.H37` — sub-departments and public
  service units of a department (file order); district offices `01..19` and the district's
  historical commune committees from `21` (GSO order);
- the 65 current commune committees (directly under the province since 01/07/2025; two
  digits cannot hold 100+ level-2 units) use the reserved block `000.ZZ.90.H37`, ZZ in GSO order.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward
from vietnam_provinces import __data_version__ as VP_DATA_VERSION
from vietnam_provinces import __version__ as VP_VERSION

from motcua.core.text import nfc
from motcua.org.appendix import AppendixUnit, load_appendix_ii
from motcua.org.enums import AgencyKind, AgencyLevel, UnitKind
from motcua.org.models import AdministrativeUnit, Agency, AgencyAlias, QmsRolloutUnit
from motcua.org.service import dissolve_agency, find_agency_by_name, name_key

DATA = Path(__file__).resolve().parent / "data"
PROVINCE_GSO = "20"
PROVINCE_SUFFIX = "H37"
PROVINCE_COMMITTEE_CODE = "000.00.00.H37"
REFORM_DAY = date(2025, 7, 1)  # two-level local government
LAST_DAY_OLD = date(2025, 6, 30)
COMMUNE_BLOCK = 90

# Offices of a district People's Committee in the seed era (ND 37/2014, ND 108/2020).
DISTRICT_OFFICES_COMMON = [
    ("van-phong", "Văn phòng HĐND và UBND"),
    ("noi-vu", "Phòng Nội vụ"),
    ("tu-phap", "Phòng Tư pháp"),
    ("tai-chinh-ke-hoach", "Phòng Tài chính - Kế hoạch"),
    ("tai-nguyen-moi-truong", "Phòng Tài nguyên và Môi trường"),
    ("lao-dong", "Phòng Lao động - Thương binh và Xã hội"),
    ("van-hoa-thong-tin", "Phòng Văn hóa và Thông tin"),
    ("giao-duc", "Phòng Giáo dục và Đào tạo"),
    ("y-te", "Phòng Y tế"),
    ("thanh-tra", "Thanh tra"),
]
DISTRICT_OFFICES_RURAL = [
    ("kinh-te-ha-tang", "Phòng Kinh tế và Hạ tầng"),
    ("nong-nghiep", "Phòng Nông nghiệp và Phát triển nông thôn"),
    ("dan-toc", "Phòng Dân tộc"),
]
DISTRICT_OFFICES_CITY = [
    ("kinh-te", "Phòng Kinh tế"),
    ("quan-ly-do-thi", "Phòng Quản lý đô thị"),
]
FIRST_COMMUNE_SEQ = 21


def _code(level3: int, level2: int, level4: int = 0) -> str:
    return f"{level4:03d}.{level3:02d}.{level2:02d}.{PROVINCE_SUFFIX}"


def _level2_of(code: str) -> int:
    return int(code.split(".")[2])


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass
class _Seeder:
    session: Session
    units: dict[tuple[str, date | None], AdministrativeUnit] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    alias_keys: set[str] = field(default_factory=set)
    level3_seq: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit in self.session.scalars(select(AdministrativeUnit)):
            self.units[(unit.code, unit.valid_from)] = unit
        for agency in self.session.scalars(select(Agency)):
            self.codes.add(agency.code)
            if agency.seed_key:
                self.agencies[agency.seed_key] = agency
        self.alias_keys = set(self.session.scalars(select(AgencyAlias.alias_folded)))

    # -- units
    def unit(
        self,
        *,
        code: str,
        name: str,
        kind: UnitKind,
        parent: AdministrativeUnit | None,
        valid_from: date | None,
        valid_to: date | None,
        source: str,
    ) -> AdministrativeUnit:
        existing = self.units.get((code, valid_from))
        if existing is not None:
            return existing
        name = nfc(name) or name
        unit = AdministrativeUnit(
            code=code,
            name=name,
            name_folded=name_key(name),
            kind=kind.value,
            parent_id=parent.id if parent else None,
            valid_from=valid_from,
            valid_to=valid_to,
            source=source,
        )
        self.session.add(unit)
        self.session.flush()
        self.units[(code, valid_from)] = unit
        return unit

    # -- agencies
    def free_code(self, code: str) -> str:
        """`code`, or the first free one with a higher V1V2V3 part when an admin took it."""
        level4, rest = code.split(".", 1)
        n = int(level4)
        while code in self.codes:
            n += 1
            code = f"{n:03d}.{rest}"
        return code

    def agency(
        self,
        key: str,
        *,
        code: str,
        name: str,
        kind: AgencyKind,
        level: AgencyLevel,
        parent: Agency | None,
        unit: AdministrativeUnit | None,
        provisional: bool = True,
        short_name: str | None = None,
        is_one_stop: bool = False,
        valid_from: date | None = None,
        valid_to: date | None = None,
        dissolved_on: date | None = None,
        note: str | None = None,
        aliases: list[str] | tuple[str, ...] = (),
    ) -> Agency:
        agency = self.agencies.get(key)
        if agency is None:
            name = nfc(name) or name
            code = self.free_code(code)
            agency = Agency(
                seed_key=key,
                code=code,
                code_provisional=provisional,
                name=name,
                name_folded=name_key(name),
                short_name=short_name,
                kind=kind.value,
                level=level.value,
                parent_id=parent.id if parent else None,
                admin_unit_id=unit.id if unit else None,
                is_one_stop=is_one_stop,
                valid_from=valid_from,
                valid_to=valid_to,
                dissolved_on=dissolved_on,
                note=note,
            )
            self.session.add(agency)
            self.session.flush()
            self.agencies[key] = agency
            self.codes.add(code)
        for alias in aliases:
            self.alias(agency, alias)
        return agency

    def alias(self, agency: Agency, alias: str) -> None:
        alias = nfc(alias) or ""
        key = name_key(alias)
        if not key or key == agency.name_folded or key in self.alias_keys:
            return
        self.session.add(AgencyAlias(agency_id=agency.id, alias=alias, alias_folded=key))
        self.alias_keys.add(key)

    def next_level3(self, parent: Agency, start: int = 1) -> str:
        seq = max(self.level3_seq.get(parent.code, 0) + 1, start)
        self.level3_seq[parent.code] = seq
        return _code(seq, _level2_of(parent.code))


def _commune_kind(name: str) -> UnitKind:
    if name.startswith("Phường "):
        return UnitKind.ward
    if name.startswith("Đặc khu "):
        return UnitKind.special_zone
    return UnitKind.commune


def _committee_name(unit_name: str) -> str:
    """"Xã Thất Khê" → "UBND xã Thất Khê"; "Thành phố Lạng Sơn" → "UBND thành phố Lạng Sơn"."""
    return f"UBND {_lower_first(unit_name)}"


def seed_organisation(session: Session) -> None:
    """Idempotent: a second run adds nothing and changes nothing."""
    seeder = _Seeder(session)
    old = _load("lang_son_2020.json")
    structure = _load("provincial_agencies.json")
    reorg = _load("reorganisation_2025.json")
    if date.fromisoformat(reorg["districts_dissolved_on"]) != REFORM_DAY:
        raise ValueError("reorganisation_2025.json: districts_dissolved_on must match REFORM_DAY")

    # 1. the province and its committee
    province = seeder.unit(
        code=PROVINCE_GSO,
        name="Tỉnh Lạng Sơn",
        kind=UnitKind.province,
        parent=None,
        valid_from=None,
        valid_to=None,
        source=f"vietnam-provinces {VP_VERSION}",
    )
    top = structure["province_committee"]
    committee = seeder.agency(
        top["key"],
        code=top["code"],
        provisional=False,
        name=top["name"],
        kind=AgencyKind.provincial_committee,
        level=AgencyLevel.province,
        parent=None,
        unit=province,
        aliases=top.get("aliases", ()),
    )
    seeder.level3_seq.setdefault(committee.code, 0)

    # 2. provincial agencies (level 2, file order)
    for index, item in enumerate(structure["provincial_agencies"], start=1):
        seeder.agency(
            item["key"],
            code=_code(0, index),
            name=item["name"],
            kind=AgencyKind(item["kind"]),
            level=AgencyLevel.province,
            parent=committee,
            unit=province,
            short_name=item.get("short_name"),
            is_one_stop=item.get("is_one_stop", False),
            valid_from=date.fromisoformat(item["valid_from"]) if item.get("valid_from") else None,
            note=item.get("note"),
            aliases=item.get("aliases", ()),
        )

    # 3. seed-era districts, their offices and communes (historical)
    old_source = "vietnam-provinces 0.6.0 (trước 01/07/2025)"
    districts: dict[str, tuple[AdministrativeUnit, Agency]] = {}
    for index, item in enumerate(old["districts"]):
        district = seeder.unit(
            code=item["code"],
            name=item["name"],
            kind=UnitKind.district,
            parent=province,
            valid_from=None,
            valid_to=LAST_DAY_OLD,
            source=old_source,
        )
        dcommittee = seeder.agency(
            f"district-{item['code']}",
            code=_code(0, 50 + index),
            name=_committee_name(item["name"]),
            kind=AgencyKind.district_committee,
            level=AgencyLevel.district,
            parent=committee,
            unit=district,
            is_one_stop=True,
            valid_to=LAST_DAY_OLD,
            dissolved_on=REFORM_DAY,
            note=reorg["districts_note"],
        )
        districts[item["code"]] = (district, dcommittee)
        place = _lower_first(item["name"])  # "huyện Cao Lộc", "thành phố Lạng Sơn"
        offices = DISTRICT_OFFICES_COMMON + (
            DISTRICT_OFFICES_CITY if item["kind"] == "thành phố" else DISTRICT_OFFICES_RURAL
        )
        for seq, (office_key, office_name) in enumerate(offices, start=1):
            seeder.agency(
                f"district-{item['code']}-{office_key}",
                code=_code(seq, _level2_of(dcommittee.code)),
                name=f"{office_name} {place}",
                kind=AgencyKind.district_office,
                level=AgencyLevel.district,
                parent=dcommittee,
                unit=district,
                valid_to=LAST_DAY_OLD,
                dissolved_on=REFORM_DAY,
            )
        for seq, commune in enumerate(item["communes"], start=FIRST_COMMUNE_SEQ):
            cunit = seeder.unit(
                code=commune["code"],
                name=commune["name"],
                kind=_commune_kind(commune["name"]),
                parent=district,
                valid_from=None,
                valid_to=LAST_DAY_OLD,
                source=old_source,
            )
            cname = _committee_name(commune["name"])
            seeder.agency(
                f"commune-{commune['code']}-old",
                code=_code(seq, _level2_of(dcommittee.code)),
                name=cname,
                kind=AgencyKind.commune_committee,
                level=AgencyLevel.commune,
                parent=dcommittee,
                unit=cunit,
                is_one_stop=True,
                valid_to=LAST_DAY_OLD,
                dissolved_on=REFORM_DAY,
                aliases=[f"{cname}, {place}"],
            )

    # 4. current communes and wards (vietnam-provinces 2025), directly under the province
    new_source = f"vietnam-provinces {VP_VERSION} (dữ liệu {VP_DATA_VERSION})"
    wards = sorted(Ward.iter_by_province(ProvinceCode(int(PROVINCE_GSO))), key=lambda w: int(w.code))
    for seq, ward in enumerate(wards, start=1):
        code = f"{int(ward.code):05d}"
        kind = {
            VietNamDivisionType.PHUONG: UnitKind.ward,
            VietNamDivisionType.DAC_KHU: UnitKind.special_zone,
        }.get(ward.division_type, UnitKind.commune)
        wunit = seeder.unit(
            code=code,
            name=ward.name,
            kind=kind,
            parent=province,
            valid_from=REFORM_DAY,
            valid_to=None,
            source=new_source,
        )
        seeder.agency(
            f"commune-{code}",
            code=_code(seq, COMMUNE_BLOCK),
            name=_committee_name(ward.name),
            kind=AgencyKind.commune_committee,
            level=AgencyLevel.commune,
            parent=committee,
            unit=wunit,
            is_one_stop=True,
            valid_from=REFORM_DAY,
        )

    # 5. sub-departments and public service units (level 3 under their parent; file order)
    level2_other = 40
    for item in structure["sub_departments"] + structure["public_service_units"]:
        parent = seeder.agencies[item["parent"]]
        unit = districts[item["district"]][0] if item.get("district") else province
        if parent.id == committee.id:
            code = _code(0, level2_other)
            level2_other += 1
        else:
            code = seeder.next_level3(parent)
        seeder.agency(
            item["key"],
            code=code,
            name=item["name"],
            kind=AgencyKind(item["kind"]),
            level=AgencyLevel.province,
            parent=parent,
            unit=unit,
            short_name=item.get("short_name"),
            note=item.get("note"),
            aliases=item.get("aliases", ()),
        )
    session.flush()

    # 6. the 2025 reorganisation, as data
    for merge in reorg["merges"]:
        agency = seeder.agencies[merge["agency"]]
        if agency.dissolved_on is None:
            dissolve_agency(
                session,
                agency,
                on=date.fromisoformat(merge["on"]),
                successor=seeder.agencies[merge["successor"]],
                note=merge.get("note"),
                listeners=False,  # data: the domains above seed from it (quality hands these over)
            )

    # Units of a dissolved parent move to the department that took over their work (their
    # codes stay: a code identifies the unit, not its place in the tree).
    for move in reorg.get("reparent", ()):
        unit, parent = seeder.agencies[move["agency"]], seeder.agencies[move["parent"]]
        if unit.parent_id != parent.id and unit.dissolved_on is None:
            old_parent = session.get(Agency, unit.parent_id) if unit.parent_id else None
            unit.parent_id = parent.id
            if old_parent is not None:
                moved = f"Trực thuộc {old_parent.name} đến {date.fromisoformat(move['on']):%d/%m/%Y}; {move['note']}."
                unit.note = f"{unit.note} {moved}" if unit.note else moved

    # 7. appendix II of seed 000: the 119 ISO 9001 units
    seed_qms_rollout(session, seeder=seeder, committee=committee)
    session.flush()


def seed_qms_rollout(
    session: Session, *, seeder: _Seeder | None = None, committee: Agency | None = None, units: list[AppendixUnit] | None = None
) -> None:
    seeder = seeder or _Seeder(session)
    committee = committee or seeder.agencies["ubnd-tinh"]
    existing = {row.source_row for row in session.scalars(select(QmsRolloutUnit))}
    for item in units if units is not None else load_appendix_ii():
        if item.row in existing:
            continue
        agency = find_agency_by_name(session, item.name)
        if agency is None:
            # not in our structure: keep it as an agency rather than drop the row
            agency = seeder.agency(
                f"appendix-{item.row}",
                code=_code(0, 0, 100 + len(seeder.agencies)),
                name=item.name,
                kind=AgencyKind.other,
                level=AgencyLevel.province,
                parent=committee,
                unit=None,
                note="Tạo từ Phụ lục II Kế hoạch 71/KH-UBND ngày 05/4/2018.",
            )
        session.add(
            QmsRolloutUnit(
                agency_id=agency.id,
                group_name=f"{item.group_numeral}. {item.group_name}",
                year=item.year,
                source_row=item.row,
                source_name=item.name,
            )
        )
    session.flush()


def agency_id_by_seed_key(session: Session, key: str) -> uuid.UUID | None:
    return session.scalar(select(Agency.id).where(Agency.seed_key == key))


def seed_reference(session: Session) -> None:
    """Agencies, administrative units and the ISO rollout (registry convention: motcua.domains)."""
    seed_organisation(session)
