"""Settings, from HEEDFUL_* environment variables (secrets also from HEEDFUL_*_FILE)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_SECRET = "change-me-development-only"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEEDFUL_", extra="ignore")

    environment: str = Field("development", description="development | production")
    database_url: str = Field(
        "sqlite:///heedful.db", description="SQLAlchemy URL; SQLite file by default"
    )
    secret_key: str = Field(_PLACEHOLDER_SECRET, description="signs console sessions")
    host: str = "127.0.0.1"
    port: int = 8000
    default_language: str = "en"
    log_level: str = "INFO"
    log_format: str = Field("json", description="json | console")
    idempotency_retention_hours: int = 48
    worker_interval_seconds: float = Field(60.0, description="housekeeping beat")
    nats_url: str = Field(
        "", description="NATS JetStream feeding events to workers (nats://host:4222); empty = off"
    )
    nats_stream: str = Field("HEEDFUL_EVENTS", description="the JetStream stream of events")
    nats_subject: str = Field(
        "heedful.events.in.>", description="subjects sources publish CloudEvents to"
    )
    worker_poll_seconds: float = Field(
        0.1, description="how often an idle worker looks for events, timers and messages"
    )
    session_max_age_seconds: int = 12 * 3600
    secure_cookies: bool = False
    public_url: str = Field(
        "http://127.0.0.1:8000", description="where customers reach Heedful (unsubscribe links)"
    )
    smtp_host: str = Field("127.0.0.1", description="outgoing mail server")
    smtp_port: int = 1025
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = Field("Heedful <heedful@localhost>", description="From: of outgoing e-mail")
    mail_domain: str = Field("heedful.localhost", description="right-hand side of Message-IDs")
    sms_webhook_url: str = Field("", description="POST target for SMS; empty = channel off")
    messenger_webhook_url: str = Field("", description="POST target for messengers; empty = off")
    webhook_secret: str = Field(_PLACEHOLDER_SECRET, description="HMAC key signing webhooks")
    inbound_smtp_host: str = Field("127.0.0.1", description="where Heedful listens for e-mail")
    inbound_smtp_port: int = Field(0, description="inbound SMTP port (e.g. 2525); 0 = off")
    conversations_location: str = Field(
        "", description="location (id or code) of e-mail and chat no address points elsewhere"
    )
    # -- the public faces: who is believed, and how often anyone may knock (ADR 0025) --
    inbound_authserv_id: str = Field(
        "", description="the receiving mail server whose Authentication-Results are believed"
    )
    trusted_proxies: str = Field(
        "", description="comma-separated proxy addresses/networks whose X-Forwarded-For counts"
    )
    chats_per_address_per_hour: int = Field(20, description="new chats from one address; 0 = off")
    chats_per_identity_per_hour: int = Field(
        5, description="new chats naming one e-mail or phone; 0 = off"
    )
    chat_messages_per_visitor_per_minute: int = Field(20, description="0 = off")
    chat_messages_per_address_per_minute: int = Field(60, description="0 = off")
    chat_reads_per_address_per_minute: int = Field(
        600, description="chat page loads and polls (every 2 s per open chat); 0 = off"
    )
    survey_pages_per_address_per_minute: int = Field(60, description="0 = off")
    survey_answers_per_link_per_hour: int = Field(10, description="0 = off")

    @model_validator(mode="before")
    @classmethod
    def _read_secret_files(cls, values: Any) -> Any:
        # Docker and systemd hand secrets over as files: HEEDFUL_SECRET_KEY_FILE=/run/secrets/key.
        if isinstance(values, dict):
            for name in ("secret_key", "database_url", "smtp_password", "webhook_secret"):
                path = os.environ.get(f"HEEDFUL_{name.upper()}_FILE")
                if path and name not in values:
                    values[name] = Path(path).read_text().strip()
        return values

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        # Refused at start, naming the setting, rather than failing every public request later.
        for part in (p.strip() for p in value.split(",")):
            if part:
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(
                        f"HEEDFUL_TRUSTED_PROXIES: {part!r} is not an address or network"
                    ) from None
        return value

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.environment != "development" and self.secret_key == _PLACEHOLDER_SECRET:
            raise ValueError(
                "set HEEDFUL_SECRET_KEY (or HEEDFUL_SECRET_KEY_FILE) outside development"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
