"""Settings of the payment platform adapter, from the environment only (or a `.env` file).

`PAYMENT_URL` (or `MOTCUA_PAYMENT_URL`) is the platform; `MOTCUA_PAYMENT_MERCHANT_CODE` the
province's merchant code; `MOTCUA_PAYMENT_HASH_KEY` the key shared with the platform that
signs every message (never in the repository: empty, the adapter refuses to call and every
confirmation is refused). The defaults point at the local simulator (`motcua sim payment`,
started by ./run.sh)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SIMULATOR_PORT = 8103


class PaymentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="motcua_payment_", env_file=".env", extra="ignore",
                                      populate_by_name=True)

    url: str = Field(f"http://127.0.0.1:{SIMULATOR_PORT}",
                     validation_alias=AliasChoices("url", "payment_url", "motcua_payment_url"))
    # Platform paths are configuration (§9: the create path is [U]).
    create_endpoint: str = "/api/createtransaction"
    lookup_endpoint: str = "/api/gettransaction"
    merchant_code: str = "MOTCUA"
    hash_key: str = ""
    # MaDVC = national procedure code + this suffix (OpenCPS: configured).
    service_suffix: str = ""
    # Where the platform posts its confirmations: this app's callback (the simulator reads it).
    callback_url: str = "http://127.0.0.1:8000/api/v1/payments/confirm"
    # The create call runs inside the request that asks for payment: keep it short.
    timeout_seconds: float = 15.0
    connect_timeout_seconds: float = 5.0
