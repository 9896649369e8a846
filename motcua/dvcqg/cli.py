"""Commands of the national portal domain (the simulator is `motcua sim dvcqg`, motcua.integrations):

- `motcua catalog sync [--apply --decision N --effective dd/mm/yyyy]`: differences between
  the national catalogue and the mapped local procedures, applied as a new version;
- `motcua catalog map LOCAL [NATIONAL] --by USER`: candidates, or a confirmed mapping;
  `motcua catalog unmap LOCAL --by USER`;
- `motcua dvcqg sync [--now]`: send the dossier outbox (what the worker does every minute;
  `--now` also the dossiers waiting for their back-off);
- `motcua dvcqg reconcile`: every synced dossier against what the portal holds; exit status 1
  when any differs.
"""

from __future__ import annotations

import typer

CHANGED_KEYS = {
    "name": "tên",
    "field_code": "lĩnh vực",
    "time_limit_days": "thời hạn (ngày làm việc)",
    "time_limit_hours": "thời hạn (giờ làm việc)",
    "online_time_limit_days": "thời hạn trực tuyến (ngày làm việc)",
    "online_time_limit_hours": "thời hạn trực tuyến (giờ làm việc)",
    "time_limit_note": "ghi chú thời hạn",
    "status": "trạng thái",
}


