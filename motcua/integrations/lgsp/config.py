"""Connection settings of the LGSP adapter, from the environment only (`LGSP_*`, or a `.env`
file): `LGSP_URL`, `LGSP_USERNAME`, `LGSP_PASSWORD` and the paths and codes below. Credentials
are never in the repository; unset, the URL points at the local simulator (`motcua sim lgsp`,
started by ./run.sh) and an empty password makes the adapter refuse to call."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from motcua.integrations.session_transport import Endpoint

SIMULATOR_PORT = 8104
SYSTEM = "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)"


class LgspSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="lgsp_", env_file=".env", extra="ignore")

    url: str = f"http://127.0.0.1:{SIMULATOR_PORT}"
    auth_endpoint: str = "/api/auth"
    integration_endpoint: str = "/api/integration"
    # The service name of the population lookup on the platform ([U]: each LGSP names its own).
    population_service: str = "TraCuuThongTinCongDan"
    username: str = "motcua"
    password: str = ""
    madonvi: str = "000.00.00.H37"  # the caller's unit code (QCVN 102): UBND tỉnh Lạng Sơn
    # An officer waits at the counter: a lookup that takes longer is reported, not awaited.
    timeout_seconds: float = 15.0
    connect_timeout_seconds: float = 5.0
    # After a lookup timed out, lookups fail at once for this long instead of each waiting the
    # full timeout again (a request waiting holds its unit of work; on SQLite, the write turn).
    cooldown_seconds: float = 30.0
    # The operations page checks the platform with a login that must answer within this.
    health_timeout_seconds: float = 3.0

    @property
    def configured(self) -> bool:
        return bool(self.password)

    def endpoint(self, *, timeout: float | None = None) -> Endpoint:
        seconds = timeout or self.timeout_seconds
        return Endpoint(
            system=SYSTEM, url=self.url, auth_endpoint=self.auth_endpoint, username=self.username,
            password=self.password, timeout_seconds=seconds,
            connect_timeout_seconds=min(self.connect_timeout_seconds, seconds),
            credential_variables="LGSP_USERNAME, LGSP_PASSWORD",
        )
