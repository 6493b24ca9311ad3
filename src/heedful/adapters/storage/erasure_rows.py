"""What erasing a customer does to each room's rows (GDPR art. 17), one function per room.

The rows stay where they count something (a promise kept, a purchase, a response time), and lose
every word, address and value that could name or describe her. Which columns are cleared, and why
the others are safe to keep, is ``erasure_registry``; a test fails when a text or JSON column
exists that the registry does not classify (ADR 0026).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.conversation_tables import thread_messages, thread_notes, threads
from heedful.adapters.storage.dealing_tables import accounts, bookings, customer_owners, orders
from heedful.adapters.storage.feedback_tables import (
    churn_risks,
    recovery_loops,
    survey_answers,
    survey_caps,
)
from heedful.adapters.storage.goodwill_tables import goodwill_spends
from heedful.adapters.storage.playbook_tables import playbook_firings
from heedful.adapters.storage.promise_tables import messages, promises, tasks
from heedful.adapters.storage.setup_tables import customer_contact_rules
from heedful.adapters.storage.tables import (
    audit_log,
    consents,
    dead_letters,
    events,
    history,
    idempotency_customers,
    idempotency_keys,
    identities,
    merges,
    name_terms,
    preferences,
)
from heedful.core.customers.redaction import ERASED_NAME, redact_values
from heedful.core.history.model import KEPT_ON_ERASURE
from heedful.core.shared.ports import ERASED_ANSWER

Room = Callable[[Connection, str, Sequence[str]], dict[str, int]]


def _customer_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    removed = {}
    for name, table in (("identity", identities), ("preference", preferences)):
        removed[name] = conn.execute(
            table.delete().where(table.c.customer_id == customer_id)
        ).rowcount
    removed["consent"] = conn.execute(
        consents.delete().where(consents.c.customer_id == customer_id)
    ).rowcount
    conn.execute(name_terms.delete().where(name_terms.c.customer_id == customer_id))
    # History stays for the aggregates; its free text, and item words, could name her.
    removed["history_notes"] = conn.execute(
        history.update()
        .where(history.c.customer_id == customer_id, history.c.note != "")
        .values(note="")
    ).rowcount
    removed["history_items"] = _strip_items(conn, customer_id)
    removed["audit_values"] = conn.execute(
        audit_log.update()
        .where(audit_log.c.customer_id == customer_id)
        .values(before=None, after={"erased": True})
    ).rowcount
    removed["merge_snapshots"] = conn.execute(
        merges.update()
        .where(sa.or_(merges.c.survivor_id == customer_id, merges.c.absorbed_id == customer_id))
        .values(
            survivor_before={"erased": True},
            absorbed_before={"erased": True},
            changes=[],
            reason=ERASED_NAME,
            notes=[],
        )
    ).rowcount
    return removed


def _strip_items(conn: Connection, customer_id: str) -> int:
    """Items keep quantity, amount and what the figures count; their words go."""
    rows = conn.execute(
        sa.select(history.c.id, history.c["items"]).where(history.c.customer_id == customer_id)
    ).all()
    changed = 0
    for row in rows:
        items = row[1] or []
        kept = [
            {
                **item,
                "attributes": {
                    key: value
                    for key, value in (item.get("attributes") or {}).items()
                    if key in KEPT_ON_ERASURE
                },
            }
            for item in items
        ]
        if kept != items:
            conn.execute(history.update().where(history.c.id == row[0]).values(items=kept))
            changed += 1
    return changed


def _promise_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    # Promises, messages and tasks stay as counts (the promise-kept rate must still add up);
    # their words could describe the person and go.
    hers = sa.select(promises.c.id).where(promises.c.customer_id == customer_id)
    return {
        "promise_texts": conn.execute(
            promises.update()
            .where(promises.c.customer_id == customer_id)
            .values(text="", evidence=[], reference="", text_key=None, text_params=None)
        ).rowcount,
        "message_contents": conn.execute(
            messages.update()
            .where(messages.c.customer_id == customer_id)
            # A bounce's reason quotes the address ("550 no such user anna@...").
            .values(
                to_address="",
                subject="",
                text="",
                context={},
                reason="",
                reason_key=None,
                reason_params=None,
            )
        ).rowcount,
        # Tasks about her, or about a promise to her ("Due soon: call Anna back").
        "task_notes": conn.execute(
            tasks.update()
            .where(sa.or_(tasks.c.customer_id == customer_id, tasks.c.promise_id.in_(hers)))
            .values(
                title="",
                note="",
                outcome="",
                title_key=None,
                title_params=None,
                note_key=None,
                note_params=None,
            )
        ).rowcount,
    }


def _conversation_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    """Threads stay for the response times; what she wrote, and what was written to her, goes."""
    mine = sa.select(threads.c.id).where(threads.c.customer_id == customer_id)
    conn.execute(
        thread_messages.update()
        .where(thread_messages.c.thread_id.in_(mine))
        # Message-IDs often carry the sender's name or address; her later mail must not thread
        # into the erased conversation either.
        .values(
            body="", address="", author_label="", message_id="", in_reply_to="", authentication=""
        )
    )
    conn.execute(thread_notes.update().where(thread_notes.c.thread_id.in_(mine)).values(body=""))
    return {
        "conversation_texts": conn.execute(
            threads.update()
            .where(threads.c.customer_id == customer_id)
            .values(subject="", last_message_preview="", visitor_token=None)
        ).rowcount
    }


def _feedback_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    # Scores and the model's labels stay for the figures; her words, and what staff wrote about
    # her, go. Her churn risk and survey cap describe her and serve nobody once she is erased.
    removed = {
        "survey_comments": conn.execute(
            survey_answers.update()
            .where(survey_answers.c.customer_id == customer_id)
            .values(comment="", themes=[])
        ).rowcount,
        "recovery_notes": conn.execute(
            recovery_loops.update()
            .where(recovery_loops.c.customer_id == customer_id)
            .values(root_cause_note="", action_taken="")
        ).rowcount,
    }
    removed["churn_risk"] = conn.execute(
        churn_risks.delete().where(churn_risks.c.customer_id == customer_id)
    ).rowcount
    conn.execute(survey_caps.delete().where(survey_caps.c.customer_id == customer_id))
    return removed


def _playbook_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    # A firing's reasons quote the event and her preferences ("likes brand 'Tod's'").
    return {
        "playbook_reasons": conn.execute(
            playbook_firings.update()
            .where(playbook_firings.c.customer_id == customer_id)
            .values(reasons=[])
        ).rowcount
    }


def _mentioning(column: Any, needles: Sequence[str]) -> Any:
    text = sa.cast(column, sa.Text)
    return sa.or_(*(text.contains(needle, autoescape=True) for needle in needles))


def _event_records(conn: Connection, customer_id: str, known_as: Sequence[str]) -> dict[str, int]:
    """Events name her by id, phone, e-mail or card; those values go, the event's shape stays.

    The inbox has no index on what an event says, so this reads it once per erasure (a rare,
    admin-only act); the values are matched as stored (identities are kept normalised).
    """
    needles = [customer_id, *known_as]
    rows = conn.execute(
        sa.select(events.c.sequence, events.c.subject, events.c.data, events.c.extensions).where(
            sa.or_(
                _mentioning(events.c.data, needles),
                _mentioning(events.c.extensions, needles),
                _mentioning(events.c.subject, needles),
            )
        )
    ).all()
    for sequence, subject, data, extensions in rows:
        conn.execute(
            events.update()
            .where(events.c.sequence == sequence)
            .values(
                subject=redact_values(subject, needles),
                data=redact_values(data, needles),
                extensions=redact_values(extensions, needles),
                ordering_key=None,  # a digest of how it named her (ADR 61): ordered with nothing
            )
        )
    return {"event_mentions": len(rows)}


def _dead_letter_records(
    conn: Connection, customer_id: str, known_as: Sequence[str]
) -> dict[str, int]:
    """A failure's error line may quote what the record said (an address a rule refused)."""
    needles = [customer_id, *known_as]
    rows = conn.execute(
        sa.select(dead_letters.c.kind, dead_letters.c.ref, dead_letters.c.error).where(
            _mentioning(dead_letters.c.error, needles)
        )
    ).all()
    for kind, ref, error in rows:
        conn.execute(
            dead_letters.update()
            .where(dead_letters.c.kind == kind, dead_letters.c.ref == ref)
            .values(error=redact_values(error, needles))
        )
    return {"dead_letter_mentions": len(rows)}


