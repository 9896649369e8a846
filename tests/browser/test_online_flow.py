"""The online channel in the browser (issue 11, "Done when"): a citizen's submission on the
portal simulator reaches the counter's online queue with status 1; the counter asks for
completion (5), the supplement arrives online and is received, the counter accepts (2, with the
appointment on the portal); the Department of Justice handles it, the result is issued and
returned; the simulator holds 10 and every step in order. Screenshots in tests/artifacts/."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from motcua.catalog.models import NationalCode, Procedure
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dvcqg.jobs import JOBS
from motcua.integrations.dvcqg import wire
from motcua.jobs.worker import run_due_jobs
from tests.browser.conftest import screenshot
from tests.browser.test_dossier_flow import act, log_in
from tests.integrations.dvcqg.fixtures import PASSWORD, simulator_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PROCEDURE_CODE = "T-LSN-285002-TT"  # Cấp bản sao trích lục hộ tịch (Sở Tư pháp)
NATIONAL_CODE = "2.000635"
SERVICE_CENTRE = "000.00.02.H37"
PDF = "JVBERi0xLjQKJSBrIHRo"
EXCHANGE = [job for job in JOBS if job.name in {"dvcqg-inbound", "dvcqg-dossier-sync"}]


@pytest.fixture
def exchange(live_database_url, simulator_server, monkeypatch):  # noqa: F811
    """`motcua worker --once` (the exchange jobs) on the live server's database."""
    monkeypatch.setenv("DVCQG_URL", simulator_server.url)
    monkeypatch.setenv("MOTCUA_DVCQG_PASSWORD", PASSWORD)
    engine = make_engine(live_database_url)
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        procedure = session.scalars(select(Procedure).where(Procedure.code == PROCEDURE_CODE)).one()
        if session.scalar(select(NationalCode).where(NationalCode.procedure_id == procedure.id)) is None:
            session.add(NationalCode(procedure_id=procedure.id, national_code=NATIONAL_CODE,
                                     national_name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
                                     confirmed_by="admin"))
    yield lambda: run_due_jobs(factory, elapsed=0, jobs=EXCHANGE)
    engine.dispose()


def submission(**fields: str) -> dict:
    """A citizen's submission of PROCEDURE_CODE to the provincial centre, in the portal's shape."""
    return {
        "MaTTHC": NATIONAL_CODE, "MaDonViTiepNhan": SERVICE_CENTRE, "ChuHoSo": "Lò Thị Mai", "LoaiDoiTuong": "1",
        "SoGiayToChuHoSo": "020195004321", "SoDienThoai": "0987654321", "Email": "mai@example.vn",
        "TrichYeuHoSo": "Xin cấp bản sao trích lục khai sinh", "NgayNopHoSo": "20261201080000",
        "ThanhPhanHoSo": [{"TenThanhPhanHoSo": "Tờ khai cấp bản sao trích lục hộ tịch", "SoLuong": "1",
                           "TaiLieuNop": [{"TepDinhKemId": "F1", "TenTepDinhKem": "to-khai.pdf", "NoiDungTep": PDF}]}],
    } | fields


def test_online_submission_to_returned(live_server, page, simulator_server, exchange):  # noqa: F811
    base, sim = live_server, simulator_server
    code = sim.submit(submission())
    exchange()

    # 1. the online queue of the provincial centre: status 1 on both sides
    log_in(page, base, "motcua")
    page.goto(f"{base}/quay/truc-tuyen")
    card = page.locator("section.card", has_text=code)
    assert card.count() == 1 and "Mới đăng ký trực tuyến" in card.inner_text()
    assert sim.held(code)["TrangThaiHoSo"] == "1"
    screenshot(page, "online-01-queue")

    # 2. incomplete: the citizen is asked to complete it online (status 5, not 3)
    card.locator("input[name=outcome][value=incomplete]").check()
    card.locator("textarea[name=missing_items]").fill("Bản sao Căn cước của người yêu cầu")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    dossier_url = page.url
    assert page.locator("#dossier-status").get_attribute("data-status") == "supplement_requested"
    screenshot(page, "online-02-asked-to-complete")
    exchange()
    assert sim.held(code)["TrangThaiHoSo"] == "5"
    sim.supplement(code, {"NoiDungBoSung": "Bản sao Căn cước", "ThanhPhanHoSo": [
        {"TenThanhPhanHoSo": "Bản sao Căn cước của người yêu cầu",
         "TaiLieuNop": [{"TepDinhKemId": "F2", "TenTepDinhKem": "can-cuoc.pdf", "NoiDungTep": PDF}]}]})
    exchange()

    # 3. the supplement is received; back in the queue, the counter accepts with a time limit
    act(page, base, dossier_url, "motcua", "receive_supplement", "online-03-supplement-received")
    page.goto(f"{base}/quay/truc-tuyen")
    card = page.locator("section.card", has_text=code)
    card.locator("input[name=outcome][value=accepted]").check()
    card.locator("summary").click()
    card.locator("input[name=time_limit_days]").fill("3")
    card.locator("input[name=time_limit_basis]").fill("Khoản 2 Điều 64 Luật Hộ tịch số 60/2014/QH13")
    screenshot(page, "online-04-accept")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url == dossier_url
    assert page.locator("#dossier-code").inner_text().strip() == code
    assert page.locator("#dossier-status").get_attribute("data-status") == "awaiting_assignment"
    screenshot(page, "online-05-accepted")
    exchange()
    held = sim.held(code)
    assert held["TrangThaiHoSo"] == "2" and held["NgayHenTra"]

    # 4. handled, issued and returned like any dossier
    act(page, base, dossier_url, "lanhdao", "forward", "online-06-assigned")
    act(page, base, dossier_url, "chuyenvien", "forward", "online-07-appraised")
    act(page, base, dossier_url, "lanhdao", "approve", "online-08-approved")
    act(page, base, dossier_url, "vanthu", "issue_result", "online-09-issued", {"input[name=result_number]": "21/TLHT"})
    act(page, base, dossier_url, "motcua", "return_result", "online-10-returned")
    exchange()

    held = sim.held(code)
    assert held["TrangThaiHoSo"] == "10" and held["record"]["NgayTra"] != ""
    assert [p["TrangThai"] for p in held["progress"]] == ["1", "5", "1", "2", "4", "4", "4", "9", "10"]
    assert held["NgayHenTra"] == held["record"]["NgayHenTra"] and wire.parse_date(held["NgayHenTra"])

    # 5. nothing left out of sync for this dossier
    log_in(page, base, "admin")
    page.goto(f"{base}/quan-tri/dvcqg/dong-bo-ho-so")
    assert code not in page.content()
    screenshot(page, "online-11-sync-page")
