"""Connection settings of the national portal adapter, from the environment only
(`MOTCUA_DVCQG_*`, or a `.env` file). Paths, codes and credentials are configuration, not
constants (shared/reference/dvcqg.md §1); the defaults point at the local simulator
(`motcua sim dvcqg`, started by ./run.sh) so that development needs no set-up."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SIMULATOR_PORT = 8101


class DvcqgSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="motcua_dvcqg_", env_file=".env", extra="ignore",
                                      populate_by_name=True)

    # `DVCQG_URL` (the name the integrations share: <SYSTEM>_URL) or MOTCUA_DVCQG_ADAPTER_URL.
    adapter_url: str = Field(f"http://127.0.0.1:{SIMULATOR_PORT}",
                             validation_alias=AliasChoices("dvcqg_url", "motcua_dvcqg_adapter_url"))
    auth_endpoint: str = "/api/auth"
    integration_endpoint: str = "/api/integration"
    share_endpoint: str = "/api/share"
    username: str = "motcua"
    # Empty: the adapter refuses to call (a real portal account is never committed).
    password: str = ""
    madonvi: str = "000.00.00.H37"  # the caller's unit code (QCVN 102)
    dstcode: str = "VN:GOV:000.00.00.G22"  # destination code sent in the `dstcode` header
    # Shared with the portal: the key of the signature of what it delivers itself
    # (POST /api/v1/dvcqg/inbound, integrations/dvcqg/push.py). Empty: every delivery refused.
    inbound_secret: str = ""
    # OpenCPS waits 60 s for a reply; connecting should take far less.
    timeout_seconds: float = 60.0
    connect_timeout_seconds: float = 10.0
