"""The demo's surveys: ten weeks of guests, clients and diners saying how it went.

Four surveys (CSAT after a hotel stay, NPS after a boutique purchase, CES after a call to the
bank, CSAT after a dinner) are defined and sent through the feedback room's own use cases, in
time order, with the clock at the moment each happened: the invitation respects consent and the
weekly cap, the answer is read by the text model when one is installed, counted into the
dashboard's rollups, and an unhappy one opens a recovery that the location's manager closes
with a root cause, in time or late, or that is still open. The hotel had a bad spell five to
seven weeks ago (check-in queues), so the trend has a dip and a recovery.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.access.model import SYSTEM, Actor, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.engine.timers import fire_due_timers
from heedful.core.feedback.handlers import AnswerForm, Invite, answer_survey, invite
from heedful.core.feedback.model import Choice, Survey, SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.reading import CommentReader
from heedful.core.feedback.recompute import recompute_feedback
from heedful.core.feedback.recovery import CloseRecovery, close_recovery
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.scope import CustomerScope
from heedful.core.unit_of_work import UnitOfWork

from .data import BANK, BOUTIQUE, HOTEL, RESTAURANT
from .feedback_comments import BAD, CODE_SWITCHED, COMMENTS, GOOD, MIXED

WEEKS = 10
ANSWERED_SHARE = 0.7  # three in ten never open their link
COMMENT_SHARE = 0.65


@dataclass(frozen=True)
class _SurveySpec:
    business: str
    kind: SurveyKind
    touchpoint: Touchpoint
    name: str
    texts: dict[str, SurveyText]
    choices: tuple[Choice, ...]
    sent: int  # invitations over the ten weeks


def _choices(*rows: tuple[str, str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(key, {"uk": uk, "ru": ru, "en": en}) for key, uk, ru, en in rows)


_PROMPT = SurveyText  # (question, comment prompt, choices prompt, thanks)
SURVEYS: tuple[_SurveySpec, ...] = (
    _SurveySpec(
        HOTEL,
        SurveyKind.CSAT,
        Touchpoint.STAY,
        "Ostozhenka: after the stay",
        {
            "ru": _PROMPT(
                "Насколько вы довольны проживанием в Ostozhenka Grand?",
                "Что нам стоит улучшить?",
                "Что понравилось больше всего?",
                "Спасибо! Ждём вас снова.",
            ),
            "uk": _PROMPT(
                "Наскільки ви задоволені перебуванням в Ostozhenka Grand?",
                "Що нам варто покращити?",
                "Що сподобалося найбільше?",
                "Дякуємо! Чекаємо на вас знову.",
            ),
            "en": _PROMPT(
                "How satisfied were you with your stay at the Ostozhenka Grand?",
                "What could we do better?",
                "What did you like most?",
                "Thank you! We hope to welcome you again.",
            ),
        },
        _choices(
            ("room", "Номер", "Номер", "The room"),
            ("breakfast", "Сніданок", "Завтрак", "Breakfast"),
            ("staff", "Персонал", "Персонал", "The staff"),
            ("check_in", "Заселення", "Заселение", "Check-in"),
        ),
        170,
    ),
    _SurveySpec(
        BOUTIQUE,
        SurveyKind.NPS,
        Touchpoint.PURCHASE,
        "Atelier Lypky: after a purchase",
        {
            "uk": _PROMPT(
                "Наскільки ймовірно, що ви порекомендуєте Atelier Lypky друзям?",
                "Що було б варто змінити?",
                "Що вплинуло на вашу оцінку?",
                "Дякуємо, що ви з нами!",
            ),
            "ru": _PROMPT(
                "Насколько вероятно, что вы порекомендуете Atelier Lypky друзьям?",
                "Что стоило бы изменить?",
                "Что повлияло на вашу оценку?",
                "Спасибо, что вы с нами!",
            ),
            "en": _PROMPT(
                "How likely are you to recommend Atelier Lypky to a friend?",
                "What should we change?",
                "What shaped your score?",
                "Thank you for shopping with us!",
            ),
        },
        _choices(
            ("advice", "Порада консультанта", "Совет консультанта", "The advice"),
            ("fit", "Посадка і підгонка", "Посадка и подгонка", "Fit and alterations"),
            ("price", "Ціна", "Цена", "Price"),
            ("atmosphere", "Атмосфера", "Атмосфера", "Atmosphere"),
        ),
        110,
    ),
    _SurveySpec(
        BANK,
        SurveyKind.CES,
        Touchpoint.CONVERSATION,
        "Lavra Bank: after a call",
        {
            "uk": _PROMPT(
                "Наскільки легко було вирішити ваше питання з банком?",
                "Що ускладнило розмову?",
                "",
                "Дякуємо за відгук.",
            ),
            "ru": _PROMPT(
                "Насколько легко было решить ваш вопрос с банком?",
                "Что усложнило разговор?",
                "",
                "Спасибо за отзыв.",
            ),
            "en": _PROMPT(
                "How easy was it to get your question resolved?",
                "What made it harder?",
                "",
                "Thank you for your feedback.",
            ),
        },
        (),
        80,
    ),
    _SurveySpec(
        RESTAURANT,
        SurveyKind.CSAT,
        Touchpoint.VISIT,
        "Kashtan & Vyshnia: after dinner",
        {
            "uk": _PROMPT(
                "Як вам вечір у «Каштан і Вишня»?",
                "Що нам покращити?",
                "Що сподобалося?",
                "Дякуємо! До зустрічі.",
            ),
            "ru": _PROMPT(
                "Как вам вечер в «Каштан и Вишня»?",
                "Что нам улучшить?",
                "Что понравилось?",
                "Спасибо! До встречи.",
            ),
            "en": _PROMPT(
                "How was your evening at Kashtan & Vyshnia?",
                "What could we do better?",
                "What did you enjoy?",
                "Thank you! See you soon.",
            ),
        },
        _choices(
            ("food", "Страви", "Блюда", "The food"),
            ("service", "Обслуговування", "Обслуживание", "Service"),
            ("atmosphere", "Атмосфера", "Атмосфера", "Atmosphere"),
        ),
        130,
    ),
)

# What the managers found and did, per business: (root cause, note, action), in their language.
FIXES: dict[str, tuple[tuple[str, str, str], ...]] = {
    HOTEL: (
        (
            "waiting_time",
            "Одна стойка регистрации в час пик",
            "Позвонили, извинились, поздний выезд",
        ),
        ("cleanliness", "Горничная пропустила номер", "Извинились, скидка 20 % на следующий визит"),
        ("staff_behaviour", "Администратор без опыта, без наставника", "Разговор, наставник"),
    ),
    BOUTIQUE: (
        ("communication", "Дзвінок про надходження не зробили", "Зателефонували, відклали річ"),
        ("staff_behaviour", "Консультант відволікся на телефон", "Вибачилися, подарунок"),
        ("price", "Клієнтка не знала про сезонну знижку", "Повернули різницю"),
    ),
    RESTAURANT: (
        ("waiting_time", "Кухня не впоралася з банкетом", "Вибачилися, десерт від закладу"),
        ("product_quality", "Страву віддали холодною", "Повернули гроші за страву"),
    ),
    BANK: (
        ("process", "Ліміт не підняли заздалегідь", "Підняли ліміт, повернули комісію"),
        ("communication", "Клієнта переключали між відділами", "Персональний менеджер"),
    ),
}

# Score weights per kind in ordinary weeks, and in the hotel's bad spell.
_WEIGHTS = {
    SurveyKind.CSAT: {1: 4, 2: 5, 3: 10, 4: 33, 5: 48},
    SurveyKind.NPS: {0: 2, 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 6, 7: 9, 8: 15, 9: 25, 10: 33},
    SurveyKind.CES: {1: 2, 2: 3, 3: 6, 4: 10, 5: 24, 6: 30, 7: 25},
}
_BAD_SPELL = {1: 12, 2: 14, 3: 20, 4: 30, 5: 24}


def _tone(kind: SurveyKind, score: int, rng: random.Random) -> str:
    low, high = {SurveyKind.CSAT: (2, 4), SurveyKind.NPS: (6, 9), SurveyKind.CES: (3, 6)}[kind]
    if score <= low:
        return BAD if rng.random() < 0.8 else MIXED
    if score >= high:
        return GOOD if rng.random() < 0.85 else MIXED
    return MIXED if rng.random() < 0.7 else GOOD


def _comment(business: str, tone: str, language: str, rng: random.Random) -> str:
    if tone == MIXED and business in CODE_SWITCHED and rng.random() < 0.08:
        return rng.choice(CODE_SWITCHED[business])
    by_language = COMMENTS[business][tone]
    said = by_language.get(language) or next(iter(by_language.values()))
    return rng.choice(said)


@dataclass(order=True)
class _Step:
    at: datetime
    order: int
    business: str
    customer_id: str = ""
    survey_id: str = ""
    invitation_id: str = ""
    answer_after: timedelta = timedelta()


def play_feedback(
    uow: UnitOfWork,
    clock: FrozenClock,
    locations: dict[str, str],
    now: datetime,
    seed: int,
    reader: CommentReader | None,
) -> None:
    rng = random.Random(seed * 31 + 6)
    start = now - timedelta(weeks=WEEKS)
    clock.set(start - timedelta(days=1))
    managers, agents = _people(uow)
    surveys: dict[str, tuple[_SurveySpec, Survey]] = {}
    for spec in SURVEYS:
        survey = define_survey(
            DefineSurvey(
                spec.name,
                spec.kind,
                spec.touchpoint,
                spec.texts,
                choices=spec.choices,
                location_id=locations[spec.business],
            ),
            uow,
            clock,
            SYSTEM,
        )
        surveys[spec.business] = (spec, survey)
    steps: list[_Step] = []
    for spec, survey in surveys.values():
        guests = _surveyable(uow, locations[spec.business])
        if not guests:
            continue
        for _ in range(spec.sent):
            at = start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))
            known = [g for g in guests if g.created_at <= at]  # asked after she came, not before
            if not known:
                continue
            guest = rng.choice(known)
            after = timedelta(hours=rng.uniform(0.5, 40)) if rng.random() < ANSWERED_SHARE else None
            steps.append(_Step(at, 0, spec.business, guest.id, survey.id))
            if after is not None and at + after < now:
                steps[-1].answer_after = after
    consented: set[str] = set()
    for step in sorted(steps):
        clock.set(step.at)
        fire_due_timers(lambda: uow, clock)
        if step.customer_id not in consented:
            record_consent(
                RecordConsent(
                    step.customer_id, Channel.EMAIL, Purpose.SURVEYS, True, "at the till"
                ),
                uow,
                clock,
                SYSTEM,
            )
            consented.add(step.customer_id)
        location = locations[step.business]
        staff = rng.choice(agents[location]) if agents.get(location) else None
        outcome = invite(
            Invite(step.survey_id, step.customer_id, location, staff, cause="demo/touchpoint"),
            uow,
            clock,
            SYSTEM,
        )
        if outcome.invitation is None:
            continue  # surveyed in the past week: the cap holds
        _mark_sent(uow, outcome.invitation.message_id, step.at)
        if step.answer_after:
            clock.set(step.at + step.answer_after)
            spec, _ = surveys[step.business]
            answer_id = _answer(
                uow, clock, spec, outcome.invitation.id, step.at, start, rng, reader
            )
            _maybe_close(uow, clock, spec.business, answer_id, managers, now, rng)
    clock.set(now)
    fire_due_timers(lambda: uow, clock)
    # The heat map and the churn list are filled as the daily job would have filled them (the
    # map shows the latest period; the worker's first run at start does last week again).
    recompute_feedback(lambda: uow, clock, weeks=2, months=1)


def _people(uow: UnitOfWork) -> tuple[dict[str, Actor], dict[str, list[str]]]:
    managers: dict[str, Actor] = {}
    agents: dict[str, list[str]] = {}
    for member in uow.staff.list():
        for location in member.location_ids or ():
            if member.role is Role.MANAGER:
                managers[location] = Actor(
                    member.id, member.full_name, member.role, member.location_ids
                )
            elif member.role is Role.AGENT:
                agents.setdefault(location, []).append(member.id)
    return managers, agents


def _surveyable(uow: UnitOfWork, location_id: str) -> list[Customer]:
    """The location's customers with an e-mail address: the invitation goes by e-mail."""
    with uow:
        found = uow.customers.list(CustomerScope(frozenset({location_id})), 1000, None).items
        return [
            c
            for c in found
            if any(i.kind is IdentityKind.EMAIL for i in uow.identities.list_for(c.id))
        ]


