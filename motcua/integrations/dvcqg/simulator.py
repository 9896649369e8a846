"""A local stand-in for the National Public Service Portal, speaking the legacy protocol
(shared/reference/dvcqg.md §1, §13 as far as the catalogue goes).

- `POST {auth}` logs in (`username`, `password`) and returns a `session` valid for
  `session_ttl` seconds; every service call without a known, unexpired session is refused
  with HTTP 401 and `error_code` "401".
- `POST {share}` / `POST {integration}` dispatch on `service`: `LayThuTuc` (`maTTHC`;
  unknown → `error_code` "404"), `LayDanhSachTTHC`, `LayDanhMucCoQuan`, `LayDanhMucLinhVuc`.
  Values are strings, dates `yyyyMMddHHmmss`, success `error_code` "0".
- The national catalogue is seeded from a JSONL file (data/dvcqg/national_catalog.jsonl)
  and kept, with sessions, injected faults and every call received, in a SQLite file, so
  a restarted simulator keeps its state.
- Dossier services (§2, §13): `TraCuuHoSo`, `DongBoHoSoMC` (required keys, dates, status
  1–10, known `MaTTHC`, and `isUpdating` "False" only for an unknown code, "True" only for a
  known one — unless created `lenient`), `CapNhatTienDoHoSoMC` (appended in arrival order),
  `LayDanhSachHoSoMoi` / `LayDanhSachHoSoBoSungMoi` (citizens' online submissions and
  supplements not yet taken: a submission is taken by the province's first `DongBoHoSoMC`,
  a supplement when a record lists its `HoSoBoSungId` with a receipt time), `DongBoDanhGia`.
  A batch is checked whole: one bad record refuses the call and stores nothing.
- Test endpoints under `/_sim/`: reset to the seed, inject faults per service (delay, HTTP
  status, non-zero `error_code`, expired session; for the next N calls or always), change
  or abolish a national procedure, list the calls received (exact bodies); a citizen's
  submission (`POST /_sim/dossiers`) and supplement (`POST /_sim/dossiers/{code}/supplements`),
  what the portal holds for a code (`GET /_sim/dossiers/{code}`), a submission offered again
  (`POST /_sim/dossiers/{code}/resend`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse

from motcua.core.clock import now
from motcua.core.text import fold
from motcua.integrations.dvcqg import push, wire
from motcua.integrations.dvcqg.config import DvcqgSettings
from motcua.integrations.sim_state import SimState, add_controls, injected_fault, reply

DEFAULT_CATALOG = Path(__file__).resolve().parents[3] / "data" / "dvcqg" / "national_catalog.jsonl"
DEFAULT_PASSWORD = "simulator"
CHANNEL_NAMES = {"1": "Trực tiếp", "2": "Trực tuyến", "3": "Dịch vụ bưu chính"}
LEVEL_NAMES = {"province": ("1", "Cấp Tỉnh"), "commune": ("3", "Cấp Xã"), "district": ("2", "Cấp Huyện")}

# The portal's own tables, beside the sessions, faults and calls every session-transport
# simulator keeps (integrations.sim_state).
SCHEMA = """
CREATE TABLE IF NOT EXISTS procedures (code TEXT PRIMARY KEY, record TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (code TEXT PRIMARY KEY, record TEXT NOT NULL, taken INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dossiers (code TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL,
    record TEXT NOT NULL, updating TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS progress (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS supplements (round_id TEXT PRIMARY KEY, code TEXT NOT NULL, record TEXT NOT NULL,
    taken INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
"""


class SimulatorState(SimState):
    """The simulator's disk state (one SQLite file); every method opens its own connection,
    so request threads never share one."""

    extra_schema = SCHEMA
    tables = (*SimState.tables, "procedures", "submissions", "dossiers", "versions", "progress",
              "supplements", "ratings")

    def __init__(self, path: Path, catalog: Path):
        super().__init__(path)
        self.catalog = Path(catalog)
        with self.db() as db:
            empty = db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] == 0
        if empty:
            self.reset()

    def reset(self) -> int:
        """Back to the seeded catalogue; sessions, faults and received calls forgotten."""
        stamp = wire.format_date(now())
        rows = []
        for line in self.catalog.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                rows.append((record["code"], json.dumps(record, ensure_ascii=False), stamp))
        with self.db() as db:
            self.clear(db)
            db.executemany("INSERT INTO procedures VALUES (?, ?, ?)", rows)
        return len(rows)

    # --- the national catalogue ----------------------------------------------------------

    def procedures(self) -> list[tuple[dict[str, Any], str]]:
        with self.db() as db:
            rows = db.execute("SELECT record, updated FROM procedures ORDER BY code").fetchall()
        return [(json.loads(r), u) for r, u in rows]

    def procedure(self, code: str) -> tuple[dict[str, Any], str] | None:
        with self.db() as db:
            row = db.execute("SELECT record, updated FROM procedures WHERE code = ?", (code,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def put_procedure(self, record: dict[str, Any]) -> None:
        with self.db() as db:
            db.execute("INSERT OR REPLACE INTO procedures VALUES (?, ?, ?)",
                       (record["code"], json.dumps(record, ensure_ascii=False), wire.format_date(now())))

    def delete_procedure(self, code: str) -> bool:
        with self.db() as db:
            return db.execute("DELETE FROM procedures WHERE code = ?", (code,)).rowcount > 0

    # --- dossiers --------------------------------------------------------------------------

    def submit(self, record: dict[str, Any]) -> str:
        """A citizen's submission; without `MaHoSo` the portal numbers it
        (`<unit>-<YYMMDD>-TT<seq>`, the simulator's pattern: the portal's own is [U])."""
        with self.db() as db:
            code = wire.text(record.get("MaHoSo"))
            if not code:
                stem = f"{wire.text(record.get('MaDonViTiepNhan'))}-{now().astimezone(wire.LOCAL_TZ):%y%m%d}-TT"
                seq = db.execute("SELECT COUNT(*) FROM submissions WHERE code LIKE ?", (stem + "%",)).fetchone()[0]
                code = f"{stem}{seq + 1:04d}"
            db.execute("INSERT INTO submissions VALUES (?, ?, 0)",
                       (code, json.dumps(record | {"MaHoSo": code, "TrangThaiHoSo": "1"}, ensure_ascii=False)))
        return code

    def _records(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """The JSON records (first column) a query selects."""
        with self.db() as db:
            return [json.loads(row[0]) for row in db.execute(sql, args).fetchall()]

    def submission(self, code: str) -> dict[str, Any] | None:
        return next(iter(self._records("SELECT record FROM submissions WHERE code = ?", code)), None)

    def resend(self, code: str) -> bool:
        with self.db() as db:
            return db.execute("UPDATE submissions SET taken = 0 WHERE code = ?", (code,)).rowcount > 0

    def untaken_submissions(self) -> list[dict[str, Any]]:
        return self._records("SELECT record FROM submissions WHERE taken = 0 ORDER BY rowid")

    def add_supplement(self, code: str, record: dict[str, Any]) -> str:
        with self.db() as db:
            n = db.execute("SELECT COUNT(*) FROM supplements WHERE code = ?", (code,)).fetchone()[0]
            round_id = f"{code}-BS{n + 1}"
            db.execute("INSERT INTO supplements VALUES (?, ?, ?, 0)", (round_id, code, json.dumps(
                record | {"MaHoSo": code, "HoSoBoSungId": round_id}, ensure_ascii=False)))
        return round_id

    def supplement_record(self, round_id: str) -> dict[str, Any] | None:
        return next(iter(self._records("SELECT record FROM supplements WHERE round_id = ?", round_id)), None)

    def untaken_supplements(self) -> list[dict[str, Any]]:
        return self._records("SELECT record FROM supplements WHERE taken = 0 ORDER BY rowid")

    def dossier(self, code: str) -> dict[str, Any] | None:
        """The record the province last pushed for `code`."""
        return next(iter(self._records("SELECT record FROM dossiers WHERE code = ?", code)), None)

    def known(self, code: str) -> bool:
        with self.db() as db:
            return any(db.execute(f"SELECT 1 FROM {t} WHERE code = ?", (code,)).fetchone()  # noqa: S608
                       for t in ("dossiers", "submissions"))

    def store_records(self, records: list[dict[str, Any]], updating: str) -> None:
        with self.db() as db:
            for record in records:
                code = record["MaHoSo"]
                body = json.dumps(record, ensure_ascii=False)
                db.execute("INSERT OR REPLACE INTO dossiers VALUES (?, ?)", (code, body))
                db.execute("INSERT INTO versions (code, record, updating) VALUES (?, ?, ?)", (code, body, updating))
                db.execute("UPDATE submissions SET taken = 1 WHERE code = ?", (code,))
                for round_ in record.get("DanhSachHoSoBoSung") or []:
                    if isinstance(round_, dict) and wire.text(round_.get("NgayTiepNhanBoSung")):
                        db.execute("UPDATE supplements SET taken = 1 WHERE round_id = ? AND code = ?",
                                   (wire.text(round_.get("HoSoBoSungId")), code))

    def append_progress(self, entries: list[dict[str, Any]]) -> None:
        with self.db() as db:
            db.executemany("INSERT INTO progress (code, entry) VALUES (?, ?)",
                           [(e["MaHoSo"], json.dumps(e, ensure_ascii=False)) for e in entries])

    def progress(self, code: str) -> list[dict[str, Any]]:
        return self._records("SELECT entry FROM progress WHERE code = ? ORDER BY id", code)

    def versions(self, code: str) -> list[dict[str, Any]]:
        with self.db() as db:
            rows = db.execute("SELECT record, updating FROM versions WHERE code = ? ORDER BY id", (code,)).fetchall()
        return [{"isUpdating": u, "record": json.loads(r)} for r, u in rows]

    def add_rating(self, record: dict[str, Any]) -> None:
        """One rating per dossier (MaHoSo): a repeated DongBoDanhGia replaces it ([U] on the portal)."""
        with self.db() as db:
            db.execute("DELETE FROM ratings WHERE json_extract(record, '$.MaHoSo') = ?",
                       (wire.text(record.get("MaHoSo")),))
            db.execute("INSERT INTO ratings (record) VALUES (?)", (json.dumps(record, ensure_ascii=False),))

    def ratings(self) -> list[dict[str, Any]]:
        return self._records("SELECT record FROM ratings ORDER BY id")

    def held(self, code: str) -> dict[str, Any] | None:
        """What the portal holds for `code`: the province's record, else the citizen's submission."""
        return self.dossier(code) or self.submission(code)


# --- the wire shape of the catalogue ---------------------------------------------------------


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else wire.text(value)


def procedurereply(record: dict[str, Any], updated: str) -> dict[str, Any]:
    """One `LayThuTuc` result record, every value a string."""
    limits: dict[str, list[dict[str, str]]] = {}
    for limit in record.get("time_limits") or []:
        limits.setdefault(str(limit["channel"]), []).append({
            "THOIGIANGIAIQUYET": _number_text(limit.get("value")), "DONVITINH": limit.get("unit") or "",
            "MOTA": limit.get("description") or ""})
    return {
        "MATTHC": record["code"],
        "TENTTHC": record["name"],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": record.get("field_code") or "", "TENLINHVUC": record.get("field") or ""}],
        "CACHTHUCTHUCHIEN": [{"KENH": kenh, "TENKENH": name, "THOIGIAN": limits.get(kenh, [])}
                             for kenh, name in CHANNEL_NAMES.items()],
        "CAPTHUCHIEN": [{"MACAP": LEVEL_NAMES[lv][0], "TENCAP": LEVEL_NAMES[lv][1]}
                        for lv in record.get("levels") or [] if lv in LEVEL_NAMES],
        "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": a} for a in record.get("agencies") or []],
        "NGAYCAPNHAT": updated,
    }


def agenciesreply(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Agency names of the seeded catalogue with simulator codes (the crawl has no MADONVI)."""
    names = sorted({a for r in records for a in r.get("agencies") or []}, key=fold)
    return [{"MADONVI": f"SIM-CQ{i:04d}", "TENDONVI": name, "CAPDONVI": ""}
            for i, name in enumerate(names, start=1)]


def fieldsreply(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    fields = {r["field_code"]: r["field"] for r in records if r.get("field_code")}
    return [{"MALINHVUC": code, "TENLINHVUC": name, "MANGANH": ""}
            for code, name in sorted(fields.items())]


def _data(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    data = body.get("data")
    if not isinstance(data, list) or not data or not all(isinstance(r, dict) for r in data):
        return None
    return data


def check_records(state: SimulatorState, records: list[dict[str, Any]], updating: str, lenient: bool) -> list[str]:
    """Why `DongBoHoSoMC` refuses this batch (empty: accepted)."""
    found: list[str] = []
    if updating not in {"True", "False"}:
        found.append('isUpdating phải là "True" hoặc "False"')
    for record in records:
        code = wire.text(record.get("MaHoSo")) or "(trống)"
        issues = wire.problems(record, wire.RECORD_REQUIRED, wire.RECORD_DATES)
        if "TrangThaiHoSo" in record and (status := wire.status_problem(record["TrangThaiHoSo"], "TrangThaiHoSo")):
            issues.append(status)
        if "MaTTHC" in record and state.procedure(wire.text(record["MaTTHC"])) is None:
            issues.append(f"mã thủ tục {wire.text(record['MaTTHC'])} không có trong CSDL quốc gia")
        if not lenient and not issues and updating in {"True", "False"}:
            known = state.known(code)
            if updating == "False" and known:
                issues.append("hồ sơ đã tồn tại (isUpdating phải là True)")
            if updating == "True" and not known:
                issues.append("hồ sơ chưa tồn tại (isUpdating phải là False)")
        found += [f"{code}: {i}" for i in issues]
    return found


def check_progress(state: SimulatorState, entries: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        code = wire.text(entry.get("MaHoSo")) or "(trống)"
        issues = wire.problems(entry, wire.PROGRESS_REQUIRED, wire.PROGRESS_DATES)
        if "TrangThai" in entry and (status := wire.status_problem(entry["TrangThai"], "TrangThai")):
            issues.append(status)
        if not issues and state.dossier(code) is None:
            issues.append("chưa đồng bộ hồ sơ (DongBoHoSoMC) trước tiến độ")
        found += [f"{code}: {i}" for i in issues]
    return found


def dossier_services(state: SimulatorState, service: str, body: dict[str, Any], lenient: bool) -> JSONResponse:
    if service == "TraCuuHoSo":
        code = wire.text(body.get("mahoso"))
        if not code:
            return reply("2", "Thiếu mã hồ sơ (mahoso)")
        held = state.held(code)
        if held is None:
            return reply("0", "Không tìm thấy hồ sơ", [])
        return reply("0", "Thành công", [held | {"DanhSachTienDo": state.progress(code)}])
    if service in {"DongBoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoDanhGia"}:
        records = _data(body)
        if records is None:
            return reply("2", "Thiếu dữ liệu (data) hoặc dữ liệu không phải danh sách bản ghi")
        if service == "DongBoDanhGia":
            for record in records:
                state.add_rating(record)
            return reply("0", "Đồng bộ đánh giá thành công")
        if service == "DongBoHoSoMC":
            updating = wire.text(body.get("isUpdating"))
            issues = check_records(state, records, updating, lenient)
            if issues:
                return reply("1", "; ".join(issues))
            state.store_records(records, updating)
            return reply("0", "Đồng bộ hồ sơ thành công")
        issues = check_progress(state, records)
        if issues:
            return reply("1", "; ".join(issues))
        state.append_progress(records)
        return reply("0", "Cập nhật tiến độ thành công")
    if service == "LayDanhSachHoSoMoi":
        return reply("0", "Thành công", state.untaken_submissions())
    return reply("0", "Thành công", state.untaken_supplements())  # LayDanhSachHoSoBoSungMoi


DOSSIER_SERVICES = {"TraCuuHoSo", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoDanhGia", "LayDanhSachHoSoMoi",
                    "LayDanhSachHoSoBoSungMoi"}


def create_simulator(
    state_path: Path,
    *,
    catalog_path: Path = DEFAULT_CATALOG,
    username: str = "motcua",
    password: str = DEFAULT_PASSWORD,
    session_ttl: float = 1800.0,
    settings: DvcqgSettings | None = None,
    lenient: bool = False,
) -> FastAPI:
    """The simulator app; paths of its endpoints are those the adapter is configured with."""
    paths = settings or DvcqgSettings()
    state = SimulatorState(state_path, catalog_path)
    app = FastAPI(title="Mô phỏng Cổng Dịch vụ công quốc gia", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.simulator = state

    @app.post(paths.auth_endpoint)
    def login(body: dict[str, Any] = Body(...)):  # noqa: B008
        state.record_call(paths.auth_endpoint, "login", {k: v for k, v in body.items() if k != "password"})
        if wire.text(body.get("username")) != username or wire.text(body.get("password")) != password:
            return reply("1", "Tên đăng nhập hoặc mật khẩu không đúng")
        return JSONResponse({"error_code": "0", "message": "Đăng nhập thành công",
                             "session": state.open_session(username, session_ttl)})

    def dispatch(path: str, body: dict[str, Any]):
        service = wire.text(body.get("service"))
        state.record_call(path, service, body)
        faulted = injected_fault(state, service, "Cổng DVCQG")
        if faulted is not None:
            return faulted
        if not state.session_valid(wire.text(body.get("session"))):
            return reply(wire.SESSION_EXPIRED_CODE, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn", status=401)
        if not wire.text(body.get("madonvi")):
            return reply("2", "Thiếu mã đơn vị (madonvi)")
        if service == "LayThuTuc":
            code = wire.text(body.get("maTTHC"))
            if not code:
                return reply("2", "Thiếu mã thủ tục (maTTHC)")
            found = state.procedure(code)
            if found is None:
                return reply("404", f"Không tìm thấy thủ tục hành chính có mã {code}", [])
            return reply("0", "Thành công", [procedurereply(*found)])
        if service in {"LayDanhSachTTHC", "LayDanhMucCoQuan", "LayDanhMucLinhVuc"}:
            records = [r for r, _ in state.procedures()]
            result = {
                "LayDanhSachTTHC": lambda: [{"MATTHC": r["code"], "TENTTHC": r["name"]} for r in records],
                "LayDanhMucCoQuan": lambda: agenciesreply(records),
                "LayDanhMucLinhVuc": lambda: fieldsreply(records),
            }[service]()
            return reply("0", "Thành công", result)
        if service in DOSSIER_SERVICES:
            return dossier_services(state, service, body, lenient)
        return reply("-1", f"Dịch vụ {service or '(trống)'} không được hỗ trợ")

    @app.post(paths.share_endpoint)
    def share(body: dict[str, Any] = Body(...)):  # noqa: B008
        return dispatch(paths.share_endpoint, body)

    @app.post(paths.integration_endpoint)
    def integration(body: dict[str, Any] = Body(...)):  # noqa: B008
        return dispatch(paths.integration_endpoint, body)

    # --- test controls -------------------------------------------------------------------

    @app.post("/_sim/reset")
    def reset():
        return {"procedures": state.reset()}

    add_controls(app, state)  # faults, expired sessions, the calls received

    @app.put("/_sim/procedures/{code}")
    def put_procedure(code: str, body: dict[str, Any] = Body(...)):  # noqa: B008
        state.put_procedure(body | {"code": code})
        return {"ok": True}

    @app.delete("/_sim/procedures/{code}")
    def delete_procedure(code: str):
        return {"deleted": state.delete_procedure(code)}

    @app.post("/_sim/dossiers")
    def submit(body: dict[str, Any] = Body(...)):  # noqa: B008
        """A citizen submits a dossier online (the national record shape plus ThanhPhanHoSo)."""
        issues = wire.problems(body | {"MaHoSo": body.get("MaHoSo") or "x"}, wire.SUBMISSION_REQUIRED,
                               ("NgayNopHoSo",))
        if "MaTTHC" in body and state.procedure(wire.text(body["MaTTHC"])) is None:
            issues.append(f"mã thủ tục {wire.text(body['MaTTHC'])} không có trong CSDL quốc gia")
        code = wire.text(body.get("MaHoSo"))
        if code and state.known(code):
            issues.append(f"hồ sơ {code} đã tồn tại")
        if issues:
            return JSONResponse({"error": "; ".join(issues)}, status_code=422)
        return {"MaHoSo": state.submit(body)}

    @app.post("/_sim/dossiers/{code}/supplements")
    def supplement(code: str, body: dict[str, Any] = Body(...)):  # noqa: B008
        """The citizen sends the papers asked for, online (the dossier must be at status 5)."""
        held = state.dossier(code)
        if held is None or wire.text(held.get("TrangThaiHoSo")) != "5":
            return JSONResponse({"error": f"hồ sơ {code} không ở trạng thái yêu cầu bổ sung (5)"}, status_code=409)
        return {"HoSoBoSungId": state.add_supplement(code, body | {"NgayBoSung": body.get("NgayBoSung")
                                                                  or wire.format_date(now())})}

    @app.post("/_sim/dossiers/{code}/resend")
    def resend(code: str):
        """Offer a submission again, as if the province had never taken it (idempotency tests)."""
        return {"resent": state.resend(code)}

    @app.post("/_sim/push")
    def deliver(body: dict[str, Any] = Body(...)):  # noqa: B008
        """The portal delivers a submission (`MaHoSo`) or an online supplement (`HoSoBoSungId`)
        to the province itself: the record as the pull would list it, POSTed to `url`, signed
        with `secret` (integrations/dvcqg/push.py); answers the province's status and reply."""
        round_id = wire.text(body.get("HoSoBoSungId"))
        record = state.supplement_record(round_id) if round_id else state.submission(wire.text(body.get("MaHoSo")))
        if record is None:
            return JSONResponse({"error": "không có hồ sơ hoặc hồ sơ bổ sung này"}, status_code=404)
        payload = json.dumps(record, ensure_ascii=False).encode("utf-8")
        try:
            answer = httpx.post(wire.text(body.get("url")), content=payload, timeout=30, headers={
                "Content-Type": "application/json",
                push.SIGNATURE_HEADER: push.sign(payload, wire.text(body.get("secret")))})
        except httpx.HTTPError as exc:
            return JSONResponse({"error": f"không gửi được: {exc}"}, status_code=502)
        return {"status": answer.status_code, "reply": answer.json() if answer.content else None}

    @app.get("/_sim/dossiers/{code}")
    def held(code: str):
        record = state.held(code)
        if record is None:
            return JSONResponse({"error": f"không có hồ sơ {code}"}, status_code=404)
        return {"MaHoSo": code, "TrangThaiHoSo": wire.text(record.get("TrangThaiHoSo")),
                "NgayHenTra": wire.text(record.get("NgayHenTra")), "record": record,
                "submission": state.submission(code), "versions": state.versions(code),
                "progress": state.progress(code)}

    @app.get("/_sim/ratings")
    def ratings():
        return state.ratings()

    return app
