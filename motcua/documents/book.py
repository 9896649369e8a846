"""The tracking book (form 07) in bounded memory: printed in parts, long books as a file.

WeasyPrint keeps the whole layout of a document in memory and its time grows faster than
the rows (measured on this machine, A4 landscape, realistic rows: 100 rows → +30 MB and
1.8 s, 300 → +90 MB and 6 s, 1,000 → +300 MB and 31 s). So a book is never printed as one
WeasyPrint document: it is cut into parts of at most `BOOK_PART_ROWS` rows, each a complete
form with "Phần 2/5 — hồ sơ số 101–200 trong tổng số 432 hồ sơ" under its title and on
every page footer; numbering (STT) runs on across parts.

- A part is printed at once on request (the page `/so-theo-doi` lists the parts; the API
  takes `part`). Only one part's dossiers are loaded (OFFSET/LIMIT over the book's order).
- A book of several parts can also be printed into ONE PDF by `motcua worker`: the clerk's
  request writes a `BookFile` row (status "queued") in the request's transaction; the worker
  claims it, prints the parts one after another (memory of one part at a time), joins them
  with pypdf, stores the file by content hash and marks the row done; the page then shows a
  download link. A file holds at most `MAX_FILE_ROWS` rows: a longer period is asked month by
  month (a year at a provincial centre is tens of thousands of rows, nobody prints that).

Who may print a unit's book (and download its files): a user whose agency scope contains the
receiving unit (`ensure_may_print`). Such a user sees every dossier the unit received (the
receiving-unit branch of `dossiers.queries.visible_dossiers`), and the rows are read through
`visible_dossiers` all the same, so the visibility rule stays written once.
"""

from __future__ import annotations

import gc
import io
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfWriter
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from motcua.auth.models import User
from motcua.auth.policies import agency_scope, in_scope
from motcua.auth.queries import get_user_by_id
from motcua.core.clock import now
from motcua.core.dates import parse_date
from motcua.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from motcua.documents import adapters, render, service
from motcua.documents.forms import TRACKING_BOOK
from motcua.documents.models import BookFile
from motcua.documents.pdfchild import ChildPrinter
from motcua.dossiers import storage
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import visible_dossiers
from motcua.org.models import Agency
from motcua.org.service import normalise_code
from motcua.web.templating import vn_number

log = logging.getLogger("motcua.documents")

# Rows per printed part: keeps one WeasyPrint document near +30 MB and 2 s (about 15 pages),
# so the worker stays under its 150 MB target and the server under 300 MB (bench/
# bench_form07_memory.py).
BOOK_PART_ROWS = 100
# Rows in one file printed by the worker (50 parts, about 4.5 MB of PDF joined in memory).
MAX_FILE_ROWS = 5000
MAX_BOOK_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
# A "running" file whose worker died (kill, reboot) is taken up again after this long.
STALE_RUNNING = timedelta(minutes=30)
RECENT_FILES = 10

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FILE_STATUS_LABELS = {
    QUEUED: "Đang chờ tạo tệp",
    RUNNING: "Đang tạo tệp",
    DONE: "Đã tạo xong",
    FAILED: "Không tạo được tệp",
}


