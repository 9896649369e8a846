"""Settings of the SMS gateway adapter, from the environment only (`SMS_*`, or a `.env` file).

`SMS_URL` is the gateway (unset: no gateway — text messages are written as files under the
outbox folder, like e-mail without an SMTP server); `SMS_USERNAME` / `SMS_PASSWORD` its
account (HTTP Basic; never in the repository); `SMS_SENDER` the registered brand name shown
as the sender. ./run.sh points `SMS_URL` at the local simulator (`motcua sim sms`).
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

SIMULATOR_PORT = 8105


class SmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="sms_", env_file=".env", extra="ignore")

    url: str | None = None
    send_endpoint: str = "/api/sms/send"
    status_endpoint: str = "/api/sms/status"
    username: str = ""
    password: str = ""
    sender: str = "MOTCUA"  # brand name (tên định danh) registered with the carriers
    # The worker sends: short, so a hanging gateway costs little of the run (the outbox lease
    # is 5 minutes, far above this).
    timeout_seconds: float = 15.0
    connect_timeout_seconds: float = 5.0
    health_timeout_seconds: float = 3.0

    @property
    def configured(self) -> bool:
        return bool(self.url)
