"""`motcua create-user` and `motcua token`."""

from __future__ import annotations

import typer

from motcua.auth import service
from motcua.auth.roles import parse_role
from motcua.core.errors import DomainError


def register(app: typer.Typer) -> None:
    @app.command("create-user")
    def create_user_command(
        username: str = typer.Option(None, "--username", help="Tên đăng nhập (chữ thường không dấu)"),
        password: str = typer.Option(None, "--password", help="Mật khẩu (ít nhất 8 ký tự)"),
        full_name: str = typer.Option(None, "--full-name", help="Họ và tên"),
        agency: str = typer.Option(None, "--agency", help="Mã cơ quan QCVN 102, ví dụ 000.00.00.H37"),
        role: list[str] = typer.Option(
            None,
            "--role",
            help="Vai trò (lặp lại để giao nhiều vai trò): province_admin, agency_admin, "
            "counter_officer, specialist, head, clerk, quality_secretary, reform_officer",
        ),
        email: str = typer.Option(None, "--email", help="Thư điện tử"),
        phone: str = typer.Option(None, "--phone", help="Số điện thoại"),
    ) -> None:
        """Tạo tài khoản cán bộ với vai trò tại một cơ quan."""
        from motcua.cli import cli_session, fail

        missing = [
            flag
            for flag, value in (
                ("--username", username),
                ("--password", password),
                ("--full-name", full_name),
                ("--agency", agency),
                ("--role", role),
            )
            if not value
        ]
        if missing:
            fail("thiếu tham số " + ", ".join(missing) + ".")
        try:
            roles = [parse_role(r) for r in role]
            with cli_session() as session:
                user = service.create_user(
                    session,
                    actor=None,
                    username=username,
                    password=password,
                    full_name=full_name,
                    agency=service.agency_by_code(session, agency),
                    roles=roles,
                    email=email,
                    phone=phone,
                )
                summary = ", ".join(r.role for r in user.roles)
                name = user.username
        except DomainError as exc:
            fail(exc.message)
        typer.echo(f"Đã tạo tài khoản “{name}” ({summary}) tại cơ quan {agency.strip()}.")

    @app.command("token")
    def token_command(
        username: str = typer.Option(None, "--username", help="Tên đăng nhập"),
        name: str = typer.Option("CLI", "--name", help="Tên gợi nhớ của mã"),
    ) -> None:
        """Cấp một mã truy cập API cho tài khoản; chỉ in mã ra (một lần duy nhất)."""
        from motcua.cli import cli_session, fail

        if not username:
            fail("thiếu tham số --username.")
        try:
            with cli_session() as session:
                user = service.get_user(session, username)
                token = service.issue_token(session, user, name)
        except DomainError as exc:
            fail(exc.message)
        typer.echo(token)

    @app.command("set-password")
    def set_password_command(
        username: str = typer.Option(None, "--username", help="Tên đăng nhập"),
        password: str = typer.Option(None, "--password", help="Mật khẩu mới (ít nhất 8 ký tự)"),
    ) -> None:
        """Đặt lại mật khẩu của một tài khoản (và gỡ tạm khoá đăng nhập)."""
        from motcua.cli import cli_session, fail

        if not username or not password:
            fail("cần cả --username và --password.")
        try:
            with cli_session() as session:
                user = service.get_user(session, username)
                service.set_password(session, actor=None, target=user, password=password)
        except DomainError as exc:
            fail(exc.message)
        typer.echo(f"Đã đặt lại mật khẩu cho tài khoản “{user.username}”.")
