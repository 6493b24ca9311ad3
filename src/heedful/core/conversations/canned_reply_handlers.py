"""Managers keep the canned replies; agents get those offered where the thread is.

The model and its storage port are in canned_replies.py (the unit of work's port imports it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from heedful.core.access import Actor, Permission
from heedful.core.conversations.canned_replies import CannedReply
from heedful.core.customers import LANGUAGES
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters
from heedful.core.unit_of_work import UnitOfWork

MAX_TITLE = 200
MAX_TEXT = 5_000
# Keeping canned replies is a conversation setting, like the SLA policies: the same managers.
MANAGE = Permission.MANAGE_SLA


@dataclass(frozen=True)
class CannedReplyIn:
    title: str
    texts: Mapping[str, str]
    location_id: str | None = None


def _checked(cmd: CannedReplyIn, uow: UnitOfWork, actor: Actor) -> tuple[str, dict[str, str]]:
    title = refuse_hidden_characters(" ".join(cmd.title.split()), field="title")
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(f"a title has 1 to {MAX_TITLE} characters", field="title")
    texts: dict[str, str] = {}
    for language, text in cmd.texts.items():
        if language not in LANGUAGES:
            raise InvalidInput(
                f"language must be one of {', '.join(LANGUAGES)}",
                said=Phrase("refusal.language"),
                field="texts",
            )
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                f"a text has at most {MAX_TEXT} characters", field=f"text_{language}"
            )
        if text.strip():
            texts[language] = text.strip()
    if not texts:
        raise InvalidInput("write the reply in at least one language", field="text_en")
    if cmd.location_id is not None:
        if uow.locations.get(cmd.location_id) is None:
            raise InvalidInput(
                f"no location {cmd.location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(cmd.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
    elif not actor.sees_every_location:
        # A manager of one hotel does not put words in the mouths of every hotel's staff.
        raise Forbidden("choose one of your locations", field="location_id")
    return title, texts


def save_canned_reply(
    cmd: CannedReplyIn,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    reply_id: str | None = None,
) -> CannedReply:
    """A new canned reply, or new words for an existing one (``reply_id``)."""
    actor.require(MANAGE)
    now = clock.now()
    with uow:
        title, texts = _checked(cmd, uow, actor)
        if reply_id is None:
            reply = CannedReply(
                id=new_id("cnr_"),
                title=title,
                texts=texts,
                created_at=now,
                updated_at=now,
                updated_by_label=actor.label,
                location_id=cmd.location_id,
            )
            uow.canned_replies.add(reply)
        else:
            reply = _editable(uow, actor, reply_id)
            reply.title, reply.texts, reply.location_id = title, texts, cmd.location_id
            reply.updated_at, reply.updated_by_label = now, actor.label
            uow.canned_replies.update(reply)
        uow.commit()
    return reply


def _editable(uow: UnitOfWork, actor: Actor, reply_id: str) -> CannedReply:
    reply = uow.canned_replies.get(reply_id)
    if reply is None or not reply.active:
        raise NotFound(f"no canned reply {reply_id}", field="reply_id")
    if reply.location_id is None and not actor.sees_every_location:
        raise Forbidden("only an administrator changes the replies of every location")
    if not actor.may_act_at(reply.location_id):
        raise NotFound(f"no canned reply {reply_id}", field="reply_id")
    return reply


def retire_canned_reply(reply_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> CannedReply:
    """No longer offered; kept, since replies already sent used its words."""
    actor.require(MANAGE)
    with uow:
        reply = _editable(uow, actor, reply_id)
        reply.active = False
        reply.updated_at, reply.updated_by_label = clock.now(), actor.label
        uow.canned_replies.update(reply)
        uow.commit()
    return reply


def list_canned_replies(
    uow: UnitOfWork, actor: Actor, *, location_id: str | None = None
) -> list[CannedReply]:
    """Active replies offered at ``location_id`` (or at any of the actor's), by title."""
    with uow:
        replies = uow.canned_replies.list(active_only=True)
    if location_id is not None:
        wanted = [r for r in replies if r.location_id in (None, location_id)]
    else:
        wanted = [r for r in replies if actor.may_act_at(r.location_id)]
    return sorted(wanted, key=lambda r: (r.title.casefold(), r.id))
