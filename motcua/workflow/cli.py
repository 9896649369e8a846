"""Commands: `motcua process export` / `motcua process import` (JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

process_app = typer.Typer(help="Quy trình nội bộ (ISO 9001) của thủ tục.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(process_app, name="process")


@process_app.command("export")
def export_command(
    procedure: str = typer.Option(..., "--procedure", help="Mã thủ tục"),
    agency: str = typer.Option(..., "--agency", help="Mã cơ quan thực hiện"),
    output: Path | None = typer.Option(None, "--output", help="Tệp JSON (mặc định: in ra màn hình)"),
) -> None:
    """Xuất quy trình đang áp dụng (hoặc quy trình mặc định) ra JSON."""
    from motcua.catalog.service import get_procedure_by_code
    from motcua.cli import cli_session
    from motcua.org.service import get_agency_by_code
    from motcua.workflow.service import export_or_preview

    with cli_session() as session:
        data = export_or_preview(session, get_procedure_by_code(session, procedure), get_agency_by_code(session, agency))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"Đã xuất quy trình ra {output}.")
    else:
        typer.echo(text)


@process_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="Tệp JSON quy trình"),
    procedure: str = typer.Option(..., "--procedure", help="Mã thủ tục"),
    agency: str = typer.Option(..., "--agency", help="Mã cơ quan thực hiện"),
) -> None:
    """Nhập quy trình từ JSON: tạo phiên bản mới, hồ sơ đang xử lý giữ phiên bản cũ."""
    from motcua.catalog.service import get_procedure_by_code
    from motcua.cli import cli_session, fail
    from motcua.org.service import get_agency_by_code
    from motcua.workflow.service import import_template

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"Không đọc được tệp JSON {file}: {exc}")
    with cli_session() as session:
        template = import_template(session, procedure=get_procedure_by_code(session, procedure),
                                   agency=get_agency_by_code(session, agency), data=data)
        typer.echo(f"Đã nhập quy trình, phiên bản {template.version} ({len(template.steps)} bước).")
