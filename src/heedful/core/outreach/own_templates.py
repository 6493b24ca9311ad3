"""A business's own wording of a message, per language, over the built-in one (ADR 0043).

The built-in templates (default_templates.py and the playbooks', surveys' and replies') stay in
the code as the fallback: an own template replaces the built-in one of the same key and
language, and removing it brings the built-in one back. A template may use the names the
built-in ones of its key use, and the few every message has; any other name is refused on save,
named, because a message that fails to fill in is a message a customer never gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import LANGUAGES, Channel, Purpose, audit
from heedful.core.outreach.envelope import Composed, Envelope, Sender
from heedful.core.outreach.templates import MessageTemplate
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

MAX_SUBJECT = 300
MAX_TEXT = 10_000
# What every message is filled in with (the relay's context), whatever its key.
EVERY_MESSAGE_HAS = (
    "customer.first_name",
    "customer.name",
    "customer.language",
    # Her standing preferences, read by the relay for every message (ADR 0049).
    "customer.preferences.likes",
    "customer.preferences.dislikes",
    "customer.preferences.never",
    "location.name",
    "unsubscribe_url",
)


@dataclass(frozen=True)
class OwnTemplate:
    template: MessageTemplate
    changed_at: datetime
    changed_by: str


class OwnTemplates(Protocol):
    def every(self) -> list[OwnTemplate]: ...
    def for_key(self, key: str) -> list[MessageTemplate]: ...
    def put(self, template: MessageTemplate, at: datetime, by: str) -> None: ...
    def remove(self, key: str, language: str) -> bool: ...


class TemplateChecker(Protocol):
    """What the renderer (an adapter) tells about a template's source."""

    def names_in(self, source: str) -> set[str]:
        """The names a source reads from its context, dotted: "customer.first_name"."""
        ...

    def check(self, template: MessageTemplate, names: Iterable[str]) -> None:
        """Raise InvalidInput naming the part (subject, text) that cannot be filled in."""
        ...


def template_keys(built_in: Iterable[MessageTemplate]) -> list[str]:
    return sorted({template.key for template in built_in})


def variables_of(
    key: str, built_in: Iterable[MessageTemplate], checker: TemplateChecker
) -> list[str]:
    """The names a template of ``key`` may use: every message's and its built-in ones'."""
    names = set(EVERY_MESSAGE_HAS)
    for template in built_in:
        if template.key == key:
            names |= checker.names_in(template.subject) | checker.names_in(template.text)
    return sorted(names)


def save_template(
    template: MessageTemplate,
    built_in: Sequence[MessageTemplate],
    checker: TemplateChecker,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
) -> MessageTemplate:
    actor.require(Permission.MANAGE_PLAYBOOKS)
    if template.key not in template_keys(built_in):
        raise NotFound(f"no message template {template.key}", field="key")
    if template.language not in LANGUAGES:
        raise InvalidInput(
            f"language must be one of {', '.join(LANGUAGES)}",
            said=Phrase("refusal.language"),
            field="language",
        )
    subject = " ".join(template.subject.split())
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(f"a subject is at most {MAX_SUBJECT} characters", field="subject")
    if not template.text.strip() or len(template.text) > MAX_TEXT:
        raise InvalidInput(f"a message has 1 to {MAX_TEXT} characters of text", field="text")
    template = MessageTemplate(template.key, template.language, subject, template.text)
    allowed = variables_of(template.key, built_in, checker)
    for part, source in (("subject", template.subject), ("text", template.text)):
        unknown = sorted(checker.names_in(source) - set(allowed))
        if unknown:
            raise InvalidInput(
                f"unknown variable {unknown[0]}",
                said=Phrase("refusal.message_variable", {"name": unknown[0]}),
                field=part,
            )
    checker.check(template, allowed)
    now = clock.now()
    with uow:
        before = next(
            (
                t
                for t in uow.message_templates.for_key(template.key)
                if t.language == template.language
            ),
            None,
        )
        uow.message_templates.put(template, now, actor.id)
        audit(
            uow,
            actor,
            now,
            "message_template.saved",
            customer_id=None,
            entity="message_template",
            entity_id=f"{template.key}:{template.language}"[:40],
            before=_plain(before) if before else None,
            after=_plain(template),
        )
        uow.commit()
    return template


