"""«Hồ sơ của tôi»: a citizen signed in through the national login simulator sees every dossier
filed under their ID number (counter, post, national portal), newest first, each with its
timeline; another person's dossier and its files answer 404; result files once issued."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from motcua.catalog.service import get_procedure_by_code
from motcua.core.clock import frozen
from motcua.dossiers.models import DossierResult
from motcua.dossiers.service import ActionParams, ApplicantData, perform_action
from motcua.dossiers.service.online import register_online
from tests.citizens.test_login import national_login, national_login_env, settings  # noqa: F401  (fixtures)
from tests.documents.conftest import PROCEDURE
from tests.integrations.vneid.fixtures import CITIZEN

AN = "020190000123"  # the simulator's Nguyễn Văn An
OTHER = "020185000456"
PDF_BYTES = b"%PDF-1.4\n% ket qua\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def applicant(id_number: str, name: str = "Nguyễn Văn An") -> ApplicantData:
    return ApplicantData(kind="person", full_name=name, id_number=id_number, phone="0912345678")


@pytest.fixture
def dossiers(db, org, receive):
    """Three of An's dossiers by three channels, a day apart, and one of someone else."""
    with frozen(datetime(2026, 11, 23, 2, 0, tzinfo=UTC)):
        counter = receive(applicant=applicant(AN))
    with frozen(datetime(2026, 11, 24, 2, 0, tzinfo=UTC)):
        post = receive(applicant=applicant(AN), channel="post")
    with frozen(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)):
        online = register_online(db, code="G22.99-261125-0001", procedure=get_procedure_by_code(db, PROCEDURE),
                                 agency=org.justice, receiving_unit=org.centre, applicant=applicant(AN),
                                 components=[], submitted_at=None)
        other = receive(applicant=applicant(OTHER, "Hoàng Thị Bình"))
    db.commit()
    return {"counter": counter, "post": post, "online": online, "other": other}


def test_my_dossiers_lists_every_channel_newest_first_and_only_mine(client, vneid, dossiers):
    assert client.get("/cong-dan/ho-so", follow_redirects=False).headers["location"] == "/cong-dan/dang-nhap"
    national_login(client, vneid, CITIZEN)

    page = client.get("/cong-dan/ho-so")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    codes = [d.code for d in (dossiers["online"], dossiers["post"], dossiers["counter"])]
    positions = [page.text.index(code) for code in codes]
    assert positions == sorted(positions)  # newest first
    assert dossiers["other"].code not in page.text
    assert "Mới đăng ký" in page.text and "Được tiếp nhận" in page.text
    assert 'href="/cong-dan/ho-so"' in client.get("/cong-dan/tai-khoan").text


def test_my_dossier_shows_the_timeline_and_another_persons_is_404(client, db, vneid, dossiers, staff):
    mine, theirs = dossiers["counter"], dossiers["other"]
    perform_action(db, mine, user=staff.head, action="assign", params=ActionParams(assignee=staff.specialist))
    perform_action(db, mine, user=staff.specialist, action="request_supplement",
                   params=ActionParams(missing_items=["Bản sao giấy khai sinh"], note="Bản sao mờ"))
    db.commit()
    national_login(client, vneid, CITIZEN)

    page = client.get(f"/cong-dan/ho-so/{mine.code.lower()}")  # the code in any case

    assert page.status_code == 200
    assert "Giấy tờ cần bổ sung" in page.text and "Bản sao giấy khai sinh" in page.text
    assert "Yêu cầu bổ sung hồ sơ" in page.text and "Bản sao mờ" in page.text
    assert 'id="ket-qua"' not in page.text  # no result yet
    assert "Hoàng Văn Chuyên" not in page.text  # the specialist who asked is not named
    refused = client.get(f"/cong-dan/ho-so/{theirs.code}")
    unknown = client.get("/cong-dan/ho-so/000.00.20.H37-991231-9999")
    assert refused.status_code == unknown.status_code == 404
    assert "Không tìm thấy hồ sơ." in refused.text and "Không tìm thấy hồ sơ." in unknown.text
    assert "Hoàng Thị Bình" not in refused.text


def test_result_files_are_the_applicants_once_issued_and_nobody_elses(client, db, vneid, dossiers, staff, walk):
    mine, theirs = dossiers["counter"], dossiers["other"]
    files = {}
    for name, dossier in (("mine", mine), ("theirs", theirs)):
        walk(dossier, "awaiting_result")
        perform_action(db, dossier, user=staff.clerk, action="issue_result", params=ActionParams(
            result_number="15/QĐ-STP", file_content=PDF_BYTES, file_name="trich-luc.pdf",
            storage_root=client.app.state.settings.storage_dir))
        files[name] = db.scalar(select(DossierResult.attachment_id).where(DossierResult.dossier_id == dossier.id))
    db.commit()
    url = f"/cong-dan/ho-so/{mine.code}/ket-qua/{files['mine']}"
    assert client.get(url).status_code == 404  # not signed in
    national_login(client, vneid, CITIZEN)

    page = client.get(f"/cong-dan/ho-so/{mine.code}")
    assert "Kết quả giải quyết" in page.text and url in page.text and "trich-luc.pdf" in page.text
    download = client.get(url)
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert download.headers["content-disposition"].startswith("attachment")
    # another person's file, through their dossier or through mine
    assert client.get(f"/cong-dan/ho-so/{theirs.code}/ket-qua/{files['theirs']}").status_code == 404
    assert client.get(f"/cong-dan/ho-so/{mine.code}/ket-qua/{files['theirs']}").status_code == 404
