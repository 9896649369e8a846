"""One settings object, read from the environment (and an optional `.env` file)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")


def _default_secret_key() -> str:
    """Keep a generated key under var/ so sessions survive restarts of a demo install."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{VAR_DIR}/motcua.db")
    secret_key: str = Field(default_factory=_default_secret_key)
    # Cookies marked Secure need HTTPS; a demo on 127.0.0.1 runs over plain HTTP.
    session_https_only: bool = False
    session_max_age_seconds: int = 8 * 3600
    storage_dir: Path = VAR_DIR / "files"
    # Where `motcua serve` listens (HOST/PORT, as run.sh passes them); the public address
    # printed in QR codes follows them unless PUBLIC_BASE_URL is set, so that a demo on
    # another port prints slips whose codes open this server.
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_base_url: str = ""
    province_code: str = "H37"
    province_name: str = "Lạng Sơn"
    timezone: str = "Asia/Ho_Chi_Minh"
    # Failed logins (docs/auth.md "Lock-out"): per account *and* client address, this many
    # failures within login_lock_seconds block that pair for login_lock_seconds; the same
    # officer from another address is not affected.
    login_max_failures: int = 5
    login_lock_seconds: int = 15 * 60
    # Failures from one address over all accounts (password spraying) in the same window.
    login_max_failures_per_address: int = 30
    # Consecutive failures of one account from any address: a short back-off only, so that
    # a distributed attack slows guessing without locking the officer out for long.
    login_account_max_failures: int = 100
    login_account_backoff_seconds: int = 60
    # Public lookup by dossier code (/tra-cuu): requests per client address and window.
    lookup_rate_limit: int = 30
    lookup_rate_window_seconds: int = 60
    # Feedback (PAKN) sent per client address and window (docs/feedback.md).
    feedback_rate_limit: int = 10
    feedback_rate_window_seconds: int = 3600
    max_upload_bytes: int = 20 * 1024 * 1024
    # Dossier code (DOMAIN.md §4): str.format with unit, date, seq, prefix.
    dossier_code_pattern: str = "{unit}-{date:%y%m%d}-{seq:04d}"
    sql_echo: bool = False
    # Outgoing e-mail (docs/notify.md): smtp://host:port, smtp://user:pass@host:port,
    # smtps://… (TLS from the start) or smtp+starttls://…; unset, messages are written as
    # .eml files under outbox_dir for an administrator to read.
    smtp_url: str | None = Field(default=None, validation_alias=AliasChoices("motcua_smtp_url", "smtp_url"))
    smtp_from: str = Field(default="Hệ thống một cửa <motcua@localhost>",
                           validation_alias=AliasChoices("motcua_smtp_from", "smtp_from"))
    outbox_dir: Path = Field(default=VAR_DIR / "outbox",
                             validation_alias=AliasChoices("motcua_outbox_dir", "outbox_dir"))

    @model_validator(mode="after")
    def _public_base_url_follows_host_and_port(self) -> Settings:
        if not self.public_base_url:
            self.public_base_url = served_url(self.host, self.port)
        return self


def served_url(host: str, port: int) -> str:
    """The URL of a server listening on host:port; a wildcard address is reached on the
    loopback (a server for other machines sets PUBLIC_BASE_URL to its public name)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()


def seeds_dir() -> Path:
    """Where the seed documents are read from: $MOTCUA_SEEDS_DIR, or data/seeds/ of the
    repository (read at each call, so a test or a command can point elsewhere)."""
    base = os.environ.get("MOTCUA_SEEDS_DIR")
    return Path(base) if base else Path(__file__).resolve().parents[2] / "data" / "seeds"
