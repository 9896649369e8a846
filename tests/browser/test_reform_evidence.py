"""The reform index in a browser (issue 15 item 3, "each unit scores itself with evidence"): a
unit's reform officer tries to submit its self-assessment and is told which items lack a file,
attaches a PDF to the item that requires one (a text file first: refused, nothing listed),
downloads it back from the sheet, scores the items and submits; the sheet then shows the date and
no more forms. Another unit's officer gets 404 for the file. Screenshots
tests/artifacts/reform-evidence-*.png; axe-core on the sheet page at 1366 px."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from motcua.core.clock import now, to_local
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.org.models import Agency
from motcua.reform import scoring
from motcua.reform.policies import home_affairs
from motcua.reform.scoring import ItemIn, SheetIn
from tests import factories
from tests.browser.accessibility import axe_violations, describe
from tests.browser.conftest import LiveSite, screenshot
from tests.browser.dossier_page import RESULT_PDF, log_in

pytestmark = pytest.mark.browser

PASSWORD = "matkhau-chiso-2026"
PLAN_PDF = RESULT_PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% ke hoach cai cach hanh chinh\n")


@pytest.fixture(scope="module")
def world(live_site: LiveSite) -> dict:
    """An open sheet (1.1 needs evidence, 1.2 does not) and reform officers of the Department of
    Home Affairs (the council), of Justice and of Finance, written straight into the live database."""
    tag = uuid.uuid4().hex[:6]
    engine = make_engine(live_site.url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            units = {key: session.scalar(select(Agency).where(Agency.seed_key == seed))
                     for key, seed in (("justice", "so-tu-phap"), ("finance", "so-tai-chinh"))}
            council = factories.user(session, f"hd.{tag}", "Hội Đồng Thẩm Định",
                                     ("reform_officer", home_affairs(session)), password=PASSWORD)
            for key, name in (("justice", "Lê Văn Tự Chấm"), ("finance", "Phạm Thị Tài Chính")):
                factories.user(session, f"{key}.{tag}", name, ("reform_officer", units[key]), password=PASSWORD)
            sheet = scoring.create_sheet(session, council, SheetIn(
                year=to_local(now()).year, name=f"Bộ chỉ số CCHC các sở ({tag})", basis="Kiểm thử trên trình duyệt",
                items=[ItemIn(code="1", title="Công tác chỉ đạo, điều hành"),
                       ItemIn(code="1.1", title="Kế hoạch CCHC năm", max_points=Decimal("2"), evidence_required=True),
                       ItemIn(code="1.2", title="Báo cáo CCHC định kỳ", max_points=Decimal("1.5"))]))
            scoring.set_status(session, council, sheet, scoring.SheetStatus.open)
            found = {"sheet": str(sheet.id), "justice": units["justice"].code, "justice_name": units["justice"].name,
                     "tag": tag}
    finally:
        engine.dispose()
    return found


def test_a_unit_attaches_evidence_and_submits_its_self_assessment(live_site: LiveSite, browser, world, tmp_path):
    base, tag = live_site.base, world["tag"]
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768},
                               accept_downloads=True).new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, f"justice.{tag}", PASSWORD)
    sheet_url = f"{base}/quan-tri/cai-cach/chi-so/{world['sheet']}?don_vi={world['justice']}"
    page.goto(sheet_url)
    assert page.locator("#gui-tham-dinh-trang-thai").inner_text() == "Chưa gửi bảng tự chấm để thẩm định."

    # Submitting first: the items lacking a file and points are named.
    page.get_by_role("button", name="Gửi thẩm định").click()
    page.wait_for_load_state("networkidle")
    assert (f"Chưa gửi thẩm định được bảng tự chấm của {world['justice_name']}: các mục cần tài liệu kiểm chứng "
            "chưa có tệp đính kèm: 1.1; các mục chưa tự chấm điểm: 1.1, 1.2.") in page.locator(".error-summary").inner_text()

    # A text file named .pdf: refused by its content, the item typed stays, nothing listed.
    fake = tmp_path / "ke-hoach.pdf"
    fake.write_bytes(b"khong phai PDF")
    form = page.locator("#tai-lieu")
    form.get_by_label("Mã mục").fill("1.1")
    form.get_by_label(re.compile("^Tệp")).set_input_files(str(fake))
    form.get_by_role("button", name="Đính kèm").click()
    page.wait_for_load_state("networkidle")
    assert "Định dạng tệp không được chấp nhận" in page.locator("#files-error").inner_text()
    assert page.locator("#tai-lieu").get_by_label("Mã mục").input_value() == "1.1"
    assert page.locator("td.tep-kiem-chung a").count() == 0

    real = tmp_path / "Kế hoạch CCHC.pdf"
    real.write_bytes(PLAN_PDF)
    form = page.locator("#tai-lieu")
    form.get_by_label(re.compile("^Tệp")).set_input_files(str(real))
    form.get_by_role("button", name="Đính kèm").click()
    page.wait_for_load_state("networkidle")
    links = page.locator("td.tep-kiem-chung a")
    assert links.all_inner_texts() == ["Kế hoạch CCHC.pdf"]
    with page.expect_download() as info:
        links.first.click()
    assert Path(info.value.path()).read_bytes() == PLAN_PDF
    file_url = links.first.get_attribute("href")

    for code, points in (("1.1", "2"), ("1.2", "1,25")):
        score = page.locator("#cham-diem")
        score.get_by_label("Mã mục").fill(code)
        score.get_by_label("Điểm").fill(points)
        score.get_by_role("button", name="Ghi điểm tự chấm").click()
        page.wait_for_load_state("networkidle")
    assert page.locator("#tong-diem").inner_text() == "3,25"
    screenshot(page, "reform-evidence-sheet")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("button", name="Gửi thẩm định").click()
    page.wait_for_load_state("networkidle")
    today = to_local(now()).strftime("%d/%m/%Y")
    assert page.locator("#gui-tham-dinh-trang-thai").inner_text() == (
        f"Đã gửi bảng tự chấm để thẩm định ngày {today} (Lê Văn Tự Chấm).")
    assert page.locator("#cham-diem, #tai-lieu, #gui-tham-dinh").count() == 0
    screenshot(page, "reform-evidence-submitted")

    # Another unit's officer does not get the file.
    log_in(page, base, f"finance.{tag}", PASSWORD)
    assert page.request.get(f"{base}{file_url}").status == 404
    page.context.close()
