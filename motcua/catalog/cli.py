"""`motcua import-catalog PATH`, `motcua export-catalog --format json|xlsx --output F`,
`motcua catalog load-legal FILE…` and `motcua catalog coverage`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer


class ExportFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    catalog = typer.Typer(help="Danh mục thủ tục: nội dung pháp lý, độ phủ.", no_args_is_help=True)
    app.add_typer(catalog, name="catalog")

    @catalog.command("load-legal")
    def load_legal_command(
        paths: list[Path] = typer.Argument(..., help="Tệp JSONL nội dung pháp lý (data/catalog/legal/FORMAT.md)"),
        full: bool = typer.Option(False, "--full", help="Liệt kê mọi mục, không rút gọn"),
    ) -> None:
        """Nạp thời hạn, thành phần hồ sơ, phí, căn cứ pháp lý (chỉ giá trị có căn cứ) và in báo cáo."""
        from motcua.catalog.legal import load_legal
        from motcua.cli import cli_session, fail

        for path in paths:
            if not path.is_file():
                fail(f"Không tìm thấy tệp: {path}")
        with cli_session() as session:
            report = load_legal(session, paths, user="cli")
        typer.echo(report.as_text(limit=100000 if full else 50))

    @catalog.command("coverage")
    def coverage_command(
        missing: bool = typer.Option(False, "--missing", help="Liệt kê các thủ tục còn thiếu"),
    ) -> None:
        """Số thủ tục đang có hiệu lực có thời hạn, thành phần hồ sơ, phí kèm căn cứ."""
        from motcua.catalog.coverage import coverage
        from motcua.cli import cli_session

        with cli_session(write=False) as session:
            typer.echo(coverage(session).as_text(list_missing=missing))

    @app.command("import-catalog")
    def import_catalog_command(
        path: Path = typer.Argument(..., help="Tệp danh mục thủ tục (seed 003, văn bản UTF-8)"),
        quiet: bool = typer.Option(
            False, "--quiet", "-q", help="Chỉ in phần tổng hợp, không liệt kê từng dòng"
        ),
    ) -> None:
        """Nhập danh mục thủ tục hành chính từ tệp seed 003 và in báo cáo nhập."""
        from motcua.catalog.importer import import_catalog
        from motcua.cli import cli_session, fail
        from motcua.core.errors import DomainError

        if not path.exists():
            fail(f"Không tìm thấy tệp danh mục: {path}")
        if not path.is_file():
            fail(f"Đường dẫn không phải là tệp: {path}")
        try:
            with cli_session() as session:
                report = import_catalog(session, path)
        except DomainError as exc:
            fail(exc.message)
        text = report.as_text()
        if quiet:
            text = text.split("\nCác dòng không đọc được đầy đủ:")[0]
        typer.echo(text)

    @app.command("export-catalog")
    def export_catalog_command(
        format: str = typer.Option("json", "--format", "-f", help="Định dạng: json hoặc xlsx"),
        output: Path = typer.Option(..., "--output", "-o", help="Tệp kết quả"),
    ) -> None:
        """Xuất hồ sơ đầy đủ của mọi thủ tục (thời hạn, phí, thành phần hồ sơ) ra JSON hoặc XLSX."""
        from motcua.catalog import transfer
        from motcua.cli import cli_session, fail

        if format not in {f.value for f in ExportFormat}:
            fail(f"Định dạng “{format}” không hỗ trợ; chọn json hoặc xlsx.")
        with cli_session() as session:
            records = transfer.export_records(session)
        content = (
            transfer.to_xlsx(records) if format == ExportFormat.xlsx else transfer.to_json(records)
        )
        try:
            output.write_bytes(content)
        except OSError as exc:
            fail(f"Không ghi được tệp {output}: {exc.strerror or exc}")
        typer.echo(f"Đã xuất {len(records)} thủ tục ra {output}.")