def remove_template(key: str, language: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> None:
    """The business's wording goes; the built-in one is sent again."""
    actor.require(Permission.MANAGE_PLAYBOOKS)
    now = clock.now()
    with uow:
        if not uow.message_templates.remove(key, language):
            raise NotFound(f"no own template {key} in {language}")
        audit(
            uow,
            actor,
            now,
            "message_template.removed",
            customer_id=None,
            entity="message_template",
            entity_id=f"{key}:{language}"[:40],
        )
        uow.commit()


def templates_in_use(
    key: str, built_in: Iterable[MessageTemplate], uow: UnitOfWork
) -> dict[str, tuple[MessageTemplate, bool]]:
    """By language: the template sent for ``key`` and whether it is the business's own."""
    with uow:
        own = {t.language: t for t in uow.message_templates.for_key(key)}
    found = {t.language: (t, False) for t in built_in if t.key == key}
    found.update({language: (t, True) for language, t in own.items()})
    return found


def with_own(
    built_in: Iterable[MessageTemplate], own: Iterable[MessageTemplate]
) -> list[MessageTemplate]:
    """The templates to choose from: an own one replaces the built-in one of its language."""
    replaced = {(t.key, t.language) for t in own}
    return [*own, *(t for t in built_in if (t.key, t.language) not in replaced)]


def _plain(template: MessageTemplate) -> dict[str, object]:
    return {"subject": template.subject, "text": template.text}


def preview_context(customer_id: str, uow: UnitOfWork, actor: Actor) -> dict[str, object]:
    """A real customer's values as the relay fills them in: to preview a template with."""
    actor.require(Permission.MANAGE_PLAYBOOKS)
    with uow:
        customer = load_customer(uow, actor, customer_id)
        home = uow.locations.get(customer.home_location_id) if customer.home_location_id else None
        standing = [p for p in uow.preferences.list_for(customer.id) if p.is_standing]
    words = customer.full_name.split()
    return {
        "customer": {
            "name": customer.full_name,
            "first_name": words[0] if words else "",
            "language": customer.language,
            "preferences": {
                name: [p.subject for p in standing if p.polarity.value == polarity]
                for name, polarity in (
                    ("likes", "like"),
                    ("dislikes", "dislike"),
                    ("never", "never"),
                )
            },
        },
        "location": {"name": home.name if home else ""},
    }


def send_test(
    composed: Composed,
    to: str,
    sender: Sender,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    key: str,
) -> str:
    """A template filled in and sent to a staff member's own address, now, outside the outbox:
    nobody's message, so no consent, quiet hours or cap applies; it is audited."""
    actor.require(Permission.MANAGE_PLAYBOOKS)
    address = to.strip()
    if "@" not in address or len(address) > MAX_SUBJECT:
        raise InvalidInput(
            f"'{address}' is not an e-mail address",
            said=Phrase("refusal.email", {"value": address}),
            field="to",
        )
    envelope = Envelope(
        message_id=new_id("msg_"),
        channel=Channel.EMAIL,
        to=address,
        language=composed.language,
        subject=composed.subject,
        text=composed.text,
        html=composed.html,
        unsubscribe_url=None,
        customer_id="",
        purpose=Purpose.SERVICE.value,
    )
    reference = sender.send(envelope)  # SendFailed says why, to the one who pressed the button
    with uow:
        audit(
            uow,
            actor,
            clock.now(),
            "message_template.test_sent",
            customer_id=None,
            entity="message_template",
            entity_id=f"{key}:{composed.language}"[:40],
            after={"to": address},
        )
        uow.commit()
    return reference
