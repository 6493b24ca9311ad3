"""The documented shapes of playbooks, their versions, firings and dry-runs.

A playbook's body is free JSON here on purpose: the core reads it and names the JSON path at
fault (``actions[0].assign_to``), the same words the console shows, rather than pydantic's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from heedful.entrypoints.api.promise_schemas import Instant, PhraseOut
from heedful.entrypoints.api.schemas import In, Out


class VersionOut(Out):
    version: int
    created_at: datetime
    created_by_label: str


class VersionBodyOut(VersionOut):
    playbook_id: str
    playbook: dict[str, Any] = Field(description="The playbook's JSON as this version had it")


class PlaybookOut(Out):
    id: str
    name: str
    event: str = Field(description="The event type that triggers it")
    enabled: bool
    version: int = Field(description="The current version")
    playbook: dict[str, Any] = Field(description="The current version's JSON")
    versions: list[VersionOut] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class FiringOut(Out):
    id: str
    version: int = Field(description="The version that fired")
    customer_id: str
    event: str = Field(description="source/id of the event")
    event_type: str
    fired_at: datetime
    reasons: list[str] = Field(description="The conditions that held, in English")
    done: list[str] = Field(description="What it did, in English")
    reasons_phrases: list[PhraseOut | None] = Field(
        default_factory=list,
        description="The same reasons by key and values, said in Accept-Language (ADR 0054); "
        "null for a line with nothing to translate or one kept from before keys",
    )
    done_phrases: list[PhraseOut | None] = Field(
        default_factory=list, description="The same deeds by key and values (ADR 0054)"
    )


class DryRunIn(In):
    since: Instant
    until: Instant
    playbook: dict[str, Any] | None = Field(
        None, description="A draft to try instead of the stored playbook (only without an id)"
    )


class WouldFireOut(Out):
    customer_id: str
    customer_name: str
    event: str
    happened_at: datetime
    reasons: list[str] = Field(description="The conditions that held, with the event's values")
    actions: list[str] = Field(description="What it would have done, in English")
    reasons_phrases: list[PhraseOut | None] = Field(
        default_factory=list, description="The same reasons by key and values (ADR 0054)"
    )
    actions_phrases: list[PhraseOut | None] = Field(
        default_factory=list, description="The same actions by key and values (ADR 0054)"
    )
    location_id: str | None = Field(
        None, description="The location whose night it is (`tonight`); customer_id is it too"
    )


class DryRunOut(Out):
    playbook_id: str | None
    version: int | None
    since: datetime
    until: datetime
    subject: str | None = Field(
        None, description="The state a look-ahead playbook read (`tonight`: nights, not events)"
    )
    events: int
    events_matched: int
    customers: int
    messages: int
    tasks: int
    promises_opened: int
    promises_closed: int
    holds: int = Field(description="Tables or rooms it would have held back (`tonight`)")
    repeats: int = Field(description="Held back by once_per_customer")
    hidden: int = Field(description="Customers outside your locations: counted, not named")
    truncated: bool
    would_fire: list[WouldFireOut]
