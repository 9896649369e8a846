"""Commands: `motcua notify status`, `motcua notify send --once`."""

from __future__ import annotations

import typer

notify_app = typer.Typer(help="Thông báo gửi đi (hộp thư đi: thư điện tử …).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")


@notify_app.command("status")
def status() -> None:
    """Số thông báo theo trạng thái, và các thông báo không gửi được gần đây (kèm lỗi)."""
    from motcua.cli import cli_session
    from motcua.core.clock import to_local
    from motcua.notify.models import MESSAGE_STATUS_LABELS, MessageStatus
    from motcua.notify.service import recent_failures, status_counts

    with cli_session(write=False) as session:
        counts = status_counts(session)
        failures = recent_failures(session)
    for name, count in counts.items():
        typer.echo(f"{MESSAGE_STATUS_LABELS[MessageStatus(name)]}: {count}")
    for message in failures:
        typer.echo(f"  {message.key} → {message.recipient} ({message.attempts} lần, "
                   f"{to_local(message.next_attempt_at):%H:%M %d/%m/%Y}): {message.last_error}")


@notify_app.command("send")
def send(once: bool = typer.Option(True, "--once", help="Gửi một lượt rồi thoát (mặc định; gửi liên tục là việc của `motcua worker`)")) -> None:
    """Gửi ngay một lượt các thông báo đến lượt (như công việc notify-send của `motcua worker`)."""
    from motcua.cli import cli_factory
    from motcua.notify.jobs import send_messages

    with cli_factory() as factory:
        typer.echo(send_messages(factory))
