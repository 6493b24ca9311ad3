"""Survey use cases: invite a customer after a touchpoint, take her answer, read the answers.

An invitation is a message in the outbox (purpose "surveys"), so the relay applies consent and
quiet hours when it sends it, like every other message. The per-customer cap is decided here,
when the invitation is made, from one key per customer: "no survey before <date>".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.access import SYSTEM, Actor, Permission, load_customer, scope_of
from heedful.core.customers import Purpose, audit
from heedful.core.feedback.loop import reasons_to_recover
from heedful.core.feedback.maths import Figure, figures
from heedful.core.feedback.model import (
    MAX_COMMENT,
    InvitationState,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    Touchpoint,
)
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.feedback.reading import CommentReader
from heedful.core.feedback.recovery import open_recovery
from heedful.core.outreach import Message, Suppress, choose_channel
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Moment, Phrase
from heedful.core.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# At most one survey per customer in this window, whatever asks for it: a customer who stays,
# dines and buys in one week hears from us once.
SURVEY_CAP = timedelta(days=7)
TEMPLATE_KEY = "survey_invitation"


@dataclass(frozen=True)
class Invite:
    survey_id: str
    customer_id: str
    location_id: str | None = None
    staff_id: str | None = None  # who served her, frozen onto the answer
    cause: str = "api"  # "source/id" of the touchpoint event
    touchpoint: Touchpoint | None = None  # the survey's own when not given


@dataclass(frozen=True)
class Invited:
    invitation: SurveyInvitation | None
    skipped: str = ""  # why no invitation was made: the cap, no consent, an inactive survey
    why: Phrase | None = None  # the same, to be said in the reader's language (ADR 0054)


def invite(
    cmd: Invite,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    cap: timedelta = SURVEY_CAP,
) -> Invited:
    actor.require(Permission.SEND_EVENTS)
    now = clock.now()
    with uow:
        survey = uow.feedback.surveys.get(cmd.survey_id)
        if survey is None:
            raise NotFound(f"no survey {cmd.survey_id}", field="survey_id")
        customer = load_customer(uow, actor, cmd.customer_id, for_change=True)
        location_id = cmd.location_id or survey.location_id or customer.home_location_id
        if location_id is not None and uow.locations.get(location_id) is None:
            raise InvalidInput(
                f"no location {location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if cmd.staff_id is not None and uow.staff.get(cmd.staff_id) is None:
            raise InvalidInput(f"no staff member {cmd.staff_id}", field="staff_id")
        why = _why_not(uow, survey, customer.id, location_id, now)
        if why is not None:
            return Invited(None, why.english(), why)
        invitation = SurveyInvitation(
            id=new_id("inv_"),
            survey_id=survey.id,
            customer_id=customer.id,
            touchpoint=cmd.touchpoint or survey.touchpoint,
            cause=cmd.cause[:800],
            created_at=now,
            expires_at=now + survey.valid_for,
            location_id=location_id,
            staff_id=cmd.staff_id,
        )
        language, text = survey.text_in(customer.language)
        message = Message(
            id=new_id("msg_"),
            customer_id=customer.id,
            template_key=TEMPLATE_KEY,
            purpose=Purpose.SURVEYS,
            created_at=now,
            ready_at=now,
            location_id=location_id,
            context={
                # The link is signed in when the message is written (adapters/survey_links.py).
                "survey": {
                    "invitation_id": invitation.id,
                    "url": "",
                    "question": text.question,
                    "language": language,
                    "expires": invitation.expires_at.date().isoformat(),
                }
            },
        )
        invitation.message_id = message.id
        uow.feedback.invitations.add(invitation)
        uow.outbox.add(message)
        uow.feedback.caps.set_next_allowed(customer.id, now + cap)
        audit(
            uow,
            actor,
            now,
            "survey.invited",
            customer_id=customer.id,
            entity="survey_invitation",
            entity_id=invitation.id,
            after={"survey": survey.name, "cause": invitation.cause},
        )
        uow.commit()
    return Invited(invitation)


def _why_not(
    uow: UnitOfWork, survey: Survey, customer_id: str, location_id: str | None, now: datetime
) -> Phrase | None:
    if not survey.active:
        return Phrase("survey_skip.off")
    if survey.location_id is not None and location_id != survey.location_id:
        return Phrase("survey_skip.elsewhere")
    next_allowed = uow.feedback.caps.next_allowed(customer_id, for_change=True)
    if next_allowed is not None and now < next_allowed:
        return Phrase("survey_skip.recently", {"next": Moment(next_allowed)})
    # Checked here too (the relay checks again when it sends): a customer who said no to
    # surveys must not use up her cap on a message that will never go.
    route = choose_channel(
        uow.identities.list_for(customer_id), uow.consents.list_for(customer_id), Purpose.SURVEYS
    )
    if isinstance(route, Suppress):
        return route.why
    return None


@dataclass(frozen=True)
class AnswerForm:
    score: int
    comment: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Opened:
    """What the answer page needs: the survey in her language, and whether it can be answered."""

    invitation: SurveyInvitation
    survey: Survey
    language: str
    state: InvitationState


def open_invitation(invitation_id: str, uow: UnitOfWork, clock: Clock) -> Opened:
    with uow:
        invitation = uow.feedback.invitations.get(invitation_id)
        survey = uow.feedback.surveys.get(invitation.survey_id) if invitation else None
        if invitation is None or survey is None:
            raise NotFound("no such survey")
        customer = uow.customers.get(invitation.customer_id)
        language, _ = survey.text_in(customer.language if customer else "en")
    return Opened(invitation, survey, language, invitation.state(clock.now()))


def answer_survey(
    invitation_id: str,
    form: AnswerForm,
    uow: UnitOfWork,
    clock: Clock,
    reader: CommentReader | None = None,
) -> SurveyAnswer:
    """The customer answers through her link. A second submission is refused (``Conflict``)."""
    now = clock.now()
    comment = form.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"at most {MAX_COMMENT} characters", field="comment")
    with uow:
        invitation = uow.feedback.invitations.get(invitation_id, for_change=True)
        survey = uow.feedback.surveys.get(invitation.survey_id) if invitation else None
        if invitation is None or survey is None:
            raise NotFound("no such survey")
        invitation.answer(now)  # refuses an answered or expired link
        survey.check_score(form.score)
        keys = {choice.key for choice in survey.choices}
        if any(choice not in keys for choice in form.choices):
            raise InvalidInput("choose from the options given", field="choices")
        customer = load_customer(uow, SYSTEM, invitation.customer_id)
        staff = uow.staff.get(invitation.staff_id) if invitation.staff_id else None
        language, _ = survey.text_in(customer.language)
        answer = SurveyAnswer(
            id=new_id("ans_"),
            invitation_id=invitation.id,
            survey_id=survey.id,
            kind=survey.kind,
            customer_id=customer.id,
            score=form.score,
            answered_at=now,
            touchpoint=invitation.touchpoint,
            comment=comment if survey.ask_comment else "",
            choices=tuple(dict.fromkeys(form.choices)),
            language=language,
            location_id=invitation.location_id,
            staff_id=staff.id if staff else None,
            staff_label=staff.full_name if staff else "",
            segment=customer.segment.value,
        )
        answer = _read(answer, reader)
        uow.feedback.answers.add(answer)
        invitation.customer_id = customer.id  # the survivor, if she was merged since
        uow.feedback.invitations.update(invitation)
        uow.feedback.rollups.add(answer)
        reasons = reasons_to_recover(answer)
        if reasons:
            open_recovery(uow, answer, reasons, now)
        uow.commit()
    return answer


def _read(answer: SurveyAnswer, reader: CommentReader | None) -> SurveyAnswer:
    if not answer.comment or reader is None:
        return answer
    try:
        return answer.with_reading(reader.read(answer.comment, answer.language or None))
    except Exception:  # a model failing must not lose the customer's answer
        log.exception("the comment of answer %s could not be read", answer.id)
        return answer


def list_answers(
    uow: UnitOfWork, actor: Actor, where: AnswerFilter, limit: int = 100
) -> list[SurveyAnswer]:
    actor.require(Permission.VIEW_REPORTS)
    with uow:
        return uow.feedback.answers.find(_scoped(actor, where), limit)


def measure(uow: UnitOfWork, actor: Actor, where: AnswerFilter) -> list[Figure]:
    """NPS, CSAT or CES of the answers the filter names (it must name a kind)."""
    actor.require(Permission.VIEW_REPORTS)
    if where.kind is None:
        raise InvalidInput("say which kind of survey to measure", field="kind")
    with uow:
        histogram = uow.feedback.answers.histogram(_scoped(actor, where))
    return figures(where.kind, histogram)


def _scoped(actor: Actor, where: AnswerFilter) -> AnswerFilter:
    mine = scope_of(actor).location_ids
    if mine is None:
        return where
    wanted = mine if where.location_ids is None else where.location_ids & mine
    return AnswerFilter(
        since=where.since,
        until=where.until,
        kind=where.kind,
        survey_id=where.survey_id,
        customer_id=where.customer_id,
        location_ids=frozenset(wanted),
        touchpoint=where.touchpoint,
        segment=where.segment,
    )


def customer_answers(
    customer_id: str, uow: UnitOfWork, actor: Actor, limit: int = 20
) -> list[SurveyAnswer]:
    """Her answers for the card, from the actor's locations."""
    with uow:
        customer = load_customer(uow, actor, customer_id)
        found = uow.feedback.answers.find(AnswerFilter(customer_id=customer.id), limit)
    return [a for a in found if actor.may_act_at(a.location_id)]
