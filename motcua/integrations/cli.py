"""`motcua sim <system> --port P`: the simulators of the external systems, for development,
demos and anyone checking an integration by hand (tests run them in-process)."""

from __future__ import annotations

from pathlib import Path

import typer

HOST = typer.Option("127.0.0.1", help="Địa chỉ lắng nghe")


def _port(default: int):
    return typer.Option(default, min=1, max=65535, help="Cổng")


def _serve(app_, host: str, port: int, *, reset: bool) -> None:
    """Serve a simulator app (its state reset first when asked) until Ctrl-C."""
    import uvicorn

    if reset:
        app_.state.simulator.reset()
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    sim = typer.Typer(help="Trình mô phỏng các hệ thống bên ngoài (phát triển, kiểm thử).", no_args_is_help=True)
    app.add_typer(sim, name="sim")

    @sim.command("dvcqg")
    def sim_dvcqg(
        host: str = HOST,
        port: int = _port(8101),
        state: Path = typer.Option(Path("var/dvcqg_simulator.db"), help="Tệp trạng thái (SQLite)"),
        catalog_file: Path = typer.Option(None, "--catalog", help="Danh mục TTHC quốc gia (JSONL) để nạp"),
        password: str = typer.Option(None, help="Mật khẩu tài khoản kết nối (mặc định: simulator)"),
        reset: bool = typer.Option(False, help="Nạp lại danh mục, xoá phiên, lỗi giả lập và lịch sử gọi"),
        lenient: bool = typer.Option(False, help="Không kiểm tra isUpdating với hồ sơ đã có / chưa có"),
    ) -> None:
        """Chạy trình mô phỏng Cổng Dịch vụ công quốc gia (giao thức adapter/LGSP)."""
        from motcua.integrations.dvcqg import simulator
        from motcua.integrations.dvcqg.config import DvcqgSettings

        settings = DvcqgSettings()
        app_ = simulator.create_simulator(
            state, catalog_path=catalog_file or simulator.DEFAULT_CATALOG, username=settings.username,
            password=password or settings.password or simulator.DEFAULT_PASSWORD, settings=settings,
            lenient=lenient)
        _serve(app_, host, port, reset=reset)

    @sim.command("vneid")
    def sim_vneid(
        host: str = HOST,
        port: int = _port(8102),
        state: Path = typer.Option(Path("var/vneid_simulator.db"), help="Tệp trạng thái (SQLite)"),
        reset: bool = typer.Option(False, help="Nạp lại tài khoản thử nghiệm; xoá mã, token, lỗi giả lập"),
    ) -> None:
        """Chạy trình mô phỏng đăng nhập bằng tài khoản định danh điện tử (VNeID, OpenID Connect)."""
        from motcua.integrations.vneid import simulator
        from motcua.integrations.vneid.config import VneidSettings

        # The one client it knows is the one the application is configured with (VNEID_CLIENT_ID,
        # VNEID_CLIENT_SECRET), so that ./run.sh needs no second copy of the secret.
        settings = VneidSettings()
        app_ = simulator.create_simulator(state, client_id=settings.client_id,
                                          client_secret=settings.client_secret or simulator.DEFAULT_CLIENT_SECRET)
        _serve(app_, host, port, reset=reset)

    @sim.command("payment")
    def sim_payment(
        host: str = HOST,
        port: int = _port(8103),
        state: Path = typer.Option(Path("var/payment_simulator.db"), help="Tệp trạng thái (SQLite)"),
        callback_url: str = typer.Option(None, help="Địa chỉ nhận xác nhận thanh toán của ứng dụng"),
        reset: bool = typer.Option(False, help="Xoá giao dịch, lỗi giả lập và lịch sử gọi"),
    ) -> None:
        """Chạy trình mô phỏng Nền tảng thanh toán quốc gia (tạo giao dịch, trang thanh toán, xác nhận)."""
        from motcua.integrations.payment import simulator
        from motcua.integrations.payment.config import PaymentSettings

        settings = PaymentSettings()
        app_ = simulator.create_simulator(state, hash_key=settings.hash_key or simulator.DEFAULT_HASH_KEY,
                                          callback_url=callback_url, settings=settings)
        _serve(app_, host, port, reset=reset)

    @sim.command("lgsp")
    def sim_lgsp(
        host: str = HOST,
        port: int = _port(8104),
        state: Path = typer.Option(Path("var/lgsp_simulator.db"), help="Tệp trạng thái (SQLite)"),
        citizens: Path = typer.Option(None, help="Danh sách công dân mẫu (JSON) để nạp"),
        password: str = typer.Option(None, help="Mật khẩu tài khoản kết nối (mặc định: simulator)"),
        reset: bool = typer.Option(False, help="Nạp lại công dân mẫu, xoá phiên, lỗi giả lập và lịch sử gọi"),
    ) -> None:
        """Chạy trình mô phỏng nền tảng LGSP tỉnh: tra cứu Cơ sở dữ liệu quốc gia về dân cư."""
        from motcua.integrations.lgsp import simulator
        from motcua.integrations.lgsp.config import LgspSettings

        settings = LgspSettings()
        app_ = simulator.create_simulator(
            state, citizens_path=citizens or simulator.DEFAULT_CITIZENS, username=settings.username,
            password=password or settings.password or simulator.DEFAULT_PASSWORD, settings=settings)
        _serve(app_, host, port, reset=reset)

    @sim.command("sms")
    def sim_sms(
        host: str = HOST,
        port: int = _port(8105),
        state: Path = typer.Option(Path("var/sms_simulator.db"), help="Tệp trạng thái (SQLite)"),
        reset: bool = typer.Option(False, help="Xoá tin nhắn đã nhận, lỗi giả lập và lịch sử gọi"),
    ) -> None:
        """Chạy trình mô phỏng cổng SMS: ghi lại mọi tin nhắn nhận được (xem /_sim/messages)."""
        from motcua.integrations.sms import simulator
        from motcua.integrations.sms.config import SmsSettings

        # The account it checks is the one the application sends with (SMS_USERNAME, SMS_PASSWORD).
        settings = SmsSettings()
        _serve(simulator.create_simulator(state, username=settings.username, password=settings.password),
               host, port, reset=reset)
