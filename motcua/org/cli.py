"""`motcua org ...`: list agencies, set an official QCVN 102 code."""

from __future__ import annotations

import typer

from motcua.org import service
from motcua.org.enums import AGENCY_LEVEL_LABELS, AgencyLevel

org_app = typer.Typer(help="Cơ quan, đơn vị và đơn vị hành chính.", no_args_is_help=True)


@org_app.command("list")
def list_command(
    level: str = typer.Option(None, "--level", help="Cấp: province, district, commune"),
    kind: str = typer.Option(None, "--kind", help="Loại cơ quan, ví dụ department, commune_committee"),
    all_: bool = typer.Option(False, "--all", help="Gồm cả cơ quan đã giải thể/sáp nhập"),
    q: str = typer.Option(None, "--q", help="Tìm theo tên (không dấu cũng được) hoặc mã"),
) -> None:
    """Liệt kê cơ quan: mã, tên, cấp (mã tạm đánh dấu *)."""
    from motcua.cli import cli_session, fail
    from motcua.core.errors import DomainError

    with cli_session() as session:
        try:
            page = service.search_agencies(
                session, q=q, level=level, kind=kind, include_historical=all_, page_size=service.MAX_PAGE_SIZE
            )
            items, total, number = list(page.items), page.total, 1
            while len(items) < total:
                number += 1
                more = service.search_agencies(
                    session, q=q, level=level, kind=kind, include_historical=all_,
                    page=number, page_size=service.MAX_PAGE_SIZE,
                )
                if not more.items:
                    break
                items.extend(more.items)
        except DomainError as exc:
            fail(exc.message)
        for agency in items:
            mark = "*" if agency.code_provisional else " "
            status = f"  (giải thể/sáp nhập {agency.dissolved_on:%d/%m/%Y})" if agency.dissolved_on else ""
            label = AGENCY_LEVEL_LABELS.get(AgencyLevel(agency.level), agency.level)
            typer.echo(f"{agency.code}{mark}  {label:<9}  {agency.name}{status}")
        typer.echo(f"Tổng số: {total} cơ quan (* = mã tạm).")


@org_app.command("set-code")
def set_code_command(
    agency: str = typer.Option(..., "--agency", help="Mã hiện tại của cơ quan"),
    new_code: str = typer.Option(..., "--new-code", help="Mã QCVN 102 mới, ví dụ 000.00.12.H37"),
    provisional: bool = typer.Option(False, "--provisional", help="Mã mới vẫn là mã tạm (mặc định: mã chính thức)"),
) -> None:
    """Đặt mã QCVN 102 chính thức cho một cơ quan."""
    from motcua.cli import cli_session, fail
    from motcua.core.errors import DomainError

    with cli_session() as session:
        try:
            target = service.get_agency_by_code(session, agency)
            old = target.code
            service.update_agency(session, target, code=new_code, code_official=not provisional)
        except DomainError as exc:
            fail(exc.message)
        kind = "mã tạm" if target.code_provisional else "mã chính thức"
        typer.echo(f"Đã đổi mã “{target.name}”: {old} → {target.code} ({kind}).")


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")
