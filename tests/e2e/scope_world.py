"""Things that belong to one location, made the way the engine and the relay make them.

The role table and the scope tests need a task, a dead message and a recovery loop at location A
to check that location B's staff cannot reach them. None of these has a "create" endpoint (the
engine, the relay and a customer's answer make them), so they are made through the core's own
use cases and repositories, as the system.
"""

from __future__ import annotations

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.feedback.handlers import AnswerForm, Invite, answer_survey, invite
from heedful.core.feedback.model import SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.shared.clock import Clock
from heedful.core.shared.ids import new_id
from heedful.core.tasks.model import Task, TaskKind


def task_at(
    container: Container,
    clock: Clock,
    location_id: str,
    customer_id: str | None = None,
    title: str = "Call the customer back",
) -> str:
    """An open task for everyone at the location (no assignee, no role), as a playbook makes."""
    task = Task(
        id=new_id("tsk_"),
        kind=TaskKind.FOLLOW_UP,
        title=title,
        location_id=location_id,
        created_at=clock.now(),
        created_by_label=SYSTEM.label,
        customer_id=customer_id,
    )
    with container.uow() as uow:
        uow.tasks.add(task)
        uow.commit()
    return task.id


def dead_message_at(
    container: Container, clock: Clock, location_id: str, customer_id: str, text: str = ""
) -> str:
    """A message the relay gave up on (the channel refused it for good)."""
    now = clock.now()
    message = Message(
        id=new_id("msg_"),
        customer_id=customer_id,
        template_key="reply_promise",
        purpose=Purpose.SERVICE,
        created_at=now,
        ready_at=now,
        location_id=location_id,
        status=MessageStatus.DEAD,
        reason="550 mailbox unavailable",
        attempts=1,
        channel="email",
        text=text,
    )
    with container.uow() as uow:
        uow.outbox.add(message)
        uow.commit()
    return message.id


def recovery_at(container: Container, clock: Clock, location_id: str, customer_id: str) -> str:
    """A detractor's answer to a survey at the location: the recovery loop it opens."""
    survey = define_survey(
        DefineSurvey(
            name="After the visit",
            kind=SurveyKind.NPS,
            touchpoint=Touchpoint.VISIT,
            texts={"en": SurveyText(question="Would you recommend us to a friend?")},
            location_id=location_id,
        ),
        container.uow(),
        clock,
        SYSTEM,
    )
    record_consent(
        RecordConsent(customer_id, Channel.EMAIL, Purpose.SURVEYS, True, "web form"),
        container.uow(),
        clock,
        SYSTEM,
    )
    made = invite(
        Invite(survey.id, customer_id, location_id=location_id), container.uow(), clock, SYSTEM
    )
    assert made.invitation is not None, made.skipped
    answer = answer_survey(
        made.invitation.id, AnswerForm(2, "We waited an hour"), container.uow(), clock
    )
    with container.uow() as uow:
        loop = uow.feedback.loops.get_for_answer(answer.id)
    assert loop is not None
    return loop.id
