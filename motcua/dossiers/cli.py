"""Commands: `motcua audit verify`, `motcua dossiers alert-overdue`, `motcua demo`."""

from __future__ import annotations

import os
from datetime import date

import typer

from motcua.core.clock import to_local
from motcua.dossiers.audit import VerifyRun, record_checkpoint, verify_audit

audit_app = typer.Typer(help="Nhật ký xử lý hồ sơ (chuỗi băm).", no_args_is_help=True)
dossiers_app = typer.Typer(help="Hồ sơ thủ tục hành chính.", no_args_is_help=True)


def report_verify(run: VerifyRun, *, incremental: bool) -> int:
    """Print the result of the audit check; returns the exit code (1 when a history was altered)."""
    checked, problems = run.checked, run.problems
    if run.since is not None:
        typer.echo(f"Kiểm tra gia tăng: các hồ sơ có nhật ký ghi từ {to_local(run.since):%H:%M:%S ngày %d/%m/%Y}.")
    elif incremental:
        typer.echo("Chưa có lần kiểm tra nào trước đó: kiểm tra toàn bộ.")
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
    app.command("demo")(demo_command)


@audit_app.command("verify")
def audit_verify(
    incremental: bool = typer.Option(
        False, "--incremental", help="Chỉ kiểm tra hồ sơ có nhật ký ghi từ lần kiểm tra trước (nhanh, chạy định kỳ)."
    ),
) -> None:
    """Kiểm tra chuỗi băm nhật ký của mọi hồ sơ; liệt kê hồ sơ có lịch sử bị sửa (mã thoát 1)."""
    from motcua.cli import cli_session

    with cli_session(write=False) as session:  # read-only: never blocks the server's writers
        run = verify_audit(session, incremental=incremental)
    with cli_session() as session:  # then one short write: the checkpoint
        record_checkpoint(session, run)
    raise typer.Exit(report_verify(run, incremental=incremental))


@dossiers_app.command("alert-overdue")
def alert_overdue() -> None:
    """Gửi cảnh báo hồ sơ sắp đến hạn / quá hạn cho người xử lý và lãnh đạo (chạy định kỳ)."""
    from motcua.cli import cli_factory
    from motcua.dossiers.service import run_overdue_alerts

    with cli_factory() as factory:  # reads, then short write batches (see the service)
        codes = run_overdue_alerts(factory)
    typer.echo(f"Đã cảnh báo {len(codes)} hồ sơ.")
    for code in codes:
        typer.echo(f"  {code}")


def demo_command(
    dossiers: int = typer.Option(..., "--dossiers", min=1, help="Số hồ sơ cần tạo"),
    seed: int = typer.Option(1, "--seed", help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)"),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, max=100_000, help="Số hồ sơ mỗi lô (mỗi lô một giao dịch)"),
    workers: int = typer.Option(0, "--workers", min=0, max=16,
                                help="Số tiến trình tạo dữ liệu (PostgreSQL; 0: theo số nhân CPU)"),
    until: str = typer.Option("", "--until", metavar="YYYY-MM-DD",
                              help="Ngày cuối của khoảng thời gian tiếp nhận (mặc định: hôm nay)"),
    days: int = typer.Option(730, "--days", min=1, max=36_500, help="Số ngày của khoảng thời gian tiếp nhận"),
) -> None:
    """Tạo N hồ sơ minh hoạ có lịch sử xử lý trong hai năm (dữ liệu demo, không dùng cho hệ thống thật)."""
    from motcua.cli import cli_session
    from motcua.dossiers.demo import generate

    def progress(done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds > 0 else 0
        typer.echo(f"  {done:>9}/{total} hồ sơ, {seconds:7.1f} giây ({rate:.0f} hồ sơ/giây)")

    try:
        last = date.fromisoformat(until) if until else None
    except ValueError:
        typer.echo(f"Ngày “{until}” không hợp lệ; hãy ghi theo dạng NĂM-THÁNG-NGÀY, ví dụ 2024-06-30.", err=True)
        raise typer.Exit(2) from None
    with cli_session() as session:
        report = generate(session, dossiers=dossiers, seed=seed, batch_size=batch_size,
                          workers=workers or min(4, os.cpu_count() or 1), progress=progress, until=last, days=days)
    if report.marked_cross_boundary:
        typer.echo("Đã đánh dấu tiếp nhận không phụ thuộc địa giới hành chính cho các thủ tục: "
                   + ", ".join(report.marked_cross_boundary))
    typer.echo(f"Đã tạo {report.created} hồ sơ trong {report.seconds:.1f} giây.")
    for status, count in sorted(report.statuses.items(), key=lambda kv: -kv[1]):
        typer.echo(f"  {status}: {count}")
