"""A visit fires a playbook that sends a survey; the relay mails its signed link after quiet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from feedback_world import FeedbackWorld, WordReader
from promise_world import build_world
from smtp_mailbox import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.smtp import SmtpSender
from heedful.adapters.survey_links import SurveyLinkSigner, WithSurveyLinks
from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.events.model import BusinessEvent
from heedful.core.feedback.message_templates import SURVEY_TEMPLATES
from heedful.core.feedback.model import SurveyKind
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.playbooks import handlers as playbooks
from heedful.core.shared.clock import FrozenClock


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> FeedbackWorld:
    return FeedbackWorld(build_world(container, clock), WordReader())


def _relay(mailbox: Mailbox, clock: FrozenClock, signer: SurveyLinkSigner) -> Relay:
    sender = SmtpSender(
        mailbox.host,
        mailbox.port,
        from_address="Hotel Lypky <hello@lypky.example>",
        message_id_domain="lypky.example",
        clock=clock,
    )
    return Relay(
        senders={"email": sender}, composer=WithSurveyLinks(JinjaComposer(SURVEY_TEMPLATES), signer)
    )


def test_a_late_visit_is_surveyed_in_the_morning_with_her_own_signed_link(
    world: FeedbackWorld, mailbox: Mailbox
) -> None:
    base = world.base
    survey = world.survey(kind=SurveyKind.CSAT)
    olena = world.guest("Olena Koval")
    source = {
        "name": "Ask after a visit",
        "trigger": {"event": "heedful.visit.recorded"},
        "actions": [{"do": "send_survey", "survey": survey.id, "staff_from": "data.staff_id"}],
    }
    made = playbooks.create_playbook(source, base.uow, base.clock, base.admin)
    playbooks.set_enabled(made.id, True, base.uow, base.clock, base.admin)

    base.later(hours=14)  # 23:00 in Kyiv: quiet hours
    visit = BusinessEvent(
        source="pms",
        id="visit-1",
        type="heedful.visit.recorded",
        data={
            "customer": {"id": olena.id},
            "location": base.kyiv.id,
            "staff_id": base.assistant.id,
        },
    )
    with base.uow as uow:
        uow.events.accept([visit], received_at=base.clock.now())
        uow.commit()
    assert process_events(base.container.uow, base.clock).fired == 1
    with base.uow as uow:
        [invitation] = uow.feedback.invitations.list_for_customer(olena.id, 5)
    assert (invitation.cause, invitation.staff_id) == ("pms/visit-1", base.assistant.id)

    signer = SurveyLinkSigner("test-secret", "https://heedful.example")
    relay = _relay(mailbox, base.clock, signer)
    assert relay.run(base.container.uow, base.clock).held == 1
    assert mailbox.messages == []

    base.later(hours=10)  # 09:00 in Kyiv
    assert relay.run(base.container.uow, base.clock).sent == 1
    [mail] = mailbox.wait_for(1)
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Як усе пройшло?" in str(mail["Subject"])
    assert signer.link(invitation.id) in body
    assert signer.read(signer.token(invitation.id)) == invitation.id
    with base.uow as uow:
        stored = uow.feedback.invitations.get(invitation.id)
        [message] = uow.outbox.list_for_customer(olena.id, 5)
    assert message.status is MessageStatus.SENT
    assert stored is not None
    assert stored.sent_at == base.clock.now()
    # A second visit the same week sends nothing more.
    base.later(days=1)
    repeat = BusinessEvent(
        source="pms",
        id="visit-2",
        type="heedful.visit.recorded",
        data={"customer": {"id": olena.id}, "location": base.kyiv.id},
    )
    with base.uow as uow:
        uow.events.accept([repeat], received_at=base.clock.now())
        uow.commit()
    process_events(base.container.uow, base.clock)
    with base.uow as uow:
        assert len(uow.feedback.invitations.list_for_customer(olena.id, 5)) == 1
    assert base.clock.now() - invitation.created_at < timedelta(days=7)