def _mark_sent(uow: UnitOfWork, message_id: str | None, at: datetime) -> None:
    # The demo replays the past: its invitations went out at the time, so the relay does not
    # send hundreds of stale links when the demo starts.
    with uow:
        message = uow.outbox.get(message_id) if message_id else None
        if message is not None:
            message.sent(at + timedelta(minutes=1), "demo")
            uow.outbox.update(message)
            uow.commit()


def _answer(
    uow: UnitOfWork,
    clock: FrozenClock,
    spec: _SurveySpec,
    invitation_id: str,
    sent_at: datetime,
    start: datetime,
    rng: random.Random,
    reader: CommentReader | None,
) -> str:
    weeks_ago = WEEKS - (sent_at - start) / timedelta(weeks=1)
    weights = _WEIGHTS[spec.kind]
    if spec.business == HOTEL and 5 <= weeks_ago <= 7:
        weights = _BAD_SPELL
    score = rng.choices(list(weights), list(weights.values()))[0]
    with uow:
        invitation = uow.feedback.invitations.get(invitation_id)
        customer = uow.customers.get(invitation.customer_id) if invitation else None
    language = customer.language if customer else "en"
    comment = ""
    if rng.random() < COMMENT_SHARE or score <= 2:
        comment = _comment(spec.business, _tone(spec.kind, score, rng), language, rng)
    ticked = tuple(c.key for c in spec.choices if rng.random() < 0.35)
    return answer_survey(invitation_id, AnswerForm(score, comment, ticked), uow, clock, reader).id


def _maybe_close(
    uow: UnitOfWork,
    clock: FrozenClock,
    business: str,
    answer_id: str,
    managers: dict[str, Actor],
    now: datetime,
    rng: random.Random,
) -> None:
    with uow:
        loop = uow.feedback.loops.get_for_answer(answer_id)
    if loop is None or loop.location_id not in managers:
        return
    roll = rng.random()
    if roll < 0.55:
        closed_at = loop.opened_at + (loop.due_at - loop.opened_at) * rng.uniform(0.2, 0.9)
    elif roll < 0.8:
        closed_at = loop.due_at + timedelta(hours=rng.uniform(2, 60))  # closed, but late
    else:
        return  # still open: on the board, overdue or not
    if closed_at >= now:
        return
    answered_at = clock.now()
    cause, note, action = rng.choice(FIXES[business])
    clock.set(closed_at)
    close_recovery(
        CloseRecovery(loop.id, cause, note, action), uow, clock, managers[loop.location_id]
    )
    clock.set(answered_at)
