"""Local online submission through the pages, on both backends: the procedure page and the
list offer it, the form is built from the catalogue's components, the applicant is declared
once (account + population lookup, logged with the citizen as the one who asked), bad uploads
and a missing required component are refused with nothing written, drafts are saved and
resumed, and the submission lands in the online queue (status 1), where the counter accepts it
like a national online dossier."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from motcua.auth.roles import Role
from motcua.dossiers.enums import Channel, DossierStatus
from motcua.dossiers.models import Dossier, DossierAttachment, DossierComponent, DossierEvent
from motcua.dossiers.storage import path_for
from motcua.eservice.models import OnlineDraft, OnlineDraftFile, OnlineSubmission
from motcua.eservice.service import draft_dir
from motcua.population.models import PopulationLookup
from tests import factories
from tests.eservice.support import JPEG, MAX_BYTES, PDF, PNG, docx, input_name, sign_in
from tests.html_forms import csrf_from, form_fields, signed_in
from tests.integrations.vneid.fixtures import CITIZEN_2

BASE = "/cong-dan/nop-truc-tuyen"
QUEUE = "/quay/truc-tuyen"


def start(client, online) -> str:
    """Press «Bắt đầu khai hồ sơ» on the start page; the draft's URL."""
    page = client.get(f"{BASE}/thu-tuc/{online.procedure.code}")
    assert page.status_code == 200
    response = client.post(f"{BASE}/thu-tuc/{online.procedure.code}", data={"csrf_token": csrf_from(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def post(client, url: str, action: str, files: dict | None = None, **fields):
    """Press «Lưu nháp» (luu) or «Nộp hồ sơ» (nop) with what the page shows, `fields` typed
    over it and `files` chosen."""
    shown = {k: v for k, v in form_fields(client.get(url).text, url).items() if not k.startswith("tp_")}
    return client.post(url, data={**shown, **fields, "action": action}, files=files or {}, follow_redirects=False)


def draft_of(db) -> OnlineDraft:
    db.expire_all()
    return db.scalars(select(OnlineDraft)).one()


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_the_procedure_page_and_the_list_offer_it(client, db, online):
    page = client.get(f"/thu-tuc/{online.procedure.code}")
    assert "Nộp trực tuyến" in page.text and f'href="{BASE}/thu-tuc/{online.procedure.code}"' in page.text
    other = client.get(f"/thu-tuc/{online.world.p_cross.code}")  # not on the list
    assert other.status_code == 200 and f"{BASE}/thu-tuc/" not in other.text
    listed = client.get(BASE)
    assert listed.status_code == 200 and online.procedure.name in listed.text
    assert online.world.p_cross.name not in listed.text
    refused = client.get(f"{BASE}/thu-tuc/{online.world.p_cross.code}")
    assert refused.status_code == 404 and "không được nộp trực tuyến trên Cổng dịch vụ công của tỉnh" in refused.text
    # Listed, but the catalogue no longer marks it online: not offered.
    online.procedure.online_level = "none"
    db.commit()
    assert online.procedure.name not in client.get(BASE).text
    assert client.get(f"{BASE}/thu-tuc/{online.procedure.code}").status_code == 409


def test_a_citizen_must_sign_in_to_start(client, online):
    page = client.get(f"{BASE}/thu-tuc/{online.procedure.code}")
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID) để nộp" in page.text
    token = csrf_from(client.get("/dang-nhap").text)  # the page has no form without a citizen
    response = client.post(f"{BASE}/thu-tuc/{online.procedure.code}", data={"csrf_token": token},
                           follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/cong-dan/dang-nhap")
    assert count(client.app.state.sessionmaker(), OnlineDraft) == 0


def test_form_is_built_from_the_components_and_prefilled_once(client, db, vneid, lgsp_env, online):
    sign_in(client, vneid)
    start_page = client.get(f"{BASE}/thu-tuc/{online.procedure.code}")
    assert "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp" in start_page.text and "bắt buộc" in start_page.text

    form = client.get(start(client, online))
    assert form.status_code == 200
    # One upload per component, in the catalogue's order, labelled with its name.
    labels = re.findall(r'<label for="(tp_[0-9a-f]+)">([^<]+)</label>', form.text)
    assert labels == [(input_name(online.declaration), "1. Tờ khai yêu cầu cấp phiếu lý lịch tư pháp (bắt buộc)"),
                      (input_name(online.id_copy), "2. Bản sao căn cước (bắt buộc)"),
                      (input_name(online.photo), "3. Ảnh chân dung")]
    assert form.text.count('type="file"') == 3 and 'enctype="multipart/form-data"' in form.text
    assert "Bản chính: 1." in form.text and "Trường hợp yêu cầu cấp phiếu số 2" in form.text
    # Declared once: the national identity's name and number, birth and residence from the lookup.
    assert "Nguyễn Văn An" in form.text and "020190000123" in form.text and "15/02/1990" in form.text
    assert 'name="full_name"' not in form.text and 'name="id_number"' not in form.text
    assert 'value="Số 5 đường Trần Đăng Ninh, Phường Đông Kinh, Lạng Sơn"' in form.text
    assert 'value="0912345678"' in form.text and 'value="an.nguyen@example.vn"' in form.text  # from the account
    assert online.world.centre.name in form.text  # the receiving one-stop section
    # The lookup: sent once, for the citizen's own number, logged with the citizen as the one who asked.
    [sent] = lgsp_env.lookups()
    assert sent["SoDinhDanh"] == "020190000123" and sent["MucDich"] == "Nộp hồ sơ trực tuyến: điền thông tin người nộp"
    [entry] = db.scalars(select(PopulationLookup)).all()
    draft = draft_of(db)
    assert (entry.citizen_id, entry.user_id, entry.user_name, entry.username, entry.purpose, entry.outcome,
            entry.agency_id) == (draft.citizen_id, None, "Nguyễn Văn An", "công dân", "online_prefill", "found",
                                 online.world.centre.id)
    client.get(form.url)  # showing the draft again asks nothing
    assert len(lgsp_env.lookups()) == 1


def test_without_a_population_record_the_citizen_types_the_address(client, db, vneid, lgsp_env, online):
    sign_in(client, vneid, CITIZEN_2)  # Hoàng Thị Bình: not in the simulator's population database
    form = client.get(start(client, online))
    assert form.status_code == 200 and "Chưa lấy được thông tin từ Cơ sở dữ liệu quốc gia về dân cư" in form.text
    assert db.scalars(select(PopulationLookup.outcome)).one() == "not_found"


BAD_UPLOADS = [
    pytest.param("ghi-chu.pdf", b"Day la van ban thuong, khong phai PDF", "không phải PDF, JPEG, PNG hoặc DOCX",
                 id="wrong-type"),
    pytest.param("to-khai.pdf", PNG, "có đuôi “.pdf” nhưng nội dung là ảnh PNG", id="content-not-extension"),
    pytest.param("to-khai.docx", PDF, "có đuôi “.docx” nhưng nội dung là PDF", id="pdf-named-docx"),
    pytest.param("to-khai.pdf", b"", "rỗng (0 byte)", id="empty"),
    pytest.param("to-khai.pdf", PDF + b"0" * MAX_BYTES, "lớn hơn dung lượng cho phép (64 KB mỗi tệp)", id="too-large"),
    pytest.param("bang.tif", b"II*\x00" + b"\x00" * 16, "(nội dung là ảnh TIFF)", id="tiff"),
]


@pytest.mark.parametrize("action", ["luu", "nop"])
@pytest.mark.parametrize(("filename", "content", "message"), BAD_UPLOADS)
def test_a_bad_upload_is_refused_and_nothing_is_written(client, db, vneid, online, settings, action, filename,
                                                       content, message):
    sign_in(client, vneid)
    url = start(client, online)
    before = draft_of(db).applicant
    files = {input_name(online.declaration): (filename, content, "application/pdf"),
             input_name(online.id_copy): ("cccd.jpg", JPEG, "image/jpeg")}  # a good one beside it
    response = post(client, url, action, files, phone="0987 654 321", note="Cấp phiếu số 1")

    assert response.status_code == 422
    assert message in response.text
    assert f'aria-invalid="true" aria-describedby="{input_name(online.declaration)}-error"' in response.text
    assert 'value="0987 654 321"' in response.text and "Cấp phiếu số 1</textarea>" in response.text  # kept
    draft = draft_of(db)
    assert draft.applicant == before and draft.note is None
    assert count(db, OnlineDraftFile) == 0 and count(db, Dossier) == 0
    assert not draft_dir(settings.storage_dir, draft.id).exists()  # not even the good file


def test_a_required_component_missing_is_refused_at_submission(client, db, vneid, online, settings):
    sign_in(client, vneid)
    url = start(client, online)
    response = post(client, url, "nop", {input_name(online.declaration): ("to-khai.pdf", PDF, "application/pdf")},
                    phone="", email="")
    assert response.status_code == 422
    required = "Thành phần bắt buộc: hãy tải lên tệp của giấy tờ này."
    assert f'<p class="field-error" id="{input_name(online.id_copy)}-error">{required}</p>' in response.text
    assert f'id="{input_name(online.photo)}-error"' not in response.text  # optional
    assert f'<a href="#{input_name(online.id_copy)}">Bản sao căn cước</a>: {required}' in response.text  # summary
    # No way to reach the applicant given: refused at the same time.
    assert "Ghi số điện thoại hoặc thư điện tử để cơ quan liên hệ, báo kết quả." in response.text
    assert count(db, Dossier) == 0 and count(db, OnlineDraftFile) == 0
    assert not draft_dir(settings.storage_dir, draft_of(db).id).exists()


def test_a_draft_is_saved_resumed_and_deleted(client, db, vneid, online, settings):
    sign_in(client, vneid)
    url = start(client, online)
    saved = post(client, url, "luu", {input_name(online.declaration): ("to-khai.pdf", PDF, "application/pdf")},
                 address="Số 9 Lê Lợi, Phường Lương Văn Tri, Lạng Sơn", phone="0987654321", email="", note="Cần gấp")
    assert (saved.status_code, saved.headers["location"]) == (303, url)

    resumed = client.get(url)
    assert "Đã lưu hồ sơ nháp" in resumed.text
    assert 'value="Số 9 Lê Lợi, Phường Lương Văn Tri, Lạng Sơn"' in resumed.text and 'value="0987654321"' in resumed.text
    assert "Cần gấp</textarea>" in resumed.text and "Đã tải lên: <strong>to-khai.pdf</strong>" in resumed.text
    draft_id = draft_of(db).id
    [stored] = db.scalars(select(OnlineDraftFile)).all()
    assert (stored.component_id, stored.content_type, stored.size) == (online.declaration.id, "application/pdf",
                                                                       len(PDF))
    assert path_for(stored.sha256, draft_dir(settings.storage_dir, draft_id)).read_bytes() == PDF
    assert f"{BASE}/ban-nhap/{draft_id}" in client.get(BASE).text  # listed among "Hồ sơ nháp của tôi"

    # A new file for the same component replaces it (one upload per component).
    post(client, url, "luu", {input_name(online.declaration): ("to-khai-moi.docx", docx(), "application/msword")},
         phone="0987654321")
    db.expire_all()
    assert [f.filename for f in db.scalars(select(OnlineDraftFile))] == ["to-khai-moi.docx"]

    # Another citizen cannot open it (signing in starts a fresh session).
    sign_in(client, vneid, CITIZEN_2)
    assert client.get(url).status_code == 404
    sign_in(client, vneid)

    deleted = client.post(f"{url}/xoa", data={"csrf_token": csrf_from(client.get(url).text)}, follow_redirects=False)
    assert (deleted.status_code, deleted.headers["location"]) == (303, BASE)
    assert count(db, OnlineDraft) == 0 and count(db, OnlineDraftFile) == 0
    assert not draft_dir(settings.storage_dir, draft_id).exists()
    assert client.get(url).status_code == 404


def test_submission_lands_in_the_online_queue_and_the_counter_accepts_it(client, db, vneid, online, settings):
    world = online.world
    sign_in(client, vneid)
    url = start(client, online)
    post(client, url, "luu", {input_name(online.declaration): ("to-khai.pdf", PDF, "application/pdf")},
         phone="0912345678")
    draft = draft_of(db)
    draft_id, citizen_id = draft.id, draft.citizen_id
    response = post(client, url, "nop", {input_name(online.id_copy): ("cccd.png", PNG, "image/png")},
                    phone="0912345678", email="an.nguyen@example.vn", note="Cấp phiếu số 1")
    assert response.status_code == 303 and response.headers["location"].startswith(f"{BASE}/da-nop/")

    db.expire_all()
    dossier = db.scalars(select(Dossier)).one()
    assert (dossier.status, dossier.external_status, dossier.channel) == (
        DossierStatus.submitted_online, 1, Channel.local_online)
    assert dossier.code.startswith(f"{world.centre.code}-")  # the receiving unit's own numbering
    assert (dossier.agency_id, dossier.receiving_unit_id, dossier.received_by_id) == (
        world.dept.id, world.centre.id, None)
    assert (dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone, dossier.applicant_address,
            dossier.note) == ("Nguyễn Văn An", "020190000123", "0912345678",
                              "Số 5 đường Trần Đăng Ninh, Phường Đông Kinh, Lạng Sơn", "Cấp phiếu số 1")
    components = db.scalars(select(DossierComponent).where(DossierComponent.dossier_id == dossier.id)
                            .order_by(DossierComponent.position)).all()
    assert [(c.name, c.spec_id) for c in components] == [
        (online.declaration.name, online.declaration.id), (online.id_copy.name, online.id_copy.id)]
    files = db.scalars(select(DossierAttachment).where(DossierAttachment.dossier_id == dossier.id)
                       .order_by(DossierAttachment.filename)).all()
    assert [(f.filename, f.content_type) for f in files] == [("cccd.png", "image/png"), ("to-khai.pdf", "application/pdf")]
    assert path_for(files[1].sha256, settings.storage_dir).read_bytes() == PDF  # in the dossiers' store
    [event] = db.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)).all()
    assert (event.action, event.actor_name, event.to_status) == ("submit_online", "Nguyễn Văn An", "submitted_online")
    assert db.get(OnlineSubmission, dossier.id).citizen_id == citizen_id
    # The draft and its files are gone.
    assert count(db, OnlineDraft) == 0 and count(db, OnlineDraftFile) == 0
    assert not draft_dir(settings.storage_dir, draft_id).exists()
    done = client.get(response.headers["location"])
    assert dossier.code in done.text and "Trực tuyến (Cổng dịch vụ công của tỉnh)" in done.text

    # The counter sees it in the online queue and accepts it as a national online dossier.
    officer = factories.account(db, "mc-truc-tuyen", Role.counter_officer, agency=world.centre)
    db.commit()
    signed_in(client, officer.username)
    queue = client.get(QUEUE)
    assert dossier.code in queue.text and "Nguyễn Văn An" in queue.text
    accepted = client.post(f"{QUEUE}/{dossier.id}", data={"csrf_token": csrf_from(queue.text), "outcome": "accepted"},
                           follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/ho-so/{dossier.id}"
    db.expire_all()
    dossier = db.get(Dossier, dossier.id)
    assert (dossier.status, dossier.external_status, dossier.received_by_id) == (
        DossierStatus.awaiting_assignment, 2, officer.id)
    assert dossier.due_at is not None and dossier.time_limit_days == 5
    assert "Không có hồ sơ trực tuyến nào chờ tiếp nhận" in client.get(QUEUE).text
