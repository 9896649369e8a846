"""Commands: `motcua audit verify`, `motcua dossiers alert-overdue`."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session

from motcua.dossiers.audit import verify_chains

audit_app = typer.Typer(help="Nhật ký xử lý hồ sơ (chuỗi băm).", no_args_is_help=True)
dossiers_app = typer.Typer(help="Hồ sơ thủ tục hành chính.", no_args_is_help=True)


def run_verify(session: Session) -> int:
    """Print the result of the audit check; returns the exit code (1 when a history was altered)."""
    checked, problems = verify_chains(session)
    if not problems:
        typer.echo(f"Đã kiểm tra {checked} hồ sơ: nhật ký toàn vẹn.")
        return 0
    typer.echo(f"Đã kiểm tra {checked} hồ sơ: {len(problems)} hồ sơ có nhật ký bị sửa đổi:")
    for p in problems:
        typer.echo(f"  {p.code or p.dossier_id} (bản ghi số {p.seq}): {p.reason}")
    return 1


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.add_typer(dossiers_app, name="dossiers")


@audit_app.command("verify")
def audit_verify() -> None:
    """Kiểm tra chuỗi băm nhật ký của mọi hồ sơ; liệt kê hồ sơ có lịch sử bị sửa (mã thoát 1)."""
    from motcua.cli import cli_session

    with cli_session(write=False) as session:  # read-only: never blocks the server's writers
        code = run_verify(session)
    raise typer.Exit(code)


@dossiers_app.command("alert-overdue")
def alert_overdue() -> None:
    """Gửi cảnh báo hồ sơ sắp đến hạn / quá hạn cho người xử lý và lãnh đạo (chạy định kỳ)."""
    from motcua.cli import cli_session
    from motcua.dossiers.service import send_overdue_alerts

    with cli_session() as session:
        alerted = send_overdue_alerts(session)
        typer.echo(f"Đã cảnh báo {len(alerted)} hồ sơ.")
        for d in alerted:
            typer.echo(f"  {d.code}")