def _idempotency_answers(
    conn: Connection, customer_id: str, known_as: Sequence[str]
) -> dict[str, int]:
    """Stored answers that name her become tombstones: a replay answers 410, never her record.

    Answers are found by the customer ids recorded with them, and, for answers stored before
    those were recorded, by her id or values in the answer (the table holds two days at most).
    """
    recorded = sa.select(idempotency_customers.c.scope, idempotency_customers.c.key).where(
        idempotency_customers.c.customer_id == customer_id
    )
    needles = [customer_id, *known_as]
    concerned = sa.or_(
        sa.tuple_(idempotency_keys.c.scope, idempotency_keys.c.key).in_(recorded),
        _mentioning(idempotency_keys.c.response, needles),
    )
    return {
        "idempotent_answers": conn.execute(
            idempotency_keys.update()
            .where(concerned, idempotency_keys.c.fingerprint != ERASED_ANSWER)
            # The fingerprint is a hash of the request, her name and e-mail included.
            .values(fingerprint=ERASED_ANSWER, response=None, status_code=410)
        ).rowcount
    }


def _dealing_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    # Her bookings, orders and accounts say where she sleeps, what she bought and what she has;
    # what counts (a stay, a delivered order) is already in her anonymous history.
    return {
        name: conn.execute(table.delete().where(table.c.customer_id == customer_id)).rowcount
        for name, table in (
            ("bookings", bookings),
            ("orders", orders),
            ("accounts", accounts),
            # Her own quiet hours and channel order say when she sleeps and how she is reached.
            ("contact_rules", customer_contact_rules),
            ("customer_owners", customer_owners),
        )
    }


def _goodwill_records(
    conn: Connection, customer_id: str, _known_as: Sequence[str]
) -> dict[str, int]:
    # What was given stays (the report counts it); why, in staff's words, could describe her.
    spends = goodwill_spends
    return {
        "goodwill_reasons": conn.execute(
            spends.update()
            .where(spends.c.customer_id == customer_id)
            .values(reason="", decision_note="")
        ).rowcount
    }


ROOMS: tuple[Room, ...] = (
    _customer_records,
    _promise_records,
    _conversation_records,
    _feedback_records,
    _playbook_records,
    _event_records,
    _dead_letter_records,
    _idempotency_answers,
    _dealing_records,
    _goodwill_records,
)


def erase_rows(conn: Connection, customer_id: str, known_as: Sequence[str]) -> dict[str, int]:
    removed: dict[str, int] = {}
    for room in ROOMS:
        removed.update(room(conn, customer_id, known_as))
    # customer_locations stay: they say where the (now anonymous) history happened.
    return removed
