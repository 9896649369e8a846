"""Canonical fields: one sector, one name as officials write it, the seed's spellings kept
as aliases that still find it (data/fields.json)."""

import pytest
from sqlalchemy import func, select

from motcua.catalog.fields import (
    apply_canonical_fields,
    canonical_fields,
    field_code_for,
    fields_by_any_code,
    find_field,
)
from motcua.catalog.models import Field, FieldAlias, Procedure
from motcua.catalog.search import SearchFilters, search_procedures
from motcua.catalog.service import fold_name, get_procedure_by_code, resolve_filters

ALIASES = [(alias, spec["code"]) for spec in canonical_fields() for alias in spec["aliases"]]


def test_seeded_fields_are_the_canonical_list(db):
    fields = db.scalars(select(Field)).all()
    assert len(fields) == len(canonical_fields()) == 141
    assert sum(1 for f in fields if f.national_code) == 117
    for field in fields:
        folded = fold_name(field.name)
        # the seed's typos are fixed; names are the sector's, not "Lĩnh vực …"
        assert "linh dau" not in folded and "the nan" not in folded, field.name
        assert not folded.startswith("linh "), field.name
    # Only the two procedures of seed 003's damaged stretch (rows 1714–1715) have no field: the
    # seed lost it there, and the row above belongs to another sector (catalog/parser.py).
    without = db.scalars(select(Procedure.name).where(Procedure.field_id.is_(None)).order_by(Procedure.name)).all()
    assert [name[:40] for name in without] == [
        "Quyết định quản lý cai nghiện ma túy tự ",
        "Thủ tục xác nhận đơn đề nghị di chuyển h",
    ]


def test_parallel_spellings_are_one_field(db):
    labour = find_field(db, "Lĩnh vực Lao động - Thương binh và Xã hội")
    assert labour is not None and labour.name == "Lao động - Thương binh và Xã hội"
    assert find_field(db, "Lĩnh vực Lao động - Thương binh, Xã hội").id == labour.id
    farming = find_field(db, "Lĩnh vực Nông nghiệp và PTNT")
    assert farming.name == "Nông nghiệp và Phát triển nông thôn"
    assert find_field(db, "Lĩnh vực Nông nghiệp và Phát triển nông thôn").id == farming.id
    assert find_field(db, "Lĩnh Dầu khí").name == "Dầu khí"
    evils = find_field(db, "Lĩnh vực phòng chống thệ nạn xã hội")
    assert (evils.name, evils.national_code) == ("Phòng, chống tệ nạn xã hội", "G07-LĐ10")
    # a procedure group entered as a field belongs to its sector
    assert find_field(db, "Cấp giấy phép xây dựng").name == "Hoạt động xây dựng"


@pytest.mark.parametrize(("alias", "code"), ALIASES, ids=[a for a, _ in ALIASES])
def test_each_alias_finds_its_canonical_field(db, alias, code):
    assert find_field(db, alias).code == code
    assert find_field(db, field_code_for(alias)).code == code  # its old code too


def test_filters_accept_old_and_national_codes(db):
    canonical = resolve_filters(db, field="lao-dong-thuong-binh-va-xa-hoi")
    for code in ("lao-dong-thuong-binh-xa-hoi", "lao-dong-thuong-binh-va-xa-hoi"):
        assert resolve_filters(db, field=code).field_id == canonical.field_id
    civil = resolve_filters(db, field="G15-TP07").field_id
    assert civil == find_field(db, "ho-tich").id
    extracts = search_procedures(db, SearchFilters(q="trich luc", field_id=civil))
    assert [p.name for p in extracts.items] == ["Cấp bản sao trích lục hộ tịch"]


def test_api_filter_by_an_old_code_lists_the_merged_field(client):
    old = client.get("/api/v1/procedures", params={"field": "lao-dong-thuong-binh-xa-hoi"}).json()
    new = client.get("/api/v1/procedures", params={"field": "lao-dong-thuong-binh-va-xa-hoi"}).json()
    assert old == new and old["total"] == 27
    assert {i["field"]["name"] for i in old["items"]} == {"Lao động - Thương binh và Xã hội"}


def test_applying_again_merges_a_field_made_from_an_old_spelling(db):
    """A database imported before the canonical list: the field of a typo is merged."""
    legacy = Field(code="phong-chong-the-nan-xa-hoi", name="Lĩnh vực phòng chống thệ nạn xã hội",
                   name_folded="linh vuc phong chong the nan xa hoi")
    db.add(legacy)
    db.flush()
    procedure = get_procedure_by_code(db, "UBA-LSN-254487")
    procedure.field_id = legacy.id
    db.flush()
    apply_canonical_fields(db)
    db.expire_all()
    assert db.get(Field, legacy.id) is None
    assert db.get(Procedure, procedure.id).field_id == find_field(db, "G07-LĐ10").id
    # idempotent: nothing more to do
    before = db.scalar(select(func.count()).select_from(FieldAlias))
    apply_canonical_fields(db)
    assert db.scalar(select(func.count()).select_from(FieldAlias)) == before


def test_record_files_may_name_a_field_by_an_old_or_national_code(db):
    from_codes = fields_by_any_code(db)
    labour = find_field(db, "lao-dong-thuong-binh-va-xa-hoi")
    assert from_codes["lao-dong-thuong-binh-xa-hoi"] is labour
    assert from_codes["G07-LĐ10"].name == "Phòng, chống tệ nạn xã hội"
