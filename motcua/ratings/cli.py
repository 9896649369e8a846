"""Commands of the ratings domain:

- `motcua ratings sync [--now]`: send the ratings waiting for DongBoDanhGia (what the worker does
  every minute; `--now` also those waiting for their back-off).
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    ratings = typer.Typer(help="Đánh giá mức độ hài lòng của người dân", no_args_is_help=True)
    app.add_typer(ratings, name="ratings")

    @ratings.command("sync")
    def ratings_sync(
        now: bool = typer.Option(False, "--now", help="Gửi cả đánh giá đang chờ thử lại (bỏ qua thời gian chờ)"),
    ) -> None:
        """Gửi các đánh giá chưa gửi lên Cổng DVCQG (DongBoDanhGia)."""
        from motcua.cli import cli_factory
        from motcua.integrations.dvcqg.config import DvcqgSettings
        from motcua.integrations.dvcqg.legacy import LegacyPortal
        from motcua.ratings.sync import send_ratings

        with cli_factory() as factory, LegacyPortal(DvcqgSettings()) as portal:
            report = send_ratings(factory, portal, ignore_backoff=now)
        typer.echo(report.summary())
