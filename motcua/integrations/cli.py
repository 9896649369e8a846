"""`motcua sim <system> --port P`: the simulators of the external systems, for development,
demos and anyone checking an integration by hand (tests run them in-process)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    sim = typer.Typer(help="Trình mô phỏng các hệ thống bên ngoài (phát triển, kiểm thử).", no_args_is_help=True)
    app.add_typer(sim, name="sim")

    @sim.command("dvcqg")
    def sim_dvcqg(
        host: str = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe"),
        port: int = typer.Option(8101, min=1, max=65535, help="Cổng"),
        state: Path = typer.Option(Path("var/dvcqg_simulator.db"), help="Tệp trạng thái (SQLite)"),
        catalog_file: Path = typer.Option(None, "--catalog", help="Danh mục TTHC quốc gia (JSONL) để nạp"),
        password: str = typer.Option(None, help="Mật khẩu tài khoản kết nối (mặc định: simulator)"),
        reset: bool = typer.Option(False, help="Nạp lại danh mục, xoá phiên, lỗi giả lập và lịch sử gọi"),
        lenient: bool = typer.Option(False, help="Không kiểm tra isUpdating với hồ sơ đã có / chưa có"),
    ) -> None:
        """Chạy trình mô phỏng Cổng Dịch vụ công quốc gia (giao thức adapter/LGSP)."""
        import uvicorn

        from motcua.integrations.dvcqg import simulator
        from motcua.integrations.dvcqg.config import DvcqgSettings

        settings = DvcqgSettings()
        app_ = simulator.create_simulator(
            state, catalog_path=catalog_file or simulator.DEFAULT_CATALOG, username=settings.username,
            password=password or settings.password or simulator.DEFAULT_PASSWORD, settings=settings,
            lenient=lenient)
        if reset:
            app_.state.simulator.reset()
        uvicorn.run(app_, host=host, port=port, log_level="warning")
