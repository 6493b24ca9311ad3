"""A survey link and an unsubscribe link a newcomer can open, read from the demo's sent mail.

The demo's survey invitations went out "in the past" (feedback.py marks them sent), so their
links are in no mailbox: `heedful demo` prints one of each, signed as the e-mail carried them.
"""

from __future__ import annotations

from dataclasses import dataclass

from heedful.bootstrap import Container
from heedful.core.customers.channels import Channel
from heedful.core.feedback.model import InvitationState
from heedful.core.outreach.outbox import Message, MessageStatus

SCANNED = 2000  # sent messages looked at, newest first: the demo sends a few hundred


@dataclass(frozen=True)
class LinksToTry:
    survey: str | None  # None: every invitation is answered or expired (an old demo database)
    unsubscribe: str | None


def links_to_try(container: Container) -> LinksToTry:
    """The newest survey invitation still open, and the unsubscribe link of its e-mail.

    When every invitation is answered or expired, the unsubscribe link of the newest sent message.
    """
    now = container.clock.now()
    with container.uow() as uow:
        sent = uow.outbox.list_by_status(frozenset({MessageStatus.SENT}), SCANNED)
        sent.sort(key=lambda m: m.created_at, reverse=True)
        for message in sent:
            invited = message.context.get("survey")
            invitation_id = invited.get("invitation_id") if isinstance(invited, dict) else None
            if not isinstance(invitation_id, str):
                continue
            invitation = uow.feedback.invitations.get(invitation_id)
            if invitation is not None and invitation.state(now) is InvitationState.WAITING:
                return LinksToTry(
                    container.survey_links.link(invitation_id), _unsubscribe(container, message)
                )
    return LinksToTry(None, _unsubscribe(container, sent[0]) if sent else None)


def _unsubscribe(container: Container, message: Message) -> str:
    return container.unsubscribe.link(message, message.channel or Channel.EMAIL.value)
