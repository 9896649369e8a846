"""The linking rules of shared/reference/dvcqg.md §8, on both backends: by TechID, by the
identifier of the account's type after confirmation, else a new account; refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from motcua.citizens import service
from motcua.citizens.enums import AccountType
from motcua.citizens.models import Citizen, CitizenLinkRequest
from motcua.core import clock
from motcua.integrations.vneid.login import AccountKind, NationalIdentity


def business(**overrides) -> NationalIdentity:
    values = {"sub": "dn-1", "tech_id": "TECH-DN-1", "kind": AccountKind.business, "full_name": "Lương Văn Cường",
              "tax_code": "4900123456", "business_code": "4900123456",
              "business_name": "Công ty TNHH Thương mại Hữu Nghị"}
    return NationalIdentity(**values | overrides)


def person(**overrides) -> NationalIdentity:
    values = {"sub": "cd-1", "tech_id": "TECH-CD-1", "kind": AccountKind.citizen, "full_name": "Nguyễn Thị Hoa",
              "id_number": "020190000999"}
    return NationalIdentity(**values | overrides)


def count(db, model=Citizen) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_business_links_by_tax_code_only_with_an_account_of_its_type(db):
    # A citizen whose ID number happens to equal the tax code is not a candidate.
    db.add(Citizen(account_type=AccountType.citizen, full_name="Trùng số", id_number="4900123456"))
    local = Citizen(account_type=AccountType.business, full_name="", business_name="Hữu Nghị (cũ)",
                    tax_code="4900123456")
    db.add(local)
    db.flush()

    outcome = service.sign_in_with_national_identity(db, business())

    assert outcome.citizen is None and outcome.link_request.citizen_id == local.id
    assert (outcome.link_request.matched_by, service.matched_identifier(outcome.link_request)) == (
        "MaSoThue", ("Mã số thuế", "490****456"))
    linked = service.confirm_link(db, str(outcome.link_request.id))
    assert (linked.id, linked.tech_id, linked.business_name) == (
        local.id, "TECH-DN-1", "Công ty TNHH Thương mại Hữu Nghị")


def test_old_identity_card_number_links_too(db):
    local = Citizen(account_type=AccountType.citizen, full_name="Nguyễn Thị Hoa", old_id_number="082000111")
    db.add(local)
    db.flush()
    outcome = service.sign_in_with_national_identity(db, person(old_id_number="082000111"))
    assert (outcome.link_request.citizen_id, outcome.link_request.matched_by) == (local.id, "SoCMND")


def test_an_identifier_held_by_another_national_account_is_refused(db):
    db.add(Citizen(account_type=AccountType.citizen, full_name="Nguyễn Thị Hoa", id_number="020190000999",
                   tech_id="TECH-KHAC"))
    db.flush()
    with pytest.raises(service.LinkRefused, match="Số định danh cá nhân của bạn đã gắn với một tài khoản khác"):
        service.sign_in_with_national_identity(db, person())
    assert (count(db), count(db, CitizenLinkRequest)) == (1, 0)


@pytest.mark.parametrize(("identity", "message"), [
    (person(tech_id=None), "không có mã định danh tài khoản (TechID)"),
    (person(kind=None), "không cho biết là tài khoản công dân hay tổ chức"),
    (person(id_number=None), "không có Số định danh cá nhân hoặc Số chứng minh nhân dân"),
    (business(tax_code=None, business_code=None), "không có Mã số thuế hoặc Mã số doanh nghiệp"),
])
def test_incomplete_identities_are_refused(db, identity, message):
    with pytest.raises(service.NationalIdentityIncomplete) as refused:
        service.sign_in_with_national_identity(db, identity)
    assert message in refused.value.message
    assert count(db) == 0


def test_a_link_request_expires_and_is_used_once(db):
    db.add(Citizen(account_type=AccountType.citizen, full_name="Nguyễn Thị Hoa", id_number="020190000999"))
    db.flush()
    first = service.sign_in_with_national_identity(db, person()).link_request
    with clock.frozen(clock.now() + service.LINK_TTL + timedelta(seconds=1)), \
            pytest.raises(service.LinkExpired):
        service.confirm_link(db, str(first.id))
    second = service.sign_in_with_national_identity(db, person()).link_request
    service.confirm_link(db, str(second.id))
    with pytest.raises(service.LinkExpired):
        service.confirm_link(db, str(second.id))
    with pytest.raises(service.LinkExpired):
        service.confirm_link(db, "khong-phai-uuid")


def test_session_stamp_ends_with_the_national_link(db):
    citizen = service.sign_in_with_national_identity(db, person()).citizen
    stamp = service.session_stamp(citizen)
    assert service.load_session_citizen(db, str(citizen.id), stamp) is citizen
    citizen.tech_id = "TECH-MOI"
    assert service.load_session_citizen(db, str(citizen.id), stamp) is None


@pytest.mark.parametrize(("value", "shown"), [
    ("020190000123", "020******123"), ("082123456", "082***456"), ("12345", "1***5"), ("12", "**"), (None, "")])
def test_mask_identifier(value, shown):
    assert service.mask_identifier(value) == shown
