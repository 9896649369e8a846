"""`motcua calendar …`: compute a deadline, list and edit the days of the calendar."""

from __future__ import annotations

import json

import typer

from motcua.calendar import admin, deadlines, parsing
from motcua.calendar.explain import fmt_moment
from motcua.calendar.sources import KIND_LABELS
from motcua.core.errors import DomainError

calendar_app = typer.Typer(
    help="Lịch làm việc, ngày nghỉ và tính thời hạn giải quyết.", no_args_is_help=True
)

CLI_ACTOR = "cli"


def _fail(exc: DomainError) -> None:
    from motcua.cli import fail

    fail(exc.message)


@calendar_app.command("due")
def due(
    received_at: str = typer.Option(
        ...,
        "--received-at",
        help="Thời điểm tiếp nhận, ví dụ 2025-01-24T15:30 (giờ Việt Nam nếu không ghi múi giờ)",
    ),
    working_days: int | None = typer.Option(
        None, "--working-days", help="Thời hạn tính bằng ngày làm việc (0 = trong ngày)"
    ),
    working_hours: str | None = typer.Option(
        None, "--working-hours", help="Thời hạn tính bằng giờ làm việc"
    ),
    cutoff: str | None = typer.Option(
        None, "--cutoff", help="Giờ chốt tiếp nhận HH:MM (mặc định 15:00)"
    ),
    agency: str | None = typer.Option(
        None, "--agency", help="Mã cơ quan (giờ làm việc riêng của cơ quan)"
    ),
    as_json: bool = typer.Option(False, "--json", help="In một đối tượng JSON"),
) -> None:
    """Tính ngày hẹn trả kết quả, kèm giải thích từng bước."""
    from motcua.cli import cli_session

    try:
        with cli_session() as session:
            result = deadlines.compute_due(
                session,
                received_at=received_at,
                working_days=working_days,
                working_hours=working_hours,
                cutoff=cutoff,
                agency_code=agency,
            )
    except DomainError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(deadlines.due_as_dict(result), ensure_ascii=False))
        return
    typer.echo(f"Thời điểm tính hạn: {fmt_moment(result.effective_receipt_at)}")
    typer.echo(f"Hẹn trả kết quả:   {fmt_moment(result.due_at)}")
    typer.echo("Giải thích:")
    for step in result.trace:
        typer.echo(f"  - {step.text}")


@calendar_app.command("days")
def days(year: int = typer.Option(..., "--year", help="Năm, ví dụ 2026")) -> None:
    """Liệt kê ngày lễ, ngày nghỉ và ngày làm việc bù của một năm."""
    from motcua.cli import cli_session

    try:
        with cli_session() as session:
            rows = admin.list_days(session, year=year)
            for row in rows:
                flag = "" if row.confirmed else " [CHƯA XÁC NHẬN]"
                typer.echo(f"{row.day:%d/%m/%Y}  {row.kind:<15} {row.name}{flag}  — {row.source}")
    except DomainError as exc:
        _fail(exc)


@calendar_app.command("add-day")
def add_day(
    day: str = typer.Option(..., "--date", help="Ngày YYYY-MM-DD"),
    kind: str = typer.Option(..., "--kind", help="holiday | day_off | makeup_workday"),
    name: str = typer.Option(..., "--name", help="Tên ngày, ví dụ “Tết Dương lịch”"),
    source: str = typer.Option(..., "--source", help="Căn cứ: văn bản công bố"),
    unconfirmed: bool = typer.Option(
        False, "--unconfirmed", help="Ghi nhận nhưng chưa áp dụng (chờ xác nhận)"
    ),
) -> None:
    """Thêm một ngày nghỉ hoặc ngày làm việc bù theo văn bản công bố."""
    from motcua.cli import cli_session

    try:
        with cli_session() as session:
            row = admin.add_day(
                session,
                actor=CLI_ACTOR,
                day=parsing.parse_day(day),
                kind=kind,
                name=name,
                source=source,
                confirmed=not unconfirmed,
            )
            typer.echo(f"Đã thêm {KIND_LABELS[row.kind].lower()} {row.day:%d/%m/%Y}: {row.name}.")
    except DomainError as exc:
        _fail(exc)


@calendar_app.command("confirm-day")
def confirm_day(
    day: str = typer.Option(..., "--date", help="Ngày YYYY-MM-DD"),
    source: str | None = typer.Option(None, "--source", help="Văn bản xác nhận (nếu có)"),
) -> None:
    """Xác nhận một ngày đang chờ (ví dụ 24/11 — Ngày Văn hóa Việt Nam) để áp dụng khi tính hạn."""
    from motcua.cli import cli_session

    try:
        with cli_session() as session:
            row = admin.confirm_day(
                session, actor=CLI_ACTOR, day=parsing.parse_day(day), source=source
            )
            typer.echo(f"Đã xác nhận ngày {row.day:%d/%m/%Y}: {row.name}.")
    except DomainError as exc:
        _fail(exc)


@calendar_app.command("remove-day")
def remove_day(day: str = typer.Option(..., "--date", help="Ngày YYYY-MM-DD")) -> None:
    """Xoá một ngày khỏi lịch (ví dụ ngày chưa được công nhận là ngày nghỉ)."""
    from motcua.cli import cli_session

    try:
        with cli_session() as session:
            parsed = parsing.parse_day(day)
            admin.remove_day(session, actor=CLI_ACTOR, day=parsed)
            typer.echo(f"Đã xoá ngày {parsed:%d/%m/%Y} khỏi lịch.")
    except DomainError as exc:
        _fail(exc)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")
