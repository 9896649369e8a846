"""What an officer does in the browser, written once for every browser test.

The selectors are what the officer sees — labels, button names, link text — so that a new
layout of the dossier page (a primary action, secondary actions in a list, confirmations
for withdraw/stop/refuse) needs changes here only:

- `perform(page, label, ...)` presses the action button named `label` on the dossier page,
  after filling the fields *of that action* by their labels; a confirmation (a native
  `confirm()` or a dialog with a reason) is answered here.
- `receive_at_counter(page, ...)` fills the counter's receipt form by its labels.

Dossiers that a test needs in a given state are prepared through the JSON API as the
demo officers (`desk`), so that each test walks only its own role's actions.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import httpx
from sqlalchemy import select

from motcua.auth.seed import DEMO_PASSWORD
from motcua.auth.service import find_user
from motcua.core.db import make_engine, make_sessionmaker, session_scope
from motcua.dossiers.models import Dossier
from motcua.dossiers.seed import demo_procedures
from tests.browser.conftest import ARTIFACTS, LiveSite
from tests.factories import DossierDesk

# Demo officers (README "Demo logins") by the role they play in the walks.
OFFICERS = {"counter": "motcua", "head": "lanhdao", "specialist": "chuyenvien", "clerk": "vanthu",
            "admin": "admin"}
SPECIALIST_NAME = "Trần Văn Chuyên"  # `chuyenvien`, as the head picks them in the assignee list
# The smallest valid PDF: what the clerk uploads as the signed result.
RESULT_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
              b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")
WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}


# ------------------------------------------------------------------ signing in, pages


def log_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.locator("form[action='/dang-nhap']").get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert "/dang-nhap" not in page.url, page.content()[:2000]


def sign_in_citizen(page, base: str, national_login_url: str, sub: str) -> None:
    """A citizen's way in: the VNeID button, the national login simulator's page, the identity
    `sub` (the live app reads VNEID_* from the environment at the first login)."""
    page.goto(f"{base}/cong-dan/dang-nhap")
    page.click("#vneid-login")
    page.wait_for_url(f"{national_login_url}/oauth2/authorize?*")
    page.locator("form.identity", has=page.locator(f"input[name=sub][value='{sub}']")).get_by_role(
        "button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/cong-dan/**")


def open_dossier(page, base: str, dossier_id: str) -> None:
    page.goto(f"{base}/ho-so/{dossier_id}")
    assert page.locator("h1").count() == 1


def open_as(page, base: str, username: str, dossier_id: str) -> None:
    """Sign in as `username` and open the dossier."""
    log_in(page, base, username)
    open_dossier(page, base, dossier_id)


def status(page) -> str:
    """The dossier's status as the page states it (`data-status` of the status badge)."""
    badge = page.locator("#dossier-status")
    assert badge.count() == 1, f"not a dossier page: {page.url}\n{page.locator('main').inner_text()[:1500]}"
    return badge.get_attribute("data-status")


def fits_width(page) -> None:
    """Nothing makes the page scroll sideways at this window width."""
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll} px wide in a {width} px window"


