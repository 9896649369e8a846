"""Commands: `motcua feedback stages|set-stage|stats|alerts`."""

from __future__ import annotations

import json

import typer

feedback_app = typer.Typer(help="Phản ánh, kiến nghị (PAKN): thời hạn các bước, thống kê đúng hạn.",
                           no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")


@feedback_app.command("stages")
def stages() -> None:
    """Thời hạn từng bước xử lý (ngày làm việc) và căn cứ."""
    from motcua.cli import cli_session
    from motcua.feedback.service import stages as load

    with cli_session(write=False) as session:
        for row in load(session):
            days = f"{row.working_days} ngày làm việc" if row.working_days is not None else "chưa có thời hạn"
            typer.echo(f"{row.key}: {row.name} — {days}\n  căn cứ: {row.basis}")


@feedback_app.command("set-stage")
def set_stage(
    stage: str = typer.Option(..., "--stage", help="classify | answer | publish"),
    days: int = typer.Option(None, "--days", help="Số ngày làm việc; bỏ trống: không có thời hạn"),
    basis: str = typer.Option(..., "--basis", help="Văn bản quy định (số, ngày, điều)"),
    note: str = typer.Option(None, "--note"),
) -> None:
    """Ghi thời hạn của một bước theo văn bản của tỉnh (áp dụng cho phản ánh tiếp nhận sau đó)."""
    from motcua.cli import cli_session
    from motcua.core.errors import DomainError
    from motcua.feedback.enums import Stage
    from motcua.feedback.service import set_stage_limit

    try:
        key = Stage(stage)
    except ValueError:
        raise typer.BadParameter("Bước phải là classify, answer hoặc publish.") from None
    try:
        with cli_session() as session:
            row = set_stage_limit(session, key, working_days=days, basis=basis, note=note)
            typer.echo(f"Đã ghi: {row.name} — {row.working_days if row.working_days is not None else 'không'} "
                       "ngày làm việc.")
    except DomainError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None


@feedback_app.command("stats")
def stats(
    start: str = typer.Option(..., "--from", help="Từ ngày (dd/mm/yyyy hoặc YYYY-MM-DD)"),
    end: str = typer.Option(..., "--to", help="Đến ngày"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Tỷ lệ phản ánh, kiến nghị trả lời đúng hạn theo cơ quan (chỉ số 766)."""
    from motcua.cli import cli_session
    from motcua.core.dates import parse_date
    from motcua.core.errors import DomainError
    from motcua.feedback.queries import on_time_statistics

    try:
        first, last = parse_date(start, label="Từ ngày"), parse_date(end, label="Đến ngày")
    except DomainError as exc:
        raise typer.BadParameter(exc.message) from None
    with cli_session(write=False) as session:
        rows = on_time_statistics(session, start=first, end=last)
    if as_json:
        typer.echo(json.dumps([{"agency": r.agency_name, "received": r.received, "counted": r.counted,
                                "on_time": r.on_time, "late": r.late, "pending": r.pending,
                                "no_deadline": r.no_deadline, "ratio": r.ratio, "score": r.score} for r in rows],
                              ensure_ascii=False, indent=1))
        return
    for r in rows:
        ratio = f"{r.ratio:.1%}" if r.ratio is not None else "—"
        typer.echo(f"{r.agency_name}: {r.on_time}/{r.counted} đúng hạn ({ratio}), điểm {r.score}; "
                   f"chưa đến hạn {r.pending}, chưa có thời hạn {r.no_deadline}")


@feedback_app.command("alerts")
def alerts() -> None:
    """Cảnh báo ngay các phản ánh quá hạn (như công việc feedback-overdue của `motcua worker`)."""
    from motcua.cli import cli_factory
    from motcua.feedback.jobs import feedback_overdue_alerts

    with cli_factory() as factory:
        typer.echo(feedback_overdue_alerts(factory))
