"""`motcua payments reconcile`: compare local payments with the platform."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    payments = typer.Typer(help="Thanh toán phí, lệ phí qua Nền tảng thanh toán quốc gia.", no_args_is_help=True)
    app.add_typer(payments, name="payments")

    @payments.command("reconcile")
    def reconcile() -> None:
        """Đối soát các yêu cầu thanh toán với nền tảng; ghi nhận khoản đã thanh toán mà chưa nhận được xác nhận."""
        from motcua.cli import cli_factory, fail
        from motcua.integrations.payment.platform import PaymentError
        from motcua.payments import service
        from motcua.payments.gateway import open_platform

        try:
            with cli_factory() as factory, open_platform() as platform:
                report = service.reconcile(factory, platform)
        except PaymentError as exc:
            fail(exc.message)
        typer.echo(f"Đã đối soát {report.checked} giao dịch; ghi nhận {len(report.recovered)} khoản thanh toán "
                   f"chưa nhận được xác nhận; {len(report.differences)} khác biệt.")
        for transaction_id in report.recovered:
            typer.echo(f"  ghi nhận: {transaction_id}")
        for difference in report.differences:
            typer.echo(f"  khác biệt: {difference}")
        if report.differences:
            raise typer.Exit(1)
