"""`motcua worker`: the background job loop."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        once: bool = typer.Option(False, "--once", help="Chạy mọi công việc một lần rồi thoát"),
        tick: int = typer.Option(60, min=1, max=3600, help="Chu kỳ kiểm tra (giây)"),
    ) -> None:
        """Chạy các công việc nền: cảnh báo hồ sơ sắp đến hạn, quá hạn; in tệp sổ theo dõi hồ sơ."""
        from motcua.core.config import get_settings
        from motcua.core.db import make_engine, make_sessionmaker
        from motcua.jobs.worker import run_due_jobs, run_forever

        engine = make_engine(get_settings().database_url)
        factory = make_sessionmaker(engine)
        try:
            if once:
                for name, outcome in run_due_jobs(factory, elapsed=0).items():
                    typer.echo(f"[{name}] {outcome}")
            else:
                run_forever(factory, tick_seconds=tick, on_result=typer.echo)
        finally:
            engine.dispose()