def shot(page, name: str) -> Path:
    """A full-page screenshot named after the walk and the window width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_error(page) -> None:
    errors = page.locator(".flash-error, .field-error[role=alert], .action-error")
    assert errors.count() == 0, errors.first.inner_text()


# ------------------------------------------------------------------ actions on the dossier page


def _button_name(label: str) -> re.Pattern:
    # An irreversible action's first button says it only leads to a confirmation
    # ("Tiếp tục: rút hồ sơ theo yêu cầu…", dossiers/dossier.html).
    return re.compile(f"^({re.escape(label)}|Tiếp tục: {re.escape(label.lower())}…)$")


def action_form(page, label: str):
    """The form whose submit button is named `label` (an action of the dossier page)."""
    button = page.get_by_role("button", name=_button_name(label))
    if button.count() == 0 or not button.first.is_visible():
        # A secondary action sits in a closed <details> whose summary names it: open it.
        opener = page.locator("summary").filter(has_text=label)
        if opener.count():
            opener.first.click()
    assert button.count() >= 1, f"no “{label}” action on {page.url}"
    return page.locator("form").filter(has=button.first), button.first


def perform(page, label: str, fields: dict[str, str] | None = None, *, select: dict[str, str] | None = None,
            files: dict[str, tuple[str, str, bytes]] | None = None, reason: str | None = None,
            confirm: bool = False) -> str:
    """Press the action `label` on the open dossier page and return the new status.

    `fields`: text by field label; `select`: the option whose text contains the value, by
    field label; `files`: (file name, MIME type, bytes) by field label; `reason`: the reason
    an irreversible action asks for (its "Lý do" field, or the confirmation page's);
    `confirm`: the action must ask for a confirmation (a second page) before it is done."""
    dossier_url = page.url.split("?")[0]
    form, button = action_form(page, label)
    for field_label, value in (fields or {}).items():
        form.get_by_label(field_label).fill(value)
    for field_label, wanted in (select or {}).items():
        box = form.get_by_label(field_label)
        options = box.locator("option").all_inner_texts()
        box.select_option(label=next(o for o in options if wanted in o))
    for field_label, (name, mime, content) in (files or {}).items():
        form.get_by_label(field_label).set_input_files({"name": name, "mimeType": mime, "buffer": content})
    reason_box = form.get_by_label(re.compile("^Lý do"))
    if reason is not None and reason_box.count():
        reason_box.fill(reason)
    button.click()
    page.wait_for_load_state("networkidle")
    asked = page.locator("section#confirm form")  # the confirmation page (no script: CSP)
    was_asked = asked.count() > 0
    if was_asked:
        if reason is not None:
            asked.get_by_label(re.compile("^Lý do")).fill(reason)
        asked.get_by_role("button", name=re.compile("^Xác nhận")).click()
        page.wait_for_load_state("networkidle")
    if confirm:
        assert was_asked, f"“{label}” was done without asking for a confirmation"
    no_error(page)
    if page.url.split("?")[0] != dossier_url:
        # Done with it (e.g. the clerk after issuing): the app goes back to the inbox, saying so.
        assert page.get_by_text(f"Đã thực hiện: {label}").count() == 1, page.url
        page.goto(dossier_url)
    return status(page)


def issue_result(page, number: str, file_name: str, summary: str = "") -> str:
    """The clerk issues the result numbered `number` with its signed PDF (RESULT_PDF)."""
    return perform(page, "Ban hành kết quả", {"Số văn bản kết quả": number, "Trích yếu": summary},
                   files={"Tệp kết quả (PDF, ảnh quét)": (file_name, "application/pdf", RESULT_PDF)})


def receive_at_counter(page, base: str, procedure_code: str, agency: str, applicant: dict[str, str], *,
                       components: list[str], missing: list[str] | None = None) -> str:
    """Receive a dossier at the counter: accepted, or incomplete with `missing` items
    (form 02, a supplement request). Returns the new dossier's id."""
    page.goto(f"{base}/quay?ma_tt={procedure_code}")
    page.get_by_label("Cơ quan có thẩm quyền giải quyết").select_option(label=agency)
    page.get_by_label("Họ và tên (tên tổ chức)").fill(applicant["name"])
    page.get_by_label("Số định danh / mã số doanh nghiệp").fill(applicant["id_number"])
    page.get_by_label("Số điện thoại").fill(applicant["phone"])
    page.get_by_label("Địa chỉ", exact=True).fill(applicant["address"])
    listed = page.locator("input[type=checkbox][name^='comp-']")
    for i in range(listed.count()):  # the catalogue's components: those the applicant brought
        if i < len(components):
            listed.nth(i).check()
    for i, name in enumerate(components[listed.count():]):
        page.get_by_label(f"Giấy tờ khác {i + 1}").fill(name)
    if missing:
        page.get_by_role("radio", name=re.compile("Chưa đầy đủ")).check()
        page.get_by_label(re.compile("Giấy tờ, nội dung còn thiếu")).fill("\n".join(missing))
    else:
        page.get_by_role("radio", name=re.compile("Hồ sơ đầy đủ")).check()
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_load_state("networkidle")
    no_error(page)
    found = re.search(r"/ho-so/([0-9a-f-]{36})$", page.url)
    assert found, page.url
    return found.group(1)


# ------------------------------------------------------------------ dossiers prepared through the API


def demo_desk(site: LiveSite) -> tuple[DossierDesk, SimpleNamespace]:
    """A `DossierDesk` acting through the live server's API as the demo officers, on the
    Department of Justice's first demo procedure (a time limit from the catalogue)."""
    engine = make_engine(site.url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            counter, specialist = find_user(session, "motcua"), find_user(session, "chuyenvien")
            centre = next(r.agency for r in counter.roles if r.role == "counter_officer")
            dept = next(r.agency for r in specialist.roles if r.role == "specialist")
            procedure = demo_procedures(session, dept)[0]
            world = SimpleNamespace(
                p_dept=SimpleNamespace(code=procedure.code, name=procedure.name),
                dept=SimpleNamespace(code=dept.code, name=dept.name),
                centre=SimpleNamespace(code=centre.code, name=centre.name),
            )
    finally:
        engine.dispose()
    client = httpx.Client(base_url=site.base, timeout=30)
    headers = {}
    for role, username in OFFICERS.items():
        response = client.post("/api/v1/auth/token", json={
            "username": username, "password": DEMO_PASSWORD, "name": f"kiểm thử trình duyệt {uuid.uuid4().hex[:6]}"})
        assert response.status_code == 201, response.text
        headers[role] = {"Authorization": f"Bearer {response.json()['access_token']}"}
    return DossierDesk(client, world, headers), world


def answer_and_publish_feedback(officer, answer: str) -> None:
    """On an open PAKN item (/quan-tri/phan-anh-kien-nghi/{code}), the agency's officer
    classifies it, answers it with `answer` and publishes the result."""
    officer.get_by_role("button", name="Tiếp nhận, phân loại").click()
    officer.wait_for_load_state("networkidle")
    assert "Đang xử lý" in officer.content()
    officer.get_by_label("Nội dung trả lời").fill(answer)
    officer.get_by_role("button", name="Trả lời").click()
    officer.wait_for_load_state("networkidle")
    officer.get_by_role("button", name="Công khai kết quả").click()
    officer.wait_for_load_state("networkidle")
    assert "Đã công khai kết quả" in officer.content()


def demo_lookup(site: LiveSite) -> tuple[str, str]:
    """A demo dossier's code and its lookup key (the public lookup's second factor)."""
    engine = make_engine(site.url)
    try:
        with session_scope(make_sessionmaker(engine), write=False) as session:
            return tuple(session.execute(select(Dossier.code, Dossier.lookup_key)
                                         .where(Dossier.code.is_not(None)).order_by(Dossier.code).limit(1)).one())
    finally:
        engine.dispose()


# ------------------------------------------------------------------ printing and files


def print_link(page, name: str | re.Pattern) -> str:
    """The href of the printable form (or letter) named `name` on the dossier page."""
    link = page.get_by_role("link", name=name)
    assert link.count() >= 1, f"no printable “{name}” on {page.url}"
    return link.first.get_attribute("href")


def pdf_text(content: bytes) -> str:
    """The text of a PDF, whitespace folded, NFC (pdftotext from poppler-utils)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out.decode()))


def printed(page, base: str, name: str | re.Pattern) -> str:
    """The text of the PDF behind the printable `name` of the open dossier page."""
    href = print_link(page, name)
    pdf_href = href if "pdf=1" in href else f"{href}{'&' if '?' in href else '?'}pdf=1"
    response = page.request.get(f"{base}{pdf_href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", pdf_href
    return pdf_text(response.body())


def download(page, name: str | re.Pattern) -> tuple[str, bytes]:
    """The file linked as `name` (a result file, a scan) on the dossier page: (file name, bytes).
    PDFs and images open in the browser (to print them), so the link is fetched, not clicked."""
    link = page.get_by_role("link", name=name)
    assert link.count() >= 1, f"no file “{name}” to open on {page.url}"
    response = page.request.get(link.first.get_attribute("href") if link.first.get_attribute("href").startswith("http")
                                else page.url.split("/ho-so/")[0] + link.first.get_attribute("href"))
    assert response.status == 200, response.status
    disposition = response.headers.get("content-disposition", "")
    found = re.search(r"filename\*=UTF-8''([^;]+)|filename=\"?([^\";]+)", disposition)
    file_name = unquote((found.group(1) or found.group(2)) if found else link.first.inner_text().strip())
    return file_name, response.body()