"""What the local online service's tests share: the test organisation (tests/dossiers/world.py)
with its provincial procedure offered online, the national login simulator to sign citizens
in and the LGSP simulator answering the population lookup — both real HTTP servers (their
fixtures are imported by conftest.py)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from motcua.catalog.models import DossierComponentSpec
from motcua.eservice.models import OnlineService
from tests.dossiers.world import World, build_world
from tests.integrations.vneid.fixtures import CITIZEN, CLIENT_ID, CLIENT_SECRET

MAX_BYTES = 64 * 1024  # the upload limit of these tests (settings.max_upload_bytes)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
# Nguyễn Văn An of the national login simulator, as the population database holds him.
AN = {"SoDinhDanh": "020190000123", "HoVaTen": "Nguyễn Văn An", "NgayThangNamSinh": "19900215", "GioiTinh": "1",
      "DanToc": "Kinh", "QuocTich": "Việt Nam",
      "NoiThuongTru": {"ChiTiet": "Số 5 đường Trần Đăng Ninh", "MaXa": "05977", "TenXa": "Phường Đông Kinh",
                       "MaTinh": "20", "TenTinh": "Lạng Sơn"}, "NoiOHienTai": {}}


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@dataclass
class Online:
    world: World
    declaration: DossierComponentSpec  # required, 1 original
    id_copy: DossierComponentSpec  # required, 1 copy
    photo: DossierComponentSpec  # optional

    @property
    def procedure(self):
        return self.world.p_dept


@pytest.fixture
def settings(settings):
    settings.public_base_url = "http://testserver"  # the national login's redirect URI
    settings.max_upload_bytes = MAX_BYTES
    return settings


@pytest.fixture(autouse=True)
def national_login_env(monkeypatch, vneid):
    monkeypatch.setenv("VNEID_URL", vneid.url)
    monkeypatch.setenv("VNEID_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VNEID_CLIENT_SECRET", CLIENT_SECRET)


@pytest.fixture
def online(db, lgsp_env) -> Online:
    lgsp_env.control("POST", "/_sim/citizens", json=AN)
    world = build_world(db)
    procedure = world.p_dept
    procedure.online_level = "partial"
    specs = [
        DossierComponentSpec(procedure_id=procedure.id, position=1, name="Tờ khai yêu cầu cấp phiếu lý lịch tư pháp",
                             original_count=1, copy_count=0, required=True),
        DossierComponentSpec(procedure_id=procedure.id, position=2, name="Bản sao căn cước", original_count=0,
                             copy_count=1, required=True),
        DossierComponentSpec(procedure_id=procedure.id, position=3, name="Ảnh chân dung", original_count=0,
                             copy_count=1, required=False, condition="Trường hợp yêu cầu cấp phiếu số 2"),
    ]
    db.add_all(specs)
    db.add(OnlineService(procedure_id=procedure.id, basis="Quyết định 99/QĐ-UBND (thử)", added_by="t_admin"))
    db.commit()
    return Online(world, *specs)


def sign_in(client, vneid, sub: str = CITIZEN) -> None:
    """The citizen signs in through the national login simulator."""
    start = client.get("/cong-dan/dang-nhap/vneid", follow_redirects=False)
    callback = vneid.authorize(start.headers["location"], sub)
    response = client.get(callback, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]


def input_name(spec) -> str:
    return f"tp_{spec.id.hex}"


def specs_of(db, procedure) -> list[DossierComponentSpec]:
    return list(db.scalars(select(DossierComponentSpec).where(DossierComponentSpec.procedure_id == procedure.id)))
