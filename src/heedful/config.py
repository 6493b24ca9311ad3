"""Settings, from HEEDFUL_* environment variables (secrets also from HEEDFUL_*_FILE)."""

from __future__ import annotations

import ipaddress
import math
import os
import string
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets Heedful signs or checks with. Outside development each must be set and strong; in
# development an unset one is generated on first start and kept in the data directory.
SECRET_SETTINGS = ("secret_key", "webhook_secret")
# Values published in docs, examples and earlier releases: never accepted, in any environment.
_PUBLISHED = frozenset({"change-me-development-only", "changeme", "change-me", "secret"})
MIN_SECRET_BITS = 256


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEEDFUL_", extra="ignore")

    environment: str = Field("development", description="development | production")
    database_url: str = Field(
        "sqlite:///heedful.db", description="SQLAlchemy URL; SQLite file by default"
    )
    secret_key: str = Field(
        "", description="signs console sessions and customers' links; empty: generated (dev only)"
    )
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
    worker_gather_ms: float = Field(
        100.0,
        ge=0,
        le=5000,
        description="after a pass that found work and left none behind, the next pass starts"
        " this long after it began, so that a trickle is handled in batches (ADR 85); 0: at once",
    )
    worker_write_budget_ms: float | None = Field(
        None,
        gt=0,
        description="how long one batch of events may hold the write lock before it commits;"
        " unset: 100, and 1000 for a batch of events on PostgreSQL (ADR 71)",
    )
    worker_event_batch: int = Field(
        200, ge=1, le=1000, description="events a worker claims and handles per transaction"
    )
    session_max_age_seconds: int = 12 * 3600
    secure_cookies: bool | None = Field(
        None, description="Secure session cookie; unset: on everywhere but development"
    )
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
    webhook_channels: dict[str, str] = Field(
        default_factory=dict,
        description='channel -> POST target, JSON: {"sms": "https://..."}; wins over the two above',
    )
    webhook_secret: str = Field(
        "", description="HMAC key signing webhooks; empty: generated (dev only)"
    )
    inbound_smtp_host: str = Field("127.0.0.1", description="where Heedful listens for e-mail")
    inbound_smtp_port: int = Field(0, description="inbound SMTP port (e.g. 2525); 0 = off")
    conversations_location: str = Field(
        "", description="location (id or code) of e-mail and chat no address points elsewhere"
    )
    dead_letter_tries: int = Field(
        5,
        ge=1,
        le=100,
        description="failed tries of an event, message, timer or job before it is set aside",
    )
    # A year and a month by default, so a playbook's dry-run (at most 366 days) can replay the
    # year; never under 30 days, the span in which a sender's retry is recognised by its key.
    event_retention_days: int = Field(
        400,
        ge=30,
        le=3650,
        description="days a processed event is kept in the inbox, then purged",
    )
    # At least the events' own 30 days: a purged event's key no longer recognises a retry.
    discarded_retention_days: int = Field(
        90,
        ge=30,
        le=3650,
        description="days a discarded dead letter and its set-aside event are kept, then purged",
    )

    data_dir: str = Field(
        "",
        description="where generated development secrets are kept; empty: beside the SQLite "
        "file, or the current directory",
    )
    audit_photos_dir: str = Field(
        "",
        description="where audit visits' photos and receipts are kept (ADR 0045); empty: "
        "audit-photos in the data directory",
    )
    login_delay_after_failures: int = Field(
        3, ge=1, description="failed logins of one account before each try waits"
    )
    login_max_delay_seconds: int = Field(900, ge=1, description="the longest wait between tries")
    login_lockout_failures: int = Field(
        10, ge=2, description="failed logins that lock an account until an admin unlocks it"
    )
    metrics_token: str = Field("", description="bearer token /metrics asks for; empty: none")
    public_metrics: bool | None = Field(
        None, description="/metrics without a token; unset: only in development"
    )
    public_docs: bool | None = Field(
        None, description="API docs and OpenAPI document without a token; unset: development only"
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
            for name in (
                "secret_key",
                "database_url",
                "smtp_password",
                "webhook_secret",
                "metrics_token",
            ):
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
    def _refuse_weak_secrets(self) -> Settings:
        # Development may leave them empty (they are generated); a value given is always checked.
        named = [(name, getattr(self, name)) for name in SECRET_SETTINGS]
        if self.metrics_token:
            named.append(("metrics_token", self.metrics_token))
        for name, value in named:
            if not value and self.is_development:
                continue
            problem = weak_secret(value)
            if problem:
                variable = f"HEEDFUL_{name.upper()}"
                raise ValueError(
                    f"{variable} {problem}: set it (or {variable}_FILE) to a random value, e.g. "
                    'python -c "import secrets; print(secrets.token_urlsafe(32))"'
                )
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def cookies_secure(self) -> bool:
        # A production console is served over HTTPS; a session cookie must never travel in clear.
        return self.secure_cookies if self.secure_cookies is not None else not self.is_development

    @property
    def metrics_public(self) -> bool:
        return self.public_metrics if self.public_metrics is not None else self.is_development

    @property
    def docs_public(self) -> bool:
        return self.public_docs if self.public_docs is not None else self.is_development

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def secret_bits(value: str) -> float:
    """A generous estimate of a secret's entropy, from its length and the alphabet it draws on.

    Hex carries 4 bits a character, base64 6, anything else is counted as printable ASCII; a
    value drawing on few distinct characters ("aaaa…", "abab…") is counted by those it uses.
    """
    used = set(value)
    if used <= set(string.hexdigits):
        per_char = 4.0
    elif used <= set(string.ascii_letters + string.digits + "-_+/="):
        per_char = 6.0
    else:
        per_char = math.log2(95)
    if len(used) < 2**per_char / 4:
        per_char = math.log2(max(len(used), 1))
    return len(value) * per_char


def weak_secret(value: str) -> str:
    """Why a secret is unfit to sign with, or "" when it is fit."""
    if not value:
        return "is not set"
    if value.strip().lower() in _PUBLISHED:
        return "is a published placeholder"
    if secret_bits(value) < MIN_SECRET_BITS:
        return f"is too short or too plain (under {MIN_SECRET_BITS // 8} random bytes)"
    return ""