def _group(app: typer.Typer, name: str, help: str) -> typer.Typer:
    """The command group `name`, shared with other domains that add to it (`catalog`)."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


def _show(value) -> str:
    return "(trống)" if value is None or value == "" else str(value)


def register(app: typer.Typer) -> None:
    catalog = _group(app, "catalog", "Danh mục thủ tục hành chính.")

    @catalog.command("sync")
    def catalog_sync(
        apply: bool = typer.Option(False, "--apply", help="Áp dụng các thay đổi thành phiên bản mới"),
        decision: str = typer.Option(None, "--decision", help="Số quyết định công bố (bắt buộc khi --apply)"),
        effective: str = typer.Option(None, "--effective", help="Ngày hiệu lực dd/mm/yyyy (bắt buộc khi --apply)"),
        signed: str = typer.Option(None, "--signed", help="Ngày ký dd/mm/yyyy (mặc định: hôm nay, hoặc ngày hiệu lực nếu sớm hơn)"),
        issuer: str = typer.Option(None, "--issuer", help="Cơ quan ban hành (mặc định: Chủ tịch UBND tỉnh)"),
    ) -> None:
        """So sánh danh mục TTHC quốc gia với các thủ tục đã ghép mã; --apply để áp dụng."""
        from motcua.catalog import changes
        from motcua.catalog.enums import CHANGE_KIND_LABELS
        from motcua.cli import cli_factory, fail
        from motcua.core.config import get_settings
        from motcua.core.dates import parse_date
        from motcua.core.errors import DomainError
        from motcua.dvcqg import catalog_sync
        from motcua.integrations.dvcqg.config import DvcqgSettings
        from motcua.integrations.dvcqg.legacy import LegacyPortal

        try:
            decision_ = None
            if apply:
                if not decision or not effective:
                    fail("--apply cần --decision (số quyết định) và --effective (ngày hiệu lực).")
                effective_on = parse_date(effective, label="Ngày hiệu lực")
                signed_on = parse_date(signed, label="Ngày ký") if signed else min(changes.today(), effective_on)
                decision_ = changes.Decision(
                    number=decision.strip(), signed_on=signed_on, effective_on=effective_on,
                    issuer=issuer or f"Chủ tịch UBND tỉnh {get_settings().province_name}",
                    source_file="Cơ sở dữ liệu quốc gia về TTHC")
            with cli_factory() as factory, LegacyPortal(DvcqgSettings()) as portal:
                outcome = catalog_sync.run_sync(factory, portal, decision=decision_, actor="catalog sync")
        except DomainError as exc:
            fail(exc.message)
        report, pulled, row = outcome.report, outcome.pulled, outcome.decision
        pull = report.pull
        typer.echo(f"Danh mục quốc gia: {len(pulled.items)} thủ tục, {len(pulled.fields)} lĩnh vực; "
                   f"{len(outcome.mapped)} mã quốc gia đã ghép.")
        if not pull.first:
            typer.echo(f"Mới trên CSDL quốc gia từ lần đồng bộ trước: {len(pull.added)}; "
                       f"không còn trong danh sách: {len(pull.gone)}.")
            for item in pull.added[:20]:
                typer.echo(f"  + {item.code} {item.name}")
            for code in pull.gone[:20]:
                typer.echo(f"  - {code}")
        typer.echo(f"Thay đổi của các thủ tục đã ghép mã: {len(report.changeset.changes)} "
                   f"(không đổi: {len(report.changeset.unchanged)}).")
        for change in report.changeset.changes:
            typer.echo(f"* [{CHANGE_KIND_LABELS[change.kind]}] {change.code} "
                       f"(mã quốc gia {report.national.get(change.code, '?')}): {change.name}")
            if change.kind != changes.ChangeKind.abolished:
                for key in change.changed_fields:
                    before = (change.before or {}).get(key)
                    typer.echo(f"    {CHANGED_KEYS.get(key, key)}: {_show(before)} → {_show(change.after.get(key))}")
        for note in report.notes:
            typer.echo(f"  ! {note}")
        if not apply:
            if report.changeset.changes:
                typer.echo("Chưa áp dụng. Chạy lại với --apply --decision SỐ --effective dd/mm/yyyy.")
            return
        if row is None:
            typer.echo("Không có thay đổi nào để áp dụng.")
        elif row.status == "pending":
            typer.echo(f"Đã ghi Quyết định số {decision_.number}; áp dụng vào ngày {decision_.effective_on:%d/%m/%Y}.")
        else:
            typer.echo(f"Đã áp dụng {len(report.changeset.changes)} thay đổi theo Quyết định số {decision_.number}, "
                       f"hiệu lực từ {decision_.effective_on:%d/%m/%Y}.")

    @catalog.command("map")
    def catalog_map(
        local: str = typer.Argument(..., help="Mã thủ tục địa phương"),
        national: str = typer.Argument(None, help="Mã thủ tục quốc gia để xác nhận (bỏ trống: gợi ý)"),
        by: str = typer.Option(None, "--by", help="Tài khoản quản trị xác nhận (bắt buộc khi xác nhận)"),
    ) -> None:
        """Gợi ý mã thủ tục quốc gia theo tên, hoặc xác nhận mã quốc gia của một thủ tục."""
        from motcua.auth.queries import get_user
        from motcua.catalog import national_codes
        from motcua.catalog.service import get_procedure_by_code
        from motcua.cli import cli_session, fail
        from motcua.core.errors import DomainError
        from motcua.dvcqg import catalog_sync

        try:
            with cli_session(write=national is not None) as session:
                procedure = get_procedure_by_code(session, local)
                if national is None:
                    found = national_codes.suggest_candidates(procedure.name, catalog_sync.national_choices(session))
                    typer.echo(f"{procedure.code}: {procedure.name}")
                    if not found:
                        typer.echo("Không có gợi ý (chưa đồng bộ danh mục quốc gia, hoặc không có tên gần giống).")
                    for candidate in found:
                        typer.echo(f"  {candidate.code}  {candidate.score:5.1f}  {candidate.name}")
                    return
                if not by:
                    fail("Cần --by TÀI_KHOẢN (người quản trị xác nhận).")
                code = national_codes.normalize_national_code(national)
                name = catalog_sync.national_name(session, code)
                if name is None:
                    fail(f"Mã {code} không có trong danh mục quốc gia đã đồng bộ (chạy motcua catalog sync).")
                national_codes.confirm_national_code(session, procedure, national_code=code, national_name=name,
                                                     user=get_user(session, by))
        except DomainError as exc:
            fail(exc.message)
        typer.echo(f"Đã ghép {procedure.code} với mã quốc gia {code}: {name}")

    @catalog.command("unmap")
    def catalog_unmap(
        local: str = typer.Argument(..., help="Mã thủ tục địa phương"),
        by: str = typer.Option(..., "--by", help="Tài khoản quản trị"),
    ) -> None:
        """Bỏ mã thủ tục quốc gia đã ghép của một thủ tục."""
        from motcua.auth.queries import get_user
        from motcua.catalog import national_codes
        from motcua.catalog.service import get_procedure_by_code
        from motcua.cli import cli_session, fail
        from motcua.core.errors import DomainError

        try:
            with cli_session() as session:
                procedure = get_procedure_by_code(session, local)
                removed = national_codes.remove_national_code(session, procedure, user=get_user(session, by))
        except DomainError as exc:
            fail(exc.message)
        typer.echo(f"Đã bỏ mã quốc gia của {local}." if removed else f"{local} chưa được ghép mã quốc gia.")

    dvcqg = _group(app, "dvcqg", "Trao đổi hồ sơ với Cổng Dịch vụ công quốc gia.")

    @dvcqg.command("sync")
    def dvcqg_sync(
        now: bool = typer.Option(False, "--now", help="Gửi cả hồ sơ đang chờ thử lại (bỏ qua thời gian chờ)"),
    ) -> None:
        """Gửi các thay đổi hồ sơ chưa gửi lên Cổng DVCQG (theo thứ tự từng hồ sơ)."""
        from motcua.cli import cli_factory
        from motcua.dvcqg import outbound
        from motcua.integrations.dvcqg.config import DvcqgSettings
        from motcua.integrations.dvcqg.legacy import LegacyPortal

        with cli_factory() as factory, LegacyPortal(DvcqgSettings()) as portal:
            report = outbound.send_pending(factory, portal, ignore_backoff=now)
        typer.echo(report.summary())
        for code, error in report.failed.items():
            typer.echo(f"  ! {code}: {error}")

    @dvcqg.command("demo-submit")
    def dvcqg_demo_submit(
        count: int = typer.Option(2, min=1, max=20, help="Số hồ sơ nộp trực tuyến mẫu"),
        unit: str = typer.Option(None, help="Mã Bộ phận Một cửa nhận hồ sơ (mặc định: Trung tâm PVHCC tỉnh)"),
        wait: float = typer.Option(20.0, help="Chờ trình mô phỏng sẵn sàng tối đa (giây)"),
    ) -> None:
        """(Chỉ với trình mô phỏng) nộp vài hồ sơ trực tuyến mẫu lên Cổng DVCQG mô phỏng."""
        import time

        import httpx
        from sqlalchemy import select

        from motcua.cli import cli_session, fail
        from motcua.dvcqg.demo import demo_submissions
        from motcua.integrations.dvcqg.config import DvcqgSettings
        from motcua.org.enums import AgencyKind
        from motcua.org.models import Agency

        with cli_session(write=False) as session:
            where = [Agency.code == unit] if unit else [
                Agency.kind == AgencyKind.service_centre.value, Agency.level == "province", Agency.valid_to.is_(None)]
            centre = session.scalars(select(Agency).where(*where).order_by(Agency.code)).first()
            if centre is None:
                fail("Không tìm thấy Bộ phận Một cửa nhận hồ sơ.")
            records = demo_submissions(session, centre, count=count)
        if not records:
            fail("Chưa có thủ tục nào đã ghép mã quốc gia mà Bộ phận Một cửa này tiếp nhận được.")
        base = DvcqgSettings().adapter_url.rstrip("/")
        deadline = time.monotonic() + wait
        for record in records:
            while True:
                try:
                    reply = httpx.post(f"{base}/_sim/dossiers", json=record, timeout=5)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        fail(f"Không kết nối được trình mô phỏng Cổng DVCQG tại {base}.")
                    time.sleep(0.3)
            if reply.status_code != 200:
                fail(f"Trình mô phỏng từ chối hồ sơ mẫu (HTTP {reply.status_code}): {reply.text[:300]}")
            typer.echo(f"Đã nộp trực tuyến hồ sơ {reply.json()['MaHoSo']}: {record['TrichYeuHoSo']}")

    @dvcqg.command("reconcile")
    def dvcqg_reconcile() -> None:
        """Đối soát từng hồ sơ với dữ liệu Cổng DVCQG đang giữ; báo các khác biệt."""
        from motcua.cli import cli_factory
        from motcua.dvcqg import reconcile
        from motcua.integrations.dvcqg.config import DvcqgSettings
        from motcua.integrations.dvcqg.legacy import LegacyPortal

        with cli_factory() as factory, LegacyPortal(DvcqgSettings()) as portal:
            report = reconcile.reconcile(factory, portal)
        typer.echo(f"Đã đối soát {report.checked} hồ sơ: {len(report.differences)} khác biệt.")
        for difference in report.differences:
            typer.echo(f"  * {difference.code}: {'; '.join(difference.reasons)}")
        for code, error in report.errors.items():
            typer.echo(f"  ! {code}: không tra cứu được ({error})")
        if report.unmapped:
            typer.echo(f"{len(report.unmapped)} hồ sơ có thủ tục chưa ghép mã quốc gia, không đồng bộ: "
                       + ", ".join(report.unmapped[:20]))
        if report.differences or report.errors:
            raise typer.Exit(1)
