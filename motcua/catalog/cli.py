"""`motcua import-catalog PATH`, `motcua export-catalog --format json|xlsx --output F`, and the
`motcua catalog` group: `decision-template`, `import-decision FILE [--apply]`, `load-legal FILE…`,
`coverage`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer


class ExportFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    catalog = typer.Typer(help="Danh mục thủ tục hành chính.", no_args_is_help=True)
    app.add_typer(catalog, name="catalog")
    register_decisions(catalog)

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


def register_decisions(catalog_app: typer.Typer) -> None:
    @catalog_app.command("decision-template")
    def decision_template_command(
        output: Path = typer.Option(..., "--output", "-o", help="Tệp mẫu (.xlsx hoặc .json)"),
    ) -> None:
        """Ghi mẫu trống của quyết định công bố thủ tục (XLSX hoặc JSON, theo đuôi tệp)."""
        from motcua.catalog import decisions
        from motcua.cli import fail

        suffix = output.suffix.lower()
        if suffix not in {".xlsx", ".json"}:
            fail("Tệp mẫu phải có đuôi .xlsx hoặc .json.")
        content = decisions.template_xlsx() if suffix == ".xlsx" else decisions.template_json()
        try:
            output.write_bytes(content)
        except OSError as exc:
            fail(f"Không ghi được tệp {output}: {exc.strerror or exc}")
        typer.echo(f"Đã ghi mẫu quyết định công bố ra {output}.")

    @catalog_app.command("import-decision")
    def import_decision_command(
        path: Path = typer.Argument(..., help="Tệp quyết định công bố (.xlsx hoặc .json, theo mẫu)"),
        apply: bool = typer.Option(False, "--apply", help="Áp dụng (mặc định chỉ in các thay đổi)"),
        actor: str = typer.Option("cli", "--actor", help="Người thực hiện, ghi vào phiên bản"),
    ) -> None:
        """Đọc quyết định công bố thủ tục, in các thay đổi; với --apply thì áp dụng (tất cả hoặc không)."""
        from motcua.catalog import changes, decisions
        from motcua.cli import cli_session, fail
        from motcua.core.errors import DomainError

        if not path.is_file():
            fail(f"Không tìm thấy tệp quyết định: {path}")
        try:
            parsed = decisions.read_file(path.read_bytes())
            decision = decisions.decision_from(parsed.header, source_file=path.name)
            with cli_session(write=apply) as session:
                changeset = changes.diff(session, parsed.entries)
                typer.echo(decisions.changeset_text(decision, changeset))
                if not apply:
                    typer.echo("Chưa áp dụng: chạy lại với --apply để áp dụng.")
                    return
                row = changes.apply(session, changeset, decision, actor=actor)
                status = row.status
        except DomainError as exc:
            lead, details = decisions.refusal_parts(exc)
            fail("\n".join([lead] + [f"  - {d}" for d in details]))
        if status == "pending":
            typer.echo(f"Đã lưu; các thay đổi sẽ áp dụng từ ngày {decision.effective_on:%d/%m/%Y} (motcua worker).")
        else:
            typer.echo("Đã áp dụng quyết định.")
