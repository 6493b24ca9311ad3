"""Promises, tasks and messages to API shapes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from heedful.core.outreach.outbox import Message
from heedful.core.promises.model import Promise
from heedful.core.shared.phrases import Phrase, params_json
from heedful.core.tasks.model import Task
from heedful.entrypoints.api.promise_schemas import (
    EvidenceOut,
    MessageOut,
    PhraseOut,
    PromiseOut,
    TaskOut,
    WantedItemOut,
)

Gettext = Callable[[str], str]


def _english(message: str) -> str:
    return message


def phrase_out(phrase: Phrase | None, gettext: Gettext) -> PhraseOut | None:
    """Key, values and the sentence in the caller's language; None for words a person typed."""
    if phrase is None:
        return None
    return PhraseOut(key=phrase.key, params=params_json(phrase) or {}, text=phrase.say(gettext))


def promise_out(promise: Promise, now: datetime, gettext: Gettext = _english) -> PromiseOut:
    item = promise.item
    return PromiseOut(
        id=promise.id,
        customer_id=promise.customer_id,
        location_id=promise.location_id,
        kind=promise.kind,
        text=promise.text,
        text_phrase=phrase_out(promise.text_phrase, gettext),
        state=promise.state,
        made_by_label=promise.made_by_label,
        made_at=promise.made_at,
        # Answered in UTC like every stored time, also when the caller wrote another offset.
        due_at=promise.due_at.astimezone(UTC) if promise.due_at else None,
        due_in_business_minutes=promise.due_in_business_minutes,
        owner_id=promise.owner_id,
        item=WantedItemOut(product=item.product, variant=item.variant, size=item.size)
        if item
        else None,
        reference=promise.reference,
        closed_at=promise.closed_at,
        closed_by_label=promise.closed_by_label,
        evidence=[
            EvidenceOut(
                at=e.at,
                kind=e.kind,
                note=e.note,
                by=e.by,
                ref=e.ref,
                note_phrase=phrase_out(e.phrase, gettext),
            )
            for e in promise.evidence
        ],
        late=promise.is_overdue(now),
    )


def task_out(task: Task, gettext: Gettext = _english) -> TaskOut:
    amount = task.goodwill_amount
    return TaskOut(
        id=task.id,
        kind=task.kind,
        title=task.title,
        note=task.note,
        title_phrase=phrase_out(task.title_phrase, gettext),
        note_phrase=phrase_out(task.note_phrase, gettext),
        location_id=task.location_id,
        customer_id=task.customer_id,
        promise_id=task.promise_id,
        assignee_id=task.assignee_id,
        assignee_role=task.assignee_role,
        team_id=task.team_id,
        due_at=task.due_at,
        # A string, so that 150.10 reaches the client as the shop wrote it, not as a float.
        goodwill_amount=str(amount) if amount is not None else None,
        goodwill_currency=task.goodwill_currency,
        created_at=task.created_at,
        created_by_label=task.created_by_label,
        done_at=task.done_at,
        done_by_label=task.done_by_label,
        outcome=task.outcome,
    )


def message_out(message: Message, gettext: Gettext = _english) -> MessageOut:
    # The text itself stays in the console: it may hold more about the customer than a list needs.
    shaped = MessageOut.model_validate(replace(message, reason_phrase=None))
    shaped.reason_phrase = phrase_out(message.reason_phrase, gettext)
    return shaped