@dataclass(frozen=True)
class BookPlan:
    """One unit's book over a period: how many rows, cut into how many parts."""

    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    date_from: date
    date_to: date
    rows: int

    @property
    def parts(self) -> int:
        return max(1, -(-self.rows // BOOK_PART_ROWS))

    def first_row(self, part: int) -> int:
        """1-based number (STT) of the first row of `part`."""
        return (part - 1) * BOOK_PART_ROWS + 1

    def last_row(self, part: int) -> int:
        return min(self.rows, part * BOOK_PART_ROWS)

    def part_label(self, part: int) -> str:
        """"Phần 2/5 — hồ sơ số 101–200 trong tổng số 432 hồ sơ" (empty for a one-part book)."""
        if self.parts == 1:
            return ""
        return (
            f"Phần {part}/{self.parts} — hồ sơ số {vn_number(self.first_row(part))}–{vn_number(self.last_row(part))}"
            f" trong tổng số {vn_number(self.rows)} hồ sơ"
        )

    def filename(self, part: int | None = None) -> str:
        name = f"so-theo-doi-{self.unit_code}-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"
        if part is not None and self.parts > 1:
            name += f"-phan-{part}-{self.parts}"
        return name + ".pdf"


def period_errors(date_from: date, date_to: date) -> dict[str, str]:
    """What is wrong with a period, by the field ("tu_ngay", "den_ngay") to show it at."""
    errors = {}
    if not EARLIEST <= date_from <= LATEST:
        errors["tu_ngay"] = "Từ ngày phải nằm trong các năm 2000–2100."
    if not EARLIEST <= date_to <= LATEST:
        errors["den_ngay"] = "Đến ngày phải nằm trong các năm 2000–2100."
    if errors:
        return errors
    if date_to < date_from:
        errors["den_ngay"] = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    elif (date_to - date_from).days >= MAX_BOOK_DAYS:
        errors["den_ngay"] = "Sổ theo dõi chỉ in tối đa 366 ngày một lần."
    return errors


def at_fields(exc: DomainError, errors: dict[str, str]) -> DomainError:
    """`exc` with its problems by field, as `errors` ([{field, message}], the shape of
    problem+json's "errors" and of web.input_guard): the page shows each at its field."""
    exc.errors = [{"field": f, "message": m} for f, m in errors.items()]
    return exc


def _refuse(errors: dict[str, str]) -> None:
    """One InvalidInput with every problem at once: the message lists them all."""
    if errors:
        raise at_fields(InvalidInput(" ".join(errors.values())), errors)


def check_period(date_from: date, date_to: date) -> None:
    errors = period_errors(date_from, date_to)
    if errors:  # the API's parameters are not the page's fields: the message only
        raise InvalidInput(" ".join(errors.values()))


def parse_request(unit_code: str, date_from: str, date_to: str) -> tuple[str, date, date]:
    """What a clerk typed on `/so-theo-doi`, checked; every problem at once, by field."""
    errors = {}
    if not (unit_code or "").strip():
        errors["don_vi"] = "Chọn bộ phận tiếp nhận."
    days = {}
    for field, value, label in (("tu_ngay", date_from, "Từ ngày"), ("den_ngay", date_to, "Đến ngày")):
        try:
            days[field] = parse_date(value, label=label)
        except InvalidInput as exc:
            errors[field] = exc.message
    if len(days) == 2:
        errors |= period_errors(days["tu_ngay"], days["den_ngay"])
    _refuse(errors)
    return unit_code.strip(), days["tu_ngay"], days["den_ngay"]


def ensure_may_print(session: Session, user: User, unit_id: uuid.UUID) -> None:
    if not in_scope(agency_scope(session, user), unit_id):
        message = "Bạn chỉ được in sổ theo dõi hồ sơ của cơ quan, đơn vị mình."
        raise at_fields(Forbidden(message), {"don_vi": message})


def book_unit(session: Session, user: User, unit_code: str) -> Agency:
    code = normalise_code(unit_code)
    unit = session.scalar(select(Agency).where(Agency.code == code)) if code else None
    if unit is None:
        message = f"Không tìm thấy cơ quan, đơn vị có mã “{code or unit_code[:40]}”."
        raise at_fields(NotFound(message), {"don_vi": message})
    ensure_may_print(session, user, unit.id)
    return unit


def _book_select(session: Session, user: User, plan: BookPlan):
    start, end = adapters.local_day_bounds(plan.date_from, plan.date_to)
    return visible_dossiers(session, user).where(
        Dossier.receiving_unit_id == plan.unit_id, Dossier.received_at >= start, Dossier.received_at < end
    )


def plan_book(session: Session, user: User, *, unit_code: str, date_from: date, date_to: date) -> BookPlan:
    """Check the request (period, unit, access) and count the book's rows (one index range)."""
    check_period(date_from, date_to)
    unit = book_unit(session, user, unit_code)
    plan = BookPlan(unit.id, unit.code, unit.name, date_from, date_to, 0)
    ids = _book_select(session, user, plan).with_only_columns(Dossier.id).subquery()
    rows = session.scalar(select(func.count()).select_from(ids)) or 0
    return BookPlan(unit.id, unit.code, unit.name, date_from, date_to, rows)


def check_part(plan: BookPlan, part: int) -> None:
    if not 1 <= part <= plan.parts:
        raise InvalidInput(f"Sổ này có {plan.parts} phần; chọn phần từ 1 đến {plan.parts}.")


def part_dossiers(session: Session, user: User, plan: BookPlan, part: int) -> list[Dossier]:
    """The dossiers of one part, in the book's order (received, then id: a total order, so
    consecutive parts neither skip nor repeat a row; the order of `registers.book_position`,
    which numbers the slips)."""
    check_part(plan, part)
    stmt = (
        _book_select(session, user, plan)
        .order_by(Dossier.received_at, Dossier.id)
        .offset(plan.first_row(part) - 1)
        .limit(BOOK_PART_ROWS)
    )
    return list(session.scalars(stmt))


def part_html(session: Session, user: User, plan: BookPlan, part: int, *, settings) -> str:
    dossiers = part_dossiers(session, user, plan, part)
    unit = session.get(Agency, plan.unit_id)
    book = adapters.tracking_book(session, unit, plan.date_from, plan.date_to, dossiers)
    book.first_number = plan.first_row(part)
    book.total = plan.rows
    book.part, book.parts, book.part_label = part, plan.parts, plan.part_label(part)
    info = service.resolve_form(session, TRACKING_BOOK, per_dossier=False)
    return service.render_tracking_book_html(info, book, settings=settings)


def part_pdf(session: Session, user: User, plan: BookPlan, part: int, *, settings) -> bytes:
    html = part_html(session, user, plan, part, settings=settings)
    return render.html_to_pdf(html)


# --- one file printed by the worker ---------------------------------------------------------


def request_file(session: Session, user: User, plan: BookPlan) -> BookFile:
    """Queue the whole book as one PDF (the row is the job; `motcua worker` prints it)."""
    if plan.rows > MAX_FILE_ROWS:
        raise InvalidInput(
            f"Sổ có {vn_number(plan.rows)} hồ sơ; một tệp in tối đa {vn_number(MAX_FILE_ROWS)} hồ sơ. "
            "Chọn khoảng ngày ngắn hơn (ví dụ từng tháng) hoặc in từng phần."
        )
    existing = session.scalar(
        select(BookFile).where(
            BookFile.unit_id == plan.unit_id, BookFile.date_from == plan.date_from, BookFile.date_to == plan.date_to,
            BookFile.requested_by_id == user.id, BookFile.status.in_([QUEUED, RUNNING]),
        )
    )
    if existing is not None:  # a second click does not print the book twice
        return existing
    row = BookFile(
        unit_id=plan.unit_id, date_from=plan.date_from, date_to=plan.date_to, requested_by_id=user.id,
        status=QUEUED, rows=plan.rows, parts=plan.parts, filename=plan.filename(),
    )
    session.add(row)
    session.flush()
    return row


def recent_files(session: Session, user: User, limit: int = RECENT_FILES) -> list[BookFile]:
    return list(
        session.scalars(
            select(BookFile).where(BookFile.requested_by_id == user.id)
            .order_by(BookFile.requested_at.desc()).limit(limit)
        )
    )


def file_for_download(session: Session, user: User, file_id: uuid.UUID, *, settings) -> tuple[BookFile, bytes]:
    """A printed book file for a user who may print that unit's book (404 until it is done)."""
    row = session.get(BookFile, file_id)
    if row is None:
        raise NotFound("Không tìm thấy tệp sổ theo dõi.")
    ensure_may_print(session, user, row.unit_id)
    if row.status != DONE or not row.sha256:
        raise NotFound("Tệp sổ theo dõi chưa được tạo xong.")
    try:
        content = storage.read_bytes(row.sha256, Path(settings.storage_dir))
    except OSError as exc:
        raise NotFound("Tệp sổ theo dõi không còn trong kho lưu trữ; hãy yêu cầu in lại.") from exc
    return row, content


def _claim(session: Session) -> uuid.UUID | None:
    """Take the oldest queued file (or one whose worker died); two workers never take the same."""
    at = now()
    candidate = session.scalar(
        select(BookFile.id)
        .where(or_(BookFile.status == QUEUED,
                   (BookFile.status == RUNNING) & (BookFile.started_at < at - STALE_RUNNING)))
        .order_by(BookFile.requested_at)
        .limit(1)
    )
    if candidate is None:
        return None
    # Compare-and-set: only the worker whose UPDATE changes the row owns it.
    taken = session.execute(
        update(BookFile)
        .where(BookFile.id == candidate,
               or_(BookFile.status == QUEUED, BookFile.started_at < at - STALE_RUNNING))
        .values(status=RUNNING, started_at=at)
    ).rowcount
    session.commit()
    return candidate if taken else None


def print_file(session: Session, file_id: uuid.UUID, *, settings) -> None:
    """Print every part of the book into one PDF; each part is read, printed and dropped in turn."""
    row = session.get(BookFile, file_id)
    user = get_user_by_id(session, row.requested_by_id)
    unit = session.get(Agency, row.unit_id)
    plan = plan_book(session, user, unit_code=unit.code, date_from=row.date_from, date_to=row.date_to)
    if plan.rows > MAX_FILE_ROWS:
        raise InvalidInput(f"Sổ có {vn_number(plan.rows)} hồ sơ, quá {vn_number(MAX_FILE_ROWS)} hồ sơ của một tệp.")
    writer = PdfWriter()
    with ChildPrinter(render.BASE_URL) as printer:
        for part in range(1, plan.parts + 1):
            html = part_html(session, user, plan, part, settings=settings)
            session.commit()  # end the read transaction while the part is printed
            session.expunge_all()
            writer.append(io.BytesIO(printer.print(html)))
            del html
            gc.collect()
            user = get_user_by_id(session, user.id)
    out = io.BytesIO()
    writer.write(out)
    writer.close()
    sha256, _kind, size = storage.store_bytes(out.getvalue(), root=Path(settings.storage_dir), max_bytes=1 << 30)
    row = session.get(BookFile, file_id)
    row.status, row.finished_at, row.sha256, row.size = DONE, now(), sha256, size
    row.rows, row.parts, row.filename, row.error = plan.rows, plan.parts, plan.filename(), None
    session.commit()


def run_book_files(session: Session, *, settings, limit: int = 20) -> list[uuid.UUID]:
    """The worker's job: print queued book files, one at a time; returns the ids handled."""
    handled = []
    while len(handled) < limit:
        file_id = _claim(session)
        if file_id is None:
            break
        handled.append(file_id)
        try:
            print_file(session, file_id, settings=settings)
        except Exception as exc:  # recorded on the row for the clerk; the next file still runs
            session.rollback()
            log.exception("book file %s failed", file_id)
            message = exc.message if isinstance(exc, InvalidInput | Forbidden | NotFound) else "lỗi khi in sổ."
            session.execute(
                update(BookFile).where(BookFile.id == file_id)
                .values(status=FAILED, finished_at=now(), error=message[:500])
            )
            session.commit()
    return handled
