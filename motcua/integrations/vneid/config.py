"""Settings of the national login client, from the environment only (`VNEID_*`, or a `.env`
file). The client secret is never in the repository (shared/reference/dvcqg.md §8: several
public repositories leak theirs); the defaults point at the local simulator
(`motcua sim vneid`, started by ./run.sh) so that development needs no set-up."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

SIMULATOR_PORT = 8102


class VneidSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="vneid_", env_file=".env", extra="ignore")

    # The national login's base URL (in production https://xacthuc.dichvucong.gov.vn).
    url: str = f"http://127.0.0.1:{SIMULATOR_PORT}"
    authorize_path: str = "/oauth2/authorize"
    token_path: str = "/oauth2/token"
    userinfo_path: str = "/oauth2/userinfo"
    client_id: str = "motcua"
    # Empty: the adapter refuses to start a login (a real secret is never committed).
    client_secret: str = ""
    # Unset: the public base URL of the application + the callback path of the citizens domain.
    redirect_uri: str | None = None
    scope: str = "openid"
    acr_values: str = "LoA1"  # the level of assurance asked for (§8; whether some need more is [U])
    timeout_seconds: float = 15.0
    connect_timeout_seconds: float = 5.0

    def redirect_uri_for(self, public_base_url: str, callback_path: str) -> str:
        """`VNEID_REDIRECT_URI` when set, else derived: the URI registered with the national
        login must be the one the browser comes back to."""
        return self.redirect_uri or public_base_url.rstrip("/") + callback_path
